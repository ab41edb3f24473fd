"""Find the claims in a marketing text, with their spans: what a regulator or a reviewer would ask proof for.

``extract_claims(text, competitors=())`` returns :class:`Claim` values in text order. A claim is a span
of ``text`` (``text[claim.start:claim.end] == claim.text``) with a ``kind``:

- ``price`` (€12.50, 12,50 €, EUR 12.5), ``rating`` (4.8/5, 4.8 out of 5, five stars) and ``number``
  (40 mg, 100%, 30-day, 3-4 minutes, 2,316 reviews, EN 13432): ``value`` (and ``upper`` for a range)
  and a normalised ``unit`` (``EUR``, ``/5``, ``mg``, ``g``, ``%``, ``day``, ``min``, ``C``, ``cup``...,
  or None for a bare number). Dates, clock times, ordinals and numbers inside codes (IE-ORG-09) are
  not claims.
- ``superlative`` (best, finest, most popular, unbeatable, perfect), ``comparative`` (better than,
  fresher than, compared with, unlike), ``ranking`` (#1, number one, best-selling, Ireland's favourite),
  ``guarantee`` (guaranteed, promise, money-back, refund you in full), ``health`` (detox, immunity,
  sleep, stress, weight, digestion, cures, heals, energy, anti-ageing, antioxidants...),
  ``environmental`` (eco-friendly, green packaging, sustainable, carbon neutral, compostable,
  plastic-free, recyclable, recycled, organic, natural), ``financial`` (free, save, discount, 15% off,
  cheapest, bargain, earn, no minimum term), ``award`` (award-winning, medal, voted), ``clinical``
  (clinically proven, studies show, doctor recommended) and ``competitor`` (a name from
  ``competitors``, "other brands", "supermarket tea", "the big brands").

The same words may give two claims of different kinds ("cheapest": superlative and financial); each
kind is judged on its own. Matching is by precompiled regular expressions, case-insensitive, on whole
words: it finds wording, not meaning, so paraphrases outside these lists are missed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache


@dataclass(frozen=True)
class Claim:
    kind: str
    start: int
    end: int
    text: str
    value: float | None = None
    upper: float | None = None
    unit: str | None = None

    @property
    def values(self) -> tuple[float, ...]:
        """The numbers this claim states: one, two for a range, none for a wording claim."""
        return tuple(v for v in (self.value, self.upper) if v is not None)


NUMERIC_KINDS = frozenset({"price", "rating", "number"})


def _words(*alternatives: str) -> re.Pattern[str]:
    return re.compile(r"(?<![\w-])(?:" + "|".join(alternatives) + r")(?![\w-])")


# Wording claims, matched on the lower-cased text (case-insensitive patterns are 3-4 times slower).
# Hyphens count as word characters at the edges, so "caffeine-free" is not "free" and "deep-green" not green.
WORDING: dict[str, re.Pattern[str]] = {
    "superlative": _words(
        # Idioms that are advice, not a claim: "best practice", "it's best to", "do your best".
        r"(?<!at )(?<!at its )(?<!at their )(?<!do your )(?<!do our )(?<!it's )(?<!it\u2019s )(?<!always )"
        r"best(?! (?:practices?|regards|wishes|ways?|before|to|friends?)\b)",
        r"finest", r"freshest", r"purest", r"smoothest", r"greatest", r"tastiest", r"richest",
        r"highest", r"strongest", r"healthiest", r"cheapest", r"lowest", r"biggest", r"largest",
        r"ultimate", r"unbeatable", r"unrivall?ed", r"unmatched", r"unparall?eled", r"unsurpassed",
        r"perfect", r"world[- ]class", r"world's \w+", r"second to none", r"incomparable",
        r"most (?:popular|loved|trusted|awarded|delicious|authentic|\w+(?:ful|ous|ive|able|ible|ic|al|ular))",
    ),
    "comparative": re.compile(
        r"(?<![\w-])(?:better|worse|(?!(?:rather|other|later|earlier|whether|either|neither|longer|fewer"
        r"|under|over|ever|never|order|after)\b)\w+er|more \w+|less \w+)\s+than"
        r"(?!\s+(?:[€£$]?\d|one\b|two\b))"
        r"|(?<![\w-])(?:compared (?:to|with)|unlike|outperforms?|outshines?)(?![\w-])",
    ),
    "ranking": _words(
        r"#\s?1", r"number one", r"no\.\s?1", r"top[- ]rated", r"best[- ]?sell(?:er|ers|ing)",
        r"market[- ]lead(?:er|ing)", r"leading(?! (?:to|up|zeros?|the way)\b)",
        r"\w+'s (?:favou?rite|leading|top|no\. 1|most popular)", r"most popular",
    ),
    "guarantee": _words(
        r"guarantee[sd]?", r"promise[sd]?", r"money[- ]back", r"risk[- ]free", r"full refund",
        r"refund(?:ed)? (?:you )?in full", r"no questions asked", r"warrant(?:y|ied)",
    ),
    "health": _words(
        r"detox\w*", r"cleans(?:e|es|ing)", r"immun\w+", r"sleep\w*", r"insomnia", r"drift off",
        r"anxiety", r"anxious", r"relax\w*", r"calm(?:s|ing)", r"unwind\w*", r"soothing", r"stressed",
        r"anti-stress", r"(?:reduces?|relieves?|less|beats?|melts? away|combats?|fights?) (?:your )?stress",
        r"stress[- ](?:relief|free)", r"weight[- ]loss", r"los(?:e|ing) weight", r"weight management",
        r"slim(?:s|ming)?", r"fat[- ]burn\w*", r"burns? fat", r"metabolism", r"digestion", r"digestive",
        r"aids? digest\w*", r"helps? (?:you )?digest", r"gut health", r"good for your gut", r"bloat\w*",
        r"cur(?:e|es|ed|ing)", r"heal(?:s|ing|ed|th benefits?)?", r"remed(?:y|ies)",
        r"prevent\w*(?: \w+){0,2} (?:diseases?|illness\w*|cancers?|colds?|flu|infections?|insomnia)",
        r"(?:gives? you|more|natural|sustained|all-day) energy", r"energy[- ]boost\w*", r"energi[sz]\w*",
        r"revitali[sz]\w*", r"invigorat\w*", r"boost\w*",
        r"improv\w* (?:your )?(?:focus|concentration|memory)",
        r"alertness", r"anti[- ]?(?:ageing|aging|oxidants?|inflammatory)", r"antioxidants?", r"polyphenols?",
        r"wrinkles?", r"youthful", r"wellness", r"well-?being", r"nourish\w*", r"restorative",
        r"good for you",
        r"healthy", r"healthier", r"pain", r"painkill\w*", r"cancer", r"diseases?", r"illness\w*",
        r"blood pressure", r"cholesterol", r"superfoods?", r"medicinal",
    ),
    "environmental": _words(
        r"eco[- ]\w+", r"eco(?:logical|friendly|safe|conscious|label)\w*",
        r"environment(?:al(?:ly)?)?[- ](?:friendly|safe|responsible|conscious)",
        r"green(?= (?:packaging|choice|company|brand|business|credentials|option|products?|alternative"
        r"|planet|future))",
        r"(?:go|going|goes|truly) green", r"greener", r"sustainab\w+",
        r"carbon[- ](?:neutral|negative|free|zero|positive)", r"climate[- ](?:neutral|positive|friendly)",
        r"net[- ]zero", r"low[- ]carbon", r"(?:home[- ])?compostable", r"biodegradable", r"plastic[- ]free",
        r"no plastic", r"recyclable", r"recycled", r"zero[- ]waste", r"waste[- ]free", r"planet[- ]friendly",
        r"kind to the (?:earth|planet)", r"organic", r"all[- ]natural", r"100% natural",
        # "natural" as a product descriptor only: "natural disaster" and "it's natural to" are not claims.
        r"natural(?= (?:ingredients?|flavou?rs?|products?|teas?|goodness|remed(?:y|ies)|choice|packaging))",
        r"naturally(?= (?:[\w]+-free|grown|sourced|sweet\w*|occurring|derived))", r"chemical[- ]free",
        r"fair[- ]?trade", r"ethically (?:sourced|certified)",
    ),
    "financial": re.compile(
        r"(?<![\w-])(?<!feel )free(?![\w-])(?! time)|(?<![\w-])(?:"
        r"sav(?:e|es|ing) (?:up to |over )?[€£$]?\d+(?:[.,]\d+)*%?|save money|savings|discount\w*|"
        r"half[- ]price|cheap(?:er|est)?|bargains?|lowest prices?|value for money|great value|"
        r"pays? for itself|earn(?:s|ed|ing|ings)?|invest(?:ment|ments|ing|ors?)?|profit\w*|income|"
        r"no hidden (?:costs|fees)|no (?:cancellation )?fee|no minimum term)(?![\w-])|\d+\s?% off\b",
    ),
    "award": _words(
        r"award[- ]winning", r"awards?", r"prize[- ]winning", r"winner of", r"won (?:the|a|an) \w+",
        r"(?:gold|silver|bronze) medals?", r"medals?", r"accolades?", r"voted",
    ),
    "clinical": _words(
        r"clinically \w+", r"scientifically (?:proven|tested|shown)", r"studies (?:show|prove)\w*",
        r"research (?:shows|proves)", r"doctor[- ]recommended", r"dermatologist\w*", r"proven to",
    ),
    "competitor": _words(
        r"other (?:brands?|tea companies|teas on the market|companies)",
        r"supermarket (?:tea|bags?|brands?|own[- ]label)", r"(?:the )?big brands", r"the competition",
        r"competitors?", r"high[- ]street (?:tea|brands?)",
    ),
}

_MONTHS = (r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?"
           r"|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?")
_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:[.,]\d+)?"
_PRICE = re.compile(
    rf"(?P<c1>[€£$])\s?(?P<n1>{_NUM})|(?P<n2>{_NUM})\s?(?P<c2>€|eur\b|euros?\b|£|gbp\b|usd\b|dollars?\b)"
    rf"|\b(?P<c3>eur|gbp|usd)\s?(?P<n3>{_NUM})",
)
_RATING = re.compile(
    r"(?<![\w.])(?P<n>\d(?:\.\d)?)\s?(?:/|out of)\s?(?P<of>5|10)(?![\d.])(?:\s?stars?)?"
    r"|(?<![\w.])(?P<s>\d(?:\.\d)?)[- ]stars?\b|\b(?P<w>five|four)[- ]stars?\b",
)
_CURRENCIES = {"€": "EUR", "eur": "EUR", "euro": "EUR", "euros": "EUR", "£": "GBP", "gbp": "GBP"}
_UNITS = {
    "%": "%", "percent": "%", "per cent": "%", "mg": "mg", "g": "g", "gram": "g", "grams": "g", "kg": "kg",
    "ml": "ml", "l": "l", "litre": "l", "litres": "l", "liter": "l", "liters": "l", "°c": "C", "° c": "C",
    "minute": "min", "minutes": "min", "min": "min", "mins": "min", "hour": "h", "hours": "h", "hrs": "h",
    "second": "s", "seconds": "s", "day": "day", "days": "day", "week": "week", "weeks": "week",
    "month": "month", "months": "month", "year": "year", "years": "year", "cup": "cup", "cups": "cup",
    "glass": "cup", "glasses": "cup", "review": "review", "reviews": "review", "customer": "customer",
    "customers": "customer",
}
_UNIT_ALTERNATION = "|".join(sorted((re.escape(u) for u in _UNITS), key=len, reverse=True))
_NUMBER = re.compile(
    rf"(?<![\w.,:/#-])(?P<n>{_NUM})(?:\s?[-\u2013]\s?(?P<hi>\d+(?:\.\d+)?)(?![\w-]))?"
    rf"(?:(?:\s|-)?(?P<unit>{_UNIT_ALTERNATION})(?![\w]))?(?![\w]|\.\w)",
)
# Numbers that are dates, times or ordinals: not claims a fact could support or contradict.
_NOT_A_CLAIM_AFTER = re.compile(rf"\s?(?:st|nd|rd|th|am|pm)\b|:\d|\s+(?:{_MONTHS})\b|\s?[ap]\.m\.")
_NOT_A_CLAIM_BEFORE = re.compile(rf"(?:\b(?:{_MONTHS})|\d:)\s*$")


def extract_claims(text: str, competitors: Sequence[str] = ()) -> list[Claim]:
    """Every claim in ``text``, in order of start offset (then kind)."""
    lower = lowered(text)
    claims = [*_numeric_claims(text, lower), *_wording_claims(text, lower)]
    if competitors:
        claims += _matches(text, "competitor", _competitor_pattern(tuple(competitors)).finditer(lower))
    return sorted(claims, key=lambda c: (c.start, c.kind, c.end))


def lowered(text: str) -> str:
    """``text`` lower-cased with every offset kept (a character whose lower case is longer stays as it is)."""
    lower = text.lower()
    if len(lower) == len(text):
        return lower
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


def parse_number(raw: str) -> float:
    """"2,316" -> 2316.0, "12,50" -> 12.5 (a comma before exactly two digits is a decimal comma)."""
    if "," in raw and "." not in raw and re.fullmatch(r"\d+,\d{1,2}", raw):
        return float(raw.replace(",", "."))
    return float(raw.replace(",", ""))


def _wording_claims(text: str, lower: str) -> list[Claim]:
    return [c for kind, pattern in WORDING.items() for c in _matches(text, kind, pattern.finditer(lower))]


def _matches(text: str, kind: str, found: Iterable[re.Match[str]]) -> list[Claim]:
    return [Claim(kind=kind, start=m.start(), end=m.end(), text=text[m.start():m.end()]) for m in found]


def _numeric_claims(text: str, lower: str) -> list[Claim]:
    claims = [*_prices(text, lower), *_ratings(text, lower)]
    taken = [(c.start, c.end) for c in claims]
    for m in _NUMBER.finditer(lower):
        if any(s < m.end() and m.start() < e for s, e in taken) or _is_date_or_time(lower, m):
            continue
        unit = m.group("unit")
        claims.append(Claim(
            kind="number", start=m.start(), end=m.end(), text=text[m.start():m.end()],
            value=parse_number(m.group("n")),
            upper=float(m.group("hi")) if m.group("hi") else None,
            unit=_UNITS[unit.lower()] if unit else None,
        ))
    return claims


def _prices(text: str, lower: str) -> list[Claim]:
    claims = []
    for m in _PRICE.finditer(lower):
        raw = m.group("n1") or m.group("n2") or m.group("n3")
        currency = (m.group("c1") or m.group("c2") or m.group("c3")).lower()
        unit = _CURRENCIES.get(currency, "USD")
        claims.append(Claim("price", *m.span(), text[m.start():m.end()], value=parse_number(raw), unit=unit))
    return claims


def _ratings(text: str, lower: str) -> list[Claim]:
    claims = []
    for m in _RATING.finditer(lower):
        if m.group("w"):
            value, scale = (5.0 if m.group("w").lower() == "five" else 4.0), "5"
        else:
            value, scale = float(m.group("n") or m.group("s")), (m.group("of") or "5")
        claims.append(Claim("rating", *m.span(), text[m.start():m.end()], value=value, unit=f"/{scale}"))
    return claims


def _is_date_or_time(text: str, m: re.Match[str]) -> bool:
    if m.group("unit") or m.group("hi"):
        return False
    return bool(_NOT_A_CLAIM_AFTER.match(text, m.end()) or _NOT_A_CLAIM_BEFORE.search(text, 0, m.start()))


@lru_cache(maxsize=64)
def _competitor_pattern(names: tuple[str, ...]) -> re.Pattern[str]:
    alternatives = sorted((re.escape(n.strip().lower()).replace(r"\ ", r"\s+") for n in names if n.strip()),
                          key=len, reverse=True)
    return re.compile(r"(?<![\w-])(?:" + "|".join(alternatives) + r")(?![\w-])")


_STOP_WORDS = frozenset({
    "the", "and", "for", "are", "but", "not", "you", "your", "yours", "our", "ours", "all", "any", "can",
    "has", "have", "had", "was", "were", "will", "with", "this", "that", "these", "those", "from", "into",
    "than", "then", "them", "they", "their", "its", "who", "what", "when", "where", "which", "how", "why",
    "out", "about", "over", "under", "more", "most", "less", "also", "just", "only", "very", "each",
    "every", "per", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "get",
    "got", "let", "may", "might", "should", "would", "could", "there", "here", "some", "such", "own",
    "same", "other", "onto", "via", "yes", "now", "off", "too", "much", "many", "like", "been", "being",
    "does", "did", "doing", "done", "she", "him", "his", "her", "hers", "himself", "herself", "itself",
    "ourselves", "themselves", "yourself", "myself", "while", "because", "until", "again", "further",
    "once", "both", "few", "nor", "don", "isn", "aren", "wasn", "weren", "won", "let's", "we're", "you're",
    "it's", "that's", "there's",
})
_WORD = re.compile(r"[a-z]+")
_NORMAL_TOKEN = re.compile(r"[a-z0-9€£$%]+(?:[.,'][a-z0-9]+)*")


@lru_cache(maxsize=4096)
def keywords(text: str) -> frozenset[str]:
    """Content words of ``text`` for overlap matching: lower case, 3+ letters, no stop words, no plurals."""
    words = _WORD.findall(text.lower())
    return frozenset(_fold_plural(w) for w in words if len(w) > 2 and w not in _STOP_WORDS)


def normalised(text: str) -> str:
    """``text`` as space-separated lower-case tokens, a space at each end: for whole-phrase containment."""
    return " " + " ".join(_NORMAL_TOKEN.findall(text.lower())) + " "


@lru_cache(maxsize=8192)
def _fold_plural(word: str) -> str:
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith(("ches", "shes", "sses", "xes")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word
