"""What the word-based model must not see: idioms, hostility aimed at things, identity terms, and insults
that are negated or mentioned (rule (c) and the neutral half of rule (b)).

The default model scores words, so "Flavours to die for", "a killer deal", "we hate waste", "Meet the gay
and lesbian couples who run our cafe" and "never call a customer dumb" all score as toxic. The check
replaces these spans with spaces (same length, so spans stay valid) before the model reads the sentence.
Abuse that remains ("you are an idiot", a slur, "die in a fire") still reaches the model unchanged.

- Idioms (:data:`IDIOMS`): fixed marketing and everyday phrases built on violent or insulting words
  ("to die for", "killer deal", "drop-dead gorgeous", "crazy good", "beat the heat", "dumb luck").
- Hostile verbs aimed at things (:data:`HOSTILE_VERBS`): "hate", "kill", "destroy", "crush"... whose object
  is not a person or group ("we hate waste", "kills 99% of germs", "crush your cravings").
- Identity terms (:data:`~.groups.IDENTITY_WORDS`): naming a group is not toxic; demeaning it is the
  generalisation rule's job.
- Neutral insults: :func:`~.insults.neutral_insults`.
"""

from __future__ import annotations

import re

from app.guardrails.toxicity.groups import IDENTITY_TRIGGERS, IDENTITY_WORDS, PERSON_NOUNS, identity_term_spans
from app.guardrails.toxicity.insults import INSULT_TRIGGERS, INSULT_WORD, neutral_insults
from app.guardrails.toxicity.patterns import alternation, bounded, triggers, words_of

_GOOD = (r"(?:good|easy|simple|fast|quick|cheap|delicious|tasty|popular|busy|smooth|rich|moreish|addictive|"
         r"comfortable|cosy|cozy|fresh|fun|low|affordable|underrated|fragrant|strong|bold|handy|soft|sweet|"
         r"creamy|refreshing|beautiful|gorgeous|stunning|tempting|useful|versatile|accurate|reliable|well)")
IDIOMS = bounded("|".join((
    r"(?:to|worth|would|we'd|you'd|i'd)\s+(?:die|kill)\s+for", r"to-die-for", r"(?:to\s+)?kill\s+for",
    r"killer\s+(?!instinct\b|whale)[a-z][\w-]*", r"die-?hard", r"drop-?dead\s+" + _GOOD,
    r"dead\s+(?:easy|simple|good|cheap|cute|on|set|tasty|handy|comfy|comfortable|quiet|calm|right|serious|"
    r"centre|center|heat|end|ringer|giveaway|cert|certain|tired|beat|keen)",
    r"(?:killing|kill|killed|kills|slay|slaying|slayed|slays|crushing|crush|crushed|smash|smashing|smashed|"
    r"nail|nailed|nailing|rock|rocking|rocked)\s+it",
    r"dressed\s+to\s+kill", r"kill\s+two\s+birds", r"kill(?:ing|s)?\s+(?:time|an?\s+hour|the\s+mood)",
    r"(?:the|da)\s+bomb", r"bombshell", r"a\s+blast", r"blow(?:s|n)?\s+(?:you|your\s+mind|them|us|me)\s+away",
    r"mind-?blowing", r"blow(?:s|n|ing)?\s+(?:your|their|our|my|his|her)\s+minds?",
    r"knock\s+your\s+socks\s+off", r"knock-?out", r"sucker\s+punch",
    r"beat(?:s|ing)?\s+the\s+(?:heat|rush|crowds?|queues?|chill|cold|clock|odds|slump|afternoon\s+slump|blues)",
    r"fight(?:s|ing)?\s+(?:fatigue|the\s+cold|waste|boredom|tiredness|the\s+slump|off\s+\w+)",
    r"shoot\s+(?:us|me)\s+(?:an?\s+)?(?:email|message|note|line|text|dm)",
    rf"(?:crazy|insanely|stupid|stupidly|ridiculously|wicked|wickedly|sick|seriously|dangerously|deadly|"
    rf"sinfully|criminally|obscenely|offensively|disgustingly|ridiculous|absurdly|silly|insane|mad|madly)\s+{_GOOD}",
    r"damn\s+(?:good|fine)", r"hell\s+of\s+a", r"bloody\s+(?:good|brilliant|lovely|marvellous|great)",
    r"guilty\s+pleasures?", r"a\s+steal", r"steal\s+of\s+a\s+deal", r"war\s+on\s+(?:waste|plastic|\w+)",
    r"make\s+a\s+killing", r"(?:scared|bored|loved?|worried|tickled)\s+to\s+death",
    r"(?:sick|crazy|mad|nuts|wild)\s+(?:about|for)", r"go(?:es|ing)?\s+(?:crazy|nuts|mad|wild|bananas)",
    r"(?:fat|slim)\s+chance", r"dumb\s+(?:luck|phones?|gadgets?|devices?|terminals?|speakers?|tvs?|watch|"
    r"watches|bells?|waiter)", r"(?:murder|death)\s+by\s+\w+", r"no\s+(?:dumb|stupid|silly)\s+questions?",
    r"(?:it's|that's|is)\s+(?:a\s+)?no-brainer", r"(?:the\s+)?(?:fat|lean)\s+(?:content|free)",
    r"fat-free", r"low-fat", r"full-fat", r"bitch(?:in|ing)'?\s+(?:good|tea)", r"hit\s+the\s+(?:spot|shelves)",
    r"pull(?:s|ing)?\s+no\s+punches", r"punch(?:y|es\s+above)", r"(?:the\s+)?graveyard\s+shift",
    r"deadline", r"dead\s+of\s+(?:night|winter)", r"shut\s+up\s+and\s+take\s+my\s+money",
    r"crazy\s+(?:busy|week|month|day|year)",
)))

