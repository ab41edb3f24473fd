"""The audit log as a hash chain with signed checkpoints, on SQLite: appends, checkpoints, and every kind of
tampering an owner of the database file can do, each found by ``verify`` at the right entry."""

from __future__ import annotations

import base64
import hashlib
import json
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

import pytest
import rfc8785
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select
from typer.testing import CliRunner

from app import audit
from app.audit import chain
from app.audit.checkpoints import CheckpointPolicy, checkpoint_now, read_files
from app.audit.keys import raw_public, signer_for, write_new_key
from app.audit.models import AuditCheckpoint
from app.audit.verify import Report, verify
from app.cli import context
from app.cli.main import cli
from app.db import session_scope, upgrade
from app.models import AuditEntry
from app.pipeline.deps import Deps
from app.settings import PROJECT_ROOT, Settings
from app.wiring import build_engine
from tests.audit_tampering import CONCURRENT_WRITER, ENTRIES, EVERY, EXPECTED, TAMPERINGS, triggers_off, write_log
from tests.unit.helpers import bearer


def _settings(tmp_path: Path, **extra: object) -> Settings:
    values: dict[str, object] = {"data_dir": tmp_path / "var", "environment": "test",
                                 "audit_checkpoint_every": EVERY, **extra}
    return Settings(_env_file=None, **values)  # type: ignore[call-arg, arg-type]


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return _settings(tmp_path)


@pytest.fixture
def engine(settings: Settings):  # type: ignore[no-untyped-def]
    engine = build_engine(settings)
    upgrade(engine)
    yield engine
    engine.dispose()


def _verify(engine: Engine, settings: Settings) -> Report:
    return verify(engine, public_key=signer_for(settings).public_key, folder=settings.resolved_audit_checkpoint_dir)


@pytest.fixture
def full_log(engine: Engine, settings: Settings) -> Engine:
    """12 entries, checkpoints after 5 and 10 (automatic) and 12 (``factory audit checkpoint``), exported."""
    write_log(engine, audit.record, session_scope)
    made, _written = checkpoint_now(engine, CheckpointPolicy.from_settings(settings))
    assert made is not None and made.number == 3
    return engine


def test_an_untouched_log_verifies(full_log: Engine, settings: Settings) -> None:
    report = _verify(full_log, settings)
    assert report.ok, report.breaks
    assert (report.entries, report.checkpoints, report.exported) == (ENTRIES, 3, 3)
    assert report.warnings == []


def test_entries_chain_in_commit_order_with_ids_following_the_chain(engine: Engine) -> None:
    with session_scope(engine) as session:
        audit.record(session, action="first", actor="a", subject_type="t", subject_id="1")
        session.flush()  # held back until commit, so the next entry cannot overtake it
        audit.record(session, action="second", actor="a", subject_type="t", subject_id="2")
    with Session(engine) as session:
        rows = session.exec(select(AuditEntry).order_by(col(AuditEntry.seq))).all()
    assert [(r.seq, r.action) for r in rows] == [(1, "first"), (2, "second")]
    assert [r.id for r in rows] == sorted(r.id for r in rows)  # type: ignore[type-var]
    assert rows[0].prev_hash == chain.GENESIS and rows[1].prev_hash == rows[0].entry_hash
    assert rows[1].entry_hash == chain.entry_hash(chain.entry_content(rows[1]), rows[0].entry_hash or "")


def test_a_rolled_back_change_leaves_no_entry_and_no_checkpoint(engine: Engine, settings: Settings) -> None:
    for n in range(EVERY - 1):
        with session_scope(engine) as session:
            audit.record(session, action="kept", actor="a", subject_type="t", subject_id=str(n))
    with pytest.raises(RuntimeError), session_scope(engine) as session:
        audit.record(session, action="lost", actor="a", subject_type="t", subject_id="x")
        session.flush()
        raise RuntimeError("the change this entry describes failed")
    with session_scope(engine) as session:  # this one crosses the checkpoint interval instead
        audit.record(session, action="kept", actor="a", subject_type="t", subject_id="last")
    with Session(engine) as session:
        assert [e.action for e in session.exec(select(AuditEntry))].count("lost") == 0
        [checkpoint] = session.exec(select(AuditCheckpoint)).all()
    assert checkpoint.count == EVERY
    assert list(read_files(settings.resolved_audit_checkpoint_dir)) == [1]
    assert _verify(engine, settings).ok


