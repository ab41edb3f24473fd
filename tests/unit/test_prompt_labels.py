"""Prompt labels and immutability: promote and roll back with an audit trail, locked versions that
cannot be edited, and ``factory prompts verify`` catching an edited or deleted version."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from sqlalchemy.exc import OperationalError
from sqlmodel import Session, select
from typer.testing import CliRunner

from app.cli import context
from app.cli.main import cli
from app.db import session_scope
from app.errors import InvalidInput, InvalidTransition, PromptError
from app.file_locks import exclusive
from app.models import AuditEntry, LLMCall
from app.pipeline.deps import Deps
from app.prompting import integrity, labels
from app.prompting.models import PromptLabelEvent
from app.prompting.registry import PromptRegistry, parse_version
from app.settings import PROJECT_ROOT

VERSION = """name: greet
version: {n}
output_schema: DraftCopy
variables: [name]
params: {{temperature: 0.{n}}}
system: You greet people (version {n}).
user: Say hello to {{{{ name }}}}.
"""


@pytest.fixture
def registry(tmp_path: Path) -> PromptRegistry:
    folder = tmp_path / "prompts" / "greet"
    folder.mkdir(parents=True)
    for n in (1, 2, 3):
        (folder / f"v{n}.yaml").write_text(VERSION.format(n=n))
    (folder / "labels.yaml").write_text("production: 1\n")
    return PromptRegistry(tmp_path / "prompts")


@pytest.fixture
def cli_settings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    """The CLI reads its settings once per process: point them at this test's folders."""
    monkeypatch.setenv("CF_DATA_DIR", str(tmp_path / "var"))
    context.settings.cache_clear()
    context.deps.cache_clear()
    yield
    context.settings.cache_clear()
    context.deps.cache_clear()


def _promote(registry: PromptRegistry, deps: Deps, version: int, reason: str = "better") -> PromptLabelEvent | None:
    with session_scope(deps.engine) as session:
        return labels.promote(registry, session, name="greet", version=version, label="production",
                              actor="priya", reason=reason)


def _rollback(registry: PromptRegistry, deps: Deps) -> PromptLabelEvent:
    with session_scope(deps.engine) as session:
        return labels.rollback(registry, session, name="greet", label="production", actor="sam",
                               reason="complaints after the switch")


def test_promote_and_rollback_round_trip_with_an_audit_trail(registry: PromptRegistry, deps: Deps):
    _promote(registry, deps, 2)
    _promote(registry, deps, 3)
    assert registry.resolve("greet@production").ref == "greet@3"

    assert _rollback(registry, deps).to_version == 2
    assert registry.resolve("greet@production").ref == "greet@2"
    assert _rollback(registry, deps).to_version == 1, "a second rollback walks back one more move, like undo"
    with pytest.raises(InvalidTransition, match="no earlier version"):
        _rollback(registry, deps)

    with Session(deps.engine) as session:
        events = session.exec(select(PromptLabelEvent)).all()
        entries = session.exec(select(AuditEntry).where(AuditEntry.subject_type == "prompt")).all()
    assert [(e.action, e.from_version, e.to_version) for e in events] == [
        ("promote", 1, 2), ("promote", 2, 3), ("rollback", 3, 2), ("rollback", 2, 1)]
    assert [e.action for e in entries] == ["prompt.promoted", "prompt.promoted", "prompt.rolled_back",
                                           "prompt.rolled_back"]
    assert {e.subject_id for e in entries} == {"greet@production"}
    assert entries[0].actor == "priya" and entries[0].details["reason"] == "better"
    assert entries[2].actor == "sam" and entries[2].details["reason"] == "complaints after the switch"
    assert entries[0].details["prompt_hash"] == registry.load("greet", 2).content_hash


def test_promote_locks_the_version_and_writes_the_labels_file_atomically(registry: PromptRegistry, deps: Deps):
    _promote(registry, deps, 2)
    folder = registry.root / "greet"
    assert set(registry.locked("greet")) == {2}
    assert yaml.safe_load((folder / "labels.yaml").read_text()) == {"production": 2}
    assert not [p.name for p in folder.iterdir() if p.name.endswith(".tmp")], "no temporary file left behind"


def test_a_move_whose_commit_fails_leaves_the_labels_file_as_it_was(registry: PromptRegistry, deps: Deps,
                                                                   monkeypatch: pytest.MonkeyPatch):
    labels_file = registry.root / "greet" / "labels.yaml"
    before = labels_file.read_text()

    def refuse() -> None:
        raise OperationalError("COMMIT", {}, Exception("database is locked"))

    with Session(deps.engine) as session:
        monkeypatch.setattr(session, "commit", refuse)
        with pytest.raises(OperationalError):
            labels.promote(registry, session, name="greet", version=2, label="production", actor="priya",
                           reason="better")
    assert yaml.safe_load(labels_file.read_text()) == yaml.safe_load(before) == {"production": 1}
    with Session(deps.engine) as session:
        assert session.exec(select(PromptLabelEvent)).all() == [], "the history did not record the move either"


def test_a_label_move_waits_for_another_process_holding_the_labels_lock(registry: PromptRegistry, deps: Deps):
    """While one process holds the labels file's lock (mid-move), another's move waits, then lands.

    On SQLite the database's write lock happens to serialise moves anyway; on PostgreSQL only this
    file lock keeps two movers from reading the same old labels file and dropping one move.
    """
    script = (
        "import sys; from pathlib import Path; from sqlmodel import create_engine, Session;"
        "from app.prompting import labels; from app.prompting.registry import PromptRegistry;"
        "reg = PromptRegistry(Path(sys.argv[1])); s = Session(create_engine(sys.argv[2]));"
        "labels.promote(reg, s, name='greet', version=2, label='canary', actor='p', reason='r')"
    )
    with exclusive(registry.root / "greet" / "labels.yaml"):
        mover = subprocess.Popen([sys.executable, "-c", script, str(registry.root), str(deps.engine.url)])
        time.sleep(10)  # ample for its imports (about 3 s here): it is now waiting on the lock
        assert mover.poll() is None, "the second mover did not wait for the lock"
        assert "canary" not in registry.labels("greet")
    assert mover.wait(timeout=60) == 0
    assert registry.labels("greet") == {"production": 1, "canary": 2}


