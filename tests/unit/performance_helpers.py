"""Helpers of the measurement tests: a brief published with several variants in one slot, and events."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlmodel import Session, col, select

from app.models import Idea, Variant
from app.performance.slot_ids import slot_id
from app.pipeline import delivery, gate, review, runner
from app.pipeline.deps import Deps
from app.schemas import BriefCreate
from tests.fakes import IDEAS, FakeLLM, RecordingEnqueue

CHANNEL = "linkedin"
# Three drafts that pass every blocking check; the first two use the organic certification (C-001), the
# third only the product's own facts.
DRAFTS = [
    {"headline": "Quiet Hours, certified organic",
     "body": "All Fernhill teas and herbal infusions are certified organic under EU organic rules. Quiet Hours "
             "is a calm evening cup of chamomile and lemon balm. Contains chamomile. People with an allergy to "
             "plants in the daisy family (Asteraceae), such as ragweed or marigold, should avoid this product.",
     "cta": "Try Quiet Hours"},
    {"headline": "An organic cup for your evening",
     "body": "All Fernhill teas and herbal infusions are certified organic under EU organic rules. Brew Quiet "
             "Hours after dinner and slow down. Contains chamomile. People with an allergy to plants in the "
             "daisy family (Asteraceae), such as ragweed or marigold, should avoid this product.",
     "cta": "Brew a cup tonight"},
    {"headline": "Meet Quiet Hours",
     "body": "Quiet Hours is a blend of chamomile and lemon balm for your evening. Contains chamomile. People "
             "with an allergy to plants in the daisy family (Asteraceae), such as ragweed or marigold, should "
             "avoid this product.",
     "cta": "Discover Quiet Hours"},
]
BRIEF = BriefCreate(brand="fernhill", product="quiet-hours", channels=[CHANNEL], n_ideas=1, n_variants=3,
                    audience="evening tea drinkers", goal="more clicks on the launch post",
                    key_message="Quiet Hours is a calm, caffeine-free evening blend")


def published_slot(deps: Deps, llm: FakeLLM, enqueued: RecordingEnqueue,
                   drafts: list[dict[str, str]] | None = None) -> tuple[str, list[str]]:
    """A brief whose variants (one per draft) went through review, the compliance gate and publication
    (outbox); returns the slot id and the variant ids in drafting order."""
    drafts = drafts or DRAFTS
    llm.enqueue(IDEAS, *drafts)
    llm.default = json.dumps(drafts[-1])
    brief = runner.submit_brief(deps=deps, brief_in=BRIEF.model_copy(update={"n_variants": len(drafts)}),
                                actor="mia")
    runner.run_ideation(brief.id, deps)
    with Session(deps.engine) as s:
        idea_id = s.exec(select(Idea.id).where(Idea.brief_id == brief.id)).one()
    runner.run_drafting(idea_id, deps)
    with Session(deps.engine) as s:
        variants = list(s.exec(select(Variant).where(Variant.brief_id == brief.id)
                               .order_by(col(Variant.ordinal))).all())
    for variant in variants:
        review.approve(deps, variant_id=variant.id, actor="rob")
        gate.run_compliance(variant.id, deps)
        assert delivery.run_publish(variant.id, deps).status == "delivered", variant.id
    enqueued.take()
    return slot_id(brief.id, CHANNEL), [v.id for v in variants]


def event(event_id: str, kind: str, variant_id: str, *, minutes_ago: float = 1.0, **extra: Any) -> dict[str, Any]:
    when = datetime.now(UTC) - timedelta(minutes=minutes_ago)
    return {"id": event_id, "type": kind, "variant_id": variant_id,
            "timestamp": when.isoformat().replace("+00:00", "Z"), **extra}


def traffic(variant_id: str, *, prefix: str, impressions: int, clicks: int) -> list[dict[str, Any]]:
    """``impressions`` impression events and ``clicks`` click events for one variant, ids under ``prefix``."""
    shown = [event(f"{prefix}-i{n}", "impression", variant_id) for n in range(impressions)]
    return shown + [event(f"{prefix}-c{n}", "click", variant_id) for n in range(clicks)]


def seeded_slot(deps: Deps, cites: list[list[str]], *, scores: list[float] | None = None,
                goal: str = "more clicks on the launch post", publish_to: str | None = None) -> tuple[str, list[str]]:
    """A published brief written straight to the database (no drafting, no checks run): one variant per entry
    of ``cites``, each approved, cleared by compliance citing those source ids, and delivered. With
    ``publish_to`` the variants are cleared but not yet sent: each has a pending delivery to that target (the
    publish task sends it). For tests of what happens after the gate; :func:`published_slot` runs the stages."""
    from app.db import session_scope
    from app.models import Brief, CheckFinding, Delivery
    from app.pipeline.gate import publication_payload
    from app.pipeline.stages import content_hash
    from app.states import BriefState, DeliveryState, VariantState

    scores = scores or [1.0] * len(cites)
    with session_scope(deps.engine) as s:
        brief = Brief(brand="fernhill", channels=[CHANNEL], audience="evening tea drinkers", goal=goal,
                      key_message="a calm evening blend", submitted_by="mia", state=BriefState.published)
        s.add(brief)
        s.flush()
        idea = Idea(brief_id=brief.id, ordinal=1, title="Evenings", angle="calm")
        s.add(idea)
        s.flush()
        ids = []
        for n, (refs, score) in enumerate(zip(cites, scores, strict=True), start=1):
            variant = Variant(brief_id=brief.id, idea_id=idea.id, channel=CHANNEL, ordinal=n, brand="fernhill",
                              headline=f"Headline {n}", body=f"Body {n} of the copy.", cta="Try it",
                              content_hash="", approved_by="rob", score=score,
                              state=VariantState.publishing if publish_to else VariantState.published)
            variant.content_hash = variant.approved_hash = content_hash(variant)
            s.add(variant)
            s.flush()
            s.add(CheckFinding(variant_id=variant.id, gate="compliance", check="claims", rule="claims:supported",
                               passed=True, severity="info", evidence=", ".join(refs)))
            s.add(Delivery(variant_id=variant.id, brief_id=brief.id, brand="fernhill", target=publish_to or "outbox",
                           state=DeliveryState.pending if publish_to else DeliveryState.delivered,
                           payload=publication_payload(variant, brief)))
            ids.append(variant.id)
        return slot_id(brief.id, CHANNEL), ids


def declare_winner(deps: Deps, slot: str, variant_id: str, probability: float = 0.97) -> None:
    """Record ``variant_id`` as the slot's winner, as the stopping rule would (for tests of what follows)."""
    from app.db import session_scope
    from app.performance.models import Slot

    brief_id, _sep, channel = slot.partition(":")
    with session_scope(deps.engine) as s:
        row = s.get(Slot, slot) or Slot(id=slot, brand="fernhill", brief_id=brief_id, channel=channel)
        row.winner_variant_id, row.winner_probability = variant_id, probability
        s.add(row)
