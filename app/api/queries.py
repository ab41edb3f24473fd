"""Read side shared by the API and the pages: what a principal may see, shaped for display.

The list routes' paged queries are in :mod:`app.api.list_queries`.

Every lookup of one item goes through ``visible_*``: an item of a brand the principal does not belong
to is NotFound, exactly like an item that does not exist.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum
from typing import Any, Literal, TypeVar

from sqlmodel import Session, col, select

from app.api.public import (
    CandidatePublic,
    FindingPublic,
    IdeaPublic,
    OverridePublic,
    SourcePublic,
    VariantPublic,
)
from app.auth.roles import Principal
from app.errors import InvalidInput, NotFound
from app.models import (
    AuditEntry,
    Brief,
    CheckFinding,
    DraftCandidate,
    FindingOverride,
    Idea,
    Variant,
)
from app.pipeline.risk import current_findings, risk
from app.states import VariantState

QueueSort = Literal["age", "risk", "score"]

E = TypeVar("E", bound=StrEnum)


def visible_brief(session: Session, user: Principal, brief_id: str) -> Brief:
    brief = session.get(Brief, brief_id)
    if brief is None or not user.sees(brief.brand):
        raise NotFound(f"no brief with id {brief_id!r} in your brands")
    return brief


def visible_variant(session: Session, user: Principal, variant_id: str) -> tuple[Variant, Brief]:
    variant = session.get(Variant, variant_id)
    brief = session.get(Brief, variant.brief_id) if variant else None
    if variant is None or brief is None or not user.sees(brief.brand):
        raise NotFound(f"no variant with id {variant_id!r} in your brands")
    return variant, brief


def visible_finding(session: Session, user: Principal, variant_id: str, finding_id: int) -> CheckFinding:
    """A finding of a variant the principal sees; NotFound when either is missing or the finding is another's."""
    visible_variant(session, user, variant_id)
    finding = session.get(CheckFinding, finding_id)
    if finding is None or finding.variant_id != variant_id:
        raise NotFound(f"variant {variant_id!r} has no finding {finding_id}; GET /variants/{variant_id} lists them")
    return finding


def override_of(session: Session, finding_id: int) -> FindingOverride | None:
    """The acceptance of a finding, if a reviewer accepted it (at most one per finding)."""
    return session.exec(select(FindingOverride).where(FindingOverride.finding_id == finding_id)).first()


def sources_by_chunk(session: Session, brief_ids: Sequence[str]) -> dict[str, SourcePublic]:
    """Chunk id → source path and score, from the ``kb.retrieved`` audit entries of these briefs."""
    if not brief_ids:
        return {}
    entries = session.exec(select(AuditEntry).where(
        AuditEntry.action == "kb.retrieved", col(AuditEntry.brief_id).in_(list(brief_ids)))).all()
    found: dict[str, SourcePublic] = {}
    for entry in entries:
        for chunk in entry.details.get("chunks", []):
            score = chunk.get("score")
            current = found.get(chunk["id"])
            if current is None or (score is not None and (current.score or 0) < score):
                found[chunk["id"]] = SourcePublic(id=chunk["id"], score=score, source=chunk.get("source", ""))
    return found


def variants_public(session: Session, variants: Sequence[Variant]) -> list[VariantPublic]:
    """Variants with their findings (all gates, oldest first), risk, brand and cited sources."""
    ids = [v.id for v in variants]
    # Plain rows, not ORM objects: a page holds hundreds of findings and they are only read.
    rows = session.execute(select(*CheckFinding.__table__.c)  # type: ignore[attr-defined]
                           .where(col(CheckFinding.variant_id).in_(ids)).order_by(col(CheckFinding.id))
                           ).mappings().all() if ids else []
    brief_ids = sorted({v.brief_id for v in variants})
    brands = dict(session.exec(select(Brief.id, Brief.brand).where(col(Brief.id).in_(brief_ids))).all())
    sources = sources_by_chunk(session, brief_ids)
    overrides = _overrides(session, ids)
    by_variant: dict[str, list[FindingPublic]] = {}
    for row in rows:
        by_variant.setdefault(row["variant_id"], []).append(_finding_public(row, overrides))
    out = []
    for v in variants:
        mine = by_variant.get(v.id, [])
        out.append(VariantPublic.model_validate({
            **v.model_dump(), "brand": brands.get(v.brief_id), "risk": risk(mine), "findings": mine,
            "sources": [sources.get(c) or SourcePublic(id=c) for c in v.grounding_chunk_ids],
        }))
    return out


