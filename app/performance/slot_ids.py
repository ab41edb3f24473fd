"""Slot ids: a slot is where copy is shown; by default one brief on one channel, ``<brief_id>:<channel>``."""

from __future__ import annotations

from app.errors import NotFound


def slot_id(brief_id: str, channel: str) -> str:
    return f"{brief_id}:{channel}"


def parse_slot(slot: str) -> tuple[str, str]:
    """``(brief_id, channel)`` of a slot id; NotFound for anything else."""
    brief_id, sep, channel = slot.partition(":")
    if not sep or not brief_id or not channel:
        raise NotFound(f"no slot {slot!r}: a slot is '<brief_id>:<channel>'")
    return brief_id, channel
