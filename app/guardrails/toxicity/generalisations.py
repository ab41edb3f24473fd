"""Rule (a): demeaning generalisations about a group, with or without slurs (English).

A finding needs a group reference (:mod:`.groups`) and, in the same clause, a demeaning predicate:

- ``trait``: the group *is* something bad, "are (all|just|naturally...) lazy / criminals / animals /
  a burden / bad at maths", unless negated ("women are not lazy");
- ``capability``: a deficit, "not smart enough for", "too emotional to", "can't be leaders",
  "lack the brains", "less intelligent";
- ``exclusion``: "should not be allowed near", "don't belong here", "have no place in", "should be
  deported", "go back to where";
- ``hostile action`` before the group: "never hire women", "keep those people out", "ban all Muslims",
  "no Irish allowed".

Scores (on the check's 0..1 scale; the default threshold is 0.6): :data:`SURE` when the claim is made,
:data:`REPORTED` when it is reported or rejected ("it's a myth that...", "nobody believes...", inside
quotation marks): then the rules are unsure and the judge decides when there is one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from app.guardrails.toxicity.groups import GROUP, group_spans
from app.guardrails.toxicity.patterns import alternation, bounded, bridge, negated_at

SURE = 0.9
REPORTED = 0.45

_COPULA = r"(?:are|is|'re|were|was|be|being|seem\s+to\s+be|tend\s+to\s+be|will\s+always\s+be|have\s+always\s+been)"
_ADVERB = (r"(?:all|just|simply|basically|naturally|inherently|always|mostly|genetically|really|so|such|"
           r"literally|nothing\s+but|no\s+better\s+than|like|born|by\s+nature|a\s+bunch\s+of|a\s+pack\s+of|"
           r"a\s+load\s+of|filthy|dirty|lazy|little|worthless|complete|total|the)")
TRAITS = (
    "lazy", "stupid", "dumb", "idiots", "morons", "imbeciles", "criminals", "crooks", "thieves", "thugs",
    "violent", "dirty", "filthy", "smelly", "animals", "beasts", "vermin", "parasites", "rats", "cockroaches",
    "pigs", "dogs", "apes", "monkeys", "savages", "barbarians", "inferior", "subhuman", "sub-human",
    "terrorists", "rapists", "paedophiles", "pedophiles", "predators", "groomers", "liars", "cheats",
    "greedy", "primitive", "backward", "diseased", "a disease", "a plague", "a cancer", "a burden", "burdens",
    "leeches", "freeloaders", "scroungers", "spongers", "uncivilised", "uncivilized", "untrustworthy",
    "dishonest", "evil", "worthless", "useless", "trash", "scum", "garbage", "hysterical", "irrational",
    "perverts", "deviants", "degenerates", "degenerate", "unnatural", "an abomination", "abominations",
    "sick in the head", "mentally ill", "retarded", "ignorant", "illiterate", "uneducated", "incompetent",
    "unclean", "a threat", "a danger", "a menace", "dangerous", "the problem", "the enemy", "invaders",
    "breeders", "cowards", "fanatics", "extremists", "bad drivers", "slaves", "property", "second-class",
    "good for nothing", "unfit", "a waste of space", "a waste of money", "a waste of oxygen", "disgusting",
    "repulsive", "freaks", "weirdos", "losers", "a joke", "a drain", "useless eaters", "naive", "gullible",
    "brainless", "stupider", "dumber", "lazier", "the worst", "less than human", "not human", "not people",
    "too emotional", "too sensitive", "too weak", "all the same", "a liability", "liabilities", "cowboys",
    "a drain", "a drain on society", "crooks", "frauds", "cheaters", "spongers", "wasters", "layabouts",
    "scammers", "fraudsters", "con artists", "swindlers", "beggars", "drunks", "addicts", "junkies", "gangsters",
    "troublemakers", "a bad influence", "bad influences", "a nuisance", "a pest", "pests", "a cost", "just a cost",
    "a plague", "a scourge", "a disgrace", "an embarrassment", "more trouble than they're worth",
    "not worth the trouble", "uneducated", "brainwashed", "born liars", "born thieves", "born criminals",
)
# One coordinated word may come first: "are all cowboys and crooks", "are loud, dirty and lazy".
_TRAIT = rf"{_COPULA}(?:\s+{_ADVERB})*\s+(?:[\w-]+,?\s+(?:and|or)\s+|[\w-]+,\s+)?(?:a\s+|an\s+)?{alternation(TRAITS)}"
# What a group is said to do: a vice, a missing virtue, a conspiracy trope.
_DEEDS = (
    r"(?:smell|smells|stink|stinks|reek|reeks)",
    r"(?:don't|do\s+not|doesn't|does\s+not|never|can't|cannot|won't|will\s+not)\s+(?:value|respect|care\s+about|"
    r"appreciate|work\s+hard|want\s+to\s+work|wash|pay\s+(?:their\s+)?taxes|contribute|integrate|assimilate|"
    r"learn|follow\s+(?:the\s+)?rules|obey|bother|fit\s+in)",
    r"(?:bring|brings|cause|causes|spread|spreads|commit|commits)\s+(?:nothing\s+but\s+|only\s+|all\s+the\s+)?"
    r"(?:crime|crimes|disease|diseases|violence|drugs|trouble|chaos|problems|terror|filth)",
    r"(?:control|controls|run|runs|own|owns)\s+(?:the|all\s+the|our)\s+(?:banks|media|government|world|money|"
    r"hollywood|press)",
    r"(?:steal|steals|take|takes)\s+our\s+(?:jobs|homes|women|benefits|money|country)",
    r"(?:steal|steals|stole|rob|robs|cheat|cheats|scam|scams)\s+(?:from|everything|anything|you|us|people)",
    r"(?:will|would|always)\s+(?:ruin|destroy|wreck|take\s+over|turn\s+\w+(?:\s+\w+)?\s+into\s+a)",
    r"(?:are|is|'re)\s+not\s+(?:real|proper|true|normal)\s+(?:men|women|people|humans|citizens|parents|"
    r"families|\w+s)",
)

_ABLE = alternation((
    "smart", "intelligent", "clever", "bright", "capable", "competent", "rational", "logical", "mature",
    "civilised", "civilized", "strong", "tough", "disciplined", "skilled", "gifted", "talented", "honest",
    "trustworthy", "good", "fit", "qualified", "able", "human", "hard-working", "hardworking", "educated",
))
_NOT = r"(?:aren't|isn't|wasn't|weren't|(?:are|is|were|was)\s+not|not|never|(?:are|is)\s+never)"
_CAPABILITIES = (
    rf"{_NOT}(?:\s+(?:really|quite|simply|just))?\s+{_ABLE}\s+enough",
    rf"{_NOT}\s+(?:as|so)\s+{_ABLE}\s+as",
    rf"(?:{_NOT}|are\s+in)(?:\s+(?:really|quite|simply|just))?\s+(?:capable|able|fit|suited|qualified|cut\s+out|made|"
    rf"built|meant)\s+(?:of|to|for)",
    r"(?:are|is|'re)\s+incapable\s+of",
    r"(?:cannot|can't|can\s+not|could\s+never|will\s+never|are\s+unable\s+to|are\s+incapable\s+of|"
    r"aren't\s+able\s+to|are\s+not\s+able\s+to|never\s+learn\s+to)(?:\s+\w+)?\s+(?:think|thinking|reason|lead|"
    r"leading|learn|understand|handle|manage|cope|drive|driving|compete|integrate|assimilate|control|raise|"
    r"parent|keep\s+up|work\s+hard|speak\s+properly|do\s+(?:math|maths|science|engineering|business|"
    r"the\s+job|this\s+job|anything|real\s+work)|be\s+(?:leaders|engineers|scientists|doctors|pilots|bosses|"
    r"managers|trusted|civili[sz]ed|taught|reasoned\s+with|good\s+at))",
    r"(?:lack|lacks|have\s+no|has\s+no|haven't\s+got)\s+(?:the\s+)?(?:brains|brain|intelligence|ability|"
    r"capacity|discipline|morals|culture|manners|common\s+sense|self-control|work\s+ethic|iq)",
    r"(?:have|has)\s+(?:low|lower)\s+(?:iqs?|intelligence)",
    r"(?:are|is|'re)\s+less\s+(?:intelligent|capable|evolved|human|civili[sz]ed|rational|smart|competent|skilled|"
    r"educated|trustworthy|deserving|valuable|productive)",
    r"(?:are|is|'re)\s+(?:\w+\s+)?too\s+(?:stupid|dumb|lazy|weak|emotional|slow|primitive|backward|simple|"
    r"ignorant|greedy|dirty|violent|hysterical|sensitive|fragile|soft|incompetent|thick)\s+(?:to|for)",
    r"(?:are|is|'re)\s+(?:\w+\s+)?(?:bad|terrible|hopeless|useless|awful|rubbish|no\s+good)\s+(?:at|with)",
    r"(?:are|is)\s+only\s+good\s+for",
    r"belongs?\s+in\s+(?:the\s+)?(?:kitchen|zoo|jungle|cage|cages|gutter|trash|bin|gas\s+chambers?)",
    r"(?:should|must)\s+(?:stay|be\s+kept)\s+(?:in\s+the\s+kitchen|at\s+home|in\s+their\s+place|quiet|silent)",
    r"(?:should\s+)?know\s+their\s+place",
)
_MUST_NOT = r"(?:should|must|ought\s+to|need\s+to)(?:n't|\s+not|\s+never)|shouldn't|mustn't|should\s+never"
_EXCLUSIONS = (
    rf"(?:{_MUST_NOT})\s+be\s+(?:allowed|permitted|let|trusted|hired|employed|promoted|admitted|served|"
    r"welcome|tolerated|near|around|anywhere\s+near|in\s+charge|teachers|leaders|managers|doctors|engineers|"
    r"pilots|parents|citizens|given\s+(?:jobs|rights|the\s+vote)|on\s+the\s+streets)",
    rf"(?:{_MUST_NOT})\s+(?:vote|work\s+here|teach|lead|drive|marry|adopt|live\s+(?:here|near|among)|"
    r"come\s+here|enter|have\s+(?:kids|children|rights|a\s+say|jobs)|get\s+(?:jobs|benefits|a\s+vote|the\s+vote|rights))",
    r"(?:don't|do\s+not|doesn't|does\s+not)\s+belong",
    r"(?:have|has)\s+no\s+(?:place|business|right)",
    r"belongs?\s+back\s+(?:in|where|home|to)",
    r"(?:should|must|ought\s+to|need\s+to|had\s+better)\s+(?:stay|keep|be\s+kept)\s+(?:off|out\s+of|away\s+from|out)",
    r"(?:should|must)\s+(?:be\s+)?(?:paid|earn|get)\s+less",
    r"(?:are|is|'re)\s+not\s+welcome|(?:aren't|isn't)\s+welcome",
    r"(?:don't|do\s+not|doesn't|does\s+not)\s+deserve",
    r"(?:should|must|need\s+to|ought\s+to)\s+(?:all\s+)?(?:be\s+)?(?:banned|deported|sent\s+back|kicked\s+out|"
    r"locked\s+up|removed|kept\s+(?:out|away|apart|separate)|segregated|sterili[sz]ed|expelled|thrown\s+out|"
    r"shipped\s+back|eradicated|eliminated|exterminated|wiped\s+out|gassed|shot|hanged|hung|punished|"
    r"rounded\s+up|put\s+down|go\s+back|get\s+out|disappear|die)",
    r"(?:have|has|need|needs|ought|got)\s+to\s+be\s+(?:swept|wiped|cleaned|cleansed|purged|removed|eliminated|"
    r"exterminated|deported|destroyed|killed|stopped|eradicated|gotten\s+rid\s+of|kept\s+out|kicked\s+out)",
    r"(?:go|get|send\s+them|ship\s+them)\s+back\s+(?:to\s+(?:where|their|your)|home)",
    r"(?:are|is|'re)\s+(?:\w+\s+)?(?:ruining|destroying|invading|infesting|polluting|taking\s+over|overrunning|"
    r"flooding|stealing|replacing|poisoning|corrupting|breeding)",
    r"breed\s+like",
    r"(?:can't|cannot|can\s+not|can\s+never|could\s+never|shouldn't|should\s+not|should\s+never)\s+be\s+"
    r"(?:trusted|left\s+alone|left\s+unsupervised|let\s+in)",
    r"should\s+(?:all\s+)?go\s+(?:home|back)",
    r"(?:are|is)\s+(?:a\s+)?(?:threat|danger|menace)\s+to",
    r"spread\s+(?:disease|diseases|crime)",
)
PREDICATE = bounded("|".join((*_CAPABILITIES, *_EXCLUSIONS)))
TRAIT = bounded("|".join((_TRAIT, *_DEEDS)))
_HOSTILE_BEFORE = (
    r"(?:never|don't|do\s+not|wouldn't|would\s+never)\s+(?:trust|hire|employ|rent\s+to|serve|date|marry|"
    r"let|allow|promote|vote\s+for)",
    r"(?:ban|deport|expel|kick\s+out|get\s+rid\s+of|send\s+back|lock\s+up|keep\s+out|round\s+up|"
    r"exterminate|eradicate|wipe\s+out|gas|shoot)",
    r"(?:keep|get)\s+(?:away\s+from|rid\s+of)",
    r"(?:no)",
    r"(?:keep|kick|throw|send|ship|chase|drive)",
)
HOSTILE_ACTION = re.compile(
    rf"(?<![\w-])(?:{'|'.join(_HOSTILE_BEFORE)})\s+(?:all\s+|the\s+|those\s+|these\s+|any\s+|a\s+|an\s+)?"
    rf"(?:{GROUP.pattern})(?:\s+(?:allowed|out|away|here|back|home))?", re.IGNORECASE)
_NO_GROUP_ALLOWED = re.compile(r"\ballowed\b|\bhere\b", re.IGNORECASE)
_AWAY = re.compile(r"\b(?:out|away|back|home)\b", re.IGNORECASE)
_SENDING = re.compile(r"(?:keep|kick|throw|send|ship|chase|drive)\b", re.IGNORECASE)

REPORTING_CUES = bounded(alternation((
    "myth", "stereotype", "stereotypes", "prejudice", "prejudices", "wrong to", "false", "not true", "untrue",
    "nonsense", "reject", "rejects", "the idea that", "the belief that", "the claim that", "the notion that",
    "bias", "biased", "cliché", "cliche", "outdated", "anyone who says", "people who say", "those who say",
    "who claim", "who think", "used to say", "used to think", "were told", "was told", "told that",
    "heard that", "the lie that", "debunk", "debunks", "challenge the", "misconception", "assumption that",
    "assume that", "nobody believes", "no one believes", "don't believe", "stop saying", "never say",
    "it is not the case", "some say", "some claim", "they say", "people say", "people still say",
    "people think", "people claim", "people believe", "critics say", "critics claim", "racist", "sexist",
    "homophobic", "bigoted", "bigots", "hate speech", "slur",
)))
_QUOTED = re.compile(r"\"[^\"]{3,200}\"")


@dataclass(frozen=True)
class Generalisation:
    """One demeaning generalisation found: its span in the sentence, kind, score and words."""

    span: tuple[int, int]
    kind: str
    score: float
    evidence: str


def find_generalisations(sentence: str) -> list[Generalisation]:
    """Demeaning generalisations in one English sentence (already folded, see ``patterns.fold``)."""
    groups = group_spans(sentence)
    if not groups:
        return []
    found = []
    for start, end in groups:
        found += _after_group(sentence, start, end)
    for match in HOSTILE_ACTION.finditer(sentence):
        words = match.group(0)
        if words.lower().startswith("no") and not _NO_GROUP_ALLOWED.search(words):
            continue  # "no women" alone is not "no women allowed"
        if _SENDING.match(words) and not _AWAY.search(words):
            continue  # "send refugees a parcel" is not "send refugees back"
        found.append(_scored(sentence, match.span(), "hostile action"))
    return found


_BRIDGE = bridge(8)


def _after_group(sentence: str, start: int, end: int) -> list[Generalisation]:
    found = []
    for kind, pattern in (("capability or exclusion", PREDICATE), ("trait", TRAIT)):
        predicate = pattern.search(sentence, end)
        if predicate and _BRIDGE.fullmatch(sentence, end, predicate.start()):
            found.append(_scored(sentence, (start, predicate.end()), kind))
    return found


def _scored(sentence: str, span: tuple[int, int], kind: str) -> Generalisation:
    start, end = span
    reported = bool(REPORTING_CUES.search(sentence)) or negated_at(sentence, start) or any(
        q.start() <= start and end <= q.end() for q in _QUOTED.finditer(sentence))
    return Generalisation(span=span, kind=kind, score=REPORTED if reported else SURE, evidence=sentence[start:end])
