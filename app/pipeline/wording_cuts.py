"""Cutting blocked wording out of model text: whole sentences and whole title parts, never words.

A cut removes what a check blocked at a located span and adds nothing, so what remains is text the model
wrote and the checks can judge again. Used on ideas before drafting (:mod:`app.pipeline.idea_screen`) and on
a draft whose re-asks did not remove a blocked wording (the policy's ``cut_after_reask``); in both cases the
cut text is checked again and every cut is recorded.

Only wordings count: blocking findings with spans from :data:`CUT_CHECKS` (an unsupported claim, a banned
term, abuse). A missing disclaimer, the quality and style rules, and injection are not wordings that a cut
can cure.
"""

from __future__ import annotations

import re

from app.guardrails.base import CheckResult
from app.guardrails.sentences import split_sentences
from app.schemas import DraftCopy

CUT_CHECKS = frozenset({"claims", "banned_terms", "toxicity"})
_TITLE_BREAK = re.compile(r"\s*(?::|\s[-\u2013\u2014|]\s)\s*")

Spans = list[tuple[int, int]]


def blocked_wording(findings: list[CheckResult]) -> list[CheckResult]:
    """The findings a cut could cure: blocking, located, from :data:`CUT_CHECKS`, not a missing disclaimer."""
    return [f for f in findings if f.blocks and f.check in CUT_CHECKS and f.spans and "disclaimer" not in f.rule]


def spans_of(findings: list[CheckResult], start: int = 0, end: int | None = None) -> Spans:
    """The findings' spans inside ``[start, end)``, shifted to start at 0."""
    stop = end if end is not None else 10**12
    return [(max(s, start) - start, min(e, stop) - start) for f in findings for s, e in f.spans
            if s < stop and start < e]


def without_sentences(text: str, spans: Spans) -> tuple[str, list[str]]:
    """``text`` without the sentences that overlap ``spans``, and the sentences cut."""
    if not spans:
        return text, []
    kept: list[str] = []
    cut: list[str] = []
    for start, end, sentence in split_sentences(text):
        (cut if _overlaps(start, end, spans) else kept).append(sentence.strip())
    return " ".join(k for k in kept if k), cut


def without_title_parts(title: str, spans: Spans) -> tuple[str, list[str]]:
    """``title`` split at ``:``, dashes and ``|`` without the parts that overlap ``spans`` (joined by ``: ``)."""
    if not spans:
        return title, []
    kept: list[str] = []
    cut: list[str] = []
    start = 0
    for match in [*_TITLE_BREAK.finditer(title), None]:
        end = match.start() if match else len(title)
        part = title[start:end].strip()
        if part:
            (cut if _overlaps(start, end, spans) else kept).append(part)
        if match:
            start = match.end()
    return ": ".join(kept), cut


def cut_copy(copy: DraftCopy, findings: list[CheckResult]) -> tuple[DraftCopy | None, list[str]]:
    """``copy`` without the headline parts and body sentences that carry a blocked wording; None when a
    field would be left empty or the call to action itself carries one. Spans are offsets into
    ``headline + "\\n" + body + "\\n" + cta`` (what the checks read)."""
    located = blocked_wording(findings)
    h_end = len(copy.headline)
    b_start, b_end = h_end + 1, h_end + 1 + len(copy.body)
    if spans_of(located, b_end + 1):
        return None, []
    headline, cut_h = without_title_parts(copy.headline, spans_of(located, 0, h_end))
    body, cut_b = without_sentences(copy.body, spans_of(located, b_start, b_end))
    if not headline.strip() or not body.strip():
        return None, []
    return DraftCopy(headline=headline, body=body, cta=copy.cta), cut_h + cut_b


def _overlaps(start: int, end: int, spans: Spans) -> bool:
    return any(s < end and start < e for s, e in spans)