def test_promoting_the_current_version_changes_nothing(registry: PromptRegistry, deps: Deps):
    assert _promote(registry, deps, 1) is None
    with Session(deps.engine) as session:
        assert session.exec(select(PromptLabelEvent)).all() == []


def test_a_label_move_needs_an_actor_and_a_reason(registry: PromptRegistry, deps: Deps):
    with session_scope(deps.engine) as session, pytest.raises(InvalidInput, match="reason"):
        labels.promote(registry, session, name="greet", version=2, label="production", actor="priya", reason=" ")
    assert registry.labels("greet") == {"production": 1}


def test_editing_a_locked_version_fails_to_load_and_names_the_fix(registry: PromptRegistry):
    integrity.register(registry, "greet", 1)
    path = registry.root / "greet" / "v1.yaml"
    path.write_text(path.read_text().replace("You greet people", "You greet people warmly"))
    with pytest.raises(PromptError, match=r"edited after it was registered.*create v4 instead"):
        registry.resolve("greet@production")
    assert registry.load("greet", 2).version == 2, "unlocked versions still load"


def test_verify_catches_an_edited_and_a_deleted_version(registry: PromptRegistry):
    assert integrity.register_all(registry) == ["greet@1", "greet@2", "greet@3"]
    assert integrity.verify(registry) == []
    (registry.root / "greet" / "v2.yaml").write_text(VERSION.format(n=2) + "# tweak\n")
    (registry.root / "greet" / "v3.yaml").unlink()
    problems = integrity.verify(registry)
    assert len(problems) == 2
    assert "greet@2 was edited after it was locked" in problems[0]
    assert "greet@3 is locked but" in problems[1] and "deleted" in problems[1]


def test_verify_flags_a_version_in_use_that_changed_or_is_not_locked(registry: PromptRegistry, deps: Deps):
    with session_scope(deps.engine) as session:
        session.add(LLMCall(stage="draft", prompt_ref="greet@1", prompt_hash="0" * 64, model="m"))
        session.add(LLMCall(stage="draft", prompt_ref="greet@2",
                            prompt_hash=registry.load("greet", 2).content_hash, model="m"))
    with Session(deps.engine) as session:
        problems = integrity.verify(registry, session)
    assert any("greet@1 is in use and its file changed" in p for p in problems)
    assert any("greet@2 is in use but not locked" in p for p in problems)
    integrity.register(registry, "greet", 2)
    with Session(deps.engine) as session:
        assert not any("greet@2" in p for p in integrity.verify(registry, session))


def test_cli_verify_exits_non_zero_on_an_edited_version(registry: PromptRegistry, cli_settings: None,
                                                      monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("CF_PROMPTS_DIR", str(registry.root))
    runner = CliRunner()
    assert runner.invoke(cli, ["prompts", "register"]).exit_code == 0
    assert runner.invoke(cli, ["prompts", "verify", "--no-db"]).exit_code == 0
    (registry.root / "greet" / "v1.yaml").write_text(VERSION.format(n=1) + "\n")
    result = runner.invoke(cli, ["prompts", "verify", "--no-db"])
    assert result.exit_code == 1
    assert "greet@1 was edited" in result.output


def test_cli_promote_show_diff_and_rollback(registry: PromptRegistry, cli_settings: None,
                                           monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("CF_PROMPTS_DIR", str(registry.root))
    runner = CliRunner()
    promoted = runner.invoke(cli, ["prompts", "promote", "greet@2", "--label", "production", "--as", "priya",
                                   "--reason", "eval run 1 passed"])
    assert promoted.exit_code == 0, promoted.output
    assert "greet@production: 1 -> 2" in promoted.output
    assert "greet@2 sha256" in runner.invoke(cli, ["prompts", "show", "greet@production"]).output
    diff = runner.invoke(cli, ["prompts", "diff", "greet@1", "greet@2"]).output
    assert "-system: You greet people (version 1)." in diff and "+system: You greet people (version 2)." in diff
    listing = runner.invoke(cli, ["prompts", "list"]).output
    assert "production" in listing and registry.load("greet", 2).content_hash[:12] in listing
    rolled = runner.invoke(cli, ["prompts", "rollback", "greet", "--label", "production", "--as", "sam",
                                 "--reason", "regression seen"])
    assert rolled.exit_code == 0, rolled.output
    assert registry.labels("greet") == {"production": 1}


def test_the_shipped_prompts_verify(cli_settings: None):
    result = CliRunner().invoke(cli, ["prompts", "verify", "--no-db"])
    assert result.exit_code == 0, result.output
    registry = PromptRegistry(PROJECT_ROOT / "prompts")
    assert registry.labels("draft")["production"] != 2, "the deliberately worse v2 must never be production"
    assert set(registry.locked("draft")) >= {1, 2}


def test_a_version_must_name_a_known_output_schema_and_allowed_params():
    good = VERSION.format(n=1).encode()
    with pytest.raises(PromptError, match="output_schema 'Poem'"):
        parse_version(good.replace(b"DraftCopy", b"Poem"))
    with pytest.raises(PromptError, match=r"params \['logit_bias'\] are not passed"):
        parse_version(good.replace(b"{temperature: 0.1}", b"{temperature: 0.1, logit_bias: {}}"))
