"""A claim candidate: a span of the checked text with its kind, and its value and unit when numeric."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Claim:
    kind: str
    start: int
    end: int
    text: str
    value: float | None = None
    upper: float | None = None
    unit: str | None = None

    @property
    def values(self) -> tuple[float, ...]:
        """The numbers this claim states: one, two for a range, none for a wording claim."""
        return tuple(v for v in (self.value, self.upper) if v is not None)


NUMERIC_KINDS = frozenset({"price", "rating", "number"})
# Kinds a text about anything may contain (an 18F guide says "the best way", "90 percent of readers"):
# they block only when the text is about the brand's offer; see ClaimsCheck.
CONTEXTUAL_KINDS = frozenset({"superlative", "comparative", "ranking", "award", "number", "price", "rating"})
