"""Signed checkpoints of the audit chain, kept in the database and exported outside it.

A checkpoint states ``{number, count, head_hash, created_at, previous, key_id}``: the chain had ``count``
entries, the last with hash ``head_hash``; ``previous`` is the hash of checkpoint ``number - 1``
(:data:`app.audit.chain.GENESIS` for the first), so the checkpoints form a chain of their own. Its hash is
``SHA-256(0x01 || JCS(body))`` and its Ed25519 signature covers the same bytes.

One is made when an append crosses a multiple of ``CF_AUDIT_CHECKPOINT_EVERY`` entries (in the appending
transaction, under the chain lock) and on ``factory audit checkpoint``. After the transaction commits, each
new checkpoint is written as ``checkpoint-<number>.json`` to ``CF_AUDIT_CHECKPOINT_DIR`` (never overwriting
a file) and, if ``CF_AUDIT_CHECKPOINT_URL`` is set, POSTed there as JSON. An export that fails is logged
and written again by the next ``factory audit checkpoint``.
"""

from __future__ import annotations

import base64
import json
import logging
import os
import weakref
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import event, text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import Session
from sqlmodel import Session as ModelSession
from sqlmodel import col, select

from app.audit import chain
from app.audit.keys import Signer, raw_public, signer_for
from app.audit.models import AuditCheckpoint
from app.settings import Settings

log = logging.getLogger("factory")
FORMAT = "factory-audit-checkpoint/1"
_EXPORTS = "audit_checkpoint_exports"


@dataclass(frozen=True)
class CheckpointPolicy:
    """How an engine's appends are checkpointed: the key, how often, and where copies go."""

    signer: Signer
    every: int
    folder: Path
    url: str | None = None

    @classmethod
    def from_settings(cls, settings: Settings) -> CheckpointPolicy:
        return cls(signer=signer_for(settings), every=settings.audit_checkpoint_every,
                   folder=settings.resolved_audit_checkpoint_dir, url=settings.audit_checkpoint_url)


_policies: weakref.WeakKeyDictionary[Engine, CheckpointPolicy] = weakref.WeakKeyDictionary()


def attach(engine: Engine, settings: Settings) -> CheckpointPolicy | None:
    """Checkpoint appends made through ``engine`` as ``settings`` say (called where the engine is built).

    Raises ConfigurationError if ``CF_AUDIT_SIGNING_KEY`` cannot be read. Without that setting, a data folder
    where the development key cannot be written (a read-only deployment) leaves the chain unsigned, with an
    error logged, rather than stopping the process; ``factory audit verify`` then reports no checkpoints."""
    try:
        policy = CheckpointPolicy.from_settings(settings)
    except OSError as exc:
        log.error("audit: no checkpoints will be signed: the development key cannot be written (%s); set "
                  "CF_AUDIT_SIGNING_KEY", exc)
        return None
    _policies[engine] = policy
    return policy


def policy_for(session: Session) -> CheckpointPolicy | None:
    bind = session.get_bind()
    return _policies.get(bind.engine if isinstance(bind, Connection) else bind)  # type: ignore[arg-type]


def body_of(checkpoint: AuditCheckpoint | dict[str, Any]) -> dict[str, Any]:
    """The signed fields of a checkpoint row or exported document."""
    get = checkpoint.get if isinstance(checkpoint, dict) else lambda name: getattr(checkpoint, name)
    return {name: get(name) for name in ("number", "count", "head_hash", "created_at", "previous", "key_id")}


def document(checkpoint: AuditCheckpoint, signer_public: bytes | None = None) -> dict[str, Any]:
    """The exported JSON form: the body, its hash and signature, and (as a hint only) the public key."""
    doc = {"format": FORMAT, **body_of(checkpoint), "checkpoint_hash": checkpoint.checkpoint_hash,
           "algorithm": "Ed25519", "signature": checkpoint.signature}
    if signer_public is not None:
        doc["public_key"] = base64.b64encode(signer_public).decode("ascii")
    return doc


