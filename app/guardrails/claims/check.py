"""The claims check: every claim in a text must be backed by the brand's approved claims or product facts,
within the scope they were approved for.

``ClaimsCheck`` (name ``"claims"``) has two stages. The rules (:mod:`~app.guardrails.claims.candidates`
and the rule families beside it) find candidate claims and :mod:`~app.guardrails.claims.support` judges
each against the brand's sources by subject, part, material, territory, conditions and strength; where the
rules are not certain, ``ctx.judge`` decides (:mod:`~app.guardrails.claims.judge_stage`). Results:

- **supported**: summarised in one passed result (rule ``claims:supported``) whose ``evidence`` lists the
  ids of the sources cited, e.g. ``C-009, quiet-hours.price``.
- **contradicted**: a value that differs from the source about the same thing, or an offer the brand's
  pricing charges for. Finding ``claims:contradicted:<kind>``, severity block, citing the source; for a
  number the ``suggestion`` is the source's value ("€9.50" for "€8").
- **unsupported**: nothing backs it. Finding ``claims:unsupported:<kind>``; the reason names the approved
  claim compared with and what differs ("compared with K-1: subject: Candy floss vs Kelpra powder"), and
  says ``(rules only: ...)`` when the judge could have decided but did not; ``suggestion`` quotes that
  approved claim (advice for a re-ask or a reviewer, not a replacement).

Severity: block, except a bare number with no unit (warn: often a count) and, in a text that is not about
the brand, the kinds any prose uses (superlative, comparative, ranking, award, number, price, rating: warn).
A text is about the brand when it names the brand or a product or the context names a product; a sentence
speaking as the brand ("we", "our"; a price also needs an offer word: "our pouches cost €9") or comparing
with "ordinary", "other" or "regular" products blocks anyway.
On the 18F content guide (real prose that is not the brand's) the downgrade takes superlatives like
"the best possible experience" and statistics like "90 percent of content" out of the blocks.

German text (``ctx.language``, else detected) is read with the German rules too
(:mod:`~app.guardrails.claims.german_rules`), and "wir"/"unser" speak as the brand as "we"/"our" do.

Required disclaimers (:mod:`~app.guardrails.claims.disclaimers`): absent ones are
``claims:missing_disclaimer:<id>``, severity warn.

Every step is linear in the text: one regex pass per pattern, claims, sentences and product mentions walked
together in offset order, retrieval by an inverted index whose size is the brand's, not the text's.
"""

from __future__ import annotations

import re

from app.guardrails.base import CheckContext, CheckResult, Severity
from app.guardrails.claims.claim import CONTEXTUAL_KINDS, NUMERIC_KINDS, Claim
from app.guardrails.claims.disclaimers import disclaimer_rules, masked
from app.guardrails.claims.judge_stage import decide_uncertain
from app.guardrails.claims.sources import Source, brand_index
from app.guardrails.claims.support import Verdict, judge_text
from app.guardrails.claims.words import keywords, lowered

_FIRST_PERSON = re.compile(r"\b(?:we|our|ours|us|we're|we've|we'll|wir|uns|unser|unsere|unserer|unseren|unserem"
                           r"|unseres)\b")
# A comparison with the market, or a ratio ("twice the", "three times", "50% more"), is about a product.
_MARKET = re.compile(r"\b(?:ordinary|regular|normal|conventional|typical|standard|average|usual|other|leading"
                     r"|supermarket|generic|high-street|store-bought|competitors?|the rest)\b"
                     r"|\b(?:twice|double|triple|\d+\s?(?:x|times))\b|\d\s?% (?:more|less|fewer|\w+er)\b"
                     # German: "herkömmliche Teebeutel", "doppelt so", "dreimal so", "50 % mehr"
                     r"|\b(?:herkömmlich|normal|gewöhnlich|üblich|konventionell|ander|billig|supermarkt)\w*"
                     r"|\b(?:doppelt|\w+mal) so\b|\d\s?(?:%|prozent) (?:mehr|weniger|\w+er)\b")
_OFFER = re.compile(r"\b(?:costs?|price[sd]?|only|just|buy|save|off|per|a month|each|pay|charged?|fee"
                    r"|kostet|kosten|preis\w*|nur|kauf\w*|spar\w*|pro|je|monatlich|im monat|zahl\w*|gebühr\w*)\b")
