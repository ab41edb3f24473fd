"""Vale's ``capitalization`` rule: each block of its scope (usually ``heading``) must be cased as ``match`` says.

Semantics of ``internal/check/capitalization.go`` and ``variables.go``:

- ``$lower`` / ``$upper``: the block equals its lower/upper-cased form (or an exception finds it);
- a regex: it must match the block;
- ``$sentence``: words are ``[\\p{N}\\p{L}*]+\\S*`` (any script's letters, so "Über" is a word, not
  "ber"), and an exception is one token however many words it has. The expected form keeps the first
  word capitalised and the rest lower case, except exceptions, all-capital words (acronyms), a word
  after an ``indicators`` suffix (e.g. ``:``) and the word after a leading "1.". The block fails at
  once when its first word is not capitalised; otherwise it passes when at least ``threshold`` (default
  0.8) of its words are as expected.
- ``$title`` (AP style; ``style: Chicago`` adds a few small words): every word capitalised except small
  words inside the title; all-capital words and exceptions count as right; passes at ``threshold``.

- German blocks (:func:`app.guardrails.language.classify`): German capitalises every noun and has no title
  case, so ``$sentence`` and ``$title`` both read a German block as German sentence case
  (:func:`german_sentence_cased`): the first word capitalised, and a capital inside the block wrong only on a
  word that is never a noun (articles, pronouns, prepositions, conjunctions: "Über Unsere Teegärten"), so
  "Über unsere Teegärten" passes. A lower-case noun cannot be told from an adjective without a lexicon and
  is not flagged.
A ``prefix`` regex matched at the start of the block is left out of the test. ``%s`` in the message is
the block text. No fix is suggested (Vale only offers one with an explicit
``action: replace``, which the factory leaves to a person).
"""

from __future__ import annotations

import re
from typing import Any

from app.guardrails.language import classify
from app.guardrails.style.vale.regexes import Pattern, compile_vale
from app.guardrails.style.vale.shared import Finder, Hit, excepted, exceptions_pattern, format_message

WORD = re.compile(r"(?:[^\W_]|\*)+\S*")
_NUMBERED = re.compile(r"\d+\.")  # "1." opens a numbered heading; the word after it keeps its capital
_AP_SMALL = frozenset({"a", "an", "and", "at", "but", "by", "for", "in", "nor", "of", "on", "or", "so", "the",
                       "to", "up", "yet"})
_CHICAGO_SMALL = _AP_SMALL | {"as", "from", "into", "like", "over", "with", "off", "onto", "upon", "via"}


def capitalization(spec: dict[str, Any]) -> Finder:
    match, message = str(spec.get("match", "$title")), str(spec.get("message", ""))
    skip = exceptions_pattern(spec)
    threshold = float(spec.get("threshold") or 0.8)
    indicators = tuple(str(i) for i in spec.get("indicators") or [])
    prefix = compile_vale(str(spec["prefix"])) if spec.get("prefix") else None
    small = _CHICAGO_SMALL if str(spec.get("style", "AP")) == "Chicago" else _AP_SMALL
    regex = None if match in ("$title", "$sentence", "$lower", "$upper") else compile_vale(match)
    # As Vale, an exception is one token however many words it has ("High-Def Render Pipeline").
    tokens = compile_vale(f"{skip.pattern}|{WORD.pattern}") if skip is not None else WORD

    def cased(text: str) -> bool:
        if match == "$lower":
            return text == text.lower() or excepted(skip, text)
        if match == "$upper":
            return text == text.upper() or excepted(skip, text)
        if regex is not None:
            return regex.search(text) is not None or excepted(skip, text)
        words = [m.group(0) for m in tokens.finditer(text)]
        if classify(text) == "de":
            return german_sentence_cased(words, skip, threshold)
        if match == "$sentence":
            return sentence_cased(words, skip, indicators, threshold)
        return title_cased(words, skip, small, threshold)

    def find(text: str, _state: dict[str, Any]) -> list[Hit]:
        lead = prefix.match(text) if prefix is not None else None
        if not text.strip() or cased(text[lead.end():] if lead else text):
            return []
        return [(0, len(text), format_message(message, text), None)]
    return find