def sign_checkpoint(session: Session, signer: Signer, *, count: int, head_hash: str) -> AuditCheckpoint:
    """Add the next checkpoint of the chain (``count`` entries, head ``head_hash``) to ``session``.

    The caller holds the chain lock (:func:`app.audit.chain.lock_chain`), which also orders checkpoints."""
    last = session.connection().execute(text(
        "SELECT number, checkpoint_hash FROM auditcheckpoint ORDER BY number DESC LIMIT 1")).first()
    body: dict[str, Any] = {"number": (int(last[0]) + 1) if last else 1, "count": count, "head_hash": head_hash,
            "created_at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
            "previous": str(last[1]) if last else chain.GENESIS, "key_id": signer.key_id}
    checkpoint = AuditCheckpoint(**body, checkpoint_hash=chain.node_hash(body),
                                 signature=signer.sign(chain.NODE_PREFIX + chain.canonical(body)))
    session.add(checkpoint)
    session.info.setdefault(_EXPORTS, []).append(document(checkpoint, raw_public(signer.public_key)))
    return checkpoint


def checkpoint_now(engine: Engine, policy: CheckpointPolicy) -> tuple[AuditCheckpoint | None, int]:
    """Sign a checkpoint of the current head unless the last one already covers it, then export every
    checkpoint the folder lacks. Returns (the new checkpoint or None, how many files were written)."""
    with ModelSession(engine, expire_on_commit=False) as session:
        count, head = chain.lock_chain(session.connection())
        last = session.exec(select(AuditCheckpoint).order_by(col(AuditCheckpoint.number).desc())).first()
        made = None
        if count and (last is None or last.count != count):
            made = sign_checkpoint(session, policy.signer, count=count, head_hash=head)
        session.commit()
    with ModelSession(engine) as session:
        rows = session.exec(select(AuditCheckpoint).order_by(col(AuditCheckpoint.number))).all()
        written = sum(write_file(policy.folder, document(r, raw_public(policy.signer.public_key)))
                      for r in rows if not file_path(policy.folder, r.number).exists())
    return made, written


def file_path(folder: Path, number: int) -> Path:
    return folder / f"checkpoint-{number:08d}.json"


def write_file(folder: Path, doc: dict[str, Any]) -> bool:
    """Write ``doc`` as its checkpoint's file unless one exists (an exported checkpoint is never replaced).
    True if written."""
    folder.mkdir(parents=True, exist_ok=True)
    target = file_path(folder, int(doc["number"]))
    temporary = folder / f".{target.name}.{os.getpid()}.tmp"
    temporary.write_text(json.dumps(doc, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    try:
        os.link(temporary, target)
    except FileExistsError:
        return False
    finally:
        temporary.unlink(missing_ok=True)
    return True


def read_files(folder: Path) -> dict[int, dict[str, Any]]:
    """The exported checkpoints in ``folder`` by number; an unreadable file is kept as ``{"unreadable": why}``."""
    found: dict[int, dict[str, Any]] = {}
    if not folder.is_dir():
        return found
    for path in sorted(folder.glob("checkpoint-*.json")):
        try:
            number = int(path.stem.removeprefix("checkpoint-"))
        except ValueError:
            continue
        try:
            found[number] = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            found[number] = {"unreadable": f"{path.name}: {exc}"}
    return found


def export(policy: CheckpointPolicy, doc: dict[str, Any]) -> None:
    """Write ``doc`` to the folder and POST it to the URL; failures are logged (``checkpoint`` retries the file)."""
    try:
        write_file(policy.folder, doc)
    except OSError as exc:
        log.error("audit: could not export checkpoint %s to %s: %s", doc["number"], policy.folder, exc)
    if policy.url:
        try:
            httpx.post(policy.url, json=doc, timeout=10.0).raise_for_status()
        except httpx.HTTPError as exc:
            log.error("audit: could not POST checkpoint %s to the checkpoint URL: %s", doc["number"], exc)


def _checkpoint_when_due(session: Session, previous: int, count: int, head_hash: str) -> None:
    policy = policy_for(session)
    if policy is not None and previous // policy.every != count // policy.every:
        sign_checkpoint(session, policy.signer, count=count, head_hash=head_hash)


chain.after_append.append(_checkpoint_when_due)


@event.listens_for(Session, "after_commit")
def _export_committed(session: Session) -> None:
    docs = session.info.pop(_EXPORTS, [])
    policy = policy_for(session) if docs else None
    for doc in docs:
        if policy is not None:
            export(policy, doc)


@event.listens_for(Session, "after_transaction_end")
def _forget_uncommitted(session: Session, transaction: Any) -> None:
    if transaction.parent is None:
        session.info.pop(_EXPORTS, None)
