"""Shared fixtures. Unit tests get a real SQLite database and a real Qdrant local store in a
temporary folder, with fakes only at the LLM, embedder and queue seams."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from app.db import upgrade
from app.pipeline.deps import Deps
from app.pipeline.knowledge import ingest_brand
from app.settings import PROJECT_ROOT, Settings
from app.wiring import build_deps
from tests.fakes import FakeLLM, HashingEmbedder, RecordingEnqueue

SHARED = PROJECT_ROOT.parent / "shared"
# The label state the unit specifications are written against (which version each label points to), so that
# promoting a new version in the repository changes what ships, not what the specs of the registry, the
# desk's prompt pages and the pipeline's pins say. The versions themselves are the repository's.
SPEC_LABELS = {"draft": {"production": 1, "candidate": 4, "experiment": 2}, "ideas": {"production": 1, "candidate": 2}}


def private_settings(data_dir: Path) -> Settings:
    """Test settings with the data under ``data_dir`` and private copies of prompts/ and the eval suites
    beside it: label moves, pin-time locks and added cases must never write to the repository's files."""
    home = data_dir.parent
    # Names no test uses for its own folders, so a test's own prompts/ is never mistaken for these.
    prompts, suites = home / "private-prompts", home / "private-suites"
    if not prompts.exists():
        shutil.copytree(PROJECT_ROOT / "prompts", prompts, ignore=shutil.ignore_patterns(".*"))
        for name, labels in SPEC_LABELS.items():
            (prompts / name / "labels.yaml").write_text(yaml.safe_dump(labels))
    if not suites.exists():
        shutil.copytree(PROJECT_ROOT / "evals" / "suites", suites)
    # One candidate per slot: tests of the code around drafting queue one LLM answer per variant;
    # best-of-N tests ask for more explicitly.
    return Settings(data_dir=data_dir, environment="test", prompts_dir=prompts, eval_suites_dir=suites,
                    llm_local_model="smollm2-135m-instruct",  # tests that need a real model use the fast one
                    draft_candidates=1,
                    # Rules only: tests of the code around the checks queue exactly the LLM answers they need; the
                    # judge's own tests give it a judge (app/guardrails/judge/tests, tests/integration).
                    judge_mode="off", _env_file=None)  # type: ignore[call-arg]


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return private_settings(tmp_path / "var")


@pytest.fixture
def fake_llm() -> FakeLLM:
    return FakeLLM()


@pytest.fixture
def enqueued() -> RecordingEnqueue:
    return RecordingEnqueue()


@pytest.fixture
def deps(settings: Settings, fake_llm: FakeLLM, enqueued: RecordingEnqueue) -> Iterator[Deps]:
    d = build_deps(settings, enqueue=enqueued, llm_factory=lambda: fake_llm, embedder=HashingEmbedder())
    upgrade(d.engine)
    yield d
    d.engine.dispose()
    d.store.close()  # the vector store stays open for a process's life; a test's ends with the test


@pytest.fixture
def ingested(deps: Deps) -> Deps:
    """Deps with the demo brand ingested (hashing embedder)."""
    ingest_brand(deps, deps.settings.brand_kb_dir / "fernhill", brand="fernhill")
    return deps


def module_deps(data_dir: Path, *, draft: dict[str, str]) -> tuple[Deps, FakeLLM]:
    """Deps for a module-scoped API world: SQLite and Qdrant under ``data_dir``, the demo brand ingested,
    and an LLM that answers every draft call with ``draft``."""
    import json

    settings = private_settings(data_dir)
    llm = FakeLLM()
    llm.default = json.dumps(draft)
    d = build_deps(settings, enqueue=RecordingEnqueue(), llm_factory=lambda: llm, embedder=HashingEmbedder())
    upgrade(d.engine)
    ingest_brand(d, settings.brand_kb_dir / "fernhill", brand="fernhill")
    return d, llm
