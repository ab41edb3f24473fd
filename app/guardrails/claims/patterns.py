"""Building blocks for the rule families' regular expressions (all matched on lower-cased text)."""

from __future__ import annotations

import re

# Hyphens count as word characters at the edges, so "caffeine-free" is not "free" and "deep-green" not green.
LEFT = r"(?<![\w-])"
RIGHT = r"(?![\w-])"
SEP = r"[- ]"  # "lab-tested" and "lab tested"


def words(*alternatives: str) -> re.Pattern[str]:
    """One pattern matching any of ``alternatives`` as whole words."""
    return re.compile(LEFT + "(?:" + "|".join(alternatives) + ")" + RIGHT)


def alternation(items: tuple[str, ...] | frozenset[str]) -> str:
    """A regex alternation of literal ``items``, longest first."""
    return "|".join(sorted((re.escape(i) for i in items), key=len, reverse=True))
