"""``normalise(text)``: the text every check matches against, and the way back to the original.

Three steps, each keeping, for every character of the result, the span of the original it came from:

1. Hidden characters (:mod:`.hidden`) are removed and recorded as :class:`HiddenRun` values.
2. NFKC, one grapheme (a starter and its combining marks) at a time, so that fullwidth, mathematical
   and ligature letters read as plain letters (U+FF44 fullwidth d -> "d", U+FB01 fi ligature -> "fi").
3. Look-alike letters are folded to Latin in words that mix scripts (TR39 confusables,
   :mod:`.confusables`): "detox" written with Cyrillic U+0435, U+043E, U+0445 reads "detox". A word
   wholly in Greek or Cyrillic is folded only when every letter looks like an ASCII letter, it has at
   least two letters and the words on both sides of it are Latin (one Cyrillic word planted in an
   English sentence). Whole Greek or Cyrillic text, German, French, emoji and units such as "µg" (Greek
   mu has no Latin look-alike) are left alone.
"""

from __future__ import annotations

import re
import unicodedata
from array import array
from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from app.guardrails.normalise.charclass import char_class, ranges_class
from app.guardrails.normalise.confusables import latin_lookalike
from app.guardrails.normalise.hidden import HiddenRun, find_hidden
from app.guardrails.normalise.scripts import COMMON, INHERITED, LATIN, script_of

# Scripts whose letters are borrowed to imitate Latin ones.
FOLDED_SCRIPTS = frozenset({"GREEK", "CYRILLIC", "ARMENIAN", "CHEROKEE", "COPTIC", "GEORGIAN", "LISU"})
_WORD = re.compile(r"[^\W\d_]+")
_SPACE = re.compile(r"[ \n\t]")


@dataclass(frozen=True)
class Lookalike:
    """A word of the original (``start``/``end``) folded to Latin: how it reads and the scripts it mixed."""

    start: int
    end: int
    reading: str
    scripts: tuple[str, ...]


@dataclass(frozen=True)
class NormalisedText:
    """``text`` is what checks match against; ``to_original`` maps its spans back into ``original``.

    ``hidden`` holds the runs of invisible characters removed from the original; ``lookalikes`` the spans
    (in the original) of the mixed-script words that were folded to Latin.
    """

    original: str
    text: str
    hidden: tuple[HiddenRun, ...] = ()
    lookalikes: tuple[tuple[int, int], ...] = ()
    folds: tuple[Lookalike, ...] = field(default=(), repr=False)
    # For each character of ``text``: the start and end of the original span it came from (None: identity).
    # Arrays of machine integers (8 bytes a character), not tuples of int objects (about 36).
    _starts: Sequence[int] | None = field(default=None, repr=False, compare=False)
    _ends: Sequence[int] | None = field(default=None, repr=False, compare=False)

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """The span of ``original`` that ``text[start:end]`` came from (hidden characters inside it
        included). An empty span maps to an empty span at the corresponding place. Offsets outside
        ``text`` are clamped."""
        if self._starts is None or self._ends is None:
            return start, end
        size = len(self.text)
        start, end = max(0, min(start, size)), max(0, min(end, size))
        if end <= start:
            at = self._starts[start] if start < size else len(self.original)
            return at, at
        return self._starts[start], self._ends[end - 1]


@lru_cache(maxsize=128)
def normalise(text: str) -> NormalisedText:
    """The normalised form of ``text`` (see the module docstring). Linear in ``len(text)``; cached.

    Regular-expression scans find the few places that change (hidden characters, words not in NFKC,
    letters of the scripts look-alikes come from); only those are handled character by character.
    """
    if text.isascii():
        return NormalisedText(original=text, text=text)
    hidden, removed = find_hidden(text)
    kept = [i for i in range(len(text)) if i not in removed] if removed else range(len(text))
    chars: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    for start, end, piece, one_to_one in _nfkc_pieces(text, kept):
        chars.extend(piece)
        if one_to_one:
            starts.extend(range(start, end))
            ends.extend(range(start + 1, end + 1))
        else:
            starts.extend([start] * len(piece))
            ends.extend([end] * len(piece))
    folds = _fold_lookalikes(chars, starts, ends) if folded_script_pattern().search(text) else ()
    if not removed and not folds and len(chars) == len(text) and starts == list(range(len(text))):
        return NormalisedText(original=text, text="".join(chars), hidden=hidden)
    return NormalisedText(
        original=text, text="".join(chars), hidden=hidden,
        lookalikes=tuple((f.start, f.end) for f in folds), folds=folds,
        _starts=array("q", starts), _ends=array("q", ends),
    )


Piece = tuple[int, int, str, bool]


def _nfkc_pieces(text: str, kept: Sequence[int]) -> list[Piece]:
    """(original start, original end, NFKC text, one to one) covering the kept characters: unchanged
    stretches where they are already NFKC (their characters map one to one), and one grapheme at a time
    inside the space-separated tokens that hold a character NFKC may change. Falls back to whole tokens
    (never composed across whitespace) if that differs from NFKC of the whole text."""
    clean = text if isinstance(kept, range) else "".join(text[i] for i in kept)
    whole = unicodedata.normalize("NFKC", clean)
    if whole == clean:
        return _unchanged(text, kept)
    for split in (_starts_grapheme, _starts_word):
        pieces: list[Piece] = []
        done = 0
        for m in changing_pattern().finditer(clean):
            if m.start() < done:
                continue
            start = max(done, *(clean.rfind(c, done, m.start()) + 1 for c in " \n\t"))
            after = _SPACE.search(clean, m.start())
            end = after.start() if after else len(clean)
            pieces += _unchanged(text, kept[done:start]) + _graphemes(text, kept[start:end], split)
            done = end
        pieces += _unchanged(text, kept[done:])
        if "".join(p[2] for p in pieces) == whole:
            return pieces
    return [(kept[0], kept[-1] + 1, whole, False)] if len(kept) else []


