"""The figures the practice runs by, per brand and period, computed from the factory's own tables.

* ``time_to_first_concept_s``: brief submitted -> its first variant in review (p50, p95; seconds), over the briefs
  submitted in the period that have a variant.
* ``revision_rate``: redrafts (variants of revision > 1) per first draft (revision 1), variants written in the period.
* ``approval_rate``: approvals per review decision (audit ``review.decided``) taken in the period.
* ``review_time_s``: time in review before a decision (p50, p95; the decision's ``time_in_review_s``).
* ``blocks_per_check``: per check, blocking findings per variant checked, over the variants written in the period.
* ``llm``: per model and prompt version: calls, latency p50/p95 (ms), tokens per call, and cost per 1,000 calls
  from the prices in settings (``llm_prices_per_million_tokens``: model -> [input, output] in the currency of your
  choice; a model without a price has cost None).
* ``published``: deliveries delivered in the period.

Percentiles are nearest-rank over the values (no interpolation); None when there are none. Every query filters on
an indexed column (brief brand, audit brief id, created_at) and reads only the columns it needs.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from datetime import UTC, datetime

from pydantic import BaseModel
from sqlalchemy import ColumnElement, and_, case, func
from sqlalchemy import select as sa_select  # five columns: more than sqlmodel's select is typed for
from sqlmodel import Session, col, select

from app.models import AuditEntry, Brief, CheckFinding, Delivery, LLMCall, Variant
from app.states import DeliveryState


class Percentiles(BaseModel):
    count: int
    p50: float | None
    p95: float | None


class ModelFigures(BaseModel):
    model: str
    prompt: str
    calls: int
    latency_ms: Percentiles
    tokens_per_call: float
    cost_per_1000_calls: float | None


class KpiReport(BaseModel):
    brand: str | None
    since: datetime
    until: datetime
    briefs: int
    time_to_first_concept_s: Percentiles
    revision_rate: float | None
    approval_rate: float | None
    decisions: int
    review_time_s: Percentiles
    blocks_per_check: dict[str, float]
    variants_checked: int
    llm: list[ModelFigures]
    published: int


def percentiles(values: Sequence[float]) -> Percentiles:
    """Nearest-rank p50 and p95 of ``values``."""
    ordered = sorted(values)

    def rank(q: float) -> float | None:
        return round(ordered[max(math.ceil(q * len(ordered)) - 1, 0)], 3) if ordered else None

    return Percentiles(count=len(ordered), p50=rank(0.50), p95=rank(0.95))


def compute_kpis(session: Session, *, brand: str | None, brands: list[str] | None, since: datetime,
                 until: datetime, prices: dict[str, list[float]]) -> KpiReport:
    """The report for ``brand`` (None: every brand in ``brands``, None meaning all) between ``since`` and ``until``."""
    scope = [brand] if brand else brands
    if scope is None:  # every brand: name them, so the (brand, created_at) indexes serve each query
        scope = list(session.exec(select(Brief.brand).distinct()))
    in_scope = col(Brief.brand).in_(scope)
    briefs = session.exec(select(Brief.id, Brief.created_at).where(
        in_scope, col(Brief.created_at) >= since, col(Brief.created_at) < until)).all()
    first = dict(session.exec(select(Variant.brief_id, func.min(Variant.created_at)).join(
        Brief, col(Brief.id) == col(Variant.brief_id)).where(
        in_scope, col(Brief.created_at) >= since, col(Brief.created_at) < until).group_by(col(Variant.brief_id))).all())
    concept = [(_utc(first[b]) - _utc(at)).total_seconds() for b, at in briefs if b in first]

    variant_scope = and_(col(Variant.brand).in_(scope), col(Variant.created_at) >= since,
                         col(Variant.created_at) < until)
    firsts = session.exec(select(func.count()).select_from(Variant).where(variant_scope, Variant.revision == 1)).one()
    redrafts = session.exec(select(func.count()).select_from(Variant).where(variant_scope, Variant.revision > 1)).one()

    decisions = list(session.exec(select(AuditEntry.details).join(Brief, col(Brief.id) == col(AuditEntry.brief_id))
                                  .where(AuditEntry.action == "review.decided", in_scope,
                                         col(AuditEntry.created_at) >= since, col(AuditEntry.created_at) < until)))
    approvals = sum(1 for d in decisions if d.get("decision") == "approve")
    review_times = [float(d["time_in_review_s"]) for d in decisions if d.get("time_in_review_s") is not None]

    checked, blocks = _blocks(session, variant_scope)
    return KpiReport(
        brand=brand, since=since, until=until, briefs=len(briefs), time_to_first_concept_s=percentiles(concept),
        revision_rate=round(redrafts / firsts, 4) if firsts else None,
        approval_rate=round(approvals / len(decisions), 4) if decisions else None, decisions=len(decisions),
        review_time_s=percentiles(review_times), blocks_per_check=blocks, variants_checked=checked,
        llm=_llm(session, in_scope, since, until, prices),
        published=session.exec(select(func.count()).select_from(Delivery).where(
            Delivery.state == DeliveryState.delivered, col(Delivery.delivered_at) >= since,
            col(Delivery.delivered_at) < until,
            col(Delivery.brand).in_(scope))).one(),
    )


def _blocks(session: Session, variant_scope: ColumnElement[bool]) -> tuple[int, dict[str, float]]:
    """(variants checked: the most variants any one check ran on, over the variants written in the period; per
    check, its blocking findings per variant checked), in one grouped pass in the database: a period holds
    hundreds of thousands of findings."""
    blocking = and_(col(CheckFinding.passed).is_(False), col(CheckFinding.severity) == "block")
    rows = session.exec(select(CheckFinding.check, func.count(func.distinct(CheckFinding.variant_id)),
                               func.sum(case((blocking, 1), else_=0)))
                        .where(col(CheckFinding.variant_id).in_(select(Variant.id).where(variant_scope)))
                        .group_by(col(CheckFinding.check))).all()
    checked = max((n for _c, n, _b in rows), default=0)
    return checked, {check: round((b or 0) / checked, 4) for check, _n, b in sorted(rows)} if checked else {}


def _llm(session: Session, in_scope: ColumnElement[bool], since: datetime, until: datetime,
         prices: dict[str, list[float]]) -> list[ModelFigures]:
    stmt = sa_select(col(LLMCall.model), col(LLMCall.prompt_ref), col(LLMCall.latency_ms), col(LLMCall.prompt_tokens),
                  col(LLMCall.completion_tokens)).join(Brief, col(Brief.id) == col(LLMCall.brief_id))
    rows = session.execute(stmt.where(in_scope, col(LLMCall.created_at) >= since,
                                      col(LLMCall.created_at) < until)).all()
    groups: dict[tuple[str, str], list[tuple[float, int, int]]] = defaultdict(list)
    for model, prompt, latency, tokens_in, tokens_out in rows:
        groups[(model, prompt)].append((latency, tokens_in, tokens_out))
    figures = []
    for (model, prompt), calls in sorted(groups.items()):
        tokens_in, tokens_out = sum(c[1] for c in calls), sum(c[2] for c in calls)
        price = prices.get(model)
        cost = None if price is None else \
            round((tokens_in * price[0] + tokens_out * price[1]) / 1_000_000 / len(calls) * 1000, 4)
        figures.append(ModelFigures(model=model, prompt=prompt, calls=len(calls),
                                    latency_ms=percentiles([c[0] for c in calls]),
                                    tokens_per_call=round((tokens_in + tokens_out) / len(calls), 1),
                                    cost_per_1000_calls=cost))
    return figures


def _utc(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)