def _overrides(session: Session, variant_ids: Sequence[str]) -> dict[int, FindingOverride]:
    """Finding id → its acceptance, for the findings of these variants."""
    if not variant_ids:
        return {}
    rows = session.exec(select(FindingOverride).where(col(FindingOverride.variant_id).in_(list(variant_ids)))).all()
    return {o.finding_id: o for o in rows}


def _finding_public(finding: Any, overrides: dict[int, FindingOverride]) -> FindingPublic:
    """The finding (a CheckFinding row as a mapping) with its acceptance, when a reviewer accepted it."""
    public = FindingPublic.model_validate(dict(finding))
    override = overrides.get(finding["id"]) if finding["id"] is not None else None
    if override is not None:
        public.override = OverridePublic.model_validate(override, from_attributes=True)
    return public


def brief_variants(session: Session, brief: Brief) -> list[VariantPublic]:
    rows = session.exec(select(Variant).where(Variant.brief_id == brief.id)
                        .order_by(col(Variant.created_at), col(Variant.id))).all()
    return variants_public(session, rows)


def ideas_with_variants(session: Session, brief: Brief, *, current_only: bool = True) -> list[IdeaPublic]:
    """The brief's ideas, each with its variants (latest revisions only, unless asked) and sources."""
    ideas = session.exec(select(Idea).where(Idea.brief_id == brief.id).order_by(col(Idea.ordinal))).all()
    variants = brief_variants(session, brief)
    if current_only:
        variants = [v for v in variants if v.state != VariantState.superseded.value]
    sources = sources_by_chunk(session, [brief.id])
    return [IdeaPublic(
        id=i.id, ordinal=i.ordinal, title=i.title, angle=i.angle,
        sources=[sources.get(c) or SourcePublic(id=c) for c in i.grounding_chunk_ids],
        variants=sorted((v for v in variants if v.idea_id == i.id), key=lambda v: (v.channel, v.ordinal)),
    ) for i in ideas]


def candidates_of(session: Session, variant: Variant) -> list[CandidatePublic]:
    """The best-of-N candidates written for the variant's slot and revision, best score first."""
    rows = session.exec(select(DraftCandidate).where(
        DraftCandidate.idea_id == variant.idea_id, DraftCandidate.channel == variant.channel,
        DraftCandidate.ordinal == variant.ordinal, DraftCandidate.revision == variant.revision,
    ).order_by(col(DraftCandidate.score).desc(), col(DraftCandidate.candidate_no))).all()
    return [CandidatePublic.model_validate(r, from_attributes=True) for r in rows]


def neighbours(items: Sequence[VariantPublic], variant_id: str) -> tuple[str | None, str | None]:
    """The ids before and after ``variant_id`` in a queue (for j/k)."""
    ids = [v.id for v in items]
    if variant_id not in ids:
        return None, ids[0] if ids else None
    i = ids.index(variant_id)
    return (ids[i - 1] if i > 0 else None), (ids[i + 1] if i + 1 < len(ids) else None)


def current_findings_public(findings: Sequence[FindingPublic]) -> list[FindingPublic]:
    """:func:`app.pipeline.risk.current_findings` on the public shape."""
    return current_findings(findings)


def member(enum: type[E], value: str) -> E:
    """``value`` as a member of ``enum``; InvalidInput (422) naming the choices, never a database error."""
    try:
        return enum(value)
    except ValueError:
        raise InvalidInput(f"state {value!r} is not one of {', '.join(m.value for m in enum)}") from None
