"""The claims check: every claim in a text must be backed by the brand's approved claims or product facts.

``ClaimsCheck`` (name ``"claims"``) extracts claims with :func:`extract_claims` and judges each one
against the brand's sources (approved claims, product facts, required disclaimers' texts):

- **supported**: a source backs it. Summarised in one passed result (rule ``claims:supported``) whose
  ``evidence`` lists the ids of the sources cited, e.g. ``C-009, quiet-hours.price``.
- **contradicted**: a number that differs from the source about the same thing. Finding
  ``claims:contradicted:<kind>``, severity block, citing the source id and its value; ``suggestion`` is
  the claim with the source's value ("€9.50" for "€8"), a real replacement, when the source states one.
- **unsupported**: nothing backs it. Finding ``claims:unsupported:<kind>``, severity block (a bare
  number with no unit: warn, it is often a count), with the closest approved claim in ``suggestion``
  (advice for a re-ask or a reviewer, not a replacement).

Matching, per claim, within its sentence (keywords: lower-cased words of 3+ letters, stop words dropped,
plurals folded, words found in over a quarter of the brand's sources dropped):

- Products: the claim's primary product is the one named nearest before it in its sentence, else the
  only one the sentence names, else ``ctx.product``; in scope are that one, every product the text
  names, and ``ctx.product``. Sources in scope: approved claims for all products or for one in scope,
  facts of products in scope (every fact when none is), disclaimers.
- A number, price or rating: the primary product's facts speak first, a same value supports it and a
  different value in the same unit contradicts it; then any source in scope stating the same value(s) in
  the same unit supports it (a bare number also needs a shared keyword or a fact of a product in
  scope); then an approved claim sharing 2+ keywords with another value in that unit contradicts it.
- A wording claim ("compostable", "promise", "best") is supported by a source containing the same words
  and sharing 2+ keywords with the sentence. Health claims are supported only by an approved claim
  (never a fact) with those words. Competitor mentions are never supported.
- A claim overlapping one of the brand's ``forbidden_claim_patterns`` is never supported; a forbidden
  pattern with no claim on it is a ``forbidden`` claim of its own.

Required disclaimers: a disclaimer applies when the text mentions its topic (``applies_to`` keywords
and their common synonyms, "caffeine-free" not counting as caffeine), names a product whose category
or ingredients mention that topic, or has a claim supported by an approved claim carrying its
``disclaimer_id`` (the words of a disclaimer present in the text do not count). It is present when its
first sentence appears in the text, or 70% of its keywords do. Absent:
``claims:missing_disclaimer:<id>``, severity warn.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field, replace
from typing import Literal

from app.brand import BrandProfile, ForbiddenClaimPattern, RequiredDisclaimer
from app.guardrails.base import CheckContext, CheckResult, Severity
from app.guardrails.claim_extraction import (
    NUMERIC_KINDS,
    Claim,
    extract_claims,
    keywords,
    lowered,
    normalised,
)
from app.guardrails.sentences import split_sentences

Status = Literal["supported", "contradicted", "unsupported"]
MIN_SHARED_KEYWORDS = 2
DISCLAIMER_COVERAGE = 0.7


@dataclass(frozen=True)
class Verdict:
    claim: Claim
    status: Status
    source: Source | None = None
    note: str = ""


@dataclass(frozen=True)
class Scope:
    """Which product a claim is about (``primary``) and every product its text may be about (``products``)."""

    primary: str | None
    products: frozenset[str]


class ClaimsCheck:
    name = "claims"

    def __init__(self, severity: str | Severity = Severity.block,
                 disclaimer_severity: str | Severity = Severity.warn,
                 bare_number_severity: str | Severity = Severity.warn,
                 competitors: list[str] | None = None) -> None:
        self.severity = Severity(severity)
        self.disclaimer_severity = Severity(disclaimer_severity)
        self.bare_number_severity = Severity(bare_number_severity)
        self.competitors = tuple(competitors or ())

    def run(self, text: str, ctx: CheckContext) -> list[CheckResult]:
        index = brand_index(ctx.brand)
        lower = lowered(text)  # the index's patterns are lower-case: 3-4 times faster than re.IGNORECASE
        mentions = index.product_mentions(lower)
        verdicts = judge_text(text, ctx, index, self.competitors, lower=lower, mentions=mentions)
        results = [self._finding(v, text, index) for v in verdicts if v.status != "supported"]
        results += self._missing_disclaimers(text, lower, mentions, verdicts, index)
        supported = [v for v in verdicts if v.status == "supported"]
        if supported:
            results.append(_supported_summary(self.name, supported))
        return results

    def _finding(self, verdict: Verdict, text: str, index: BrandIndex) -> CheckResult:
        claim = verdict.claim
        severity = self.severity
        if verdict.status == "unsupported" and claim.kind == "number" and claim.unit is None:
            severity = self.bare_number_severity
        if verdict.status == "contradicted" and verdict.source is not None:
            return CheckResult(
                check=self.name, rule=f"claims:contradicted:{claim.kind}", passed=False, severity=severity,
                spans=((claim.start, claim.end),),
                reason=f"{claim.kind} {claim.text!r} contradicts {verdict.note}",
                evidence=f"{verdict.source.id}: {verdict.source.text}",
                suggestion=_corrected(claim, verdict.source),
            )
        sentence = _sentence_around(text, claim.start, claim.end)
        closest = index.closest_claim(keywords(sentence))
        return CheckResult(
            check=self.name, rule=f"claims:unsupported:{claim.kind}", passed=False, severity=severity,
            spans=((claim.start, claim.end),), reason=_unsupported_reason(claim, verdict.note),
            evidence=sentence,
            suggestion=f"closest approved claim {closest.id}: {closest.text!r}" if closest else None,
        )

    def _missing_disclaimers(self, text: str, lower: str, mentions: list[tuple[int, int, str]],
                             verdicts: list[Verdict], index: BrandIndex) -> list[CheckResult]:
        present = {rule.id: spans for rule in index.disclaimers if (spans := _disclaimer_spans(rule, lower))}
        # A disclaimer's own words ("Free shipping applies...") do not make another disclaimer apply.
        inside = [span for spans in present.values() for span in spans]
        masked = _mask(lower, inside)
        cited = {v.source.id: (v.claim.start, v.claim.end) for v in reversed(verdicts) if v.source is not None
                 and v.status == "supported" and not any(s <= v.claim.start < e for s, e in inside)}
        mentions = [m for m in mentions if not any(s <= m[0] < e for s, e in inside)]
        words = keywords(text)
        findings = []
        for rule in index.disclaimers:
            trigger = index.disclaimer_trigger(rule, masked, mentions, cited)
            if trigger is None or rule.id in present or _covered(rule, words):
                continue
            findings.append(CheckResult(
                check=self.name, rule=f"claims:missing_disclaimer:{rule.id}", passed=False,
                severity=self.disclaimer_severity, spans=(trigger,),
                reason=f"the text touches {rule.topic_name} ({text[trigger[0]:trigger[1]]!r}) but disclaimer "
                       f"{rule.id} is absent",
                evidence=rule.text, suggestion=f"add disclaimer {rule.id}: {rule.text}",
            ))
        return findings


def judge_text(text: str, ctx: CheckContext, index: BrandIndex, competitors: tuple[str, ...] = (), *,
               lower: str | None = None, mentions: list[tuple[int, int, str]] | None = None) -> list[Verdict]:
    """A verdict for every claim of ``text`` (forbidden patterns included), in text order."""
    lower = lowered(text) if lower is None else lower
    mentions = index.product_mentions(lower) if mentions is None else mentions
    claims = extract_claims(text, competitors=index.competitors + competitors)
    forbidden = index.forbidden_in(lower)
    claims += [Claim("forbidden", s, e, text[s:e]) for s, e, _ in forbidden
               if not any(c.start < e and s < c.end for c in claims)]
    sentences = split_sentences(text) or [(0, len(text), text)]
    words = {start: keywords(sentence) for start, _, sentence in sentences}
    verdicts = []
    for claim in sorted(claims, key=lambda c: (c.start, c.kind)):
        hit = next((f for f in forbidden if f[0] < claim.end and claim.start < f[1]), None)
        if hit is not None:
            verdicts.append(Verdict(claim, "unsupported", note=f"forbidden by {hit[2].id}: {hit[2].reason}"))
            continue
        start, end, _ = next((s for s in sentences if s[0] <= claim.start < s[1]), sentences[-1])
        context_product = ctx.product if ctx.product in index.product_ids else None
        scope = _scope(claim, (start, end), mentions, context_product)
        verdicts.append(judge_claim(claim, words[start], scope, index))
    return verdicts


def judge_claim(claim: Claim, sentence_words: frozenset[str], scope: Scope, index: BrandIndex) -> Verdict:
    """One claim against the sources in ``scope``; see the module docstring for the rules."""
    if claim.kind in ("competitor", "forbidden"):
        return Verdict(claim, "unsupported")
    if claim.kind in NUMERIC_KINDS:
        return _judge_number(claim, sentence_words, scope, index)
    phrase = normalised(claim.text)
    for source in index.sources_for(scope.products, approved_only=claim.kind == "health"):
        if phrase in source.normalised and len(sentence_words & source.keywords) >= MIN_SHARED_KEYWORDS:
            return Verdict(claim, "supported", source)
    return Verdict(claim, "unsupported")


def _judge_number(claim: Claim, words: frozenset[str], scope: Scope, index: BrandIndex) -> Verdict:
    # The primary product's own facts speak first: a different value there is a contradiction even when
    # another product happens to have this value.
    if scope.primary is not None:
        own = index.sources_for(frozenset({scope.primary}))
        naming = [s for s in index.sources if scope.primary in s.names]  # "cold-brewed Morning Ember: 30 mg"
        found = _supporting(claim, words, scope, own + naming) or \
            _contradicting(claim, words, scope.primary, own)
        if found is not None:
            return found
    supported = _supporting(claim, words, scope, index.sources_for(scope.products))
    if supported is not None:
        return supported
    return _contradicting(claim, words, None, index.sources_for(frozenset())) or Verdict(claim, "unsupported")


def _supporting(claim: Claim, words: frozenset[str], scope: Scope, sources: list[Source]) -> Verdict | None:
    for source in sources:
        if source.states(claim) and (claim.unit is not None or source.product in scope.products
                                     or words & source.keywords):
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
        if stated:
            shown = ", ".join(f"{v:g}" for v in sorted(stated))
            return Verdict(claim, "contradicted", source, f"{source.id}, which states {shown} {claim.unit}")
    return None


def _scope(claim: Claim, sentence: tuple[int, int], mentions: list[tuple[int, int, str]],
           context_product: str | None) -> Scope:
    """The primary product: the nearest named before the claim in its sentence, else the only one named in the
    sentence, else the context's. Every product named in the text, and the context's, is in scope."""
    in_sentence = [m for m in mentions if sentence[0] <= m[0] < sentence[1]]
    before = [m for m in in_sentence if m[1] <= claim.start]
    named = {m[2] for m in in_sentence}
    primary = before[-1][2] if before else next(iter(named)) if len(named) == 1 else context_product
    products = {m[2] for m in mentions} | {p for p in (primary, context_product) if p}
    return Scope(primary, frozenset(products))


def _sentence_around(text: str, start: int, end: int) -> str:
    return next((sentence for s, e, sentence in split_sentences(text) if s <= start < e), text[start:end])


def _corrected(claim: Claim, source: Source) -> str:
    """The claim with the source's value in it ("€8" -> "€9.50") when the source states one; else its text."""
    stated = {n.text for n in source.numbers if n.unit == claim.unit and n.upper is None}
    if len(stated) != 1 or claim.upper is not None:
        return source.text
    value = _NUMBER_TEXT.search(stated.pop())
    return _NUMBER_TEXT.sub(value.group(0), claim.text, count=1) if value else source.text


