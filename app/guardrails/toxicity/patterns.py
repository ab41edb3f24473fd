"""Building blocks for the toxicity rules: word-list alternations, clause limits and negation cues.

Every rule in this package is a regular expression over one sentence built from word lists with
:func:`alternation`: plain alternations of literal words and bounded gaps (``{0,n}``), no nested
unbounded repetition, so each rule costs time linear in the sentence length.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

# Typographic apostrophes and quotes become ASCII ones of the same length, so spans stay valid.
_FOLD = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u00ab": '"',
                       "\u00bb": '"', "\u2032": "'"})


def fold(sentence: str) -> str:
    """``sentence`` with curly quotes and apostrophes as ASCII; same length, so offsets carry over."""
    return sentence.translate(_FOLD)


_WORD = re.compile(r"[\w'-]+")


@lru_cache(maxsize=2048)
def words_of(sentence: str) -> frozenset[str]:
    """The lower-case words of ``sentence``, hyphenated ones also in parts: for :func:`triggers` tests."""
    found = set()
    for word in _WORD.findall(sentence.lower()):
        found.add(word)
        if "-" in word or "'" in word:
            found.update(re.split(r"[-']", word))
    return frozenset(found)


def triggers(*word_lists: Iterable[str]) -> frozenset[str]:
    """Every word of every entry: a rule built from these lists can only match a sentence that holds one.

    A sentence whose :func:`words_of` is disjoint from a rule's triggers skips the rule's regular
    expression: long alternations cost about 0.3 ms a sentence in Python's ``re``, a set test microseconds.
    """
    return frozenset(w for entries in word_lists for entry in entries for w in re.split(r"[\s'-]+", entry.lower()) if w)


def alternation(words: Iterable[str]) -> str:
    """A non-capturing group matching any of ``words`` (longest first); spaces match any run of spaces."""
    ordered = sorted({w.strip().lower() for w in words if w.strip()}, key=len, reverse=True)
    return "(?:" + "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in ordered) + ")"


def bounded(pattern: str) -> re.Pattern[str]:
    """``pattern`` between word boundaries, case-insensitive; a contraction ("'re") may follow a word."""
    return re.compile(rf"(?:(?<![\w-])|(?='))(?:{pattern})(?![\w-])", re.IGNORECASE)


# Up to ``n`` words in between, none of them a clause break: "women, in my view, are ..." bridges,
# "women run the farm but the men are ..." does not.
CLAUSE_BREAKS = ("but", "while", "whereas", "although", "though", "because", "unlike", "than",
                 "aber", "sondern", "während", "obwohl", "weil", "als")
_BREAK = alternation(CLAUSE_BREAKS)


def bridge(n: int) -> re.Pattern[str]:
    """Matches (``fullmatch``) what may stand between two parts of one clause: 0..``n`` words and commas,
    ending in "but"/"and"/"yet" when the second part follows at once ("are good at X but can't think")."""
    return re.compile(rf"[\s,]*(?:(?!{_BREAK}\b)[\w'-]+[\s,]+){{0,{n}}}(?:(?:but|and|yet|aber|und)\s+)?",
                      re.IGNORECASE)


# Negation cues whose scope runs to the end of the clause: "we will never call you X", "nobody thinks
# you are X", "you are not X". "no" alone is left out: "no idiot could miss it" is not a negation of X.
ENGLISH_NEGATIONS = ("not", "never", "nobody", "no one", "noone", "none of us", "neither", "nor", "without",
                     "hardly", "no need to", "no reason to", "stop calling", "don't", "do not", "doesn't",
                     "does not", "didn't", "did not", "won't", "will not", "wouldn't", "would not", "can't",
                     "cannot", "can not", "couldn't", "shouldn't", "should not", "mustn't", "must not",
                     "isn't", "is not", "aren't", "are not", "wasn't", "weren't", "ain't", "no longer")
GERMAN_NEGATIONS = ("nicht", "nie", "niemals", "niemand", "keiner", "keine", "keinen", "keinem", "kein",
                    "weder", "noch nie", "nirgends", "ohne")
_CLAUSE_END = re.compile(r"[;:.!?]|,\s*(?:but|aber|sondern)\b|\b(?:but|aber|sondern)\b", re.IGNORECASE)
_NEGATION = {
    "en": bounded(alternation(ENGLISH_NEGATIONS)),
    "de": bounded(alternation(GERMAN_NEGATIONS)),
}
_NOT_CONTRACTION = re.compile(r"\w+n't\b", re.IGNORECASE)


def negated_at(sentence: str, position: int, language: str = "en", reach: int | None = None) -> bool:
    """Whether a negation cue governs ``position``: one occurs earlier in the same clause (and, when
    ``reach`` is given, within ``reach`` words before it)."""
    clause_start = 0
    for end in _CLAUSE_END.finditer(sentence, 0, position):
        clause_start = end.end()
    before = sentence[clause_start:position]
    if reach is not None:
        before = " ".join(before.split()[-reach:])
    if _NEGATION[language].search(before):
        return True
    return language == "en" and bool(_NOT_CONTRACTION.search(before))
