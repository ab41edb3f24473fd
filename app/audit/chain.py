"""The audit log's hash chain: canonical content, entry hashes, and appending under one lock.

Each entry's hash is ``SHA-256(0x00 || JCS(content) || previous entry's hash)`` (hex): the leading byte
separates entries from checkpoint nodes (``0x01``), as RFC 6962 separates leaves from nodes, so an entry
can never be passed off as a checkpoint or the reverse; JCS is the JSON Canonicalization Scheme of
RFC 8785 (sorted keys, no whitespace, UTF-8, one spelling per number) from the ``rfc8785`` package. The
first entry chains to :data:`GENESIS` (32 zero bytes). ``content`` holds every column a reader relies on:
``seq``, ``created_at`` (UTC, microseconds, written without offset), ``brief_id``, ``subject_type``, ``subject_id``,
``action``, ``actor`` and ``details``.

Callers only ``session.add`` entries (:func:`app.audit.record`). Sequence numbers and hashes are
assigned when the session commits, by :func:`append_pending` under :func:`lock_chain` (an UPDATE of the
one row of ``auditchainlock``: a row lock on PostgreSQL, the database write lock on SQLite, both held to
the end of the transaction), so two processes never fork the chain, and the lock is held only for the
commit itself. An entry flushed early is held back until then.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import rfc8785
from sqlalchemy import event, inspect, text
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session, SessionTransaction

from app.errors import FactoryError
from app.models import AuditEntry

ENTRY_PREFIX = b"\x00"
NODE_PREFIX = b"\x01"
GENESIS = "0" * 64
_PENDING = "audit_chain_pending"
# Set by app.audit.checkpoints: called after each append with (session, previous head seq, new head seq, hash).
after_append: list[Callable[[Session, int, int, str], None]] = []


class ChainLockMissing(FactoryError):
    """The one row of ``auditchainlock`` is gone, so appends could not be ordered; nothing was written."""

    code = "audit_chain_lock_missing"


def canonical(value: Any) -> bytes:
    """RFC 8785 canonical JSON of ``value`` (bytes, UTF-8). Raises ``rfc8785.CanonicalizationError`` for
    values JSON cannot hold exactly (integers beyond 2**53, NaN): :func:`app.audit.record` keeps those out."""
    return rfc8785.dumps(value)


def timestamp(value: datetime) -> str:
    """``2026-11-29T22:15:28.123456``: the instant in UTC with microseconds (what both databases keep)."""
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return value.strftime("%Y-%m-%dT%H:%M:%S.%f")


def entry_content(entry: AuditEntry) -> dict[str, Any]:
    """What an entry's hash covers (see the module docstring)."""
    return {"seq": entry.seq, "created_at": timestamp(entry.created_at), "brief_id": entry.brief_id,
            "subject_type": entry.subject_type, "subject_id": entry.subject_id, "action": entry.action,
            "actor": entry.actor, "details": entry.details}


def entry_hash(content: dict[str, Any], prev_hash: str) -> str:
    """Hex SHA-256 of ``0x00 || JCS(content) || prev_hash`` (``prev_hash`` is hex). ValueError if it is not hex."""
    return hashlib.sha256(ENTRY_PREFIX + canonical(content) + bytes.fromhex(prev_hash)).hexdigest()


def node_hash(body: dict[str, Any]) -> str:
    """Hex SHA-256 of ``0x01 || JCS(body)``: the hash of a checkpoint."""
    return hashlib.sha256(NODE_PREFIX + canonical(body)).hexdigest()


def lock_chain(connection: Connection) -> tuple[int, str]:
    """Take the append lock for the rest of the transaction; returns the head (its seq, 0 when empty, and hash)."""
    if connection.execute(text("UPDATE auditchainlock SET appends = appends + 1 WHERE id = 1")).rowcount != 1:
        raise ChainLockMissing("the audit chain's lock row (auditchainlock id 1) is missing: run `factory db "
                               "upgrade` as the database owner; nothing was written")
    row = connection.execute(text(
        "SELECT seq, entry_hash FROM auditentry WHERE seq IS NOT NULL ORDER BY seq DESC LIMIT 1")).first()
    return (int(row[0]), str(row[1])) if row else (0, GENESIS)


def append_pending(session: Session) -> None:
    """Chain the session's new entries (in the order they were added) onto the head, under the lock.

    Everything else in the session is flushed first, so that while the chain lock is held the transaction
    only inserts entries and checkpoints: it never waits for another lock then, so no deadlock can form
    around the chain lock."""
    if not session.info.get(_PENDING) and not _unchained(session):
        return
    session.flush()  # holds the new entries back (see _hold_back_until_commit) and writes the rest
    entries: list[AuditEntry] = session.info.pop(_PENDING, [])
    if not entries:
        return
    start, head = lock_chain(session.connection())
    seq = start
    for entry in entries:  # added back in chain order, so that ids follow seq too
        seq += 1
        entry.created_at = datetime.fromisoformat(timestamp(entry.created_at)).replace(tzinfo=UTC)
        entry.seq, entry.prev_hash = seq, head
        head = entry.entry_hash = entry_hash(entry_content(entry), head)
        session.add(entry)
    for hook in after_append:
        hook(session, start, seq, head)


def _unchained(session: Session) -> list[AuditEntry]:
    fresh = [o for o in session.new if isinstance(o, AuditEntry) and o.seq is None]
    return sorted(fresh, key=lambda o: inspect(o).insert_order or 0)


@event.listens_for(Session, "before_flush")
def _hold_back_until_commit(session: Session, _context: Any, _instances: Any) -> None:
    fresh = _unchained(session)
    if fresh:
        pending = session.info.setdefault(_PENDING, [])
        for entry in fresh:
            session.expunge(entry)
            pending.append(entry)


@event.listens_for(Session, "before_commit")
def _append_on_commit(session: Session) -> None:
    append_pending(session)


@event.listens_for(Session, "after_transaction_end")
def _forget_on_end(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:  # the outermost transaction: a rollback drops what it held back
        session.info.pop(_PENDING, None)
