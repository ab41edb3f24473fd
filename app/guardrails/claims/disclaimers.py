"""Required disclaimers: which apply to a text, and which of those are absent.

A disclaimer applies when the text mentions its topic (``applies_to`` keywords and their common synonyms,
"caffeine-free" not counting as caffeine, a topic word modifying another noun not counting either:
"delivery vans" are not the delivery offer), names a product whose category or ingredients mention that
topic, or has a claim supported by an approved claim carrying its ``disclaimer_id`` (the words of a
disclaimer present in the text do not count). It is present when its first sentence appears in the text,
or 70% of its keywords do. Absent: ``claims:missing_disclaimer:<id>``, severity warn.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from app.brand import BrandProfile, RequiredDisclaimer
from app.guardrails.claims.context_rules import is_topic_modifier
from app.guardrails.claims.sources import phrase_pattern
from app.guardrails.claims.words import keywords
from app.guardrails.sentences import split_sentences

DISCLAIMER_COVERAGE = 0.7
# Generic synonyms of common disclaimer topics; any other applies_to keyword matches as itself.
_TOPIC_WORDS = {
    "subscription": r"subscri\w*|membership|per month|a month|monthly box",
    "shipping": r"ship(?:s|ping|ped)?|deliver(?:y|ed|s)?|postage",
    "guarantee": r"guarantee[sd]?|promise[sd]?|refund\w*|money[- ]back",
    "rating": r"rated|ratings?|stars?|out of 5|/5|verified reviews|customer reviews",
}


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

    def spans_in(self, lower: str) -> list[tuple[int, int]]:
        """Where the disclaimer's full text, or else its first sentence, appears in ``lower``."""
        return next((spans for p in self.patterns if (spans := [m.span() for m in p.finditer(lower)])), [])

    def covered_by(self, words: frozenset[str]) -> bool:
        return bool(self.keywords) and len(self.keywords & words) / len(self.keywords) >= DISCLAIMER_COVERAGE

    def trigger(self, lower: str, mentions: list[tuple[int, int, str]],
                cited: dict[str, tuple[int, int]]) -> tuple[int, int] | None:
        """Where the text makes this rule apply: its topic, a product it covers, or a claim that carries it."""
        if self.topic is not None:
            for found in self.topic.finditer(lower):
                if not is_topic_modifier(lower, found.end()):
                    return found.span()
        span = next(((start, end) for start, end, product in mentions if product in self.products), None)
        return span or next((cited[cid] for cid in sorted(self.claim_ids & set(cited))), None)


def disclaimer_rules(brand: BrandProfile) -> list[DisclaimerRule]:
    """The brand's required disclaimers as rules, built once per loaded profile."""
    return brand.derive("claims.disclaimers", lambda b: [_rule(d, b) for d in b.required_disclaimers])


def masked(text: str, spans: list[tuple[int, int]]) -> str:
    """``text`` with each span blanked out (same length), in one pass."""
    if not spans:
        return text
    pieces, last = [], 0
    for start, end in sorted(spans):
        start = max(start, last)
        if end <= start:
            continue
        pieces += [text[last:start], " " * (end - start)]
        last = end
    pieces.append(text[last:])
    return "".join(pieces)


def _rule(disclaimer: RequiredDisclaimer, brand: BrandProfile) -> DisclaimerRule:
    topics = [k.lower().strip() for k in disclaimer.applies_to if k.strip()]
    alternatives = [_TOPIC_WORDS.get(k, re.escape(k) + r"\w*") for k in topics]  # all lower case
    # Whole words only: "caffeine-free" is not about caffeine.
    topic = re.compile(rf"(?<![\w-])(?:{'|'.join(alternatives)})(?![\w-])") if alternatives else None
    first_sentence = split_sentences(disclaimer.text)[0][2] if disclaimer.text.strip() else ""
    return DisclaimerRule(
        id=disclaimer.id, text=disclaimer.text, topic_name=", ".join(topics) or disclaimer.id,
        patterns=tuple(re.compile(phrase_pattern(t)) for t in (disclaimer.text, first_sentence) if t.strip()),
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
