"""Verdicts: each claim of a text is supported, contradicted or unsupported by the brand's sources.

Per claim, within its sentence (whose :class:`~app.guardrails.claims.scope.Scope` is read once):

- A claim overlapping one of the brand's ``forbidden_claim_patterns`` is never supported (certain); a
  forbidden pattern with no claim on it is a ``forbidden`` claim of its own. Competitor mentions are never
  supported.
- **Numbers, prices, ratings**: the primary product's facts speak first (a same value supports, a different
  value in the same unit contradicts); then any source in scope stating the same value(s) in the same unit
  supports it, if it covers the sentence's parts, materials and territories (a bare number also needs a
  shared keyword or a fact of a product in scope); then an approved claim sharing 2+ keywords with another
  value in that unit contradicts it.
- **Wording claims**: the sources sharing the most keywords with the sentence are retrieved (approved
  claims only for health, clinical, endorsement and generic environmental claims). One supports the claim
  when it states the claim's concept (its words; a generic environmental claim needs the same wording) and
  :func:`~app.guardrails.claims.scope.compare` finds no difference of subject, part, material, territory,
  condition or strength. An offer ("free shipping to the UK") that the brand's own pricing or policy
  charges for is contradicted (:mod:`~app.guardrails.claims.contradictions`). Otherwise it is unsupported,
  naming the closest source and every difference.

A verdict is ``certain`` unless the closest source states the concept and differs only where the rules
cannot tell (a subject they could not find, a verb of the same strength): those go to the judge.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from app.guardrails.claims.candidates import extract_claims
from app.guardrails.claims.claim import NUMERIC_KINDS, Claim
from app.guardrails.claims.context_rules import is_reader_question
from app.guardrails.claims.contradictions import charged_offer
from app.guardrails.claims.scope import Difference, Scope, compare, scope_of
from app.guardrails.claims.sources import BrandIndex, Source
from app.guardrails.claims.words import keywords, lowered, normalised
from app.guardrails.sentences import split_sentences

Status = Literal["supported", "contradicted", "unsupported"]
MIN_SHARED_KEYWORDS = 2
RETRIEVED = 5  # sources compared per wording claim: the brand's claims rarely share more than 3 keywords
_ASKABLE = frozenset({"financial", "savings", "guarantee", "environmental", "environmental_generic"})
APPROVED_ONLY = frozenset({"health", "clinical", "endorsement", "environmental_generic"})
OFFER_KINDS = frozenset({"financial", "savings", "guarantee"})
_LONGEST_CLAIM = 200  # characters; the longest pattern match (a comparative with its comparator) is under 120
_UNIT_KEYS = {"EUR": "price", "mg": "caffeine", "C": "steep_temp", "min": "steep_time", "s": "steep_time",
              "cup": "cups_per_pouch"}


@dataclass(frozen=True)
class Verdict:
    claim: Claim
    status: Status
    source: Source | None = None
    note: str = ""
    differences: tuple[Difference, ...] = ()
    certain: bool = True
    sentence: tuple[int, int] = (0, 0)
    retrieved: tuple[Source, ...] = field(default=(), compare=False)


@dataclass(frozen=True)
class Subject:
    """Which product a claim is about (``primary``) and every product its text may be about (``products``)."""

    primary: str | None
    products: frozenset[str]
    in_sentence: frozenset[str]


def judge_text(text: str, index: BrandIndex, *, product: str | None = None, competitors: tuple[str, ...] = (),
               lower: str | None = None, mentions: list[tuple[int, int, str]] | None = None,
               language: str | None = None) -> list[Verdict]:
    """A verdict for every claim of ``text`` (forbidden patterns included), in text order. Linear: claims,
    sentences and product mentions are walked together in offset order."""
    lower = lowered(text) if lower is None else lower
    mentions = index.product_mentions(lower) if mentions is None else mentions
    claims = extract_claims(text, competitors=index.competitors + competitors, language=language)
    forbidden = index.forbidden_in(lower)
    claims = sorted(claims + _forbidden_claims(text, claims, forbidden), key=lambda c: (c.start, c.kind))
    sentences = _clauses(split_sentences(text) or [(0, len(text), text)])
    context_product = product if product in index.product_ids else None
    named_anywhere = frozenset(m[2] for m in mentions)
    scopes: dict[int, tuple[Scope, list[tuple[int, int, str]]]] = {}
    verdicts, f_pointer, s_pointer = [], 0, 0
    for claim in claims:
        while f_pointer < len(forbidden) and forbidden[f_pointer][1] <= claim.start:
            f_pointer += 1
        hit = forbidden[f_pointer] if f_pointer < len(forbidden) and forbidden[f_pointer][0] < claim.end else None
        while s_pointer + 1 < len(sentences) and sentences[s_pointer][1] <= claim.start:
            s_pointer += 1
        start, end, sentence = sentences[s_pointer]
        if claim.kind in _ASKABLE and is_reader_question(sentence):
            continue
        if hit is not None:
            verdicts.append(Verdict(claim, "unsupported", note=f"forbidden by {hit[2].id}: {hit[2].reason}",
                                    sentence=(start, end)))
            continue
        if start not in scopes:
            in_sentence = _mentions_between(mentions, start, end)
            scopes[start] = (scope_of(sentence, frozenset(m[2] for m in in_sentence), index.brand_words),
                             in_sentence)
        scope, in_sentence = scopes[start]
        subject = _subject(claim, in_sentence, named_anywhere, context_product)
        verdict = judge_claim(claim, scope, subject, index)
        verdicts.append(Verdict(**{**verdict.__dict__, "sentence": (start, end)}))
    return verdicts


def judge_claim(claim: Claim, scope: Scope, subject: Subject, index: BrandIndex) -> Verdict:
    """One claim against the sources about ``subject``; see the module docstring for the rules."""
    if claim.kind in ("competitor", "forbidden"):
        return Verdict(claim, "unsupported")
    if claim.kind in NUMERIC_KINDS:
        return _judge_number(claim, scope, subject, index)
    return _judge_wording(claim, scope, subject, index)


def _judge_wording(claim: Claim, scope: Scope, subject: Subject, index: BrandIndex) -> Verdict:
    approved_only = claim.kind in APPROVED_ONLY
    kinds = frozenset({"claim"}) if approved_only else frozenset({"claim", "fact", "disclaimer"})
    allowed = {id(s) for s in index.sources_for(subject.products, approved_only=approved_only)}
    # Sources about other products are compared too: "approved for Harbour Oats" is the finding's why.
    ranked = index.ranked(scope.words | keywords(claim.text), kinds)[:RETRIEVED]
    sentence_scope = _with_products(scope, subject)
    offer = claim.kind in OFFER_KINDS
    health = claim.kind in APPROVED_ONLY
    closest: tuple[Source, list[Difference]] | None = None
    for source in ranked:
        if not _states_concept(claim, source):
            continue
        differences = compare(sentence_scope, source.scope, offer=offer, effects=health)
        if not differences and id(source) in allowed and _about_named(source, subject):
            return Verdict(claim, "supported", source, retrieved=tuple(ranked))
        if closest is None and (differences or id(source) not in allowed):
            closest = (source, differences or [_other_subject(source, subject)])
    if offer:
        charged = charged_offer(claim, scope, subject.in_sentence, index)
        if charged is not None:
            return Verdict(claim, "contradicted", charged, f"{charged.id}, which says: {charged.text}",
                           retrieved=tuple(ranked))
    if closest is None:
        nearest = next((s for s in ranked if s.kind == "claim"), None)
        if nearest is None:
            return Verdict(claim, "unsupported", retrieved=tuple(ranked))
        # The nearest approved claim words it otherwise ("strengthens" for "supports"): say how it differs.
        wording = Difference("wording", repr(claim.text), "not in the approved claim", certain=False)
        closest = (nearest, [*compare(sentence_scope, nearest.scope, offer=offer, effects=health), wording])
    source, differences = closest
    certain = any(d.certain for d in differences)
    return Verdict(claim, "unsupported", source, differences=tuple(differences), certain=certain,
                   retrieved=tuple(ranked))


def _about_named(source: Source, subject: Subject) -> bool:
    """A fact or disclaimer naming products (D-SUBSCRIPTION is about The Tea Club) speaks only for them."""
    return source.kind == "claim" or not source.names or bool(source.names & subject.products)


def _other_subject(source: Source, subject: Subject) -> Difference:
    about = ", ".join(sorted(source.scope.products or source.products)) or "another product"
    return Difference("subject", ", ".join(sorted(subject.products)) or "(not stated)", about)


def _states_concept(claim: Claim, source: Source) -> bool:
    phrase = normalised(claim.text)
    if phrase in source.normalised:
        return True
    if claim.kind == "environmental_generic":
        return False  # Directive (EU) 2024/825: only the approved wording itself
    words = keywords(claim.text)
    return bool(words) and words <= source.all_keywords


def _judge_number(claim: Claim, scope: Scope, subject: Subject, index: BrandIndex) -> Verdict:
    # The primary product's own facts speak first: a different value there is a contradiction even when
    # another product happens to have this value.
    words = scope.words
    if subject.primary is not None:
        own = index.sources_for(frozenset({subject.primary}))
        found = _supporting(claim, scope, subject, own + index.naming(subject.primary), index) or \
            _contradicting(claim, words, subject.primary, own)
        if found is not None:
            return found
    supported = _supporting(claim, scope, subject, index.sources_for(subject.products), index)
    if supported is not None:
        return supported
    return _contradicting(claim, words, None, index.sources_for(frozenset())) or \
        _out_of_scope(claim, scope, index.sources_for(subject.products))


def _out_of_scope(claim: Claim, scope: Scope, sources: list[Source]) -> Verdict:
    """Unsupported; naming a source that states the value for another part or territory, if one does."""
    for source in sources:
        if source.states(claim):
            differences = compare(scope, source.scope, subject=False, parts=claim.unit == "%", wording=False)
            if differences:
                return Verdict(claim, "unsupported", source, differences=tuple(differences))
    return Verdict(claim, "unsupported")


def _supporting(claim: Claim, scope: Scope, subject: Subject, sources: list[Source],
                index: BrandIndex) -> Verdict | None:
    stating = index.stating(claim)
    for source in sources:
        if id(source) in stating and (claim.unit is not None or source.product in subject.products
                                     or scope.words & source.keywords) \
                and not compare(scope, source.scope, subject=False, parts=claim.unit == "%", wording=False):
            return Verdict(claim, "supported", source)
    return None


def _contradicting(claim: Claim, words: frozenset[str], product: str | None,
                   sources: list[Source]) -> Verdict | None:
    """A fact of ``product`` (the one keyed for the claim's unit if it has one: a price fact for a price),
    or an approved claim sharing 2+ keywords, stating other values in the same unit."""
    if claim.unit is None:
        return None
    if product:
        facts = [s for s in sources if s.kind == "fact" and s.product == product]
        keyed = [s for s in facts if s.key == _UNIT_KEYS.get(claim.unit)]
        sources = keyed or [s for s in facts if words & s.keywords]
    else:
        sources = [s for s in sources if s.kind == "claim" and len(words & s.keywords) >= MIN_SHARED_KEYWORDS]
    for source in sources:
        stated = source.values_in(claim.unit)
        if stated and not set(claim.values) <= stated:  # the same value in another scope is not a conflict
            shown = ", ".join(f"{v:g}" for v in sorted(stated))
            return Verdict(claim, "contradicted", source, f"{source.id}, which states {shown} {claim.unit}")
    return None


def _subject(claim: Claim, in_sentence: list[tuple[int, int, str]], named_anywhere: frozenset[str],
             context_product: str | None) -> Subject:
    """The primary product: the nearest named before the claim in its sentence, else the only one named in the
    sentence, else the context's. Every product named in the text, and the context's, is in scope."""
    before = [m for m in in_sentence if m[1] <= claim.start]
    named = frozenset(m[2] for m in in_sentence)
    primary = before[-1][2] if before else next(iter(named)) if len(named) == 1 else context_product
    products = named_anywhere | {p for p in (primary, context_product) if p}
    return Subject(primary, frozenset(products), named)


def _with_products(scope: Scope, subject: Subject) -> Scope:
    """The sentence's scope with its product: the one it names, else the primary (the context's)."""
    if scope.products or subject.primary is None:
        return scope
    return Scope(**{**scope.__dict__, "products": frozenset({subject.primary})})


def _clauses(sentences: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Sentences cut at "; ": "Free to EU addresses; UK delivery is €4.00" states two scopes."""
    out = []
    for start, end, sentence in sentences:
        left = 0
        for cut in _CLAUSE_BREAK.finditer(sentence):
            out.append((start + left, start + cut.start(), sentence[left:cut.start()]))
            left = cut.end()
        out.append((start + left, end, sentence[left:]))
    return out


_CLAUSE_BREAK = re.compile(r";\s+")


def _mentions_between(mentions: list[tuple[int, int, str]], start: int, end: int) -> list[tuple[int, int, str]]:
    i = bisect_left(mentions, (start, -1, ""))
    out = []
    while i < len(mentions) and mentions[i][0] < end:
        out.append(mentions[i])
        i += 1
    return out


def _forbidden_claims(text: str, claims: list[Claim], forbidden: Sequence[tuple[int, int, object]]) -> list[Claim]:
    """A forbidden pattern no extracted claim overlaps becomes a ``forbidden`` claim. Claims are short, so
    only those starting within ``_LONGEST_CLAIM`` characters before the pattern are looked at."""
    ordered = sorted(claims, key=lambda c: c.start)
    starts = [c.start for c in ordered]
    out = []
    for s, e, _ in forbidden:
        window = ordered[bisect_left(starts, s - _LONGEST_CLAIM):bisect_left(starts, e)]
        if not any(c.end > s for c in window):
            out.append(Claim("forbidden", s, e, text[s:e]))
    return out