_NUMBER_TEXT = re.compile(r"\d+(?:[.,]\d+)*")


def _disclaimer_spans(rule: DisclaimerRule, text: str) -> list[tuple[int, int]]:
    """Where the disclaimer's full text, or else its first sentence, appears in ``text``."""
    return next((spans for p in rule.patterns if (spans := [m.span() for m in p.finditer(text)])), [])


def _covered(rule: DisclaimerRule, words: frozenset[str]) -> bool:
    return bool(rule.keywords) and len(rule.keywords & words) / len(rule.keywords) >= DISCLAIMER_COVERAGE


def _mask(text: str, spans: list[tuple[int, int]]) -> str:
    for start, end in spans:
        text = text[:start] + " " * (end - start) + text[end:]
    return text


def _unsupported_reason(claim: Claim, note: str) -> str:
    what = {
        "health": "health claims are allowed only in the exact wording of an approved claim; none says this",
        "competitor": "it names or alludes to a competitor; comparisons with competitors are never approved",
        "forbidden": "it matches a forbidden claim pattern",
    }.get(claim.kind, "no approved claim or product fact backs it")
    if claim.kind in NUMERIC_KINDS:
        unit = f" in {claim.unit}" if claim.unit else ""
        what = f"no approved claim or product fact states this value{unit}"
    return f"unsupported {claim.kind} claim {claim.text!r}: {what}" + (f" ({note})" if note else "")


