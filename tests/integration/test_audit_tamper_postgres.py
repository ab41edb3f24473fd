"""The tamper-evident audit log on PostgreSQL, with the application running as a role that does not own the
tables (README, "Running on PostgreSQL"): that role cannot TRUNCATE, ALTER, disable triggers, UPDATE or
DELETE; the owner can, and every kind of tampering it does is found by ``verify`` at the right entry."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine

from app import audit
from app.audit import checkpoints
from app.audit.checkpoints import CheckpointPolicy, checkpoint_now
from app.audit.keys import signer_for
from app.audit.verify import Report, verify
from app.db import make_engine, session_scope, upgrade
from app.settings import PROJECT_ROOT, Settings
from tests.audit_tampering import CONCURRENT_WRITER, ENTRIES, EVERY, EXPECTED, TAMPERINGS, triggers_off, write_log
from tests.integration.servers import PG_ADMIN, fresh_postgres_database

pytestmark = [pytest.mark.integration]

# What the README tells an operator to grant the application's role (the owner runs the migrations).
GRANTS = """
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role};
REVOKE UPDATE, DELETE, TRUNCATE ON auditentry, auditcheckpoint FROM {role};
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {role};
"""


@dataclass
class World:
    owner: Engine
    app: Engine
    app_url: str
    settings: Settings

    def verify(self) -> Report:
        return verify(self.app, public_key=signer_for(self.settings).public_key,
                      folder=self.settings.resolved_audit_checkpoint_dir)


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    psycopg = pytest.importorskip("psycopg")
    role = f"cf_app_{uuid.uuid4().hex[:8]}"
    with fresh_postgres_database() as owner_url:
        admin = psycopg.connect(PG_ADMIN, autocommit=True)
        admin.execute(f'CREATE ROLE "{role}" LOGIN')
        settings = Settings(data_dir=tmp_path / "var", environment="test", audit_checkpoint_every=EVERY,
                            database_url=owner_url, _env_file=None)  # type: ignore[call-arg]
        owner = make_engine(owner_url)
        upgrade(owner)  # the owner migrates
        with owner.begin() as conn:
            for statement in GRANTS.format(role=f'"{role}"').strip().splitlines():
                conn.execute(text(statement))
        app_url = owner_url.replace("postgres@", f"{role}@")
        app = make_engine(app_url)
        checkpoints.attach(app, settings)
        try:
            yield World(owner=owner, app=app, app_url=app_url, settings=settings)
        finally:
            app.dispose()
            owner.dispose()
    admin.execute(f'DROP ROLE IF EXISTS "{role}"')
    admin.close()


@pytest.fixture
def full_log(world: World) -> World:
    """12 entries written by the application's role; checkpoints 1-3 (after 5, 10, and on demand after 12)."""
    write_log(world.app, audit.record, session_scope)
    made, _written = checkpoint_now(world.app, CheckpointPolicy.from_settings(world.settings))
    assert made is not None and made.number == 3
    return world


def test_the_application_role_cannot_erase_or_unlock_the_log(full_log: World) -> None:
    refused = [
        "TRUNCATE auditentry", "TRUNCATE auditcheckpoint", "DELETE FROM auditentry WHERE seq = 1",
        "UPDATE auditentry SET actor = 'x' WHERE seq = 1", "UPDATE auditcheckpoint SET count = 1",
        "ALTER TABLE auditentry DISABLE TRIGGER USER", "DROP TRIGGER auditentry_no_change ON auditentry",
        "ALTER TABLE auditentry DROP COLUMN entry_hash", "SET session_replication_role = replica",
    ]
    for statement in refused:
        with pytest.raises(Exception, match=r"permission denied|must be owner|append-only"), \
                full_log.app.begin() as conn:
            conn.execute(text(statement))
    assert full_log.verify().ok


def test_the_owner_cannot_truncate_while_the_trigger_stands(full_log: World) -> None:
    for table in ("auditentry", "auditcheckpoint"):
        with pytest.raises(Exception, match="append-only: TRUNCATE refused"), full_log.owner.begin() as conn:
            conn.execute(text(f"TRUNCATE {table}"))


def test_an_untouched_log_verifies(full_log: World) -> None:
    report = full_log.verify()
    assert report.ok, report.breaks
    assert (report.entries, report.checkpoints, report.exported) == (ENTRIES, 3, 3)


@pytest.mark.parametrize("kind", sorted(TAMPERINGS))
def test_verify_names_the_first_bad_entry_after_the_owner_tampers(full_log: World, kind: str) -> None:
    with full_log.owner.begin() as conn:
        triggers_off(conn)
        TAMPERINGS[kind](conn)
    report = full_log.verify()
    assert report.first is not None
    assert (report.first.kind, report.first.seq, report.first.checkpoint) == EXPECTED[kind], report.first.message


def test_factory_audit_verify_exits_non_zero_and_names_the_entry(full_log: World) -> None:
    env = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT), "CF_DATABASE_URL": full_log.app_url,
           "CF_DATA_DIR": str(full_log.settings.data_dir), "CF_ENVIRONMENT": "test"}
    command = [sys.executable, "-c", "from app.cli.main import main; main()", "audit", "verify"]
    intact = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    assert intact.returncode == 0, intact.stderr[-2000:]
    assert "audit log intact: 12 entries, 3 checkpoints" in intact.stdout
    with full_log.owner.begin() as conn:
        triggers_off(conn)
        TAMPERINGS["replace"](conn)
    broken = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    assert broken.returncode == 1
    assert "[replaced]: entry 7 was replaced" in broken.stdout


def test_two_processes_appending_at_once_keep_one_chain(world: World) -> None:
    env = {"PYTHONPATH": str(PROJECT_ROOT), "PATH": "/usr/bin:/bin"}
    procs = [subprocess.Popen([sys.executable, "-c", CONCURRENT_WRITER, str(world.settings.data_dir), name,
                               world.app_url], env=env) for name in ("w1", "w2")]
    assert [p.wait(timeout=180) for p in procs] == [0, 0]
    report = world.verify()
    assert report.ok, report.breaks
    assert (report.entries, report.checkpoints) == (80, 80 // 7)
