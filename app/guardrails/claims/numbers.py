"""Numeric claims: prices (€12.50, 12,50 €, 1.299,00 €, EUR 12.5), ratings (4.8/5, five stars) and numbers with units.

``numeric_claims(text, lower)`` returns :class:`~app.guardrails.claims.claim.Claim` values of kind
``price``, ``rating`` or ``number`` with ``value`` (``upper`` for a range) and a normalised ``unit``
(``EUR``, ``/5``, ``mg``, ``%``, ``day``, ``min``, ``C``, ``cup``..., None for a bare number). Dates, clock
times, ordinals and numbers inside codes (IE-ORG-09) are not claims.

Linear in the text: one scan per pattern, overlaps resolved by a single forward pointer, and the "is it a
date" look-behind reads a fixed window (a month name or a clock's "12:" before the number), never the prefix.
"""

from __future__ import annotations

import re

from app.guardrails.claims.claim import Claim
from app.guardrails.claims.words import parse_number

_MONTHS = (r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?"
           r"|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?")
# German dates: an ordinal's full stop and a month ("3. Mai", "24. Dezember", "1.1.2027" is a date by its dots).
_GERMAN_MONTHS = r"januar|jänner|februar|märz|april|mai|juni|juli|august|september|oktober|november|dezember"
# German grouping first ("1.299,00", "1.500.000"), then English ("2,316.50"), then plain ("12.50", "12,50").
_NUM = r"\d{1,3}(?:\.\d{3})+,\d+|\d{1,3}(?:\.\d{3}){2,}|\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:[.,]\d+)?"
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
    # German
    "prozent": "%", "gramm": "g", "minuten": "min", "stunde": "h", "stunden": "h",
    "std.": "h", "sekunde": "s", "sekunden": "s", "tag": "day", "tage": "day", "tagen": "day", "woche": "week",
    "wochen": "week", "monat": "month", "monate": "month", "monaten": "month", "jahr": "year", "jahre": "year",
    "jahren": "year", "tasse": "cup", "tassen": "cup", "bewertung": "review", "bewertungen": "review",
    "kunde": "customer", "kunden": "customer", "kundinnen": "customer",
}
_UNIT_ALTERNATION = "|".join(sorted((re.escape(u) for u in _UNITS), key=len, reverse=True))
_NUMBER = re.compile(
    rf"(?<![\w.,:/#-])(?P<n>{_NUM})(?:\s?[-\u2013]\s?(?P<hi>\d+(?:\.\d+)?)(?![\w-]))?"
    rf"(?:(?:\s|-)?(?P<unit>{_UNIT_ALTERNATION})(?![\w]))?(?![\w]|\.\w)",
)
# Numbers that are dates, times or ordinals: not claims a fact could support or contradict.
_NOT_A_CLAIM_AFTER = re.compile(rf"\s?(?:st|nd|rd|th|am|pm)\b|:\d|\s+(?:{_MONTHS})\b|\s?[ap]\.m\."
                                rf"|\.\s?(?:{_GERMAN_MONTHS})\b")
_NOT_A_CLAIM_BEFORE = re.compile(rf"(?:\b(?:{_MONTHS})|\d:)\s*$")
_BEFORE_WINDOW = 16  # the longest month name, a space or two, and slack


def numeric_claims(text: str, lower: str, german: bool = False) -> list[Claim]:
    """Prices and ratings first; a number inside one of them is not counted again. In ``german`` text a dot
    groups thousands ("2.500 Kunden" is 2500)."""
    taken = sorted([*_prices(text, lower), *_ratings(text, lower)], key=lambda c: c.start)
    claims = list(taken)
    pointer = 0
    for m in _NUMBER.finditer(lower):
        while pointer < len(taken) and taken[pointer].end <= m.start():
            pointer += 1
        if (pointer < len(taken) and taken[pointer].start < m.end()) or _is_date_or_time(lower, m):
            continue
        unit = m.group("unit")
        claims.append(Claim(
            kind="number", start=m.start(), end=m.end(), text=text[m.start():m.end()],
            value=parse_number(m.group("n"), grouped_dots=german),
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
        # "1.299 €": a currency after the number is the German way, where dots group thousands.
        value = parse_number(raw, grouped_dots=m.group("n2") is not None)
        claims.append(Claim("price", *m.span(), text[m.start():m.end()], value=value, unit=unit))
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
    before = text[max(0, m.start() - _BEFORE_WINDOW):m.start()]
    return bool(_NOT_A_CLAIM_AFTER.match(text, m.end()) or _NOT_A_CLAIM_BEFORE.search(before))
