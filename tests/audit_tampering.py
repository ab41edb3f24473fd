"""Ways a database owner tampers with the audit log, in SQL that runs on SQLite and PostgreSQL alike.

Each tampering runs on a log of 12 entries written by the application with a checkpoint every 5 entries
and one made at the end (checkpoints 1, 2 and 3 cover entries 1-5, 1-10 and 1-12), with the append-only
triggers already out of the way (an owner can disable them). :data:`EXPECTED` is the first break that
``factory audit verify`` must report: its kind, the entry and the checkpoint it names.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy import insert, text
from sqlalchemy.engine import Connection
from sqlmodel import Session, col, select

from app.audit import chain
from app.models import AuditEntry

ENTRIES, EVERY = 12, 5
_table = AuditEntry.__table__  # type: ignore[attr-defined]


def write_log(engine, record: Callable[..., object], session_factory) -> None:  # type: ignore[no-untyped-def]
    """12 entries through the application, one transaction each (so checkpoints land after 5 and 10)."""
    for n in range(1, ENTRIES + 1):
        with session_factory(engine) as session:
            record(session, action="review.decided" if n % 4 == 0 else "brief.state_changed",
                   actor="rob" if n % 4 == 0 else "system:worker", subject_type="brief", subject_id=f"b{n:03d}",
                   brief_id=f"b{n:03d}", decision="approve", note=f"entry number {n}")


def _edit(conn: Connection) -> None:
    conn.execute(text("UPDATE auditentry SET actor = 'mallory' WHERE seq = 4"))


def _delete(conn: Connection) -> None:
    conn.execute(text("DELETE FROM auditentry WHERE seq = 6"))


def _forged(seq: int, prev_hash: str | None, *, valid_hash: bool) -> dict[str, object]:
    row: dict[str, object] = {
        "seq": seq, "brief_id": "b007", "subject_type": "variant", "subject_id": "v-forged",
        "action": "review.decided", "actor": "ceo", "details": {"decision": "approve", "note": "back-dated"},
        "created_at": datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC), "prev_hash": prev_hash, "entry_hash": None}
    if valid_hash and prev_hash is not None:
        content = {**{k: row[k] for k in ("seq", "brief_id", "subject_type", "subject_id", "action", "actor",
                                           "details")}, "created_at": chain.timestamp(row["created_at"])}  # type: ignore[arg-type]
        row["entry_hash"] = chain.entry_hash(content, prev_hash)
    return row


def _hash_of(conn: Connection, seq: int) -> str:
    return str(conn.execute(text("SELECT entry_hash FROM auditentry WHERE seq = :s"), {"s": seq}).scalar_one())


def _insert(conn: Connection) -> None:
    """A second entry 7, hash and all, next to the real one (the unique index on seq dropped first)."""
    conn.execute(text("DROP INDEX ix_auditentry_seq"))
    conn.execute(insert(_table).values(**_forged(7, _hash_of(conn, 6), valid_hash=True)))


def _replace(conn: Connection) -> None:
    """The issue's forgery: a back-dated decision in a deleted entry's slot, correctly hashed onto entry 6."""
    conn.execute(text("DELETE FROM auditentry WHERE seq = 7"))
    conn.execute(insert(_table).values(**_forged(7, _hash_of(conn, 6), valid_hash=True)))


def _reorder(conn: Connection) -> None:
    for old, new in ((3, -3), (4, 3), (-3, 4)):
        conn.execute(text("UPDATE auditentry SET seq = :new WHERE seq = :old"), {"new": new, "old": old})


def _truncate_tail(conn: Connection) -> None:
    conn.execute(text("DELETE FROM auditentry WHERE seq > 10"))


def _truncate(conn: Connection) -> None:
    if conn.dialect.name == "postgresql":
        conn.execute(text("TRUNCATE auditentry, auditcheckpoint"))
    else:  # SQLite's TRUNCATE is an unqualified DELETE
        conn.execute(text("DELETE FROM auditentry"))
        conn.execute(text("DELETE FROM auditcheckpoint"))


def _rewrite(conn: Connection) -> None:
    """Edit entry 4, then recompute every hash from there on: the chain is whole again, the checkpoints are not."""
    conn.execute(text("UPDATE auditentry SET actor = 'mallory' WHERE seq = 4"))
    with Session(bind=conn) as session:
        rows = session.exec(select(AuditEntry).order_by(col(AuditEntry.seq))).all()
        previous = chain.GENESIS
        for row in rows:
            digest = chain.entry_hash(chain.entry_content(row), previous)
            conn.execute(text("UPDATE auditentry SET prev_hash = :p, entry_hash = :h WHERE id = :i"),
                         {"p": previous, "h": digest, "i": row.id})
            previous = digest


TAMPERINGS: dict[str, Callable[[Connection], None]] = {
    "edit": _edit, "delete": _delete, "insert": _insert, "replace": _replace, "reorder": _reorder,
    "truncate_tail": _truncate_tail, "truncate": _truncate, "rewrite": _rewrite,
}
# kind, seq, checkpoint of the first break
EXPECTED: dict[str, tuple[str, int, int | None]] = {
    "edit": ("edited", 4, None),
    "delete": ("deleted", 6, None),
    "insert": ("inserted", 7, None),
    "replace": ("replaced", 7, None),
    "reorder": ("reordered", 3, None),
    "truncate_tail": ("truncated", 11, 3),
    "truncate": ("truncated", 1, 1),
    "rewrite": ("rewritten", 5, 1),
}


def triggers_off(conn: Connection) -> None:
    """What an owner (not the application's role) can do: switch off the append-only triggers."""
    if conn.dialect.name == "postgresql":
        for table in ("auditentry", "auditcheckpoint"):
            conn.execute(text(f"ALTER TABLE {table} DISABLE TRIGGER USER"))
        return
    for name in ("auditentry_no_update", "auditentry_no_delete", "auditcheckpoint_no_update",
                 "auditcheckpoint_no_delete"):
        conn.execute(text(f"DROP TRIGGER IF EXISTS {name}"))


# A separate process appending 40 entries (argv: data folder, actor, database URL or ""), checkpointing every 7:
# two of these at once must leave one unbroken chain of 80.
CONCURRENT_WRITER = (
    "import sys; from pathlib import Path; from app import audit; from app.audit import checkpoints; "
    "from app.db import make_engine, session_scope; from app.settings import Settings\n"
    "s = Settings(data_dir=Path(sys.argv[1]), environment='test', audit_checkpoint_every=7, _env_file=None)\n"
    "e = make_engine(sys.argv[3] or s.resolved_database_url); checkpoints.attach(e, s)\n"
    "for n in range(40):\n"
    "    with session_scope(e) as ses:\n"
    "        audit.record(ses, action='w', actor=sys.argv[2], subject_type='t', subject_id=str(n))\n"
)