def _supported_summary(check: str, supported: list[Verdict]) -> CheckResult:
    ids = list(dict.fromkeys(v.source.id for v in supported if v.source is not None))
    listed = "; ".join(f"{v.claim.text!r} ({v.source.id})" for v in supported if v.source is not None)
    return CheckResult(check=check, rule="claims:supported", passed=True,
                       spans=tuple((v.claim.start, v.claim.end) for v in supported),
                       reason=f"{len(supported)} claims supported: {listed}", evidence=", ".join(ids))

# --- The brand's sources, indexed once per BrandProfile ------------------------------------------------

SourceKind = Literal["claim", "fact", "disclaimer"]
# The product fact that speaks for a unit; other facts contradict a number only if they share a keyword.
_UNIT_KEYS = {"EUR": "price", "mg": "caffeine", "C": "steep_temp", "min": "steep_time", "s": "steep_time",
              "cup": "cups_per_pouch"}
# Generic synonyms of common disclaimer topics; any other applies_to keyword matches as itself.
_TOPIC_WORDS = {
    "subscription": r"subscri\w*|membership|per month|a month|monthly box",
    "shipping": r"ship(?:s|ping|ped)?|deliver(?:y|ed|s)?|postage",
    "guarantee": r"guarantee[sd]?|promise[sd]?|refund\w*|money[- ]back",
    "rating": r"rated|ratings?|stars?|out of 5|/5|verified reviews|customer reviews",
}


