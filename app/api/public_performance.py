"""Response and request shapes of the performance routes (events, slots, retractions)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class RefusalOut(BaseModel):
    index: int = Field(description="Position of the event in the batch (0-based).")
    id: str | None = Field(description="The event's id, when it had a readable one.")
    reason: str


class EventsOut(BaseModel):
    """Every event of the batch is in exactly one list."""

    accepted: list[str] = Field(description="Ids stored by this request.")
    duplicates: list[str] = Field(description="Ids stored before with the same content: nothing changed.")
    refused: list[RefusalOut]


class ArmOut(BaseModel):
    variant_id: str
    headline: str
    live: bool = Field(description="False: retracted or no longer cleared; it gets no traffic.")
    why: str | None = Field(description="Why the variant is not live.")
    impressions: int
    clicks: int
    conversions: int
    rate: float = Field(description="Posterior mean of the goal rate (per impression).")
    interval: tuple[float, float] = Field(description="95 % credible interval of the goal rate.")
    p_best: float = Field(description="Posterior probability that this variant has the highest rate.")
    weight: float = Field(description="Share of traffic now: P(best) within the exploration floor and cap.")


class SnapshotOut(BaseModel):
    at: datetime
    impressions: int
    weights: dict[str, float]


class SlotOut(BaseModel):
    slot: str
    brand: str
    brief_id: str
    channel: str
    goal: Literal["click", "conversion"]
    arms: list[ArmOut]
    winner_variant_id: str | None
    winner_probability: float | None
    lift_over_even: float | None = Field(description="Goal successes so far over an even split's, minus 1.")
    history: list[SnapshotOut] = Field(description="Weights after each aggregation run, oldest first.")


class WeightsOut(BaseModel):
    slot: str
    goal: Literal["click", "conversion"]
    weights: dict[str, float] = Field(description="Live variant id to share of traffic (sums to 1).")
    winner_variant_id: str | None


class ChoiceOut(BaseModel):
    slot: str
    variant_id: str
    headline: str
    body: str
    cta: str
    weight: float
    seed: int | None = Field(description="The seed given: the same seed and data give the same choice.")


class RetractIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field(min_length=1, max_length=2000)


class RetractionOut(BaseModel):
    id: str = Field(description="The webhook-id of the content.retracted notice.")
    variant_id: str
    kind: str
    reason: str
    claim_ids: list[str]
    notice_state: str


class WithdrawOut(BaseModel):
    brand: str
    claim_id: str
    retracted: list[RetractionOut]


class VariantResultOut(BaseModel):
    variant_id: str
    headline: str
    cta: str
    headline_words: int
    body_words: int
    question: bool
    number: bool
    impressions: int
    successes: int
    rate: float
    interval: tuple[float, float]
    lift: float | None = Field(description="Over the slot's weakest variant; None for the weakest.")
    lift_interval: tuple[float, float] | None
    score: float | None = Field(description="The best-of-N pre-score.")
    warnings: int
    winner: bool


class LearningOut(BaseModel):
    brand: str
    slots: dict[str, list[VariantResultOut]]
    correlations: dict[str, float | None] = Field(
        description="Spearman correlation of the live rate with each offline signal (None: too few variants).")
    measured_variants: int
    lift_over_even: float | None = Field(description="Bandit allocation over an even split so far, as a fraction.")