_WHAT = {
    "health": "health claims are allowed only as approved: same subject, wording strength and conditions",
    "clinical": "it implies scientific or clinical proof that no approved claim states",
    "endorsement": "an endorsement by experts or health professionals is a health claim (Regulation (EC) "
                   "No 1924/2006 Art. 12(c)) and none is approved",
    "environmental_generic": "a generic environmental claim, banned without recognised excellent environmental "
                             "performance (Directive (EU) 2024/825)",
    "savings": "a saving or reduction needs an approved promotion with its reference price (Directive (EU) "
               "2019/2161)",
    "competitor": "it names or alludes to a competitor; comparisons with competitors are never approved",
    "forbidden": "it matches a forbidden claim pattern",
}


class ClaimsCheck:
    name = "claims"

    def __init__(self, severity: str | Severity = Severity.block,
                 disclaimer_severity: str | Severity = Severity.warn,
                 bare_number_severity: str | Severity = Severity.warn,
                 off_topic_severity: str | Severity = Severity.warn,
                 competitors: list[str] | None = None) -> None:
        self.severity = Severity(severity)
        self.disclaimer_severity = Severity(disclaimer_severity)
        self.bare_number_severity = Severity(bare_number_severity)
        self.off_topic_severity = Severity(off_topic_severity)
        self.competitors = tuple(competitors or ())

    def run(self, text: str, ctx: CheckContext) -> list[CheckResult]:
        index = brand_index(ctx.brand)
        lower = lowered(text)  # the index's patterns are lower-case: 3-4 times faster than re.IGNORECASE
        mentions = index.product_mentions(lower)
        verdicts = judge_text(text, index, product=ctx.product, competitors=self.competitors, lower=lower,
                              mentions=mentions, language=ctx.language)
        verdicts = decide_uncertain(verdicts, text, ctx, index)
        about = bool(ctx.product or mentions or (index.brand_words and all(w in lower for w in index.brand_words)))
        results = [self._finding(v, text, about) for v in verdicts if v.status != "supported"]
        results += self._missing_disclaimers(text, lower, mentions, verdicts, ctx)
        supported = [v for v in verdicts if v.status == "supported"]
        if supported:
            results.append(_supported_summary(self.name, supported))
        return results

    def _severity(self, verdict: Verdict, text: str, about: bool) -> Severity:
        claim = verdict.claim
        if verdict.status == "contradicted":
            return self.severity
        if claim.kind == "number" and claim.unit is None:
            return self.bare_number_severity
        if claim.kind in CONTEXTUAL_KINDS and not about and not _speaks_as_brand(verdict, text):
            return self.off_topic_severity
        return self.severity

    def _finding(self, verdict: Verdict, text: str, about: bool) -> CheckResult:
        claim = verdict.claim
        severity = self._severity(verdict, text, about)
        start, end = verdict.sentence
        sentence = text[start:end] or text[claim.start:claim.end]
        if verdict.status == "contradicted" and verdict.source is not None:
            note = f" ({verdict.note})" if verdict.note.startswith("judge") else ""
            return CheckResult(
                check=self.name, rule=f"claims:contradicted:{claim.kind}", passed=False, severity=severity,
                spans=((claim.start, claim.end),),
                reason=f"{claim.kind} {claim.text!r} contradicts {_contradiction(verdict)}{note}",
                evidence=f"{verdict.source.id}: {verdict.source.text}", suggestion=_corrected(claim, verdict.source),
            )
        closest = verdict.source if verdict.source is not None and verdict.source.kind == "claim" else None
        return CheckResult(
            check=self.name, rule=f"claims:unsupported:{claim.kind}", passed=False, severity=severity,
            spans=((claim.start, claim.end),), reason=_unsupported_reason(verdict), evidence=sentence,
            suggestion=f"closest approved claim {closest.id}: {closest.text!r}" if closest else None,
        )

    def _missing_disclaimers(self, text: str, lower: str, mentions: list[tuple[int, int, str]],
                             verdicts: list[Verdict], ctx: CheckContext) -> list[CheckResult]:
        rules = disclaimer_rules(ctx.brand)
        present = {rule.id: spans for rule in rules if (spans := rule.spans_in(lower))}
        # A disclaimer's own words ("Free shipping applies...") do not make another disclaimer apply.
        inside = sorted(span for spans in present.values() for span in spans)
        blank = masked(lower, inside)
        cited = {v.source.id: (v.claim.start, v.claim.end) for v in reversed(verdicts) if v.source is not None
                 and v.status == "supported" and blank[v.claim.start:v.claim.start + 1] != " "}
        mentions = [m for m in mentions if blank[m[0]:m[0] + 1] != " "]
        words = keywords(text)
        findings = []
        for rule in rules:
            trigger = rule.trigger(blank, mentions, cited)
            if trigger is None or rule.id in present or rule.covered_by(words):
                continue
            findings.append(CheckResult(
                check=self.name, rule=f"claims:missing_disclaimer:{rule.id}", passed=False,
                severity=self.disclaimer_severity, spans=(trigger,),
                reason=f"the text touches {rule.topic_name} ({text[trigger[0]:trigger[1]]!r}) but disclaimer "
                       f"{rule.id} is absent",
                evidence=rule.text, suggestion=f"add disclaimer {rule.id}: {rule.text}",
            ))
        return findings


