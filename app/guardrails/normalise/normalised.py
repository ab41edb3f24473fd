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
from dataclasses import dataclass, field
from functools import lru_cache

from app.guardrails.normalise.confusables import latin_lookalike
from app.guardrails.normalise.hidden import HiddenRun, find_hidden
from app.guardrails.normalise.scripts import COMMON, INHERITED, LATIN, script_of

# Scripts whose letters are borrowed to imitate Latin ones.
FOLDED_SCRIPTS = frozenset({"GREEK", "CYRILLIC", "ARMENIAN", "CHEROKEE", "COPTIC", "GEORGIAN", "LISU"})
_WORD = re.compile(r"[^\W\d_]+")


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
    _starts: tuple[int, ...] | None = field(default=None, repr=False, compare=False)
    _ends: tuple[int, ...] | None = field(default=None, repr=False, compare=False)

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


@lru_cache(maxsize=512)
def normalise(text: str) -> NormalisedText:
    """The normalised form of ``text`` (see the module docstring). Linear in ``len(text)``; cached."""
    if text.isascii():
        return NormalisedText(original=text, text=text)
    hidden, removed = find_hidden(text)
    pieces = _nfkc_pieces(text, removed)
    chars: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    for start, end, piece in pieces:
        chars.extend(piece)
        starts.extend([start] * len(piece))
        ends.extend([end] * len(piece))
    folds = _fold_lookalikes(chars, starts, ends, text)
    return NormalisedText(
        original=text, text="".join(chars), hidden=hidden,
        lookalikes=tuple((f.start, f.end) for f in folds), folds=folds,
        _starts=tuple(starts), _ends=tuple(ends),
    )


def _nfkc_pieces(text: str, removed: frozenset[int]) -> list[tuple[int, int, str]]:
    """(original start, original end, NFKC text) per grapheme of the kept characters; falls back to
    whitespace-separated runs (never composed across) if per-grapheme NFKC differs from the whole."""
    kept = [i for i in range(len(text)) if i not in removed]
    whole = unicodedata.normalize("NFKC", "".join(text[i] for i in kept))
    for starts_group in (_starts_grapheme, _starts_word):
        groups: list[list[int]] = []
        for i in kept:
            if not groups or starts_group(text[i]):
                groups.append([i])
            else:
                groups[-1].append(i)
        pieces = [(g[0], g[-1] + 1, unicodedata.normalize("NFKC", "".join(text[i] for i in g))) for g in groups]
        if "".join(p for _, _, p in pieces) == whole:
            return pieces
    return [(kept[0], kept[-1] + 1, whole)] if kept else []


def _starts_grapheme(ch: str) -> bool:
    # Hangul vowel and final jamo compose with the syllable before them.
    return unicodedata.combining(ch) == 0 and not 0x1160 <= ord(ch) <= 0x11FF


def _starts_word(ch: str) -> bool:
    return ch.isspace()


def _fold_lookalikes(chars: list[str], starts: list[int], ends: list[int], original: str) -> tuple[Lookalike, ...]:
    """Folds look-alike letters in ``chars`` in place; returns the folded words."""
    text = "".join(chars)
    words = [(m.start(), m.end(), _scripts(m.group())) for m in _WORD.finditer(text)]
    folds: list[Lookalike] = []
    for index, (start, end, scripts) in enumerate(words):
        if not _should_fold(index, scripts, words, text[start:end]):
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


def _should_fold(index: int, scripts: frozenset[str], words: list[tuple[int, int, frozenset[str]]],
                 word: str) -> bool:
    if LATIN in scripts:
        return bool(scripts & FOLDED_SCRIPTS)
    if len(scripts) != 1 or not scripts <= FOLDED_SCRIPTS or len(word) < 2:
        return False
    if not all(latin_lookalike(c) is not None for c in word):
        return False
    neighbours = [words[j][2] for j in (index - 1, index + 1) if 0 <= j < len(words)]
    return bool(neighbours) and all(n == {LATIN} for n in neighbours)


def _scripts(word: str) -> frozenset[str]:
    return frozenset(script_of(c) for c in word) - {COMMON, INHERITED}
