"""Confusable letters (Unicode TR39 confusables.txt, from the ``confusable-homoglyphs`` package).

``confusable-homoglyphs`` 3.3.1 (MIT) ships confusables.txt as a two-way map: each line
``source ; prototype`` of the Unicode file is stored under both characters. The one-way table TR39's
skeleton needs is recovered from it: in confusables.txt a prototype is never itself a source, so a
character listed with several partners, or a sequence, is a prototype, and a single character whose only
partner has several is a source. For a pair that only has each other (2,840 of the 9,619 entries) the
direction cannot be told; the lower code point is taken as the prototype, which keeps the skeleton
consistent (both map to one representative), which is all a comparison needs.

:func:`skeleton` is TR39's skeleton (NFD, map each character to its prototype, NFD) made case-insensitive:
each character is case-folded before mapping, except where mapping before folding (or mapping its capital)
is what reaches ASCII (Cyrillic U+041A maps to Latin "K", while its small form U+043A maps to U+0138 "kra").
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from app.guardrails.normalise.scripts import LATIN, script_of

# The library's parser keeps U+200E LEFT-TO-RIGHT MARK around right-to-left glyphs in some entries.
_LRM = "\u200e"


@lru_cache(maxsize=1)
def prototypes() -> dict[str, str]:
    """source character -> prototype (one character or a sequence), from the library's table."""
    from confusable_homoglyphs.confusables import confusables_data

    partners: dict[str, list[str]] = {}
    for key, entries in confusables_data.items():
        partners.setdefault(key.replace(_LRM, ""), []).extend(e["c"].replace(_LRM, "") for e in entries)
    table: dict[str, str] = {}
    for key, found in partners.items():
        if len(key) != 1 or len(found) != 1 or found[0] == key:
            continue
        other = found[0]
        if len(other) == 1 and len(partners.get(other, ())) == 1 and other > key:
            continue  # an isolated pair: the lower code point is the prototype
        table[key] = other
    return table


def _map(text: str) -> str:
    table = prototypes()
    return unicodedata.normalize("NFD", "".join(table.get(c, c) for c in unicodedata.normalize("NFD", text)))


@lru_cache(maxsize=65536)
def skeleton_char(ch: str) -> str:
    """The case-folded skeleton of one character (one or more characters, NFD)."""
    folded_first = _map(ch.casefold())
    if folded_first.isascii():
        return folded_first
    for route in (ch, ch.upper()):
        mapped_first = _map(_map(route).casefold())
        if mapped_first.isascii():
            return mapped_first
    return folded_first


def skeleton(text: str) -> str:
    """The case-folded TR39 skeleton of ``text``: two strings that look alike have equal skeletons
    ("detox" written with Cyrillic U+0435, U+043E and U+0445 has the skeleton of "DETOX"). Linear in
    ``len(text)``."""
    return text.translate(_table(text))


def skeleton_with_offsets(text: str) -> tuple[str, list[int]]:
    """``skeleton(text)`` and, for each of its characters, the offset in ``text`` of the character it
    came from, plus a final entry ``len(text)``; a skeleton span ``(s, e)`` (e > s) is
    ``(offsets[s], offsets[e - 1] + 1)`` in ``text``. Python looks only at the characters whose skeleton
    is not one character (such as "m", whose skeleton is "rn")."""
    table = _table(text)
    skel = text.translate(table)
    uneven = "".join(chr(cp) for cp, piece in table.items() if len(piece) != 1)
    if not uneven:
        return skel, list(range(len(text) + 1))
    offsets: list[int] = []
    done = 0
    for m in re.finditer(f"[{re.escape(uneven)}]", text):
        i = m.start()
        offsets.extend(range(done, i))
        offsets.extend([i] * len(table[ord(text[i])]))
        done = i + 1
    offsets.extend(range(done, len(text) + 1))
    return skel, offsets


def _table(text: str) -> dict[int, str]:
    return {ord(c): skeleton_char(c) for c in set(text)}


@lru_cache(maxsize=65536)
def latin_lookalike(ch: str) -> str | None:
    """The ASCII letter(s) a non-Latin letter is confusable with, in its case (Cyrillic U+0435 -> "e",
    U+041A -> "K", U+043A -> "k"), or None when it looks like no Latin letter (Greek U+03BC mu,
    Cyrillic U+0434 de)."""
    if not ch.isalpha() or script_of(ch) == LATIN:
        return None
    table = prototypes()
    direct = table.get(ch)
    if direct is None or not all(script_of(c) == LATIN for c in direct):
        return None
    if _ascii_letters(direct) and direct.isupper() == ch.isupper():
        return direct
    # Confusables maps across case (Greek capital iota -> "l", Cyrillic small ka -> U+0138 kra): the other
    # case of the letter often reaches the Latin letter of the same case.
    other_case = table.get(ch.upper() if ch.islower() else ch.lower(), "")
    if _ascii_letters(other_case):
        return other_case.lower() if ch.islower() else other_case.upper()
    return direct if _ascii_letters(direct) else None


def _ascii_letters(text: str) -> bool:
    return text.isascii() and text.isalpha()
