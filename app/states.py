"""Lifecycle states of briefs and variants, and the transitions each allows.

A brief moves ``submitted → ideating → drafting → in_review``; from there reviewers act on its
variants, and the brief's state follows the most advanced variant (``approved → compliance →
published``, or ``blocked`` when the gate stops one). ``failed`` holds a brief whose stage could not
complete (the reason is stored); ``factory brief retry`` moves it back to its last stage.
"""

from __future__ import annotations

from enum import StrEnum


class BriefState(StrEnum):
    submitted = "submitted"
    ideating = "ideating"
    drafting = "drafting"
    in_review = "in_review"
    changes_requested = "changes_requested"
    approved = "approved"
    rejected = "rejected"
    compliance = "compliance"
    blocked = "blocked"
    published = "published"
    failed = "failed"


class VariantState(StrEnum):
    in_review = "in_review"
    changes_requested = "changes_requested"
    approved = "approved"
    rejected = "rejected"
    compliance = "compliance"
    blocked = "blocked"
    publishing = "publishing"
    published = "published"
    superseded = "superseded"


class DeliveryState(StrEnum):
    pending = "pending"
    delivered = "delivered"
    dead = "dead"


# Decisions a reviewer may take, by the variant state they start from.
REVIEWABLE = {VariantState.in_review, VariantState.blocked}

VARIANT_TRANSITIONS: dict[VariantState, set[VariantState]] = {
    VariantState.in_review: {
        VariantState.approved, VariantState.changes_requested, VariantState.rejected,
    },
    VariantState.blocked: {
        VariantState.approved, VariantState.changes_requested, VariantState.rejected,
    },
    VariantState.changes_requested: {VariantState.superseded},
    VariantState.approved: {VariantState.compliance},
    VariantState.compliance: {VariantState.publishing, VariantState.blocked},
    VariantState.publishing: {VariantState.published},
    VariantState.published: set(),
    VariantState.rejected: set(),
    VariantState.superseded: set(),
}

IN_PROGRESS_BRIEF_STATES = {
    BriefState.submitted, BriefState.ideating, BriefState.drafting, BriefState.changes_requested,
}


def can_move(current: VariantState, target: VariantState) -> bool:
    """Whether a variant in ``current`` may move to ``target``."""
    return target in VARIANT_TRANSITIONS.get(current, set())