def _unchanged(text: str, kept: Sequence[int]) -> list[Piece]:
    """Stretches of consecutive kept offsets, as pieces whose characters map one to one."""
    if not len(kept):
        return []
    if isinstance(kept, range):
        return [(kept[0], kept[-1] + 1, text[kept[0]:kept[-1] + 1], True)]
    pieces: list[Piece] = []
    run_start = prev = kept[0]
    for i in kept[1:]:
        if i != prev + 1:
            pieces.append((run_start, prev + 1, text[run_start:prev + 1], True))
            run_start = i
        prev = i
    pieces.append((run_start, prev + 1, text[run_start:prev + 1], True))
    return pieces


def _graphemes(text: str, kept: Sequence[int], starts_group: Callable[[str], bool]) -> list[Piece]:
    groups: list[list[int]] = []
    for i in kept:
        if not groups or starts_group(text[i]):
            groups.append([i])
        else:
            groups[-1].append(i)
    return [(g[0], g[-1] + 1, unicodedata.normalize("NFKC", "".join(text[i] for i in g)), False) for g in groups]


def _starts_grapheme(ch: str) -> bool:
    # Hangul vowel and final jamo compose with the syllable before them.
    return unicodedata.combining(ch) == 0 and not 0x1160 <= ord(ch) <= 0x11FF


def _starts_word(ch: str) -> bool:
    return False  # the whole token is one piece


def _fold_lookalikes(chars: list[str], starts: list[int], ends: list[int]) -> tuple[Lookalike, ...]:
    """Folds look-alike letters in ``chars`` in place; returns the folded words. Only words holding a
    letter of a script in FOLDED_SCRIPTS are looked at."""
    text = "".join(chars)
    words = [(m.start(), m.end()) for m in _WORD.finditer(text)]
    word_starts = [start for start, _ in words]
    candidates = sorted({bisect_right(word_starts, m.start()) - 1 for m in folded_script_pattern().finditer(text)})
    folds: list[Lookalike] = []
    for index in candidates:
        if index < 0:  # a mark of those scripts before the first word
            continue
        start, end = words[index]
        scripts = _scripts(text[start:end])
        if not _should_fold(index, scripts, words, text):
            continue
        changed = False
        for i in range(start, end):
            latin = latin_lookalike(chars[i])
            if latin is not None and len(latin) == 1:
                chars[i] = latin
                changed = True
        if changed:
            folds.append(Lookalike(starts[start], ends[end - 1], "".join(chars[start:end]),
                                   tuple(sorted(scripts))))
    return tuple(folds)


def _should_fold(index: int, scripts: frozenset[str], words: list[tuple[int, int]], text: str) -> bool:
    start, end = words[index]
    if LATIN in scripts:
        return bool(scripts & FOLDED_SCRIPTS)
    if len(scripts) != 1 or not scripts <= FOLDED_SCRIPTS or end - start < 2:
        return False
    if not all(latin_lookalike(c) is not None for c in text[start:end]):
        return False
    neighbours = [_scripts(text[slice(*words[j])]) for j in (index - 1, index + 1) if 0 <= j < len(words)]
    return bool(neighbours) and all(n == {LATIN} for n in neighbours)


def _scripts(word: str) -> frozenset[str]:
    return frozenset(script_of(c) for c in word) - {COMMON, INHERITED}


@lru_cache(maxsize=1)
def folded_script_pattern() -> re.Pattern[str]:
    """A character class of every letter of FOLDED_SCRIPTS (from the library's Scripts.txt ranges)."""
    from confusable_homoglyphs.categories import categories_data

    names = categories_data["iso_15924_aliases"]
    return ranges_class((a, b) for a, b, script, _ in categories_data["code_points_ranges"]
                        if names[script] in FOLDED_SCRIPTS)


@lru_cache(maxsize=1)
def changing_pattern() -> re.Pattern[str]:
    """A character class of the characters NFKC may change or compose: those whose NFKC differs, combining
    marks, Hangul vowel and final jamo, and the starters that compose with the letter before them
    (Unicode's NFC_Quick_Check=Maybe). Built on first use from this Python's Unicode data."""
    maybe = [0x0B3E, 0x0B56, 0x0B57, 0x0BBE, 0x0BD7, 0x0CC2, 0x0CD5, 0x0CD6, 0x0D3E, 0x0D57, 0x0DCF, 0x0DDF,
             0x102E, 0x1B35, *range(0x1161, 0x1176), *range(0x11A8, 0x11C3), 0x3099, 0x309A]
    points = [cp for cp in range(0x00A0, 0x30000)
              if unicodedata.combining(chr(cp)) or unicodedata.normalize("NFKC", chr(cp)) != chr(cp)]
    return char_class([*points, *maybe, *range(0x1160, 0x1200)])
