"""Slot ids (a slot is where copy is shown: one brief on one channel, ``<brief_id>:<channel>``) and the goal
metric a brief sets for its slots."""

from __future__ import annotations

import re

from app.errors import NotFound
from app.models import Brief

_CONVERSION_GOAL = re.compile(r"\bconver(?:sion|sions|t|ts)\b", re.IGNORECASE)


_PLACEMENT = re.compile(r"[a-z0-9][a-z0-9_-]{0,63}")


def slot_id(brief_id: str, channel: str, placement: str | None = None) -> str:
    """``<brief_id>:<channel>``, or ``<brief_id>:<channel>:<placement>`` for a named placement (a second place
    the same variants are shown, measured and allocated on its own)."""
    return f"{brief_id}:{channel}" + (f":{placement}" if placement else "")


def parse_slot(slot: str) -> tuple[str, str, str | None]:
    """``(brief_id, channel, placement or None)`` of a slot id; NotFound for anything else."""
    parts = slot.split(":")
    if len(parts) not in (2, 3) or not all(parts) or (len(parts) == 3 and not _PLACEMENT.fullmatch(parts[2])):
        raise NotFound(f"no slot {slot!r}: a slot is '<brief_id>:<channel>' or '<brief_id>:<channel>:<placement>' "
                       "(placement: lower-case letters, digits, '-' or '_')")
    return parts[0], parts[1], parts[2] if len(parts) == 3 else None


def goal_of(brief: Brief) -> str:
    """The goal metric: conversions per impression when the brief's goal speaks of conversions, else clicks."""
    return "conversion" if _CONVERSION_GOAL.search(brief.goal) else "click"
