"""What a claim is about and how far it goes: subject, parts and materials, territory, conditions, strength.

:func:`scope_of` reads these from any sentence (a candidate, or an approved claim's text);
:func:`approved_scope` takes an :class:`~app.brand.ApprovedClaim`'s structured fields where given and
infers the rest from its text; :func:`compare` lists every :class:`Difference` between a candidate and an
approved claim. A candidate is supported by an approved claim only when the list is empty: the same words
about another subject, another part, another territory, without the approved conditions, or said more
strongly, are another claim.

- **subject**: the products the sentence names (ids), else the content words before its main verb
  ("Kelpra powder supports..." -> ``kelpra powder``). "We", "our", "all", "every" and the brand's name make
  a general subject that covers any of the brand's products.
- **parts** (bottle, box, pouch, lid, label...) and **materials** (glass, cardboard, paper, plastic...): a
  candidate's parts and materials must all be covered.
- **territory** (EU and its member states, UK, US, worldwide): a candidate's territories must be covered;
  an offer (free, savings, guarantee) that drops its territory is broader than approved.
- **conditions** ("orders over €35", "as part of a balanced diet", "within 30 days"): every approved
  condition must be in the candidate (its numbers and its content words).
- **effects** (health claims only): what the claim acts on ("immune defences", "energy"); a candidate naming
  an effect the approved claim does not is broader.
- **strength**: effect verbs ranked 1 (supports, contributes, helps, maintains) to 4 (prevents, cures,
  eliminates); intensifiers ("dramatically", "clinically", "100%") and dropped hedges ("slightly", "may").
  A stronger verb, an added intensifier or a dropped hedge is a difference. A different verb of the same
  rank is a difference the rules are not certain of (``certain=False``): the judge decides it.

All parsing is a few regular-expression passes over one sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from app.brand import ApprovedClaim
from app.guardrails.claims.health_rules import HEALTH_OBJECTS
from app.guardrails.claims.words import fold_plural, keywords, lowered, parse_number

PARTS = frozenset({
    "bottle", "box", "bag", "teabag", "pouch", "lid", "cap", "label", "jar", "tin", "sachet", "wrapper",
    "packaging", "packet", "carton", "tube", "filter", "stopper", "tape", "sleeve", "container", "envelope",
    "mailer", "straw", "pod", "capsule", "canister", "tub", "film", "liner", "seal", "infuser",
})
MATERIALS = frozenset({
    "glass", "cardboard", "card", "paper", "plastic", "aluminium", "aluminum", "steel", "wood", "bamboo",
    "cotton", "pla", "bioplastic", "cork", "metal", "silicone", "ceramic", "porcelain", "tinplate",
})
_MATERIAL_BEFORE = frozenset({"recycled", "from", "of", "100%", "pure", "virgin", "compostable", "recyclable"})
_TERRITORIES: tuple[tuple[str, str], ...] = (
    (r"northern ireland", "UK"), (r"\beu\b|european union|\beurope\b|european|eurozone|\bthe eu\b", "EU"),
    (r"\buk\b|united kingdom|great britain|\bbritain\b|british|england|scotland|wales", "UK"),
    (r"\bireland\b|\birish\b", "IE"), (r"germany|german\b", "DE"), (r"\bfrance\b|french\b", "FR"),
    (r"\bspain\b", "ES"), (r"\bitaly\b", "IT"), (r"netherlands|holland|dutch\b", "NL"), (r"belgium", "BE"),
    (r"austria", "AT"), (r"portugal", "PT"), (r"denmark", "DK"), (r"sweden", "SE"), (r"finland", "FI"),
    (r"poland", "PL"), (r"croatia", "HR"), (r"united states|\busa\b|america\b", "US"),
    (r"worldwide|world-wide|anywhere in the world|everywhere|internationally|international|globally"
     r"|all countries|any country|every country", "WORLD"),
)
_TERRITORY = re.compile("|".join(f"(?P<t{i}>{p})" for i, (p, _) in enumerate(_TERRITORIES)))
_US = re.compile(r"\bUS\b")
_EU_MEMBERS = frozenset({"IE", "DE", "FR", "ES", "IT", "NL", "BE", "AT", "PT", "DK", "SE", "FI", "PL", "HR"})
_CONDITION = re.compile(
    r"(?:on |for )?(?:all )?orders? (?:over|above|of|from|worth|at least|exceeding) [€£$]?\d+(?:[.,]\d+)?\s?€?"
    r"|(?:when you )?spend(?:ing)? (?:over |more than |at least )?[€£$]?\d+(?:[.,]\d+)?"
    r"|as part of (?:a |an )?(?:[\w-]+ ){0,3}(?:diet|lifestyle|routine)"
    r"|(?:combined with|alongside|together with) (?:a |regular )?(?:[\w-]+ ){0,2}(?:diet|exercise|lifestyle)"
    r"|within \d+ days(?: of \w+)?|(?:after|before) discounts|in (?:a |one )?(?:small )?(?:trial|study)"
    r"|while stocks last|one per customer|(?:for|on) (?:your |a )?first (?:order|box)"
    r"|(?:with|on) (?:a |an |the )?subscription|for (?:new )?members",
)
_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")
# Effect verbs by strength; the forms are listed so "cure" does not match "curious".
_VERB_LEVELS: tuple[tuple[int, str], ...] = (
    (1, r"support(?:s|ed|ing)?|contribut(?:e|es|ed|ing)|help(?:s|ed|ing)?|maintain(?:s|ed|ing)?"
        r"|aid(?:s|ed|ing)?|assist(?:s|ed|ing)?"),
    (2, r"promot(?:e|es|ed|ing)|improv(?:e|es|ed|ing)|enhanc(?:e|es|ed|ing)|benefit(?:s|ed|ing)?"
        r"|nourish(?:es|ed|ing)?|balanc(?:e|es|ed|ing)|regulat(?:e|es|ed|ing)|encourag(?:e|es|ed|ing)"
        r"|optimi[sz](?:e|es|ed|ing)|sooth(?:e|es|ed|ing)|calm(?:s|ed|ing)?|eas(?:e|es|ed|ing)"),
    (3, r"boost(?:s|ed|ing)?|strengthen(?:s|ed|ing)?|increas(?:e|es|ed|ing)|maximi[sz](?:e|es|ed|ing)"
        r"|supercharg(?:e|es|ed|ing)|fortif(?:y|ies|ied|ying)|revitali[sz](?:e|es|ed|ing)"
        r"|transform(?:s|ed|ing)?|protect(?:s|ed|ing)?|defend(?:s|ed|ing)?|fight(?:s|ing)?|combat(?:s|ed|ing)?"
        r"|reduc(?:e|es|ed|ing)|lower(?:s|ed|ing)?|energi[sz](?:e|es|ed|ing)|sharpen(?:s|ed|ing)?"
        r"|doubl(?:e|es|ed|ing)|relie(?:ve|ves|ved|ving)|restor(?:e|es|ed|ing)"),
    (4, r"prevent(?:s|ed|ing)?|eliminat(?:e|es|ed|ing)|eradicat(?:e|es|ed|ing)|cur(?:e|es|ed|ing)"
        r"|heal(?:s|ed|ing)?|treat(?:s|ed|ing)?|revers(?:e|es|ed|ing)|destroy(?:s|ed|ing)?|banish(?:es|ed|ing)?"
        r"|kill(?:s|ed|ing)?|stop(?:s|ped|ping)?"),
)
_EFFECTS = re.compile(r"(?<![\w-])(?:" + "|".join(HEALTH_OBJECTS) + r")(?![\w-])")
# A verb form right after a determiner is an adjective or a noun ("a calm evening cup", "our support team"),
# not an effect the copy claims. Only the 16 characters before the verb are read (the longest determiner and
# its spaces), so the test stays linear in the sentence.
_DETERMINER_BEFORE = re.compile(r"\b(?:a|an|the|this|that|these|those|our|its|their|every|each|some|any)\s+$")
_VERBS = re.compile("|".join(rf"(?P<v{level}>\b(?:{forms})\b)" for level, forms in _VERB_LEVELS))
_INTENSIFIERS = re.compile(
    r"\b(?:dramatically|significantly|massively|hugely|greatly|vastly|radically|substantially|remarkably"
    r"|incredibly|powerfully|strongly|seriously|instantly|immediately|permanently|completely|totally|fully"
    r"|entirely|drastically|profoundly|visibly|noticeably|clinically|super|ultra|mega|extremely|miracle"
    r"|powerful|maximum|supercharged|guaranteed|always|overnight|like never before|in minutes|all day)\b"
    r"|100\s?%",
)
_HEDGES = re.compile(r"\b(?:slightly|may|might|modestly|mildly|somewhat|reported|a little|some people)\b")
_COMMON_VERBS = re.compile(
    r"\b(?:is|are|was|were|has|have|had|contains?|ships?|makes?|gives?|tastes?|keeps?|brings?|offers?|comes?"
    r"|feels?|delivers?|provides?|lets?|works?|goes|uses?|costs?|arrives?|carr(?:y|ies)|meets?|buy|buys"
    r"|mix(?:es)?|grows?|packs?|seals?|tested|made|blended|sourced|may|might|can|could|will|would|should|must"
    r"|does|do)\b",
)
_CLAUSE = re.compile(r"[,;:()\u2013\u2014]|\b(?:that|which|who|agree|agrees|say|says|recommend|recommends"
                     r"|but|because|so|when|if|while)\b")
_DETERMINERS = frozenset({"the", "a", "an", "this", "these", "its", "their", "co", "company", "ltd"})
_GENERAL = frozenset({"we", "our", "us", "all", "every", "each", "everything", "everyone", "any"})


@dataclass(frozen=True)
class Condition:
    text: str
    words: frozenset[str]
    numbers: frozenset[float]


@dataclass(frozen=True)
class Scope:
    products: frozenset[str] = frozenset()
    subject: frozenset[str] = frozenset()  # content words of the subject phrase; empty = not found
    subject_text: str = ""
    general: bool = False  # "we", "all our teas", the brand: covers every product
    parts: frozenset[str] = frozenset()
    materials: frozenset[str] = frozenset()
    territories: frozenset[str] = frozenset()
    conditions: tuple[Condition, ...] = ()
    verbs: tuple[tuple[str, int], ...] = ()  # (verb as written, strength 1-4)
    intensifiers: frozenset[str] = frozenset()
    hedges: frozenset[str] = frozenset()
    effects: frozenset[str] = frozenset()  # what a health effect acts on: immune, defence, energy...
    words: frozenset[str] = frozenset()  # keywords of the whole sentence
    numbers: frozenset[float] = frozenset()
    text: str = ""  # the sentence, lower-cased

    @property
    def strength(self) -> int:
        return max((level for _, level in self.verbs), default=0)


@dataclass(frozen=True)
class Difference:
    dimension: str  # subject, part, material, territory, condition, strength
    candidate: str
    approved: str
    certain: bool = True

    def describe(self) -> str:
        """``"subject: candy floss vs Kelpra powder"``."""
        return f"{self.dimension}: {self.candidate} vs {self.approved}"


def scope_of(sentence: str, products: frozenset[str] = frozenset(), brand_words: frozenset[str] = frozenset()
             ) -> Scope:
    """The scope a sentence states; ``products`` are the product ids it names, ``brand_words`` the brand's
    name in lower case (a subject naming the brand is general)."""
    lower = lowered(sentence)
    tokens = re.findall(r"[\w%'\u2019-]+", lower)
    conditions = list(_CONDITION.finditer(lower))
    unconditioned = _CONDITION.sub(lambda m: " " * len(m.group(0)), lower)  # "balanced" in a condition
    verbs = tuple((m.group(0), int(str(m.lastgroup)[1:])) for m in _VERBS.finditer(unconditioned)
                  if not _DETERMINER_BEFORE.search(unconditioned, max(0, m.start() - 16), m.start()))
    subject_text, subject_words, general = _subject(sentence, unconditioned, brand_words)
    return Scope(
        products=products, subject=subject_words, subject_text=subject_text, general=general,
        parts=frozenset(fold_plural(t) for t in tokens if fold_plural(t) in PARTS) | _teabags(lower),
        materials=_materials(tokens), territories=territories_in(sentence, lower),
        conditions=tuple(_condition(m.group(0)) for m in conditions), verbs=verbs,
        intensifiers=frozenset(" ".join(m.group(0).split()) for m in _INTENSIFIERS.finditer(lower)),
        hedges=frozenset(m.group(0) for m in _HEDGES.finditer(lower)), words=keywords(sentence),
        effects=frozenset(fold_plural(m.group(0)) for m in _EFFECTS.finditer(unconditioned)),
        numbers=frozenset(parse_number(n) for n in _NUMBER.findall(lower)), text=lower,
    )


def approved_scope(claim: ApprovedClaim, named: frozenset[str], brand_words: frozenset[str]) -> Scope:
    """The scope of an approved claim: its structured fields where given, the rest read from its text.
    ``named`` are the product ids its text names."""
    products = frozenset(p for p in claim.products if p != "all") or named
    inferred = scope_of(claim.text, products, brand_words)
    subject_words = keywords(claim.subject) if claim.subject else inferred.subject
    general = (not claim.subject and inferred.general) or ("all" in claim.products and not products)
    verbs = inferred.verbs
    if claim.strength:
        verbs = tuple((m.group(0), int(str(m.lastgroup)[1:])) for m in _VERBS.finditer(claim.strength.lower()))
    return Scope(
        products=products, subject=subject_words, subject_text=claim.subject or inferred.subject_text,
        general=general, parts=frozenset(fold_plural(p.lower()) for p in claim.parts) or inferred.parts,
        materials=inferred.materials,
        territories=frozenset(t.upper() for t in claim.territory) or inferred.territories,
        conditions=tuple(_condition(c.lower()) for c in claim.conditions) or inferred.conditions,
        verbs=verbs, intensifiers=inferred.intensifiers, hedges=inferred.hedges, words=inferred.words,
        effects=inferred.effects,
        numbers=inferred.numbers, text=inferred.text,
    )


def compare(candidate: Scope, approved: Scope, *, offer: bool = False, subject: bool = True,
            parts: bool = True, wording: bool = True, effects: bool = False) -> list[Difference]:
    """Every way ``candidate`` goes beyond ``approved``. ``offer``: a dropped territory counts (free
    shipping, savings). ``subject``: the subject counts (not for a number, whose product is checked by
    value). ``parts``: parts and materials count (for a number, only a percentage: "100% recycled glass").
    ``wording``: conditions and strength count (not for a number checked by value). ``effects``: what a
    health claim acts on counts ("and your energy")."""
    found = _subject_differences(candidate, approved) if subject else []
    for dimension, have, allowed in (("part", candidate.parts, approved.parts),
                                     ("material", candidate.materials, approved.materials)):
        if not parts:
            break
        extra = have - allowed
        if extra:
            found.append(Difference(dimension, _listed(extra), _listed(allowed) or "(none named)"))
    found += _territory_differences(candidate, approved, offer)
    extra_effects = candidate.effects - approved.effects
    if effects and extra_effects:
        found.append(Difference("effect", _listed(extra_effects), _listed(approved.effects) or "(none)"))
    if wording:
        found += _condition_differences(candidate, approved)
        found += _strength_differences(candidate, approved)
    return found


def _subject_differences(candidate: Scope, approved: Scope) -> list[Difference]:
    if approved.products and candidate.products and not candidate.products <= approved.products:
        return [Difference("subject", _listed(candidate.products - approved.products), _listed(approved.products))]
    if approved.general or (approved.products and candidate.products) or not approved.subject:
        return []
    if not candidate.subject:
        return [Difference("subject", "(not stated)", approved.subject_text, certain=False)]
    if not approved.subject <= candidate.subject:
        return [Difference("subject", candidate.subject_text, approved.subject_text)]
    return []


def _territory_differences(candidate: Scope, approved: Scope, offer: bool) -> list[Difference]:
    if not approved.territories:
        return []
    uncovered = {t for t in candidate.territories
                 if t not in approved.territories and not (t in _EU_MEMBERS and "EU" in approved.territories)}
    if uncovered:
        return [Difference("territory", _listed(uncovered), _listed(approved.territories))]
    if offer and not candidate.territories:
        return [Difference("territory", "(not stated)", _listed(approved.territories))]
    return []


def _condition_differences(candidate: Scope, approved: Scope) -> list[Difference]:
    missing = [c.text for c in approved.conditions if not _has_condition(candidate, c)]
    return [Difference("condition", "(missing)", c) for c in missing]


def _strength_differences(candidate: Scope, approved: Scope) -> list[Difference]:
    found = []
    if candidate.strength > approved.strength:
        stronger = max(candidate.verbs, key=lambda v: v[1])[0]
        found.append(Difference("strength", stronger, _listed(v for v, _ in approved.verbs) or "(no effect verb)"))
    elif candidate.verbs and approved.verbs and not {_stem(v) for v, _ in candidate.verbs} <= {
            _stem(v) for v, _ in approved.verbs}:
        found.append(Difference("strength", _listed(v for v, _ in candidate.verbs),
                                _listed(v for v, _ in approved.verbs), certain=False))
    added = candidate.intensifiers - approved.intensifiers
    if added:
        found.append(Difference("strength", f"adds {_listed(added)}", "(not intensified)"))
    dropped = approved.hedges - candidate.hedges
    if dropped:
        found.append(Difference("strength", f"drops {_listed(dropped)}", f"hedged with {_listed(approved.hedges)}"))
    return found


def _has_condition(candidate: Scope, condition: Condition) -> bool:
    if not condition.numbers <= candidate.numbers:
        return False
    return condition.words <= candidate.words  # "as part of any diet" is not "as part of a balanced diet"


def _condition(text: str) -> Condition:
    return Condition(" ".join(text.split()), keywords(text),
                     frozenset(parse_number(n) for n in _NUMBER.findall(text)))


def _subject(sentence: str, lower: str, brand_words: frozenset[str]) -> tuple[str, frozenset[str], bool]:
    """The phrase before the main verb (an effect verb, else a common one), from the last clause break."""
    found = [m for m in (_VERBS.search(lower), _COMMON_VERBS.search(lower)) if m is not None]
    verb = min(found, key=lambda m: m.start()) if found else None
    if verb is None:
        return "", frozenset(), False
    head = lower[:verb.start()]
    breaks = list(_CLAUSE.finditer(head))
    start = breaks[-1].end() if breaks else 0
    phrase = sentence[start:verb.start()].strip(" \t\n*#-\"'")
    tokens = set(re.findall(r"[\w']+", phrase.lower()))
    general = bool(tokens & _GENERAL) or bool(tokens and tokens <= brand_words | _DETERMINERS)
    return phrase, keywords(phrase), general or not phrase


def _materials(tokens: list[str]) -> frozenset[str]:
    found = set()
    for i, token in enumerate(tokens):
        if token in MATERIALS and ((i > 0 and tokens[i - 1] in _MATERIAL_BEFORE)
                                   or (i + 1 < len(tokens) and fold_plural(tokens[i + 1]) in PARTS)):
            found.add(token)
    return frozenset(found)


def _teabags(lower: str) -> frozenset[str]:
    return frozenset({"teabag"}) if "tea bag" in lower else frozenset()


def territories_in(sentence: str, lower: str) -> frozenset[str]:
    """Territory codes a sentence names ("EU", "UK", "IE", "US", "WORLD"); ``lower`` is it lower-cased."""
    found = {_TERRITORIES[int(str(m.lastgroup)[1:])][1] for m in _TERRITORY.finditer(lower)}
    if _US.search(sentence):
        found.add("US")
    return frozenset(found)


def _stem(verb: str) -> str:
    return re.sub(r"(?:es|ed|ing|s|e)$", "", verb)


def _listed(items: object) -> str:
    return ", ".join(sorted(str(i) for i in items))  # type: ignore[attr-defined]
