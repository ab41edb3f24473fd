"""The house rules of style.yaml as findings: terms, patterns, lengths, counts, shouting and readability.

Each function returns :data:`Found` tuples ``(family, detail, spans, reason, suggestion)``; the check turns
them into results. Letters of every script count as letters: "Über" and "Ärger" are words, an all-capital
"ÜBERALL" is shouting, "#Teegärten" is a hashtag. Every function is linear in the text length (terms mark
the characters they took in a bytearray instead of comparing each match with every earlier one).
"""

from __future__ import annotations

import re
from typing import Any

from app.guardrails.style.guide import StyleGuide, form_key
from app.guardrails.style.readability import reading_grade, sentence_word_counts, wiener_grade, word_spans

EMOJI = re.compile("[\U0001F000-\U0001FAFF\u2600-\u27BF\u2B50\u2B55\u2B1B\u2B1C\u231A\u231B\u23E9-\u23FA]")
HASHTAG = re.compile(r"(?<![\w&#])#[^\W\d_]\w*")
_EXCLAMATIONS = re.compile(r"!+")
_LETTER_RUN = re.compile(r"\b[^\W\d_]+\b")

# A finding before it becomes a CheckResult: family, detail, spans, reason, suggestion.
Found = tuple[str, str, tuple[tuple[int, int], ...], str, str | None]


def term_findings(text: str, guide: StyleGuide, language: str | None = None) -> list[Found]:
    """Terminology, proper nouns and tone words; an earlier rule's match wins over a later overlapping one.
    A rule written for one language (``language:`` in style.yaml) runs only on text in that language."""
    taken = bytearray(len(text))  # 1 where an earlier rule matched
    found: list[Found] = []
    for rule in guide.terms:
        if rule.language is not None and language is not None and rule.language != language:
            continue
        for m in rule.pattern.finditer(text):
            if any(taken[m.start():m.end()]):
                continue
            taken[m.start():m.end()] = b"\x01" * (m.end() - m.start())
            fix, detail, why = rule.replacement, rule.detail, rule.reason
            if rule.forms is not None:  # one rule for many proper nouns: the match says which
                fix = rule.forms.get(form_key(m.group(0)))
                if fix is None:  # a case folding the lookup does not share (rare scripts): no finding
                    continue
                detail, why = fix, f"write {fix!r} exactly so"
            if rule.exact and m.group(0) == fix:
                continue
            if rule.keep_case and not rule.exact:
                fix = keep_case(m.group(0), fix)
            advice = f"use {fix!r}" if fix is not None else "cut it and give a fact instead"
            reason = f"{m.group(0)!r}: {advice}. {why}".strip()
            found.append((rule.family, detail, (m.span(),), reason, fix))
    return found


def keep_case(original: str, replacement: str | None) -> str | None:
    if replacement is None:
        return None
    if original.isupper() and len(original) > 1:
        return replacement.upper()
    if original[:1].isupper():
        return replacement[:1].upper() + replacement[1:]
    return replacement


def pattern_findings(text: str, guide: StyleGuide, language: str | None = None) -> list[Found]:
    """House formats; a pattern written for one language runs only on text in that language."""
    return [("pattern", pid, (m.span(),), f"{m.group(0)!r}: {message}", None)
            for pid, pattern, message, only in guide.patterns
            if only is None or language is None or only == language for m in pattern.finditer(text)]


def split_fields(text: str) -> dict[str, tuple[int, int]]:
    """Offsets of headline, body and cta in ``headline\\nbody\\ncta`` (body and cta may be empty)."""
    first = text.find("\n")
    if first < 0:
        return {"headline": (0, len(text)), "body": (len(text), len(text)), "cta": (len(text), len(text))}
    last = text.rfind("\n")
    if last == first:
        return {"headline": (0, first), "body": (first + 1, len(text)), "cta": (len(text), len(text))}
    return {"headline": (0, first), "body": (first + 1, last), "cta": (last + 1, len(text))}


def length_findings(text: str, limits: dict[str, int]) -> list[Found]:
    fields = split_fields(text)
    found: list[Found] = []
    for key, (start, end) in (("headline_chars", fields["headline"]), ("body_chars", fields["body"]),
                              ("total_chars", (0, len(text)))):
        limit = limits.get(key)
        if limit is not None and end - start > limit:
            found.append(("length", key, ((start + limit, end),),
                          f"{key.split('_')[0]} is {end - start} characters; the limit is {limit}", None))
    limit = limits.get("body_words")
    words = word_spans(text, *fields["body"])
    if limit is not None and len(words) > limit:
        found.append(("length", "body_words", ((words[limit][0], fields["body"][1]),),
                      f"body is {len(words)} words; the limit is {limit}", None))
    return found


def exclamations(text: str, allowed: int | None, start: int, end: int) -> list[Found]:
    if allowed is None:
        return []
    budget = int(allowed)
    found: list[Found] = []
    for m in _EXCLAMATIONS.finditer(text, start, end):
        keep = min(budget, len(m.group(0)))
        budget -= keep
        if keep < len(m.group(0)):
            found.append(("exclamation", "", ((m.start() + keep, m.end()),),
                          f"more than {allowed} exclamation mark(s)", "" if keep else "."))
    return found


def counted(text: str, family: str, pattern: re.Pattern[str], allowed: int | None) -> list[Found]:
    hits = [m.span() for m in pattern.finditer(text)]
    if allowed is None or len(hits) <= allowed:
        return []
    return [(family, "", tuple(hits[allowed:]), f"{len(hits)} {family}; this channel allows {allowed}", None)]


def all_caps(text: str, config: dict[str, Any] | None) -> list[Found]:
    """Words of ``min_length``+ letters, all capitals (any script), not in ``allow``."""
    if not config:
        return []
    shortest, allow = int(config.get("min_length", 4)), {str(a) for a in config.get("allow") or []}
    shouted = (m for m in _LETTER_RUN.finditer(text) if len(m.group(0)) >= shortest and m.group(0).isupper())
    spans = tuple(m.span() for m in shouted if m.group(0) not in allow)
    return [("all_caps", "", spans, "no ALL-CAPS words for emphasis", None)] if spans else []


def readability(text: str, limits: dict[str, Any], language: str = "en") -> list[Found]:
    """Sentence length and reading grade; the grade is Flesch-Kincaid for English and the Wiener
    Sachtextformel for German (``language`` "de"), both on a school-grade scale."""
    found: list[Found] = []
    most = limits.get("sentence_words_max")
    for (start, end), count in sentence_word_counts(text):
        if most is not None and count > int(most):
            reason = f"sentence of {count} words; at most {most}"
            found.append(("sentence_length", "", ((start, end),), reason, None))
    grade_max = limits.get("reading_grade_max")
    if grade_max is not None and len(word_spans(text)) >= int(limits.get("reading_min_words", 40)):
        german = language == "de"
        grade = wiener_grade(text) if german else reading_grade(text)
        if grade > float(grade_max):
            formula = "Wiener Sachtextformel grade" if german else "Flesch-Kincaid grade"
            reason = f"{formula} {grade:.1f}; at most {grade_max}: use shorter sentences and words"
            found.append(("reading_level", "", ((0, len(text)),), reason, None))
    return found