def sentence_cased(words: list[str], skip: Pattern | None, indicators: tuple[str, ...], threshold: float) -> bool:
    """Vale's ``$sentence`` test on the words of one block."""
    if not words:
        return True
    right = 0
    for index, word in enumerate(words):
        after_indicator = index > 0 and (
            (bool(indicators) and words[index - 1].endswith(indicators))
            or (index == 1 and _NUMBERED.fullmatch(words[0]) is not None))
        if index == 0:
            if not (_capitalised(word) or excepted(skip, word)):
                return False
            right += 1
        elif word == word.lower() or _acronym(word) or after_indicator or excepted(skip, word):
            right += 1
    return right / len(words) >= threshold


def german_sentence_cased(words: list[str], skip: Pattern | None, threshold: float) -> bool:
    """German sentence case on the words of one block: see the module docstring."""
    if not words:
        return True
    if not (_capitalised(words[0]) or excepted(skip, words[0])):
        return False
    wrong = sum(1 for index, word in enumerate(words[1:], 1)
                if _capitalised(word) and not _acronym(word) and _bare(word).lower() in GERMAN_NEVER_NOUNS
                and not words[index - 1].endswith((":", ".", "!", "?")) and not excepted(skip, word))
    return (len(words) - wrong) / len(words) >= threshold


def _bare(word: str) -> str:
    return word.strip(".,:;!?\"'()[]\u201e\u201c\u201d")


# German words that are never nouns, so never capitalised inside a sentence (a noun is, always). The polite
# "Sie", "Ihr", "Ihnen" and the "Du", "Dein" of a letter are capitalised, so they are not listed.
GERMAN_NEVER_NOUNS = frozenset((
    "der", "die", "das", "den", "dem", "des", "ein", "eine", "einen", "einem", "einer", "eines", "und", "oder",
    "aber", "sondern", "denn", "mit", "für", "von", "vom", "zu", "zum", "zur", "auf", "aus", "bei", "beim", "nach",
    "über", "unter", "vor", "hinter", "neben", "zwischen", "durch", "gegen", "ohne", "um", "an", "am", "im", "in",
    "ins", "ist", "sind", "war", "waren", "wird", "werden", "hat", "haben", "sein", "seine", "seinen",
    "unser", "unsere", "unseren", "unserem", "unserer", "unseres", "mein", "meine", "meinen", "wir", "uns", "er",
    "es", "ich", "mich", "mir", "sich", "als", "wie", "wenn", "dass", "ob", "so", "auch", "noch", "nur", "schon",
    "sehr",
    "nicht", "kein", "keine", "keinen", "dieser", "diese", "dieses", "diesen", "jeder", "jede", "jedes", "alle",
    "bis", "seit", "während", "wegen", "trotz", "damit", "weil", "doch", "ja", "nein", "hier", "dort", "jetzt",
))


def title_cased(words: list[str], skip: Pattern | None, small: frozenset[str], threshold: float) -> bool:
    """Vale's ``$title`` test on the words of one block."""
    if not words:
        return True
    last = len(words) - 1
    right = 0
    for index, word in enumerate(words):
        inner_small = 0 < index < last and word.lower() in small
        expected = word.lower() if inner_small else _capital(word)
        if word == expected or _acronym(word) or excepted(skip, word):
            right += 1
    return right / len(words) >= threshold


def _first_letter(word: str) -> int:
    return next((i for i, ch in enumerate(word) if ch.isalpha()), -1)


def _capitalised(word: str) -> bool:
    i = _first_letter(word)
    return i < 0 or word[i].isupper()


def _capital(word: str) -> str:
    i = _first_letter(word)
    return word if i < 0 else word[:i] + word[i].upper() + word[i + 1:]


def _acronym(word: str) -> bool:
    letters = [ch for ch in word if ch.isalpha()]
    return len(letters) > 1 and all(ch.isupper() for ch in letters)
