"""Offers: the ``financial`` (free, discounts, income promises), ``savings`` and ``guarantee`` kinds.

Savings are claims in figures and in words ("save up to half", "a third off", "for half the price",
"buy one get one free"): under the Price Indication Directive as amended by Directive (EU) 2019/2161 an
announced reduction needs the lowest price of the previous 30 days as its reference, so none is backed
unless approved. Income words count only as a promise to the reader ("earn €500 a month", "extra income",
"profit from"): "not-for-profit" or "income tax" are not offers.
"""

from __future__ import annotations

import re

from app.guardrails.claims.patterns import LEFT, RIGHT, SEP, words

_AMOUNT = r"[€£$]?\d+(?:[.,]\d+)*\s?%?"
_FRACTION = (r"(?:half|a half|a third|one third|two thirds|a quarter|one quarter|three quarters|twice as much"
             r"|double|more|big|loads|hundreds|thousands|a (?:lot|bundle|fortune|packet)|money|cash|"
             + _AMOUNT + ")")

FINANCIAL = re.compile(
    rf"{LEFT}(?<!feel )(?<!set you )(?<!set )free(?![\w-])(?! time| will| from| of (?!charge))"
    rf"|{LEFT}(?:discount\w*|cheap(?:er|est)?|bargains?|lowest prices?|value for money|great value"
    rf"|pays? for itself|no hidden (?:costs|fees)|no (?:cancellation )?fee|no minimum term"
    rf"|(?:earn|make)(?:s|ing)? (?:up to |over |an extra |extra |real )?(?:[€£$]?\d[\d.,]*|money|cash|a living"
    rf"|a fortune|a second income)"
    rf"|(?:extra|passive|guaranteed|monthly|steady|second|side) income|profit from|(?:guaranteed|high|big)"
    rf" (?:returns|profits?)|returns? of \d+|investment opportunit\w+|get rich)"
    rf"{RIGHT}",
)

SAVINGS = re.compile(
    rf"{LEFT}(?:sav(?:e|es|ing)(?: up to| over| nearly| almost| more than| at least| an extra| you)? {_FRACTION}"
    rf"|savings?(?: of)? (?:up to )?{_FRACTION}|save money|big savings|huge savings"
    rf"|(?:half|a third|a quarter|{_AMOUNT}){SEP}off|(?:half|quarter){SEP}price"
    rf"|(?:at|for) (?:half|a (?:third|quarter|fraction) of) the (?:price|cost)"
    rf"|(?:buy|get) (?:one|two|1|2),? (?:get|and get) (?:one|1|another|a second|two|2)(?: \w+)? free"
    rf"|bogof|(?:two|2|three|3) for (?:one|1|two|2)"
    rf"|(?:cut|slash|halve)\w* (?:your |the )?(?:bills?|costs?|prices?|spend\w*)|(?:pay|spend) less"
    rf"|(?:reduced|slashed|sale|knock-?down|rock-?bottom) prices?|price (?:drops?|cuts?)"
    rf"|(?:was|were) [€£$]\d[\d.,]*,? now|(?:was|were|rrp|usually|normally|previously) [€£$]\d[\d.,]*"
    rf"|for the (?:price|cost) of (?:one|1|two|2)|(?:two|2|three|3) (?:\w+ )?for the (?:price|cost) of)"
    rf"{RIGHT}",
)

GUARANTEE = words(
    r"guarantee[sd]?", r"promise[sd]?", rf"money{SEP}back", rf"risk{SEP}free", r"full refund",
    r"refund(?:ed)? (?:you )?in full", r"no questions asked", r"warrant(?:y|ied)",
)

PATTERNS: dict[str, re.Pattern[str]] = {"financial": FINANCIAL, "savings": SAVINGS, "guarantee": GUARANTEE}
