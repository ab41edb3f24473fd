"""False alarms fixed by kind, from the words around a candidate (part-of-speech by context, linear).

- **Verbs**: "Perfect your photos", "Free your evenings", "Best the rest": a word that can be an adjective
  is a verb when it opens a clause (sentence start, after ``:``, ``;``, ``-``, "to", "and", "can", "will",
  "help you") and a determiner or possessive follows ("your", "the", "a"...). Applies to superlatives and
  "free"; health verbs are handled by the object rule in :mod:`~app.guardrails.claims.health_rules`.
- **Negation**: a candidate denied in place ("does not cure", "is never clinically tested", "compostable
  rather than recyclable", "cure-alls cure nothing", German "ist nicht kostenlos", "keine Heilwirkung") is
  not a claim.
- **Questions**: an offer, a promise or an environmental word in a reader's question ("Do you offer free
  shipping?", "Is the pouch recyclable?") is not a claim; health words in a question still are (a question
  can insinuate an effect).
- **Compounds**: every pattern treats hyphens as part of a word, so "not-for-profit", "caffeine-free" and
  "deep-green" never match "profit", "free" or "green" (see :mod:`~app.guardrails.claims.patterns`).
- **Topic words**: "delivery vans", "shipping partners": a topic noun modifying another noun names a
  thing, not the offer; :func:`is_topic_modifier` says so for disclaimer triggers.

Each rule looks at a fixed window of characters around the candidate, so the whole pass stays linear.
"""

from __future__ import annotations

import re

DETERMINERS = frozenset({
    "your", "the", "a", "an", "our", "their", "my", "his", "her", "its", "this", "that", "these", "those",
    "every", "each", "any", "some", "yourself", "up",
})
_CLAUSE_OPENERS = frozenset({"to", "and", "can", "will", "you", "we", "let", "lets", "helps", "help", "or", "then"})
_VERB_CAPABLE = frozenset({"perfect", "free", "best", "complete", "top", "clean", "better"})
# English, and German ("ist nicht kostenlos", "keine Heilwirkung", "ohne Garantie", "niemals klinisch getestet").
_NEGATORS = re.compile(r"(?:\bnot|\bnever|\bno|n't|n\u2019t|\bcannot|\bwithout|\bnor|\brather than|\binstead of"
                       r"|\bnicht|\bnie|\bniemals|\bkein|\bkeine|\bkeinen|\bkeinem|\bkeiner|\bkeines|\bohne|\bweder"
                       r"|\banstatt|\bstatt)\s+"
                       r"(?:\w+\s+){0,2}$")
# A question a reader asks ("Do you offer free shipping?") names an offer without making it.
_READER_QUESTION = re.compile(r"^\W*(?:do|does|did|is|are|can|could|will|would|how|what|when|where|which|why|who)\b"
                              r"[^?]*\?\s*$")
_NEGATED_OBJECT = re.compile(r"\s+(?:nothing|no one|nobody|none)\b")
_WORD_BEFORE = re.compile(r"([\w']+)\W*$")
_WORD_AFTER = re.compile(r"\W*([\w']+)")
_WINDOW = 40

TOPIC_HEADS = frozenset({
    "van", "vans", "driver", "drivers", "truck", "trucks", "lorry", "lorries", "bike", "bikes", "partner",
    "partners", "team", "teams", "staff", "fleet", "vehicle", "vehicles", "route", "routes", "company",
    "companies", "network", "depot", "depots", "centre", "center", "centres", "workers", "robot", "robots",
    "label", "labels", "address", "addresses", "note", "notes", "slot", "slots", "man", "men", "window",
    "windows", "crew", "crews", "service", "warehouse", "hub", "hubs", "container", "containers", "drone",
    "drones", "worker", "courier", "couriers", "person", "people", "date", "dates", "manifest", "scanner",
    "time", "times", "estimate", "estimates", "tracking", "status", "updates", "schedule", "area", "areas",
})


def is_verb_use(lower: str, start: int, end: int) -> bool:
    """True when the candidate word at ``lower[start:end]`` is used as a verb (see the module docstring)."""
    word = lower[start:end]
    if word not in _VERB_CAPABLE:
        return False
    after = _WORD_AFTER.match(lower, end, min(len(lower), end + _WINDOW))
    if after is None or after.group(1) not in DETERMINERS:
        return False
    before = lower[max(0, start - _WINDOW):start]
    stripped = before.rstrip(" \t")
    if not stripped or stripped[-1] in ".!?:;\n-\u2013\u2014*#\"'(":
        return True
    previous = _WORD_BEFORE.search(stripped)
    return previous is not None and previous.group(1) in _CLAUSE_OPENERS


def is_negated(lower: str, start: int, end: int) -> bool:
    """True when the candidate is denied in place: "does not cure", "cure nothing"."""
    before = lower[max(0, start - _WINDOW):start]
    if "not only" in before[-12:] or "no more" in before[-10:] or "nicht nur" in before[-14:]:
        return False
    return bool(_NEGATORS.search(before) or _NEGATED_OBJECT.match(lower, end, min(len(lower), end + 15)))


def is_reader_question(sentence: str) -> bool:
    """True for a question opening with an interrogative word: "Do you ship to Norway?"."""
    return bool(_READER_QUESTION.match(sentence.lower()))


def is_topic_modifier(lower: str, end: int) -> bool:
    """True when the topic word ending at ``end`` modifies the next noun ("delivery vans")."""
    after = _WORD_AFTER.match(lower, end, min(len(lower), end + _WINDOW))
    return after is not None and lower[end:end + 1] == " " and after.group(1) in TOPIC_HEADS