@dataclass(frozen=True)
class Source:
    id: str
    kind: SourceKind
    text: str
    keywords: frozenset[str]
    normalised: str
    numbers: tuple[Claim, ...]
    product: str | None = None
    products: frozenset[str] = frozenset()
    disclaimer_id: str | None = None
    key: str = ""  # a fact's key: price, caffeine, steep_time...
    names: frozenset[str] = frozenset()  # products its text names ("cold-brewed Morning Ember has 30 mg")

    def values_in(self, unit: str | None) -> set[float]:
        """The values this source states in ``unit`` (any unit for None)."""
        return {v for n in self.numbers if unit is None or n.unit == unit for v in n.values}

    def states(self, claim: Claim) -> bool:
        return bool(claim.values) and set(claim.values) <= self.values_in(claim.unit)


@dataclass(frozen=True)
class DisclaimerRule:
    id: str
    text: str
    topic_name: str
    patterns: tuple[re.Pattern[str], ...]
    keywords: frozenset[str]
    topic: re.Pattern[str] | None
    products: frozenset[str]
    claim_ids: frozenset[str]


@dataclass
class BrandIndex:
    sources: list[Source]
    product_ids: frozenset[str]
    product_pattern: re.Pattern[str] | None
    product_by_name: dict[str, str]
    competitors: tuple[str, ...]
    forbidden: list[ForbiddenClaimPattern]
    forbidden_pattern: re.Pattern[str] | None
    disclaimers: list[DisclaimerRule]
    _scoped: dict[tuple[frozenset[str], bool], list[Source]] = field(default_factory=dict)

    def product_mentions(self, lower: str) -> list[tuple[int, int, str]]:
        """``(start, end, product id)`` for each product name in ``lower`` (lower-cased text)."""
        found = self.product_pattern.finditer(lower) if self.product_pattern else ()
        return [(m.start(), m.end(), self.product_by_name[_name_key(m.group(0))]) for m in found]

    def sources_for(self, products: frozenset[str], approved_only: bool = False) -> list[Source]:
        key = (products, approved_only)
        if key not in self._scoped:
            self._scoped[key] = [s for s in self.sources if _in_scope(s, products, approved_only)]
        return self._scoped[key]

    def forbidden_in(self, lower: str) -> list[tuple[int, int, ForbiddenClaimPattern]]:
        found = self.forbidden_pattern.finditer(lower) if self.forbidden_pattern else ()
        return [(m.start(), m.end(), self.forbidden[int(str(m.lastgroup)[1:])]) for m in found]

    def closest_claim(self, words: frozenset[str]) -> Source | None:
        """The approved claim most similar to ``words`` (keyword Jaccard); None if none shares a keyword."""
        scored = [(len(words & s.keywords) / len(words | s.keywords), s) for s in self.sources
                  if s.kind == "claim" and words & s.keywords]
        return max(scored, key=lambda pair: pair[0])[1] if scored else None

    @staticmethod
    def disclaimer_trigger(rule: DisclaimerRule, lower: str, mentions: list[tuple[int, int, str]],
                           cited: dict[str, tuple[int, int]]) -> tuple[int, int] | None:
        """Where the text makes ``rule`` apply: its topic, a product it covers, or a claim that carries it."""
        found = rule.topic.search(lower) if rule.topic else None
        if found:
            return found.span()
        span = next(((start, end) for start, end, product in mentions if product in rule.products), None)
        return span or next((cited[cid] for cid in sorted(rule.claim_ids & set(cited))), None)


