"""Degenerate repetition: the loops a small model falls into, in time linear in the text's length.

Words are compared lower-cased, ignoring punctuation. Rules (each finding spans the repeated stretch):

- ``repetition:loop``: the same run of words back to back on one line: one word four times or more
  (``tea tea tea tea``), two or three words three times (``so good so good so good``), or four to
  :data:`MAX_PERIOD` words twice (``a warm cup for you a warm cup for you``). Found with one pass per
  period length, comparing each word with the word ``k`` places later.
- ``repetition:repeated_sentence``: a sentence or line of :data:`MIN_SENTENCE_WORDS` words or more that
  appears again anywhere in the text (the headline repeated as the body, a closing line written twice).
- ``repetition:repeated_phrase``: a run of :data:`PHRASE_WORDS` words that occurs :data:`PHRASE_MAX`
  times or more anywhere in the text (``Quiet Hours is ... Quiet Hours is ...``), unless it is part of a
  name the caller gives (the brand's and its products': long copy says ``The Tea Club`` often); or a run
  of :data:`LONG_PHRASE_WORDS` words or more that occurs twice after the headline (a body sentence copied
  into the call to action). A variant's body may restate its headline.

Thresholds: a doubled word (``the the``) is a typo, not a loop, and a tripled word or short phrase is a
rhetorical device (``Location, location, location``), so loops need more copies the shorter they are.
Measured on the 18F content guide and the Vale fixtures' clean lines, and on the collected drafts
(``evals/quality/README.md``): the name exception, the headline exception and ten words (not eight) for a
long phrase came from two false alarms on good held-out drafts.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable

from app.guardrails.quality.findings import Finding
from app.guardrails.quality.layout import is_variant, words
from app.guardrails.sentences import split_sentences

MAX_PERIOD = 8
MIN_SENTENCE_WORDS = 4
PHRASE_WORDS = 3
PHRASE_MAX = 4
LONG_PHRASE_WORDS = 10


def repetition_findings(text: str, names: Iterable[str] = ()) -> list[Finding]:
    """Every repetition in ``text``; runs of words inside one of ``names`` are not counted as phrases."""
    tokens = words(text)
    lowered = [m.group(0).lower() for m in tokens]
    inside_names = {tuple(name[i:i + PHRASE_WORDS]) for name in (tuple(w.group(0).lower() for w in words(n))
                                                                   for n in names)
                    for i in range(len(name) - PHRASE_WORDS + 1)}
    headline_end = text.find("\n") if is_variant(text) else -1
    after_headline = next((i for i, m in enumerate(tokens) if m.start() > headline_end), len(tokens))
    return [*_loops(tokens, lowered), *_repeated_sentences(text),
            *_repeated_phrases(tokens, lowered, inside_names), *_repeated_long_phrases(tokens, lowered,
                                                                                       after_headline)]


def _copies_needed(period: int) -> int:
    return 4 if period == 1 else 3 if period <= 3 else 2


def _loops(tokens: list[re.Match[str]], lowered: list[str]) -> list[Finding]:
    line, lines = 0, []  # each word's line: a loop stays on one line (a headline may end as the body begins)
    for i, m in enumerate(tokens):
        line += m.string.count("\n", tokens[i - 1].end() if i else 0, m.start())
        lines.append(line)
    taken: list[tuple[int, int]] = []
    for period in range(1, MAX_PERIOD + 1):
        run = 0
        for i in range(len(lowered) - period + 1):
            same = (i + period < len(lowered) and lowered[i] == lowered[i + period]
                    and lines[i] == lines[i + period])
            if same:
                run += 1
                continue
            copies = (run + period) // period
            if copies >= _copies_needed(period):
                first, last = i - run, i + period - 1  # word indexes covered by the loop
                if not any(first <= b and a <= last for a, b in taken):
                    taken.append((first, last))
            run = 0
    found = []
    for first, last in sorted(taken):
        start, end = tokens[first].start(), tokens[last].end()
        shown = tokens[first].string[start:end]
        found.append(Finding(rule="repetition:loop", spans=((start, end),), evidence=shown,
                             reason=f"{_clip(shown)!r} repeats itself word for word: the model looped; rewrite it"))
    return found


def _repeated_sentences(text: str) -> list[Finding]:
    seen: dict[tuple[str, ...], tuple[int, int]] = {}
    found = []
    for start, end, sentence in split_sentences(text):
        key = tuple(m.group(0).lower() for m in words(sentence))
        if len(key) < MIN_SENTENCE_WORDS:
            continue
        if key in seen:
            found.append(Finding(rule="repetition:repeated_sentence", spans=(seen[key], (start, end)),
                                 evidence=sentence,
                                 reason=f"{_clip(sentence)!r} appears twice: say each thing once"))
        else:
            seen[key] = (start, end)
    return found


def _repeated_phrases(tokens: list[re.Match[str]], lowered: list[str],
                      inside_names: set[tuple[str, ...]]) -> list[Finding]:
    where: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for i in range(len(lowered) - PHRASE_WORDS + 1):
        where[tuple(lowered[i:i + PHRASE_WORDS])].append(i)
    found = []
    for gram, starts in where.items():
        if len(starts) < PHRASE_MAX or gram in inside_names:
            continue
        spans = tuple((tokens[i].start(), tokens[i + PHRASE_WORDS - 1].end()) for i in starts)
        phrase = " ".join(gram)
        found.append(Finding(rule="repetition:repeated_phrase", spans=spans, evidence=phrase,
                             reason=f"{phrase!r} comes {len(starts)} times: vary the wording or cut the repeats"))
    return found


def _repeated_long_phrases(tokens: list[re.Match[str]], lowered: list[str], start: int) -> list[Finding]:
    """Stretches of :data:`LONG_PHRASE_WORDS`+ words from word ``start`` on (after the headline) that already
    occurred earlier from there, not overlapping it."""
    first_seen: dict[tuple[str, ...], int] = {}
    repeated = [False] * len(lowered)
    n = LONG_PHRASE_WORDS
    for i in range(start, len(lowered) - n + 1):
        gram = tuple(lowered[i:i + n])
        earlier = first_seen.setdefault(gram, i)
        if earlier != i and i - earlier >= n:
            repeated[i:i + n] = [True] * n
    found, i = [], 0
    while i < len(repeated):
        if not repeated[i]:
            i += 1
            continue
        j = i
        while j + 1 < len(repeated) and repeated[j + 1]:
            j += 1
        start, end = tokens[i].start(), tokens[j].end()
        shown = tokens[i].string[start:end]
        found.append(Finding(rule="repetition:repeated_phrase", spans=((start, end),), evidence=shown,
                             reason=f"{_clip(shown)!r} was already said word for word: say it once"))
        i = j + 1
    return found


def _clip(text: str, most: int = 60) -> str:
    return text if len(text) <= most else text[:most - 1] + "\u2026"
