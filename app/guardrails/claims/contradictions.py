"""Offers the brand's own documents charge for: "free shipping to the UK" when pricing says UK pays €6.90.

:func:`charged_offer` looks at a ``free`` (or savings) claim's sentence: its charge topic (shipping,
delivery, postage, returns) and its territories ("worldwide" and "all orders" reach every territory). A
fact, disclaimer sentence or policy statement about the same topic and one of those territories that
states a price above zero, or says there is no free offer there, contradicts it. A statement that names
one of the brand's products applies only when the sentence names that product too.
"""

from __future__ import annotations

import re

from app.guardrails.claims.claim import Claim
from app.guardrails.claims.scope import Scope, territories_in
from app.guardrails.claims.sources import BrandIndex, Source

_TOPICS = {
    "shipping": re.compile(r"\b(?:ship\w*|deliver\w*|postage|p&p|dispatch\w*)\b"),
    "returns": re.compile(r"\b(?:returns?|return shipping)\b"),
}
_FREE = re.compile(r"\bfree\b|\bno (?:shipping|delivery|postage) (?:charge|fee|cost)s?\b|\bat no (?:extra )?cost\b")
_NOT_FREE = re.compile(r"\bno free\b|\bnot free\b|\bthere is no free\b|\bdoes not qualify\b")
_PRICE = re.compile(r"[€£$]\s?(\d+(?:[.,]\d+)?)|(\d+(?:[.,]\d+)?)\s?(?:€|eur\b)")
_EVERYWHERE = re.compile(
    r"\b(?:all orders|every order|any order|anywhere(?! in)|worldwide|everywhere|international\w*)\b")


def charged_offer(claim: Claim, scope: Scope, named: frozenset[str], index: BrandIndex) -> Source | None:
    """The brand statement that charges for what the claim's sentence offers free, or None."""
    sentence = scope.text
    topics = [t for t, p in _TOPICS.items() if p.search(sentence)]
    if not topics or not _FREE.search(claim.text.lower()):
        return None
    everywhere = "WORLD" in scope.territories or bool(_EVERYWHERE.search(sentence))
    if not scope.territories and not everywhere:
        return None
    for source in index.sources:
        if source.kind == "claim" or (source.names and not source.names <= named):
            continue
        text = source.text.lower()
        if not any(_TOPICS[t].search(text) for t in topics) or not _charges(text):
            continue
        targets = set(scope.territories - {"WORLD"}) or set(source.scope.territories)
        if _charges_in(text, targets):
            return source
    return None


def _charges(text: str) -> bool:
    """The text states a charge: "no free ...", or a price above zero that is not a free offer's threshold
    ("free over €35" is a threshold; "Below €35, shipping is €4.50" is a charge)."""
    if _NOT_FREE.search(text):
        return True
    if re.search(r"\bfree\b", text):
        return False
    return any(float((m.group(1) or m.group(2)).replace(",", ".")) > 0 for m in _PRICE.finditer(text))


def _charges_in(text: str, territories: set[str]) -> bool:
    """A statement naming several territories ("EU free over €35; UK €6.90") charges the ones named in a
    clause with a price above zero or "no free"."""
    return any(_charges(clause) and territories_in(clause, clause) & territories
               for clause in re.split(r"[;.]\s", text))
