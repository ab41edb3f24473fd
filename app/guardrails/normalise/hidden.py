"""Invisible characters: which ones hide text, grouped into runs in the original text.

A character is *hidden* when it renders as nothing (or reorders what renders) and carries no meaning in
the text around it:

- ``tag``: the Unicode tag block U+E0000-U+E007F. U+E0020-U+E007E spell ASCII invisibly (the
  "ASCII smuggling" of prompt injection); the one legitimate use, an emoji subdivision flag (U+1F3F4
  followed by lowercase tag letters and U+E007F CANCEL TAG, Unicode TR51 section 2.8), is not hidden.
- ``zero_width``: U+200B ZERO WIDTH SPACE, U+200C/U+200D ZERO WIDTH (NON-)JOINER, U+2060 WORD JOINER,
  U+FEFF ZERO WIDTH NO-BREAK SPACE, U+180E MONGOLIAN VOWEL SEPARATOR. A joiner between two emoji
  (TR51 ZWJ sequences) or next to a letter of a script that needs joiners (Arabic, Indic, ...) is not
  hidden; a U+FEFF at offset 0 is a byte order mark, dropped without a finding.
- ``bidi_control``: embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069) always; the marks
  U+200E, U+200F and U+061C only in a text with no right-to-left letters (where they have no job).
- ``other_format``: every other format character (general category Cf, e.g. U+2061-U+2064 invisible
  operators, U+FFF9-U+FFFB annotation marks) outside the scripts that use them, and runs of two or
  more variation selectors (one selector after a base character is a legitimate glyph choice; a run
  encodes bytes, the "emoji smuggling" technique).

U+00AD SOFT HYPHEN is a hyphenation hint used in real German and French copy: it is removed for
matching but is not reported.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from app.guardrails.normalise.charclass import char_class
from app.guardrails.normalise.scripts import script_of

TAG_START, TAG_END = 0xE0000, 0xE007F
CANCEL_TAG = 0xE007F
BLACK_FLAG = 0x1F3F4
ZERO_WIDTH = frozenset({0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF, 0x180E})
JOINERS = frozenset({0x200C, 0x200D})
BIDI_CONTROLS = frozenset({*range(0x202A, 0x202F), *range(0x2066, 0x206A)})
BIDI_MARKS = frozenset({0x200E, 0x200F, 0x061C})
SOFT_HYPHEN = 0x00AD
BOM = 0xFEFF
# Format characters that belong to a script's own writing (Arabic number signs, Syriac abbreviation mark,
# Kaithi number sign, Egyptian hieroglyph and Brahmi joiners): not hidden text.
_SCRIPT_FORMAT = frozenset({*range(0x0600, 0x0606), 0x06DD, 0x070F, 0x08E2, 0x110BD, 0x110CD,
                            *range(0x13430, 0x13440), *range(0x1BCA0, 0x1BCA4)})
# Scripts written with Latin, Greek or Cyrillic letters have no use for joiners inside words.
_NO_JOINER_SCRIPTS = ("LATIN", "GREEK", "CYRILLIC")


@dataclass(frozen=True)
class HiddenRun:
    """A run of invisible characters of one kind in the ORIGINAL text (``start``/``end`` are character
    offsets, end exclusive). ``decoded`` is the ASCII text that tag characters spell ("" otherwise)."""

    start: int
    end: int
    kind: str
    decoded: str = ""


def is_variation_selector(cp: int) -> bool:
    return 0xFE00 <= cp <= 0xFE0F or 0xE0100 <= cp <= 0xE01EF


def is_emoji(ch: str) -> bool:
    """Approximates Extended_Pictographic (TR51) plus skin-tone modifiers, which Python's unicodedata lacks."""
    cp = ord(ch)
    return (0x1F000 <= cp <= 0x1FAFF or 0x2600 <= cp <= 0x27BF or 0x2300 <= cp <= 0x23FF
            or 0x2B00 <= cp <= 0x2BFF or cp in (0x00A9, 0x00AE, 0x203C, 0x2049, 0x2122, 0x2139, 0x3030, 0x303D))


def dropped_silently(text: str, i: int) -> bool:
    """True for characters removed for matching without a finding: a soft hyphen, a leading BOM."""
    cp = ord(text[i])
    return cp == SOFT_HYPHEN or (cp == BOM and i == 0)


