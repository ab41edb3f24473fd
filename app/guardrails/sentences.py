"""Split text into sentences with their character spans, so a check can point at the sentence it flags.

``split_sentences(text)`` returns ``(start, end, sentence)`` triples in text order, where
``text[start:end] == sentence``, the sentence has no leading or trailing whitespace, and empty pieces
are dropped. It is a regex splitter, not a parser; the rules are:

- A sentence ends after ``.``, ``!``, ``?`` or ``…`` (any run of them, plus closing quotes or brackets)
  when whitespace follows. Punctuation inside a token does not end one, so decimals (``9.50``),
  versions (``v2.1``), URLs (``example.com/tea``) and e-mail addresses stay whole.
- Known abbreviations (``e.g.``, ``i.e.``, ``Mr.``, ``approx.``...) and initials (a lone capital:
  ``J. R. Tolkien``) do not end a sentence; ``etc.`` ends one only when a capital letter follows.
- A blank line always ends a sentence. A single line break ends one too (headings, list items,
  tweets), unless the next line starts with a lowercase letter: that is hard-wrapped prose.
"""

from __future__ import annotations

import re
from itertools import pairwise

# Terminal punctuation, then any closing quotes/brackets, then the whitespace that must follow it.
_TERMINAL = re.compile("[.!?\u2026]+[\"'\u201d\u2019)\\]]*(?=\\s)")
_LINE_BREAK = re.compile(r"\n")
_WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z.]*)\.$")

# Lower-cased, without the final dot. Kept short: a missed abbreviation costs one extra split.
_ABBREVIATIONS = frozenset({
    "e.g", "i.e", "cf", "vs", "viz", "approx", "ca", "incl", "excl", "min", "max", "no", "nos",
    "mr", "mrs", "ms", "dr", "prof", "st", "jr", "sr", "inc", "ltd", "co", "corp", "dept", "est",
    "fig", "vol", "p", "pp", "ed", "eds", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep",
    "sept", "oct", "nov", "dec", "u.s", "u.k", "e.u", "a.m", "p.m", "ph.d",
})
# Abbreviations that often end a sentence too: split after them only before a capital letter.
_SOMETIMES_FINAL = frozenset({"etc", "al"})


def split_sentences(text: str) -> list[tuple[int, int, str]]:
    """The sentences of ``text`` as ``(start, end, sentence)``, with ``text[start:end] == sentence``."""
    cuts = sorted({0, len(text), *_punctuation_cuts(text), *_line_cuts(text)})
    sentences = []
    for left, right in pairwise(cuts):
        span = _trimmed(text, left, right)
        if span is not None:
            sentences.append((span[0], span[1], text[span[0]:span[1]]))
    return sentences


def _punctuation_cuts(text: str) -> list[int]:
    return [m.end() for m in _TERMINAL.finditer(text) if not _is_abbreviation(text, m.start(), m.end())]


def _is_abbreviation(text: str, start: int, end: int) -> bool:
    if text[start:end] != ".":
        return False  # "?", "!", "..." and a dot followed by a quote always end a sentence
    word = _WORD_BEFORE.search(text[max(0, start - 12):start + 1])
    if word is None:
        return False
    token = word.group(1).lower()
    if len(token) == 1:
        return _is_initial(text, start)
    if token in _SOMETIMES_FINAL:
        following = text[end:].lstrip()[:1]
        return not following.isupper()
    return token in _ABBREVIATIONS


def _is_initial(text: str, dot: int) -> bool:
    # "J. R. Tolkien": a capital standing alone. Not a unit ("50 g.") or a symbol's letter ("80 °C.").
    before = text[dot - 2:dot - 1] if dot >= 2 else ""
    return text[dot - 1].isupper() and (before == "" or before.isspace() or before in "(\"'")


def _line_cuts(text: str) -> list[int]:
    # Index scans, not slices: each space or tab next to a line break is looked at twice at most, so a text
    # of many lines stays linear.
    cuts = []
    for m in _LINE_BREAK.finditer(text):
        after, before = m.end(), m.start()
        while after < len(text) and text[after] in " \t":
            after += 1
        while before > 0 and text[before - 1] in " \t":
            before -= 1
        blank_line = text.startswith("\n", after) or (before > 0 and text[before - 1] == "\n")
        if blank_line or not text[after:after + 1].islower():
            cuts.append(m.end())
    return cuts


def _trimmed(text: str, left: int, right: int) -> tuple[int, int] | None:
    while left < right and text[left].isspace():
        left += 1
    while right > left and text[right - 1].isspace():
        right -= 1
    return (left, right) if left < right else None
