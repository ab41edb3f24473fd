"""Rule (b): direct abuse of a person in English, and the insult words that are only mentioned or negated.

Abuse needs a target and an insult in one clause: second person ("you're a moron", "you stupid cow",
"you look like an idiot"), a pointed-at person ("he is a liar", "your manager is a clown"), or an abusive
formula ("shut up", "go to hell", "nobody wants you here").

An insult word does NOT count as abuse when it is:

- negated in its clause: "we will never call you stupid", "nobody here thinks you are a fool",
  "you are not an idiot for asking" (scope: :func:`~.patterns.negated_at`);
- mentioned rather than used: style advice about calling someone something ("never call a reader
  lazy or slow"), the word itself ("the word 'idiot'", "words like moron"), or in quotation marks.

:func:`neutral_insults` returns those spans, which the check hides from the word-based model too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from app.guardrails.toxicity.patterns import alternation, bounded, negated_at, triggers, words_of

SURE = 0.9
THIRD_PERSON = 0.8

INSULT_NOUNS = (
    "idiot", "idiots", "moron", "morons", "imbecile", "imbeciles", "fool", "fools", "loser", "losers",
    "retard", "retards", "cretin", "cretins", "dimwit", "halfwit", "nitwit", "numpty", "twat", "prick",
    "dick", "dickhead", "asshole", "arsehole", "assholes", "bastard", "bastards", "bitch", "bitches", "jerk",
    "scum", "trash", "garbage", "clown", "clowns", "disgrace", "failure", "coward", "psycho", "lunatic",
    "freak", "weirdo", "creep", "pig", "cow", "rat", "snake", "parasite", "leech", "vermin", "waste of space",
    "piece of shit", "piece of garbage", "piece of work", "liar", "liars", "cheat", "fraud", "hypocrite",
    "dipshit", "douche", "douchebag", "wanker", "tosser", "git", "prat", "plonker", "muppet", "bellend",
    "knobhead", "slut", "whore", "skank", "cunt", "fatso", "lardass", "dummy", "dunce", "simpleton",
    "airhead", "bimbo", "degenerate", "embarrassment", "joke", "nobody", "dumbass", "jackass", "scumbag",
    "shithead", "buffoon", "dolt", "oaf", "pillock", "clot", "nutjob", "nutcase", "sheep",
)
INSULT_ADJECTIVES = (
    "stupid", "dumb", "pathetic", "worthless", "useless", "ugly", "retarded", "brainless", "clueless",
    "incompetent", "ignorant", "thick", "hopeless", "disgusting", "idiotic", "moronic", "fat", "lazy",
    "dense", "gormless", "spineless", "vile", "repulsive", "revolting", "filthy", "dim", "slow", "daft",
    "silly", "crazy", "insane", "mental", "nuts", "sick",
)
INSULTS = INSULT_NOUNS + INSULT_ADJECTIVES
# Profanity and slur-like insults stay abusive under a negation or in quotation marks ("don't be a bitch",
# "ain't got time for stupid bitches"); only ordinary insults are cleared by them ("we will never call you
# stupid"). Explicit mention ("the word X", "never call a customer X") clears any insult.
PROFANE = frozenset((
    "twat", "prick", "dick", "dickhead", "asshole", "arsehole", "assholes", "bastard", "bastards", "bitch",
    "bitches", "piece of shit", "dipshit", "douche", "douchebag", "wanker", "tosser", "bellend", "knobhead",
    "slut", "whore", "skank", "cunt", "shithead", "retard", "retards", "retarded", "fatso", "lardass",
    "dumbass", "jackass", "scumbag", "scum",
))
# A negation governs an insult only this many words ahead ("no one on our team thinks you are a fool": 9).
NEGATION_REACH = 10
# Hyperbole a brand may use about its reader: "you'd be crazy to miss it", "you're silly not to".
_HYPERBOLE = frozenset({"crazy", "insane", "mental", "nuts", "mad", "silly", "sick", "slow"})

_MODIFIERS = (r"(?:\s+(?:such|so|a|an|the|just|really|complete|total|absolute|utter|fucking|bloody|damn|little|"
              r"big|sad|old|pathetic|stupid|dumb|fat|ugly|lazy|useless|worthless|brainless|ignorant))*")
# Without a verb the words between "you" and the insult must be abusive too: "you absolute idiot", but not
# "we send you a joke" or "we bring you the trash bags".
_BARE_MODIFIERS = (r"(?:\s+(?:fucking|bloody|damn|stupid|dumb|little|big|fat|ugly|lazy|useless|worthless|pathetic|"
                   r"brainless|ignorant|absolute|complete|total|utter))*")
_INSULT = alternation(INSULTS)
_NOUN = alternation(INSULT_NOUNS)
_SECOND_PERSON = (
    rf"you(?:'re|\s+are|\s+r|re|\s+were|\s+look\s+like|\s+sound\s+like|\s+act\s+like|\s+seem|'ve\s+been|"
    rf"\s+have\s+been|\s+must\s+be|\s+really\s+are){_MODIFIERS}\s+{_INSULT}",
    rf"you{_BARE_MODIFIERS}\s+{_NOUN}",
    rf"(?:your|ur)\s+(?:a|an|such\s+an?|so)\s+{_INSULT}",
)
_THIRD_PERSON = (
    rf"(?:he|she|he's|she's|this\s+(?:guy|man|woman|person|idiot)|that\s+(?:guy|man|woman|person)|"
    rf"your\s+(?:boss|manager|husband|wife|mum|mom|dad|friend|partner|teacher))"
    rf"(?:'s|\s+is|\s+was)?{_MODIFIERS}\s+(?:a|an)\s+(?:\w+\s+)?{_NOUN}",
)
ABUSE_FORMULAS = (
    "shut up", "shut the fuck up", "stfu", "fuck you", "fuck off", "screw you", "go to hell", "go die",
    "drop dead", "kill yourself", "kys", "get lost", "piss off", "bugger off", "sod off", "eat shit",
    "go fuck yourself", "i hate you", "we hate you", "nobody likes you", "nobody wants you", "no one likes you",
    "you should die", "i hope you die", "hope you die", "you make me sick", "you disgust me", "get a brain",
    "get a life", "you suck", "you people disgust",
)
SECOND_PERSON_ABUSE = bounded("|".join(_SECOND_PERSON))
THIRD_PERSON_ABUSE = bounded("|".join(_THIRD_PERSON))
# "Shut up and take my money" is a fan's cheer, not an order to be quiet.
FORMULA = bounded(alternation(ABUSE_FORMULAS) + r"(?!\s+and\s+take\s+my\s+money)")
INSULT_WORD = bounded(_INSULT)

_TARGETS = (r"(?:a|an|the|our|your|any|other|a\s+fellow)?\s*(?:customer|customers|client|clients|reader|readers|"
            r"user|users|someone|somebody|anyone|anybody|people|person|colleague|colleagues|guest|guests|"
            r"staff|member|members|them|him|her|others|other\s+people|an?\s+\w+|each\s+other|yourself|"
            r"themselves|kids|children|patients|callers|shoppers|buyers|visitors|the\s+competition)")
_MENTIONS = (
    rf"(?:call|calling|called|calls|label|labelling|labeling|labelled|labeled|describe|describing|"
    rf"refer\s+to|referring\s+to|brand|branding|dismiss|dismissing)\s+{_TARGETS}\s+(?:as\s+)?(?:a\s+|an\s+)?"
    rf"{_INSULT}(?:\s*(?:,|or|and|/)\s*(?:a\s+|an\s+)?{_INSULT})*",
    rf"(?:the\s+)?(?:word|words|term|terms|phrase|phrases|label|labels|insult|insults|slur|slurs|adjective|"
    rf"adjectives|name|names)\s+(?:like\s+|such\s+as\s+|including\s+)?[\"']?{_INSULT}(?:[\"']?\s*(?:,|or|and|/)\s*"
    rf"[\"']?{_INSULT})*",
    rf"(?:avoid|avoiding|replace|replacing|instead\s+of|ban|banning|cut|cutting|drop|dropping)\s+[\"']?{_INSULT}"
    rf"(?:[\"']?\s*(?:,|or|and|/)\s*[\"']?{_INSULT})*",
)
# An imperative formula with a subject before it is a statement: "places where you get lost", "to shut up shop".
_SUBJECT_BEFORE = re.compile(r"(?<![\w'-])(?:you|we|i|they|he|she|it|to|will|would|can|could|might|may|'ll|"
                             r"never|don't|doesn't|won't)\s+$", re.IGNORECASE)
MENTION = bounded("|".join(_MENTIONS))
_QUOTED = re.compile(r"\"[^\"\n]{1,120}\"|(?<![\w'])'[^'\n]{1,60}'(?![\w'])")


@dataclass(frozen=True)
class Abuse:
    """Direct abuse found in a sentence: its span, kind (``second person``, ``third person``, ``formula``)
    and score."""

    span: tuple[int, int]
    kind: str
    score: float
    evidence: str


INSULT_TRIGGERS = triggers(INSULTS)
_FORMULA_TRIGGERS = triggers(ABUSE_FORMULAS)


def find_abuse(sentence: str) -> list[Abuse]:
    """Abuse of a person in one folded English sentence, leaving out negated and mentioned insults."""
    words = words_of(sentence)
    if words.isdisjoint(INSULT_TRIGGERS) and words.isdisjoint(_FORMULA_TRIGGERS):
        return []
    neutral = neutral_insults(sentence)
    found = []
    for kind, pattern, score in (("second person", SECOND_PERSON_ABUSE, SURE),
                                 ("third person", THIRD_PERSON_ABUSE, THIRD_PERSON),
                                 ("formula", FORMULA, SURE)):
        for match in pattern.finditer(sentence):
            if kind != "formula":
                insult = _last_insult(sentence, *match.span())
                if insult is None or insult in neutral or _is_hyperbole(sentence, insult):
                    continue
            elif negated_at(sentence, match.start()) or _inside(match.span(), _quoted(sentence)) \
                    or _SUBJECT_BEFORE.search(sentence, 0, match.start()):
                continue
            found.append(Abuse(span=match.span(), kind=kind, score=score, evidence=match.group(0)))
    return found


def neutral_insults(sentence: str) -> set[tuple[int, int]]:
    """Spans of insult words in ``sentence`` that are negated, mentioned or quoted, not used on anyone."""
    if words_of(sentence).isdisjoint(INSULT_TRIGGERS):
        return set()
    quoted = _quoted(sentence)
    mentioned = [m.span() for m in MENTION.finditer(sentence)]
    neutral = set()
    for word in INSULT_WORD.finditer(sentence):
        span = word.span()
        profane = word.group(0).lower() in PROFANE
        if _inside(span, mentioned) or (not profane and (_inside(span, quoted) or _negated(sentence, span[0]))):
            neutral.add(span)
    return neutral


def _negated(sentence: str, position: int) -> bool:
    return negated_at(sentence, position, reach=NEGATION_REACH)


def _last_insult(sentence: str, start: int, end: int) -> tuple[int, int] | None:
    spans = [m.span() for m in INSULT_WORD.finditer(sentence, start, end)]
    return spans[-1] if spans else None


def _is_hyperbole(sentence: str, span: tuple[int, int]) -> bool:
    return sentence[span[0]:span[1]].lower() in _HYPERBOLE


def _quoted(sentence: str) -> list[tuple[int, int]]:
    return [m.span() for m in _QUOTED.finditer(sentence)]


def _inside(span: tuple[int, int], spans: list[tuple[int, int]]) -> bool:
    return any(start <= span[0] and span[1] <= end for start, end in spans)
