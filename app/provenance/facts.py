"""What the database knows about how one variant was made: read for its provenance manifest.

Every fact comes from a row the pipeline already wrote: the revision chain (``Variant.parent_id``), each
revision's maker (a kept best-of-N candidate and its LLM calls, or a reviewer's ``variant.edited`` entry),
who asked for a redraft (``variant.state_changed`` to ``changes_requested``), the approval, the accepted
warnings, every check finding, and the KB chunks the copy was grounded on (hashed from the vector store,
whose point ids pin a chunk's file version, see :func:`app.retrieval.store.point_id`).
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session, col, select

from app.audit.chain import timestamp
from app.models import AuditEntry, CheckFinding, DraftCandidate, FindingOverride, LLMCall, Variant
from app.retrieval.store import VectorStore

log = logging.getLogger("factory")
# Chunk hashes and a note on those that could not be read (see chunk_hashes).
Sources = tuple[list[dict[str, Any]], str | None]


@dataclass
class Revision:
    """One revision of the copy and who made it: ``maker`` is ``"model"`` or ``"reviewer"``."""

    variant: Variant
    maker: str
    actor: str
    when: str
    calls: list[LLMCall] = field(default_factory=list)
    requested_by: str | None = None  # the reviewer whose "request changes" led to a model redraft
    request_comment: str | None = None
    edit: dict[str, Any] | None = None  # details of the reviewer's variant.edited entry


def revision_chain(session: Session, variant: Variant) -> list[Variant]:
    """The variant's revisions, first draft first, ending with ``variant``."""
    chain = [variant]
    while chain[-1].parent_id is not None and len(chain) < 1000:
        parent = session.get(Variant, chain[-1].parent_id)
        if parent is None:
            break
        chain.append(parent)
    return list(reversed(chain))


def _entries(session: Session, subject_id: str, action: str) -> list[AuditEntry]:
    stmt = (select(AuditEntry).where(AuditEntry.subject_id == subject_id, AuditEntry.action == action)
            .order_by(col(AuditEntry.seq), col(AuditEntry.id)))
    return list(session.exec(stmt))


def _kept_calls(session: Session, variant_id: str) -> list[LLMCall]:
    kept = session.exec(select(DraftCandidate.id).where(DraftCandidate.variant_id == variant_id,
                                                        DraftCandidate.kept == True)).all()  # noqa: E712
    if not kept:
        return []
    stmt = select(LLMCall).where(col(LLMCall.candidate_id).in_(list(kept)), LLMCall.ok == True)  # noqa: E712
    return list(session.exec(stmt.order_by(col(LLMCall.created_at))))


def revisions(session: Session, variant: Variant) -> list[Revision]:
    """Who made each revision of ``variant``'s copy (see the module docstring)."""
    made: list[Revision] = []
    chain = revision_chain(session, variant)
    for previous, current in zip([None, *chain[:-1]], chain, strict=True):
        edited = _entries(session, current.id, "variant.edited")
        if edited:
            entry = edited[0]
            made.append(Revision(current, "reviewer", entry.actor, timestamp(entry.created_at),
                                 edit=dict(entry.details)))
            continue
        revision = Revision(current, "model", "", timestamp(current.created_at), calls=_kept_calls(session, current.id))
        revision.actor = revision.calls[-1].model if revision.calls else "unknown model"
        if previous is not None:
            asked = [e for e in _entries(session, previous.id, "variant.state_changed")
                     if e.details.get("to_state") == "changes_requested"]
            if asked:
                revision.requested_by = asked[-1].actor
                revision.request_comment = str(asked[-1].details.get("comment") or "")
        made.append(revision)
    return made


def approval(session: Session, variant: Variant) -> dict[str, Any] | None:
    """The approval of ``variant``'s current text: who, when, and the content hash they approved."""
    approvals = [e for e in _entries(session, variant.id, "variant.state_changed")
                 if e.details.get("to_state") == "approved"]
    if not approvals or variant.approved_by is None:
        return None
    entry = approvals[-1]
    return {"actor": variant.approved_by, "when": timestamp(entry.created_at), "content_hash": variant.approved_hash,
            "comment": entry.details.get("comment") or "", "audit_seq": entry.seq}


def findings(session: Session, variant_id: str) -> list[dict[str, Any]]:
    """Every check verdict recorded on the variant, in the order written (draft or edit gate, then compliance)."""
    rows = session.exec(select(CheckFinding).where(CheckFinding.variant_id == variant_id)
                        .order_by(col(CheckFinding.id))).all()
    return [{"gate": r.gate, "check": r.check, "rule": r.rule, "passed": r.passed, "severity": r.severity,
             "reason": r.reason} for r in rows]


def accepted_warnings(session: Session, variant_id: str) -> list[dict[str, Any]]:
    rows = session.exec(select(FindingOverride, CheckFinding).where(
        FindingOverride.variant_id == variant_id, FindingOverride.finding_id == CheckFinding.id)).all()
    return [{"check": finding.check, "rule": finding.rule, "actor": override.actor, "reason": override.reason,
             "when": timestamp(override.created_at)} for override, finding in rows]


def chunk_hashes(store: VectorStore | None, chunk_ids: list[str]) -> Sources:
    """``[{chunk_id, sha256, source_path, source_sha256}]`` for the chunks, read from the vector store, and
    a note when some could not be read (None when all were). ``sha256`` is over the chunk's UTF-8 text;
    ``source_sha256`` is the whole source file's, as ingested."""
    unread: list[dict[str, Any]] = [{"chunk_id": cid, "sha256": None} for cid in chunk_ids]
    if not chunk_ids:
        return [], None
    if store is None:
        return unread, "no vector store at hand: chunk hashes not read"
    try:
        with store.client() as client:
            points = client.retrieve(store.collection, ids=chunk_ids, with_payload=True, with_vectors=False)
    except Exception as exc:  # a locked or unreachable store must not stop a publication
        log.warning("provenance: could not read KB chunks %s: %s", chunk_ids, exc)
        return unread, f"the vector store could not be read ({type(exc).__name__}): chunk hashes missing"
    found = {str(p.id): p.payload or {} for p in points}
    out: list[dict[str, Any]] = []
    for cid in chunk_ids:
        payload = found.get(cid)
        if payload is None:
            out.append({"chunk_id": cid, "sha256": None})
            continue
        out.append({"chunk_id": cid, "sha256": hashlib.sha256(str(payload.get("text", "")).encode()).hexdigest(),
                    "source_path": payload.get("source_path"), "source_sha256": payload.get("content_hash")})
    missing = sum(1 for o in out if o["sha256"] is None)
    return out, (f"{missing} chunk(s) no longer in the KB (re-ingested since)" if missing else None)