def test_details_that_json_cannot_hold_exactly_are_kept_as_text(engine: Engine, settings: Settings) -> None:
    with session_scope(engine) as session:
        audit.record(session, action="odd", actor="a", subject_type="t", subject_id="1", huge=10**20,
                     ratio=float("nan"), tags=("a", "b"))
    with Session(engine) as session:
        entry = session.exec(select(AuditEntry)).one()
    assert entry.details == {"huge": "100000000000000000000", "ratio": "nan", "tags": ["a", "b"]}
    assert _verify(engine, settings).ok


@pytest.mark.parametrize("kind", sorted(TAMPERINGS))
def test_verify_names_the_first_bad_entry_after_tampering(full_log: Engine, settings: Settings, kind: str) -> None:
    with full_log.begin() as conn:
        triggers_off(conn)
        TAMPERINGS[kind](conn)
    report = _verify(full_log, settings)
    assert not report.ok
    assert report.first is not None
    assert (report.first.kind, report.first.seq, report.first.checkpoint) == EXPECTED[kind], report.first.message


def test_a_rewrite_that_also_re_signs_the_database_checkpoints_differs_from_the_exported_files(
    full_log: Engine, settings: Settings,
) -> None:
    """Whoever holds the key as well as the database still cannot reach the exported copies."""
    with full_log.begin() as conn:
        triggers_off(conn)
        TAMPERINGS["rewrite"](conn)
        conn.execute(text("DELETE FROM auditcheckpoint"))
    checkpoint_now(full_log, CheckpointPolicy.from_settings(settings))  # a fresh, validly signed checkpoint 1
    report = _verify(full_log, settings)
    assert report.first is not None and (report.first.kind, report.first.checkpoint) == ("rewritten", 1)
    assert {(b.kind, b.checkpoint) for b in report.breaks} >= {("checkpoint_forged", 1)}


def test_a_checkpoint_signed_with_another_key_is_refused(full_log: Engine, settings: Settings, tmp_path: Path) -> None:
    other = write_new_key(tmp_path / "other.pem")
    report = verify(full_log, public_key=other.public_key, folder=settings.resolved_audit_checkpoint_dir)
    assert report.first is not None and (report.first.kind, report.first.checkpoint) == ("checkpoint_forged", 1)
    assert "not the configured key" in report.first.message


def test_an_edited_exported_checkpoint_is_refused(full_log: Engine, settings: Settings) -> None:
    path = settings.resolved_audit_checkpoint_dir / "checkpoint-00000002.json"
    doc = json.loads(path.read_text())
    path.write_text(json.dumps({**doc, "count": 9}))
    report = _verify(full_log, settings)
    assert report.first is not None and (report.first.kind, report.first.checkpoint) == ("checkpoint_forged", 2)


def test_sqlite_refuses_changes_to_entries_and_checkpoints(full_log: Engine) -> None:
    for statement in ("UPDATE auditentry SET actor = 'x'", "DELETE FROM auditentry",
                      "UPDATE auditcheckpoint SET count = 1", "DELETE FROM auditcheckpoint"):
        with pytest.raises(Exception, match="append-only"), full_log.begin() as conn:
            conn.execute(text(statement))


def test_migration_hashes_the_entries_already_there_in_order(tmp_path: Path) -> None:
    """A database at 0002 (before the chain) with entries: the upgrade chains them and verify passes."""
    from alembic import command
    from alembic.config import Config

    from app.db import MIGRATIONS_DIR

    settings = _settings(tmp_path)
    engine = build_engine(settings)
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0002")
        for n in range(3):
            conn.execute(text("INSERT INTO auditentry (brief_id, subject_type, subject_id, action, actor, details, "
                              "created_at) VALUES (NULL, 't', :s, 'old', 'a', :d, '2026-11-01 10:00:00.000000')"),
                         {"s": str(n), "d": json.dumps({"n": n, "x": [1.5, "é"]})})
    upgrade(engine)
    with session_scope(engine) as session:
        audit.record(session, action="new", actor="a", subject_type="t", subject_id="after")
    with Session(engine) as session:
        rows = session.exec(select(AuditEntry).order_by(col(AuditEntry.seq))).all()
    assert [(r.seq, r.subject_id) for r in rows] == [(1, "0"), (2, "1"), (3, "2"), (4, "after")]
    assert _verify(engine, settings).ok