def find_hidden(text: str) -> tuple[tuple[HiddenRun, ...], frozenset[int]]:
    """The hidden runs of ``text`` and the offsets of every character to remove for matching (hidden
    ones and the silently dropped ones). Linear in ``len(text)``: one regular-expression scan finds the
    few candidates (format characters, variation selectors, tags); only they are looked at in Python."""
    candidates = [m.start() for m in candidate_pattern().finditer(text)]
    if not candidates:
        return (), frozenset()
    has_rtl = any(ord(text[i]) in BIDI_MARKS for i in candidates) and any(
        unicodedata.bidirectional(c) in ("R", "AL") for c in text if ord(c) >= 0x0590)
    flag_tags = _emoji_flag_tags(text)
    kinds: list[tuple[int, str]] = []
    removed: set[int] = set()
    for i in candidates:
        if dropped_silently(text, i):
            removed.add(i)
            continue
        kind = None if i in flag_tags else _kind(text, i, has_rtl)
        if kind is not None:
            kinds.append((i, kind))
            removed.add(i)
    return _runs(text, kinds), frozenset(removed)


@lru_cache(maxsize=1)
def candidate_pattern() -> re.Pattern[str]:
    """Every format character (category Cf, from this Python's Unicode data), variation selector and tag
    character, as one character class. Built on first use (about 0.3 million code points looked at once)."""
    points = [cp for block in (range(0x00A0, 0x40000), range(0xE0000, 0xE1000))
              for cp in block if unicodedata.category(chr(cp)) == "Cf"]
    points += [*range(0xFE00, 0xFE10), *range(0xE0100, 0xE01F0), *range(TAG_START, TAG_END + 1)]
    return char_class(points)


def _kind(text: str, i: int, has_rtl: bool) -> str | None:
    cp = ord(text[i])
    if TAG_START <= cp <= TAG_END:
        return "tag"
    if cp in ZERO_WIDTH:
        return None if cp in JOINERS and _joiner_has_a_job(text, i) else "zero_width"
    if cp in BIDI_CONTROLS or (cp in BIDI_MARKS and not has_rtl):
        return "bidi_control"
    if cp in BIDI_MARKS:
        return None
    if is_variation_selector(cp):
        in_run = (i > 0 and is_variation_selector(ord(text[i - 1]))) or (
            i + 1 < len(text) and is_variation_selector(ord(text[i + 1])))
        return "other_format" if in_run else None
    if unicodedata.category(text[i]) == "Cf" and cp not in _SCRIPT_FORMAT:
        return "other_format"
    return None


def _joiner_has_a_job(text: str, i: int) -> bool:
    before = text[i - 1] if i > 0 else ""
    after = text[i + 1] if i + 1 < len(text) else ""
    # Skin-tone modifiers (U+1F3FB-U+1F3FF) fall inside is_emoji's ranges; VS16 may end the emoji before.
    if before and after and (is_emoji(before) or is_variation_selector(ord(before))) and is_emoji(after):
        return True
    return any(c and c.isalpha() and script_of(c) not in _NO_JOINER_SCRIPTS for c in (before, after)) and not any(
        c and c.isalpha() and script_of(c) in _NO_JOINER_SCRIPTS for c in (before, after))


def _emoji_flag_tags(text: str) -> set[int]:
    """Offsets of tag characters that form an emoji subdivision flag after U+1F3F4 (e.g. Scotland's flag)."""
    found: set[int] = set()
    start = text.find(chr(BLACK_FLAG))
    while start != -1:
        j = start + 1
        while j < len(text) and (0xE0030 <= ord(text[j]) <= 0xE0039 or 0xE0061 <= ord(text[j]) <= 0xE007A):
            j += 1
        if j < len(text) and ord(text[j]) == CANCEL_TAG and 2 <= j - start - 1 <= 6:
            found.update(range(start + 1, j + 1))
        start = text.find(chr(BLACK_FLAG), start + 1)
    return found


def _runs(text: str, kinds: list[tuple[int, str]]) -> tuple[HiddenRun, ...]:
    runs: list[HiddenRun] = []
    for i, kind in kinds:
        last = runs[-1] if runs else None
        if last is not None and last.kind == kind and last.end == i:
            runs[-1] = HiddenRun(last.start, i + 1, kind)
        else:
            runs.append(HiddenRun(i, i + 1, kind))
    return tuple(HiddenRun(r.start, r.end, r.kind, _decode_tags(text[r.start:r.end]) if r.kind == "tag" else "")
                 for r in runs)


def _decode_tags(run: str) -> str:
    return "".join(chr(ord(c) - TAG_START) for c in run if 0xE0020 <= ord(c) <= 0xE007E)
