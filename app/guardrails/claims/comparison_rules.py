"""Comparisons and rankings: the ``superlative``, ``comparative``, ``ranking``, ``award`` and
``competitor`` kinds.

A comparative need not say "than": "twice the flavour of ordinary tea bags", "50% more antioxidants",
"beats any supermarket blend", "X fans: try ours instead". Comparisons with competitors are never approved
(EU Directive 2006/114/EC sets conditions a marketing draft cannot show); a comparison with "ordinary",
"regular" or "other" products is a comparison with competitors in disguise.
"""

from __future__ import annotations

import re
from functools import lru_cache

from app.guardrails.claims.patterns import LEFT, RIGHT, SEP, words

SUPERLATIVE = words(
    # Idioms that are advice, not a claim: "best practice", "it's best to", "do your best".
    r"(?<!at )(?<!at its )(?<!at their )(?<!do your )(?<!do our )(?<!it's )(?<!it\u2019s )(?<!always )"
    r"best(?! (?:practices?|regards|wishes|ways?|before|to|friends?)\b)",
    r"finest", r"freshest", r"purest", r"smoothest", r"greatest", r"tastiest", r"richest",
    r"highest", r"strongest", r"healthiest", r"cheapest", r"lowest", r"biggest", r"largest",
    r"ultimate", r"unbeatable", r"unrivall?ed", r"unmatched", r"unparall?eled", r"unsurpassed",
    r"perfect", rf"world{SEP}class", r"world's \w+", r"second to none", r"incomparable", r"like no other",
    r"nothing (?:else )?comes close", r"no other \w+ (?:can|comes|does|has|is|tastes)",
    r"most (?:popular|loved|trusted|awarded|delicious|authentic|\w+(?:ful|ous|ive|able|ible|ic|al|ular))",
)

_COMPARATOR = (r"(?:ordinary|regular|normal|standard|conventional|typical|average|other|most|leading|big-brand"
               r"|supermarket|high-street|generic|cheap|mass-market|store-bought|shop-bought|your usual|the rest)")
COMPARATIVE = re.compile(
    r"(?<![\w-])(?:better|worse|(?!(?:rather|other|later|earlier|whether|either|neither|longer|fewer"
    r"|under|over|ever|never|order|after)\b)\w+er(?: [a-z]+)?|more \w+|less \w+)\s+than"
    r"(?!\s+(?:[€£$]?\d|one\b|two\b|ever\b|before\b|necessary\b|needed\b|usual\b|expected\b))"
    rf"|{LEFT}(?:compared (?:to|with)|unlike|outperforms?|outshines?|outlasts?|outsells?|versus|vs\.?"
    rf"|(?:twice|double|triple|thrice|half|(?:\d+(?:\.\d+)?|two|three|four|five|ten)\s?(?:x|times)) (?:the|as)"
    rf" (?:[\w-]+ ){{0,2}}(?:of|as)"
    rf"|\d+\s?% (?:more|less|fewer|higher|lower|stronger|faster|richer|extra|better|smoother|fresher)"
    rf"|beats? (?:any|all|every|other|the rest|ordinary|regular|\w+'s)"
    # A switch pitch ("try Morning Ember instead"), not advice ("use numerals instead", "try to use X instead").
    rf"|(?:try|choose|pick|drink|sip|switch to|swap to|go for) (?!to )(?:[\w'-]+ ){{1,3}}instead(?! of)"
    rf"|instead of (?:your|the|other|ordinary|regular|those|\w+'s)|switch(?:ing)? (?:from|away from)"
    rf"|ditch (?:your|the|those)|(?:than|of|to) {_COMPARATOR} (?:\w+ ){{0,2}}(?:teas?|bags?|brands?|blends?"
    rf"|products?|ones|coffee|options?|alternatives?))"
    rf"{RIGHT}",
)

RANKING = words(
    r"#\s?1", r"number one", r"no\.\s?1", rf"top{SEP}rated", rf"best{SEP}?sell(?:er|ers|ing)",
    rf"market{SEP}lead(?:er|ing)", r"leading(?! (?:to|up|zeros?|the way)\b)",
    r"\w+'s (?:favou?rite|leading|top|no\. 1|most popular)", r"most popular",
)

AWARD = words(
    rf"award{SEP}winning", r"awards?", rf"prize{SEP}winning", r"winner of", r"won (?:the|a|an) \w+",
    r"(?:gold|silver|bronze) medals?", r"medals?", r"accolades?", r"voted",
)

COMPETITOR = words(
    r"other (?:brands?|tea companies|teas on the market|companies)",
    r"supermarket (?:tea|bags?|brands?|own[- ]label)", r"(?:the )?big brands", r"the competition",
    r"competitors?", r"high[- ]street (?:tea|brands?)",
)

PATTERNS: dict[str, re.Pattern[str]] = {
    "superlative": SUPERLATIVE, "comparative": COMPARATIVE, "ranking": RANKING, "award": AWARD,
    "competitor": COMPETITOR,
}


@lru_cache(maxsize=64)
def competitor_pattern(names: tuple[str, ...]) -> re.Pattern[str] | None:
    """Competitor names with their variants: plural and possessive ("Kettlewicks", "Kettlewick's"), spaces
    or hyphens inside ("Kettle-wick", "Kettle wick"), "and" for "&" ("Leaf and Lantern")."""
    alternatives = sorted({_variants(n) for n in names if n.strip()}, key=len, reverse=True)
    if not alternatives:
        return None
    return re.compile(LEFT + "(?:" + "|".join(alternatives) + r")(?:'s|\u2019s|s'|s|es)?" + RIGHT)


def _variants(name: str) -> str:
    parts = []
    for word in name.strip().lower().split():
        if word in ("&", "and", "+"):
            parts.append(r"(?:&|and|\+|n)")
            continue
        parts.append(r"[- ]?".join(re.escape(c) for c in word))
    return r"[\s-]*".join(parts)