def _speaks_as_brand(verdict: Verdict, text: str) -> bool:
    """The claim's sentence speaks as the brand ("we", "our"; for a price, also with an offer word: "our
    pouches cost €9") or compares with the market ("ordinary tea bags")."""
    start, end = verdict.sentence
    sentence = text[start:end].lower()
    if verdict.claim.kind == "comparative" and _MARKET.search(sentence):
        return True
    if not _FIRST_PERSON.search(sentence):
        return False
    return verdict.claim.kind != "price" or bool(_OFFER.search(sentence))


def _contradiction(verdict: Verdict) -> str:
    return verdict.note if not verdict.note.startswith("judge") or verdict.source is None else \
        f"{verdict.source.id}, which says: {verdict.source.text}"


def _corrected(claim: Claim, source: Source) -> str:
    """The claim with the source's value in it ("€8" -> "€9.50") when the source states one; else its text."""
    stated = {n.text for n in source.numbers if n.unit == claim.unit and n.upper is None}
    if claim.kind not in NUMERIC_KINDS or len(stated) != 1 or claim.upper is not None:
        return source.text
    value = _NUMBER_TEXT.search(stated.pop())
    return _NUMBER_TEXT.sub(value.group(0), claim.text, count=1) if value else source.text


_NUMBER_TEXT = re.compile(r"\d+(?:[.,]\d+)*")


def _unsupported_reason(verdict: Verdict) -> str:
    claim = verdict.claim
    what = _WHAT.get(claim.kind, "no approved claim or product fact backs it")
    if claim.kind in NUMERIC_KINDS:
        unit = f" in {claim.unit}" if claim.unit else ""
        what = f"no approved claim or product fact states this value{unit}"
        if verdict.differences:
            what += " for this scope"
    reason = f"unsupported {claim.kind} claim {claim.text!r}: {what}"
    if verdict.source is not None and verdict.differences:
        reason += f"; compared with {verdict.source.id}: " + "; ".join(d.describe() for d in verdict.differences)
    return reason + (f" ({verdict.note})" if verdict.note and not verdict.note.startswith("(") else
                     f" {verdict.note}" if verdict.note else "")


def _supported_summary(check: str, supported: list[Verdict]) -> CheckResult:
    ids = list(dict.fromkeys(v.source.id for v in supported if v.source is not None))
    listed = "; ".join(f"{v.claim.text!r} ({_cited(v)})" for v in supported)
    return CheckResult(check=check, rule="claims:supported", passed=True,
                       spans=tuple((v.claim.start, v.claim.end) for v in supported),
                       reason=f"{len(supported)} claims supported: {listed}", evidence=", ".join(ids))


def _cited(verdict: Verdict) -> str:
    """``C-003``, or ``K-1, judge: supported (p=0.91)`` when the judge decided."""
    judged = verdict.note if verdict.note.startswith("judge") else ""
    return ", ".join(x for x in (verdict.source.id if verdict.source else "", judged) if x)
