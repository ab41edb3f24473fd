"""The default model's real file: the 22 installed part wheels assemble into the pinned Qwen GGUF, and a
second run verifies it in place. Writes 1.1 GB under the test's temporary folder; loads no model."""

from __future__ import annotations

import pytest

from app.llm.model_files import KNOWN_MODELS, PartWheels, ensure_model_file, part_paths
from app.llm.model_status import describe_local_model, llm_health
from app.settings import Settings

pytestmark = pytest.mark.integration
QWEN = KNOWN_MODELS["qwen2.5-coder-1.5b-instruct"]


def test_the_installed_wheels_assemble_into_the_pinned_qwen_file_which_a_second_run_reuses(tmp_path):
    assert isinstance(QWEN.source, PartWheels)
    assert len(part_paths(QWEN.source)) == 22, "every part wheel of requirements/model-qwen.txt is installed"

    built = ensure_model_file(QWEN, tmp_path / "models")
    assert (built.assembled, built.size_bytes, built.sha256) == (True, 1_117_320_768, QWEN.sha256)
    assert [p.name for p in (tmp_path / "models").iterdir()] == ["qwen2.5-coder-1.5b-instruct.gguf"]

    reused = ensure_model_file(QWEN, tmp_path / "models")
    assert (reused.assembled, reused.pinned, reused.sha256) == (False, True, QWEN.sha256)
    assert reused.path.stat().st_ino == built.path.stat().st_ino


def test_the_default_settings_describe_and_report_the_verified_qwen_file(tmp_path):
    settings = Settings(_env_file=None, data_dir=tmp_path / "var",  # type: ignore[call-arg]
                        llm_local_model="qwen2.5-coder-1.5b-instruct")
    line = describe_local_model(settings)
    assert line.startswith("qwen2.5-coder-1.5b-instruct (sha256 cc324af070c2…, assembled and verified in ")
    health = llm_health(settings)
    assert (health["verification"], health["sha256"]) == ("verified", QWEN.sha256)
