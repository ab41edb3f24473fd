"""Where the parts of a checked text are: a variant's headline, body and call to action, or one free text.

A text of three or more lines is a variant (``variant_text``: headline on the first line, call to action on
the last, the body between); anything shorter is one free text, as ``factory check`` reads a line. Every
span is a pair of character offsets into the whole text, with surrounding whitespace trimmed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from app.guardrails.quality.findings import Span

_WORD = re.compile(r"[^\W_]+(?:['\u2019][^\W_]+)*")


@dataclass(frozen=True)
class Part:
    name: str  # headline | body | cta for a variant, text for a free text
    start: int
    end: int

    @property
    def span(self) -> Span:
        return (self.start, self.end)


def is_variant(text: str) -> bool:
    return text.count("\n") >= 2


def parts(text: str) -> list[Part]:
    """The variant's three parts (the body may hold line breaks), or the whole text as one part ``text``."""
    if not is_variant(text):
        return [_trimmed("text", text, 0, len(text))]
    first, last = text.find("\n"), text.rfind("\n")
    return [_trimmed("headline", text, 0, first), _trimmed("body", text, first + 1, last),
            _trimmed("cta", text, last + 1, len(text))]


def words(text: str, start: int = 0, end: int | None = None) -> list[re.Match[str]]:
    """Word matches (letters and digits of any script, inner apostrophes kept) in ``text[start:end]``."""
    return list(_WORD.finditer(text, start, len(text) if end is None else end))


def lines(text: str) -> list[Part]:
    """Every non-blank line as a part named ``line``."""
    found, start = [], 0
    for end in [*(m.start() for m in re.finditer("\n", text)), len(text)]:
        part = _trimmed("line", text, start, end)
        if part.start < part.end:
            found.append(part)
        start = end + 1
    return found


def _trimmed(name: str, text: str, start: int, end: int) -> Part:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Part(name, start, end)
