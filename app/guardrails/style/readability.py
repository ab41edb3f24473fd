"""Readability, computed here: words, sentences, a syllable heuristic and the Flesch formulas.

Words are runs of letters of any script with inner apostrophes and hyphens ("Über", "Łódź", "don't",
"E-Mail-Adresse"); a word starts with a letter, so a bare number is not a word. Every function is one
pass over the text (linear in its length).
"""

from __future__ import annotations

import re

from app.guardrails.sentences import split_sentences

# A word starts with a letter and may hold digits, inner apostrophes and hyphens: "Über", "don't", "CO2",
# "E-Mail-Adresse" and "well-known" are one word each, as a reader (and wc) counts them.
_WORD = re.compile(r"[^\W\d_]\w*(?:['\u2019-]\w+)*")
# English vowels plus their accented forms, so "café" and "naïve" count their accented vowel.
_VOWEL_GROUP = re.compile("[aeiouyàáâäæãåāèéêëēėęîïíīįìôöòóœøōõûüùúūÿ]{1,2}")
_SILENT_END = re.compile(r"(?:[^laeiouy]es|[^laeiouytd]ed|[^laeiouy]e)$")


def word_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Spans of the words (letters, with inner apostrophes) in ``text[start:end]``."""
    return [m.span() for m in _WORD.finditer(text, start, len(text) if end is None else end)]


def syllables(word: str) -> int:
    """Vowel groups, less a silent final "e"/"es"/"ed": the usual English heuristic (about 90% right)."""
    w = word.lower()
    if len(w) <= 3:
        return 1
    w = _SILENT_END.sub(lambda m: m.group(0)[0], w)
    w = w.removeprefix("y")
    return max(1, len(_VOWEL_GROUP.findall(w)))


def sentence_word_counts(text: str) -> list[tuple[tuple[int, int], int]]:
    """``((start, end), words)`` per sentence of ``text``."""
    return [((s, e), len(word_spans(text, s, e))) for s, e, _ in split_sentences(text)]


def reading_grade(text: str) -> float:
    """Flesch-Kincaid grade level: 0.39 * words/sentence + 11.8 * syllables/word - 15.59."""
    words = [text[s:e] for s, e in word_spans(text)]
    sentences = max(1, sum(1 for _, count in sentence_word_counts(text) if count))
    if not words:
        return 0.0
    return 0.39 * len(words) / sentences + 11.8 * sum(map(syllables, words)) / len(words) - 15.59


def reading_ease(text: str) -> float:
    """Flesch reading ease: 206.835 - 1.015 * words/sentence - 84.6 * syllables/word (higher is easier)."""
    words = [text[s:e] for s, e in word_spans(text)]
    sentences = max(1, sum(1 for _, count in sentence_word_counts(text) if count))
    if not words:
        return 100.0
    return 206.835 - 1.015 * len(words) / sentences - 84.6 * sum(map(syllables, words)) / len(words)