HOSTILE_VERBS = ("hate", "hates", "hated", "hating", "kill", "kills", "killed", "killing", "destroy",
                 "destroys", "destroyed", "crush", "crushes", "beat", "beats", "murder", "murders", "attack",
                 "attacks", "fight", "fights", "smash", "smashes", "slay", "slays", "shoot", "shoots",
                 "stab", "burn", "burns", "punch", "punches", "choke", "chokes", "strangle", "bash")
_PERSON = alternation((
    "you", "yourself", "yourselves", "him", "her", "them", "us", "me", "people", "everyone", "everybody",
    "anyone", "anybody", "someone", "somebody", "each other", "whoever", "all of you", "those people",
    "boss", "neighbour", "neighbor", "children", "kids", "baby", "babies", *PERSON_NOUNS,
))
_DETERMINERS = r"(?:(?:the|a|an|all|those|these|every|that|this|my|our|their|his|your|off|out|back|up)\s+)*"
_HOSTILE = re.compile(rf"(?<![\w-])({alternation(HOSTILE_VERBS)})\s+{_DETERMINERS}(\S+)", re.IGNORECASE)
_PERSON_WORD = re.compile(rf"(?:{_PERSON})\W*", re.IGNORECASE)
_YOU_SPELT = re.compile(r"(?:ya|yall|y'all|yaself|yaselves|yourself|urself|u|ur|em|'em)\W*$", re.IGNORECASE)
_DIE = bounded(r"die|dies|died|dying")
_DIE_WISHED = re.compile(r"(?:you|should|must|go|hope|wish|deserve\s+to|please|just|gonna|to)\s+$", re.IGNORECASE)


# Every idiom holds one of these words, so a sentence without any of them skips the idiom patterns.
_IDIOM_KEYS = (
    "die", "dies", "dying", "dead", "deadly", "killer", "bomb", "bombshell", "blast", "blow", "blows", "blown",
    "blowing", "knock", "knockout", "crazy", "insane", "insanely", "sick", "mad", "madly", "damn", "hell",
    "bloody", "guilty", "steal", "war", "death", "nuts", "wild", "bananas", "fat", "slim", "dumb", "murder",
    "punch", "punches", "punchy", "shut", "scared", "bored", "silly", "stupid", "stupidly", "wicked",
    "wickedly", "ridiculous", "ridiculously", "sinfully", "criminally", "obscenely", "offensively",
    "disgustingly", "dangerously", "seriously", "absurdly", "brainer", "graveyard", "deadline", "hit", "pull",
    "pulls", "pulling", "nail", "nailed", "nailing", "rock", "rocked", "rocking", "dressed", "bitchin",
    "bitching", "chance", "luck", "diehard", "fight", "fights", "fighting", "beat", "beats", "beating",
    "shoot", "slay", "slays", "slaying", "slayed", "crush", "crushed", "crushing", "smash", "smashed",
    "smashing", "kill", "kills", "killed", "killing", "to-die-for", "mind-blowing",
)
_IDIOM_TRIGGERS = triggers(_IDIOM_KEYS)
_MASK_TRIGGERS = triggers(_IDIOM_KEYS, HOSTILE_VERBS) | INSULT_TRIGGERS | IDENTITY_TRIGGERS


def masked_spans(sentence: str) -> list[tuple[int, int]]:
    """Spans of ``sentence`` (folded English) that the word-based model must not read, in no order."""
    words = words_of(sentence)
    if words.isdisjoint(_MASK_TRIGGERS):
        return []
    spans = [m.span() for m in IDIOMS.finditer(sentence)] if not words.isdisjoint(_IDIOM_TRIGGERS) else []
    if not words.isdisjoint(IDENTITY_TRIGGERS):
        spans += [span for span in identity_term_spans(sentence) if not _insult_follows(sentence, span[1])]
    spans += sorted(neutral_insults(sentence))
    for match in _HOSTILE.finditer(sentence):
        if _aimed_at_a_thing(sentence, match):
            spans.append(match.span(1))
    for match in _DIE.finditer(sentence):
        if not _DIE_WISHED.search(sentence, max(0, match.start() - 14), match.start()):
            spans.append(match.span())
    return spans


def _aimed_at_a_thing(sentence: str, match: re.Match[str]) -> bool:
    """The hostile verb's object is a lower-case word that names no person, group, insult or slur."""
    target = match.group(2)
    return not (target[:1].isupper() or _PERSON_WORD.fullmatch(target) or _YOU_SPELT.match(target)
                or target.lower().strip(".,;:!?") in IDENTITY_WORDS or INSULT_WORD.match(sentence, match.start(2)))


def _insult_follows(sentence: str, end: int) -> bool:
    """"white trash", "gay bitch": an identity word fused with an insult is a slur, not a name."""
    return INSULT_WORD.match(sentence, end + 1) is not None and sentence[end:end + 1].isspace()


def mask(sentence: str, spans: list[tuple[int, int]]) -> str:
    """``sentence`` with ``spans`` blanked out by spaces (same length)."""
    chars = list(sentence)
    for start, end in spans:
        chars[start:end] = " " * (end - start)
    return "".join(chars)
