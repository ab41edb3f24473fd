"""Best-of-N drafting: score each candidate of a variant slot and keep the best distinct one.

A candidate's score (higher is better) adds what makes a draft worth a reviewer's time and subtracts
what its checks found::

    total = 1.00 * key_message + 0.50 * grounding + 0.25 * length_fit
            - 2.00 * blocking findings - 0.10 * warnings

- ``key_message``: cosine similarity, in [0, 1], of the draft text and the brief's key message.
- ``grounding``: mean of the two highest cosines between the draft and the retrieved KB chunks
  (approved claims and product facts are chunks too), in [0, 1]: copy that uses the brand's facts.
- ``length_fit``: in [0, 1], 1 when the body's word count lies in the channel's band (at least
  ``min(20, max/4)`` words, at most the channel's ``body_words`` maximum from ``style.yaml``).
- A blocking finding costs 2.00 in the total, but the choice does not rest on weights alone: candidates
  are ranked first by whether anything blocks them, then by whether they repeat a kept variant, then
  by total. A candidate that passes every blocking check is always kept over one that does not.

The weights are a design choice, not fitted to data: meaning first, facts second, length last.
Across a brief, a candidate whose cosine with an already kept variant exceeds
``Settings.duplicate_cosine`` (default 0.92: paraphrases of one draft by all-MiniLM-L6-v2 score
above it, distinct angles on one product below it) is a near-duplicate and is kept only when every
candidate of the slot is one.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from app.guardrails.base import CheckResult, Severity

WEIGHTS = {"key_message": 1.00, "grounding": 0.50, "length_fit": 0.25, "blocking": -2.00, "warnings": -0.10}
_MIN_BODY_WORDS = 20


@dataclass(frozen=True)
class DraftScore:
    """A candidate's total and the parts it is made of (``WEIGHTS`` keys, unweighted)."""

    total: float
    components: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Choice:
    """Which candidate (index into the scored list) a slot keeps, and why each other one was dropped."""

    kept: int
    reasons: dict[int, str]
    duplicate_of: int | None = None  # index into ``kept_vectors`` when even the kept one is a near-duplicate


def cosine(a: Sequence[float], b: Sequence[float]) -> float:
    """Cosine similarity of two vectors; 0.0 when either is all zeros."""
    dot = sum(x * y for x, y in zip(a, b, strict=True))
    norm = math.sqrt(sum(x * x for x in a)) * math.sqrt(sum(y * y for y in b))
    return dot / norm if norm else 0.0


def length_fit(body: str, max_words: int | None) -> float:
    """1.0 inside the channel's band of body words, falling linearly outside it (never below 0)."""
    words = len(body.split())
    low = min(_MIN_BODY_WORDS, max_words // 4) if max_words else _MIN_BODY_WORDS
    if words < low:
        return words / low if low else 1.0
    if max_words and words > max_words:
        return max(0.0, 1.0 - (words - max_words) / max_words)
    return 1.0


def score(
    *, findings: Sequence[CheckResult], text_vector: Sequence[float], key_message_vector: Sequence[float],
    chunk_vectors: Sequence[Sequence[float]], body: str, max_body_words: int | None,
) -> DraftScore:
    """The candidate's :class:`DraftScore`; vectors come from one embedder (normalised or not)."""
    failed = [f for f in findings if not f.passed]
    sims = sorted((cosine(text_vector, c) for c in chunk_vectors), reverse=True)[:2]
    parts = {
        "key_message": max(0.0, cosine(text_vector, key_message_vector)),
        "grounding": max(0.0, sum(sims) / len(sims)) if sims else 0.0,
        "length_fit": length_fit(body, max_body_words),
        "blocking": float(sum(f.severity is Severity.block for f in failed)),
        "warnings": float(sum(f.severity is Severity.warn for f in failed)),
    }
    total = sum(WEIGHTS[k] * v for k, v in parts.items())
    return DraftScore(total=round(total, 4), components={k: round(v, 4) for k, v in parts.items()})


def choose(
    scores: Sequence[DraftScore], vectors: Sequence[Sequence[float]], kept_vectors: Sequence[Sequence[float]],
    *, duplicate_cosine: float,
) -> Choice:
    """Keep the best candidate: unblocked before blocked, distinct before near-duplicate, then by score.

    ``scores`` and ``vectors`` are per candidate (same order); ``kept_vectors`` are the brief's
    variants already kept. A near-duplicate is kept only when no distinct candidate is as clean (a
    slot is never left empty); ``duplicate_of`` then says which kept variant it repeats. Raises
    ValueError for an empty candidate list.
    """
    if not scores:
        raise ValueError("no candidates to choose from")
    nearest = [_nearest(v, kept_vectors) for v in vectors]
    blocked = [scores[i].components.get("blocking", 0.0) > 0 for i in range(len(scores))]
    repeats = [nearest[i][1] > duplicate_cosine for i in range(len(scores))]
    order = sorted(range(len(scores)), key=lambda i: (blocked[i], repeats[i], -scores[i].total))
    kept = order[0]
    reasons = {}
    for i in order[1:]:
        if blocked[i] and not blocked[kept]:
            reasons[i] = "a blocking check failed; a candidate that passes them was kept"
        elif repeats[i] and not repeats[kept]:
            reasons[i] = f"near-duplicate of a kept variant (cosine {nearest[i][1]:.3f} > {duplicate_cosine})"
        else:
            reasons[i] = f"lower score ({scores[i].total:.3f} < {scores[kept].total:.3f})"
    duplicate_of = nearest[kept][0] if repeats[kept] else None
    return Choice(kept=kept, reasons=reasons, duplicate_of=duplicate_of)


def _nearest(vector: Sequence[float], others: Sequence[Sequence[float]]) -> tuple[int | None, float]:
    best: tuple[int | None, float] = (None, -1.0)
    for j, other in enumerate(others):
        sim = cosine(vector, other)
        if sim > best[1]:
            best = (j, sim)
    return best
