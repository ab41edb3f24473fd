"""Where prompt-injection scanning meets the pipeline: briefs on submission, KB chunks on ingestion
(quarantined, never placed in a prompt) and again at retrieval."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from app.errors import InvalidInput
from app.retrieval.chunking import Chunk
from app.retrieval.store import Hit
from app.schemas import BriefCreate

if TYPE_CHECKING:
    from app.guardrails.judge.contract import Judge

_BRIEF_FIELDS = ("audience", "goal", "key_message", "constraints")


class InjectionDetected(InvalidInput):
    """A brief field reads as instructions to the model rather than a description of the content."""

    code = "prompt_injection"


def screen_brief(brief: BriefCreate) -> None:
    """Raise InjectionDetected naming the field, the rule and the span; nothing is stored.

    Briefs are scanned with the brief rules (task and format instructions are what a brief is for); invisible
    or look-alike characters in any field are refused with a finding that names them."""
    from app.guardrails.injection import scan_injection

    for name in _BRIEF_FIELDS:
        text = str(getattr(brief, name) or "")
        verdict = scan_injection(text, source="brief")
        if verdict.is_injection:
            start, end, rule, reason = verdict.findings[0] if verdict.findings else (0, len(text), "injection", "")
            raise InjectionDetected(
                f"the brief's {name} tries to instruct the model ({rule}: {reason!s} at characters "
                f"{start}-{end}: {text[start:end]!r}). Describe the content you want instead; the factory's "
                "instructions cannot be overridden from a brief."
            )


def quarantine_injected(chunk: Chunk, judge: Judge | None = None) -> Chunk:
    """Mark a chunk that carries instructions (or hidden characters) as quarantined: it is stored (for review)
    but never retrieved. With a ``judge`` every chunk is judged (ingestion is not on the hot path); the
    reason then says which stage decided."""
    from app.guardrails.injection import scan_injection

    verdict = scan_injection(chunk.text, judge, screen_all=judge is not None)
    if not verdict.is_injection:
        return chunk
    rules = ", ".join(sorted({f[2] for f in verdict.findings}))
    reason = rules + verdict.note if verdict.decided_by == "rules" else f"{rules}; {verdict.note.strip()}"
    return replace(chunk, extra={**chunk.extra, "quarantined": True, "quarantine_reason": reason.strip("; ")})


def drop_injected(hits: list[Hit]) -> tuple[list[Hit], list[Hit]]:
    """Split retrieved hits into (clean, injected): a second line of defence for chunks stored before
    the scanner saw them."""
    from app.guardrails.injection import scan_injection

    clean: list[Hit] = []
    dropped: list[Hit] = []
    for hit in hits:
        (dropped if scan_injection(hit.text).is_injection else clean).append(hit)
    return clean, dropped
