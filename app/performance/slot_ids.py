"""Slot ids (a slot is where copy is shown: one brief on one channel, ``<brief_id>:<channel>``) and the goal
metric a brief sets for its slots."""

from __future__ import annotations

import re

from app.errors import NotFound
from app.models import Brief

_CONVERSION_GOAL = re.compile(r"\bconver(?:sion|sions|t|ts)\b", re.IGNORECASE)


def slot_id(brief_id: str, channel: str) -> str:
    return f"{brief_id}:{channel}"


def parse_slot(slot: str) -> tuple[str, str]:
    """``(brief_id, channel)`` of a slot id; NotFound for anything else."""
    brief_id, sep, channel = slot.partition(":")
    if not sep or not brief_id or not channel:
        raise NotFound(f"no slot {slot!r}: a slot is '<brief_id>:<channel>'")
    return brief_id, channel


def goal_of(brief: Brief) -> str:
    """The goal metric: conversions per impression when the brief's goal speaks of conversions, else clicks."""
    return "conversion" if _CONVERSION_GOAL.search(brief.goal) else "click"
