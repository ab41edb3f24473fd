"""Readability, computed here: words, sentences, syllable heuristics, the Flesch formulas and, for German,
the first Wiener Sachtextformel (Bamberger and Vanecek 1984), a German school grade on the same scale as
Flesch-Kincaid's US grade; the English formulas misread German, whose words are longer and whose final "e"
is spoken (on 656 German web strings the English grade put 65 over grade 10).

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
_GERMAN_VOWEL_GROUP = re.compile(r"ei|ai|au|eu|äu|ie|aa|ee|oo|[aeiouyäöü]")
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


def german_syllables(word: str) -> int:
    """Vowel groups, each diphthong or long vowel ("ei", "au", "eu", "äu", "ie", "ee") one: no silent
    letters in German ("Tee" 1, "Teegärten" 3, "Idee" 2)."""
    return max(1, len(_GERMAN_VOWEL_GROUP.findall(word.lower())))


def wiener_grade(text: str) -> float:
    """First Wiener Sachtextformel: 0.1935*MS + 0.1672*SL + 0.1297*IW - 0.0327*ES - 0.875, with MS the
    percentage of words of three or more syllables, SL the mean sentence length in words, IW the percentage
    of words over six letters and ES the percentage of one-syllable words."""
    words = [text[s:e] for s, e in word_spans(text)]
    if not words:
        return 0.0
    sentences = max(1, sum(1 for _, count in sentence_word_counts(text) if count))
    counts = [german_syllables(w) for w in words]
    share = 100 / len(words)
    many = share * sum(1 for c in counts if c >= 3)
    long_words = share * sum(1 for w in words if len(w) > 6)
    single = share * sum(1 for c in counts if c == 1)
    return 0.1935 * many + 0.1672 * len(words) / sentences + 0.1297 * long_words - 0.0327 * single - 0.875


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