def brand_index(brand: BrandProfile) -> BrandIndex:
    """The index of ``brand``'s sources, built once per loaded profile."""
    return brand.derive("claims.index", build_index)


def build_index(brand: BrandProfile) -> BrandIndex:
    sources = [_source(c.id, "claim", c.text, products=c.products, disclaimer_id=c.disclaimer_id)
               for c in brand.claims]
    sources += [replace(_source(f.id, "fact", f.text, product=f.product), key=f.key) for f in brand.facts]
    sources += [_source(d_id, "disclaimer", text) for d_id, text in brand.disclaimers.items()]
    common = _common_words(sources)
    names = {_name_key(n): pid for pid, n in brand.products.items() if n}
    pattern = _names_pattern(brand.products)
    sources = [replace(s, keywords=s.keywords - common, names=_named(s.text, pattern, names))
               for s in sources]
    return BrandIndex(
        sources=sources, product_ids=frozenset(brand.products), product_pattern=pattern,
        product_by_name=names, competitors=_competitors(brand),
        forbidden=list(brand.forbidden_claim_patterns), forbidden_pattern=_forbidden_pattern(brand),
        disclaimers=[_disclaimer_rule(d, brand) for d in brand.required_disclaimers],
    )


def _source(sid: str, kind: SourceKind, text: str, *, products: tuple[str, ...] = (),
            product: str | None = None, disclaimer_id: str | None = None) -> Source:
    numbers = tuple(c for c in extract_claims(text) if c.kind in NUMERIC_KINDS)
    scope = frozenset() if "all" in products else frozenset(products)
    return Source(sid, kind, " ".join(text.split()), keywords(text), normalised(text), numbers, product,
                  scope, disclaimer_id)


def _named(text: str, pattern: re.Pattern[str] | None, names: dict[str, str]) -> frozenset[str]:
    found = pattern.finditer(lowered(text)) if pattern else ()
    return frozenset(names[_name_key(m.group(0))] for m in found)