def test_two_processes_appending_at_once_keep_one_chain(engine: Engine, settings: Settings) -> None:
    env = {"PYTHONPATH": str(PROJECT_ROOT), "PATH": "/usr/bin:/bin"}
    procs = [subprocess.Popen([sys.executable, "-c", CONCURRENT_WRITER, str(settings.data_dir), name, ""],
                              env=env) for name in ("w1", "w2")]
    assert [p.wait(timeout=120) for p in procs] == [0, 0]
    report = verify(engine, public_key=signer_for(settings).public_key, folder=settings.resolved_audit_checkpoint_dir)
    assert report.ok, report.breaks
    assert (report.entries, report.checkpoints) == (80, 80 // 7)


def test_production_refuses_to_start_without_a_signing_key(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="CF_AUDIT_SIGNING_KEY"):
        _settings(tmp_path, environment="production", webhook_secret="whsec_" + "c2VjcmV0LWZvci1wcm9k")


def test_cli_verify_passes_then_fails_with_the_entry_named(full_log: Engine, settings: Settings,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CF_DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("CF_ENVIRONMENT", "test")
    context.settings.cache_clear()
    try:
        runner = CliRunner()
        intact = runner.invoke(cli, ["audit", "verify"])
        assert intact.exit_code == 0, intact.output
        assert f"{ENTRIES} entries, 3 checkpoints" in intact.output
        with full_log.begin() as conn:
            triggers_off(conn)
            TAMPERINGS["delete"](conn)
        broken = runner.invoke(cli, ["audit", "verify", "--json"])
        assert broken.exit_code == 1
        assert json.loads(broken.output)["first_break"]["seq"] == 6
    finally:
        context.settings.cache_clear()


def test_keygen_writes_a_key_once_and_prints_its_public_half(tmp_path: Path) -> None:
    target = tmp_path / "keys" / "audit.pem"
    first = CliRunner().invoke(cli, ["audit", "keygen", "--out", str(target)])
    assert first.exit_code == 0 and "BEGIN PUBLIC KEY" in first.output
    assert target.stat().st_mode & 0o777 == 0o600
    again = CliRunner().invoke(cli, ["audit", "keygen", "--out", str(target)])
    assert again.exit_code == 2


def test_compliance_sees_the_break_through_the_api(client: TestClient, ingested: Deps) -> None:
    officer = bearer(ingested, "cai", ["compliance"])
    intact = client.get("/audit/verify", headers=officer).json()
    assert intact["ok"] is True and intact["entries"] > 0 and intact["first_break"] is None
    with ingested.engine.begin() as conn:
        triggers_off(conn)
        conn.execute(text("UPDATE auditentry SET actor = 'someone else' WHERE seq = 2"))
    broken = client.get("/audit/verify", headers=officer).json()
    assert broken["ok"] is False
    assert (broken["first_break"]["kind"], broken["first_break"]["seq"]) == ("edited", 2)


class _Collector(BaseHTTPRequestHandler):
    received: ClassVar[list[dict[str, Any]]] = []

    def do_POST(self) -> None:
        self.received.append(json.loads(self.rfile.read(int(self.headers["content-length"]))))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *_args: object) -> None:
        pass


def test_checkpoints_are_posted_to_the_url_and_verify_with_the_public_key_alone(tmp_path: Path) -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Collector)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        settings = _settings(tmp_path, audit_checkpoint_url=f"http://127.0.0.1:{server.server_address[1]}/cp")
        engine = build_engine(settings)
        upgrade(engine)
        write_log(engine, audit.record, session_scope)
    finally:
        server.shutdown()
        server.server_close()
    assert [doc["count"] for doc in _Collector.received] == [5, 10]
    public = Ed25519PublicKey.from_public_bytes(raw_public(signer_for(settings).public_key))  # what a CMS holds
    for doc in _Collector.received:
        body: dict[str, Any] = {k: doc[k] for k in ("number", "count", "head_hash", "created_at", "previous", "key_id")}
        public.verify(base64.b64decode(str(doc["signature"])), b"\x01" + rfc8785.dumps(body))
        assert hashlib.sha256(b"\x01" + rfc8785.dumps(body)).hexdigest() == doc["checkpoint_hash"]
    assert _Collector.received[1]["previous"] == _Collector.received[0]["checkpoint_hash"]


def test_only_compliance_officers_and_admins_may_verify_the_log(client: TestClient, ingested: Deps) -> None:
    status = {role: client.get("/audit/verify", headers=bearer(ingested, f"u-{role}", [role])).status_code
              for role in ("compliance", "admin", "reviewer", "marketer", "prompt_engineer")}
    assert status == {"compliance": 200, "admin": 200, "reviewer": 403, "marketer": 403, "prompt_engineer": 403}
    assert client.get("/audit/verify").status_code == 401
