"""Read side shared by the API and the pages: what a principal may see, shaped for display.

Every lookup of one item goes through ``visible_*``: an item of a brand the principal does not belong
to is NotFound, exactly like an item that does not exist.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, Literal, TypeVar

from sqlmodel import Session, col, func, select

from app.api.public import (
    AttemptPublic,
    CandidatePublic,
    DeliveryPublic,
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
    Delivery,
    DeliveryAttempt,
    DraftCandidate,
    FindingOverride,
    Idea,
    Variant,
)
from app.states import REVIEWABLE, BriefState, DeliveryState, VariantState

SEVERITY_WEIGHT = {"block": 3, "warn": 1}
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


def brand_scoped(stmt: Any, user: Principal, brand: str | None = None) -> Any:
    """``stmt`` (which selects from Brief or joins it) narrowed to the principal's brands and ``brand``."""
    allowed = user.brand_filter()
    if allowed is not None:
        stmt = stmt.where(col(Brief.brand).in_(allowed))
    return stmt.where(Brief.brand == brand) if brand else stmt


def count(session: Session, stmt: Any) -> int:
    return int(session.exec(select(func.count()).select_from(stmt.subquery())).one())


def list_briefs(session: Session, user: Principal, *, offset: int, limit: int, brand: str | None = None,
                state: str | None = None) -> tuple[list[Brief], int]:
    stmt = brand_scoped(select(Brief), user, brand)
    if state:
        stmt = stmt.where(Brief.state == _member(BriefState, state))
    rows = session.exec(stmt.order_by(col(Brief.created_at).desc()).offset(offset).limit(limit)).all()
    return list(rows), count(session, stmt)


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


def current_findings(findings: Sequence[CheckFinding]) -> list[CheckFinding]:
    """The findings of the variant's latest gate: the compliance gate's once it ran, else the draft's."""
    compliance = [f for f in findings if f.gate == "compliance"]
    return compliance or [f for f in findings if f.gate != "compliance"]


def risk(findings: Sequence[CheckFinding]) -> int:
    return sum(SEVERITY_WEIGHT.get(f.severity, 0) for f in current_findings(findings) if not f.passed)


def variants_public(session: Session, variants: Sequence[Variant]) -> list[VariantPublic]:
    """Variants with their findings (all gates, oldest first), risk, brand and cited sources."""
    ids = [v.id for v in variants]
    findings = session.exec(select(CheckFinding).where(col(CheckFinding.variant_id).in_(ids))
                            .order_by(col(CheckFinding.id))).all() if ids else []
    brief_ids = sorted({v.brief_id for v in variants})
    brands = dict(session.exec(select(Brief.id, Brief.brand).where(col(Brief.id).in_(brief_ids))).all())
    sources = sources_by_chunk(session, brief_ids)
    overrides = _overrides(session, ids)
    out = []
    for v in variants:
        mine = [f for f in findings if f.variant_id == v.id]
        out.append(VariantPublic.model_validate({
            **v.model_dump(), "brand": brands.get(v.brief_id), "risk": risk(mine),
            "findings": [_finding_public(f, overrides) for f in mine],
            "sources": [sources.get(c) or SourcePublic(id=c) for c in v.grounding_chunk_ids],
        }))
    return out


def _overrides(session: Session, variant_ids: Sequence[str]) -> dict[int, FindingOverride]:
    """Finding id → its acceptance, for the findings of these variants."""
    if not variant_ids:
        return {}
    rows = session.exec(select(FindingOverride).where(col(FindingOverride.variant_id).in_(list(variant_ids)))).all()
    return {o.finding_id: o for o in rows}


def _finding_public(finding: CheckFinding, overrides: dict[int, FindingOverride]) -> FindingPublic:
    """The finding with its acceptance, when a reviewer accepted it."""
    public = FindingPublic.model_validate(finding, from_attributes=True)
    override = overrides.get(finding.id) if finding.id is not None else None
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


def review_queue(session: Session, user: Principal, *, sort: QueueSort = "age", offset: int = 0,
                 limit: int = 50, states: set[VariantState] | None = None) -> tuple[list[VariantPublic], int]:
    """Variants waiting for a decision in the principal's brands.

    ``age``: oldest first, riskier first among equals; ``risk``: riskiest first, then oldest;
    ``score``: highest best-of-N score first (unscored, e.g. edited, text last), then oldest. Risk
    comes from the findings, so the order is computed here rather than in SQL; a review queue is
    hundreds of items, not millions.
    """
    stmt = brand_scoped(select(Variant).join(Brief, col(Brief.id) == col(Variant.brief_id)), user)
    stmt = stmt.where(col(Variant.state).in_([s.value for s in states or REVIEWABLE]))
    items = variants_public(session, session.exec(stmt).all())
    oldest = datetime.min.replace(tzinfo=UTC)

    def key(v: VariantPublic) -> tuple[Any, ...]:
        age = v.created_at or oldest
        if sort == "score":
            return (-(v.score if v.score is not None else float("-inf")), age)
        return (age, -v.risk) if sort == "age" else (-v.risk, age)

    items.sort(key=key)
    return items[offset:offset + limit], len(items)


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


def list_deliveries(session: Session, user: Principal, *, offset: int, limit: int, state: str | None = None,
                    variant_id: str | None = None) -> tuple[list[DeliveryPublic], int]:
    """Deliveries of the principal's brands, newest first, each with its attempts."""
    stmt = brand_scoped(select(Delivery, Variant, Brief)
                        .join(Variant, col(Variant.id) == col(Delivery.variant_id))
                        .join(Brief, col(Brief.id) == col(Delivery.brief_id)), user)
    if state:
        stmt = stmt.where(Delivery.state == _member(DeliveryState, state))
    if variant_id:
        stmt = stmt.where(Delivery.variant_id == variant_id)
    rows = session.exec(stmt.order_by(col(Delivery.created_at).desc()).offset(offset).limit(limit)).all()
    ids = [d.id for d, _v, _b in rows]
    attempts = session.exec(select(DeliveryAttempt).where(col(DeliveryAttempt.delivery_id).in_(ids))
                            .order_by(col(DeliveryAttempt.attempt_no))).all() if ids else []
    items = [DeliveryPublic.model_validate({
        **d.model_dump(), "brand": b.brand, "channel": v.channel, "headline": v.headline,
        "attempt_log": [AttemptPublic.model_validate(a, from_attributes=True)
                        for a in attempts if a.delivery_id == d.id],
    }) for d, v, b in rows]
    return items, count(session, stmt)


def current_findings_public(findings: Sequence[FindingPublic]) -> list[FindingPublic]:
    """:func:`current_findings` on the public shape."""
    compliance = [f for f in findings if f.gate == "compliance"]
    return compliance or [f for f in findings if f.gate != "compliance"]


def _member(enum: type[E], value: str) -> E:
    """``value`` as a member of ``enum``; InvalidInput (422) naming the choices, never a database error."""
    try:
        return enum(value)
    except ValueError:
        raise InvalidInput(f"state {value!r} is not one of {', '.join(m.value for m in enum)}") from None