def _common_words(sources: list[Source]) -> frozenset[str]:
    # A word in more than a quarter of the sources ("tea", "fernhill") says nothing about which one matches.
    # With few sources the share means nothing (in 3 sources every shared word is "common"), so a word
    # must also occur in at least 3 of them.
    counts = Counter(w for s in sources for w in s.keywords)
    return frozenset(w for w, n in counts.items() if n > len(sources) / 4 and n >= 3)


def _in_scope(source: Source, products: frozenset[str], approved_only: bool) -> bool:
    if source.kind == "fact":
        return not approved_only and (not products or source.product in products)
    if source.kind == "claim":
        return not source.products or not products or bool(source.products & products)
    return not approved_only


def _name_key(name: str) -> str:
    key = " ".join(name.lower().split())
    return key[4:] if key.startswith("the ") else key


def _names_pattern(products: dict[str, str]) -> re.Pattern[str] | None:
    names = sorted({_name_key(n) for n in products.values() if n}, key=len, reverse=True)
    if not names:
        return None
    alternatives = "|".join(re.escape(n).replace(r"\ ", r"\s+") for n in names)
    return re.compile(rf"(?<![\w-])(?:the\s+)?(?:{alternatives})(?![\w-])")


def _phrase(phrase: str) -> str:
    """A lower-case regex for ``phrase`` as whole words, any whitespace between them."""
    escaped = re.escape(phrase.strip().lower()).replace(r"\ ", r"\s+")
    left = r"(?<![\w-])" if phrase.strip()[:1].isalnum() else ""
    right = r"(?![\w-])" if phrase.strip()[-1:].isalnum() else ""
    return left + escaped + right


def _forbidden_pattern(brand: BrandProfile) -> re.Pattern[str] | None:
    # One scan for all patterns; group f<i> says which one matched.
    groups = [f"(?P<f{i}>{_phrase(f.pattern)})" for i, f in enumerate(brand.forbidden_claim_patterns)]
    return re.compile("|".join(groups)) if groups else None


def _competitors(brand: BrandProfile) -> tuple[str, ...]:
    """Banned terms whose reason says competitor, and the names in "better than X" forbidden patterns."""
    names = [t.term for t in brand.banned_terms if "competitor" in t.reason.lower()]
    for pattern in brand.forbidden_claim_patterns:
        named = re.search(r"\bthan\s+((?:[A-Z][\w&'-]*\s?)+)", pattern.pattern)
        if named:
            names.append(named.group(1).strip())
    return tuple(dict.fromkeys(names))


def _disclaimer_rule(disclaimer: RequiredDisclaimer, brand: BrandProfile) -> DisclaimerRule:
    topics = [k.lower().strip() for k in disclaimer.applies_to if k.strip()]
    alternatives = [_TOPIC_WORDS.get(k, re.escape(k) + r"\w*") for k in topics]  # all lower case
    # Whole words only: "caffeine-free" is not about caffeine.
    topic = re.compile(rf"(?<![\w-])(?:{'|'.join(alternatives)})(?![\w-])") if alternatives else None
    first_sentence = split_sentences(disclaimer.text)[0][2] if disclaimer.text.strip() else ""
    return DisclaimerRule(
        id=disclaimer.id, text=disclaimer.text, topic_name=", ".join(topics) or disclaimer.id,
        patterns=tuple(re.compile(_phrase(t)) for t in (disclaimer.text, first_sentence) if t.strip()),
        keywords=keywords(disclaimer.text), topic=topic, products=_products_about(topics, brand),
        claim_ids=frozenset(c.id for c in brand.claims if c.disclaimer_id == disclaimer.id),
    )


def _products_about(topics: list[str], brand: BrandProfile) -> frozenset[str]:
    """Products whose category or ingredients mention one of ``topics`` (a subscription, chamomile)."""
    about = {pid for pid, category in brand.product_categories.items()
             if any(t in category.lower() for t in topics)}
    about |= {f.product for f in brand.facts
              if f.key in ("ingredients", "contents") and any(t in f.text.lower() for t in topics)}
    return frozenset(about)
