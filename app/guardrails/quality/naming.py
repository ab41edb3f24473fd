"""Copy that never names the brief's product or brand.

Rule ``not_named`` (the finding spans the whole text). It runs only when the brief gives a product or a
key message; then the copy must name one of:

- with a product: the product's display name (``products/<id>.yaml`` ``name``; an id the brand does not
  know is taken as the name itself) or the brand;
- with only a key message: the brand or any of its products.

The brand is named by its name (``Fernhill Tea Co.``), its name without a legal suffix (``Fernhill Tea``)
or its slug (``fernhill``). Matching ignores case, a leading "The" (``Tea Club``), possessives
(``Quiet Hours'``, ``Fernhill's``), a plural ``s``, and what joins the words: space, hyphen, nothing
(``Quiet-Hours``, ``#QuietHours``), a compound hyphen after it (``Thunderbird-Konto``) or digits
(``#QuietHours2026``). A name glued to a following letter (``Quiet Hourstea``) does not count.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from app.brand import BrandProfile
from app.guardrails.quality.findings import Finding

_TOKEN = re.compile(r"[^\W_]+")
_LEGAL_SUFFIXES = frozenset({"co", "company", "ltd", "limited", "inc", "incorporated", "gmbh", "llc", "plc",
                             "ag", "sa", "sarl", "bv", "pty", "corp", "corporation"})


def naming_findings(text: str, brand: BrandProfile, product: str | None, key_message: str | None) -> list[Finding]:
    if not product and not key_message:
        return []
    names = brand_names(brand)
    if product:
        names.append(brand.products.get(product, product))
    else:
        names.extend(brand.products.values())
    pattern = names_pattern(names)
    if pattern is None or pattern.search(text):
        return []
    wanted = brand.products.get(product, product) if product else brand.name
    return [Finding(rule="not_named", spans=((0, len(text)),), evidence=", ".join(sorted(set(names))),
                    reason=f"the copy never names {wanted!r} or the brand: say what it is about")]


def brand_names(brand: BrandProfile) -> list[str]:
    """The brand's name, the name without a legal suffix ("Co.", "Ltd"...), and its slug as words."""
    tokens = _TOKEN.findall(brand.name)
    while len(tokens) > 1 and tokens[-1].lower() in _LEGAL_SUFFIXES:
        tokens.pop()
    return [brand.name, " ".join(tokens), brand.slug.replace("-", " ")]


def names_pattern(names: Iterable[str]) -> re.Pattern[str] | None:
    """One case-insensitive pattern matching any of ``names`` with the tolerance in the module docstring."""
    alternatives = set()
    for name in names:
        tokens = _TOKEN.findall(name)
        if len(tokens) > 1 and tokens[0].lower() == "the":
            tokens = tokens[1:]
        if tokens:
            alternatives.add(r"[\s\-_.'\u2019]{0,3}".join(re.escape(t) for t in tokens))
    if not alternatives:
        return None
    body = "|".join(sorted(alternatives, key=len, reverse=True))
    return re.compile(rf"(?<![^\W_])(?:{body})(?:e?s)?(?![^\W\d_])", re.IGNORECASE)
