"""The brand's house style parsed from ``brand_kb/<brand>/style.yaml`` (schema in :mod:`app.guardrails.style`).

:func:`parse_style_guide` raises InvalidInput naming the bad key. Vale rules the file lists that cannot run
are kept in :attr:`StyleGuide.vale_skipped` (rule, file, why) and logged once, when the guide is built.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.errors import InvalidInput
from app.guardrails.base import Severity
from app.guardrails.style.vale import ValeRule, load_rules
from app.guardrails.style.vale.regexes import compile_vale

log = logging.getLogger(__name__)

FAMILIES = ("length", "terminology", "capitalisation", "tone", "reading_level", "sentence_length",
            "exclamation", "emoji", "hashtags", "all_caps", "pattern")
CHANNEL_KEYS = ("headline_chars", "body_chars", "body_words", "total_chars", "emoji_max", "hashtags_max",
                "exclamation_max", "headline_exclamation_max",
                # minimums, read by the quality check (app/guardrails/quality/field_lengths.py)
                "headline_min_words", "body_min_words", "cta_min_words")


@dataclass(frozen=True)
class TermRule:
    family: str
    detail: str
    pattern: re.Pattern[str]
    replacement: str | None
    reason: str
    exact: bool = False  # proper noun: the replacement is the only right form
    keep_case: bool = True  # "Flavor" -> "Flavour"; off for case-sensitive variants ("FTC" -> "Fernhill")
    forms: dict[str, str] | None = None  # many proper nouns in one pattern: form_key(match) -> right form
    language: str | None = None  # "en", "de": the rule runs only on text in that language; None: on all


@dataclass(frozen=True)
class StyleGuide:
    terms: tuple[TermRule, ...] = ()
    patterns: tuple[tuple[str, re.Pattern[str], str, str | None], ...] = ()  # id, regex, message, language
    channels: dict[str, dict[str, int]] = field(default_factory=dict)
    limits: dict[str, Any] = field(default_factory=dict)
    severities: dict[str, Severity] = field(default_factory=dict)
    vale: tuple[ValeRule, ...] = ()
    vale_skipped: tuple[dict[str, str], ...] = ()  # {"rule", "file", "why"} per Vale rule that cannot run

    def severity(self, family: str) -> Severity:
        return self.severities.get(family, Severity.block if family == "length" else Severity.warn)

    def load_report(self) -> list[str]:
        """One line per Vale rule listed but not run, with its file and the reason; empty when all run."""
        return [f"vale rule {s['rule']} ({s['file']}) not run: {s['why']}" for s in self.vale_skipped]


def parse_style_guide(data: dict[str, Any], folder: Path | None = None) -> StyleGuide:
    """A :class:`StyleGuide` from style.yaml's mapping; raises InvalidInput naming the bad key."""
    where = f"{folder / 'style.yaml' if folder else 'style.yaml'}"
    severities = {}
    for family, level in (data.get("severity") or {}).items():
        if family not in FAMILIES or level not in Severity.__members__:
            raise InvalidInput(f"{where}: severity.{family}: {level!r}; families {FAMILIES}, "
                               "levels block, warn or info")
        severities[family] = Severity(level)
    channels = {str(name): _channel(limits, f"{where}: channels.{name}") for name, limits in
                (data.get("channels") or {}).items()}
    vale_paths = [(folder or Path(".")) / str(p) for p in data.get("vale_rules") or []]
    # The brand's proper nouns are its vocabulary, which Vale rules take as exceptions (Vale's accept.txt).
    rules = load_rules(vale_paths, accepted=[str(n) for n in data.get("proper_nouns") or []])
    for skipped in rules.skipped:
        log.warning("style: vale rule %s (%s) not run: %s", skipped["rule"], skipped["file"], skipped["why"])
    return StyleGuide(
        terms=_term_rules(data), patterns=_patterns(data.get("patterns") or [], where), channels=channels,
        limits=dict(data.get("limits") or {}), severities=severities,
        vale=tuple(rules.rules), vale_skipped=tuple(rules.skipped),
    )


def _channel(limits: dict[str, Any], where: str) -> dict[str, int]:
    unknown = sorted(set(limits) - set(CHANNEL_KEYS))
    if unknown:
        raise InvalidInput(f"{where}: unknown keys {unknown}; known: {list(CHANNEL_KEYS)}")
    return {str(k): int(v) for k, v in limits.items() if v is not None}


def _term_rules(data: dict[str, Any]) -> tuple[TermRule, ...]:
    rules = []
    for entry in data.get("terminology") or []:
        flags = re.IGNORECASE if entry.get("ignorecase", True) else 0
        for variant in entry.get("instead_of") or []:
            rules.append(TermRule("terminology", str(variant).lower(), _whole(str(variant), flags),
                                  str(entry["use"]), str(entry.get("reason", "")), keep_case=bool(flags),
                                  language=_language(entry)))
    nouns = sorted((str(n) for n in data.get("proper_nouns") or []), key=len, reverse=True)
    if nouns:
        # One alternation (longest first) instead of a pass per noun: an imported glossary of 1,000 product
        # names took 54 ms per 150-word draft as 1,000 passes.
        forms = {form_key(n): n for n in reversed(nouns)}
        either = "|".join(_whole(n, 0).pattern for n in nouns)
        rules.append(TermRule("capitalisation", "", compile_vale(either, ignorecase=True, multiline=False),
                              None, "", exact=True, forms=forms))
    for entry in data.get("avoid") or []:
        word = str(entry["word"])
        replacement = entry.get("replacement")
        fix = None if replacement is None else str(replacement)
        reason = str(entry.get("reason", ""))
        rules.append(TermRule("tone", word.lower(), _whole(word, re.IGNORECASE), fix, reason,
                              language=_language(entry)))
    return tuple(rules)


def _language(entry: dict[str, Any]) -> str | None:
    value = entry.get("language")
    return None if value is None else str(value).strip().lower().split("-")[0]


def _patterns(entries: list[dict[str, Any]], where: str,
              ) -> tuple[tuple[str, re.Pattern[str], str, str | None], ...]:
    try:
        return tuple((str(e["id"]), re.compile(str(e["regex"])), str(e.get("message", "")), _language(e))
                     for e in entries)
    except (KeyError, re.error) as exc:
        raise InvalidInput(f"{where}: patterns: {exc}") from exc


def form_key(phrase: str) -> str:
    """How a proper noun is looked up whatever its casing and spacing: ``"quiet  HOURS"`` -> ``"quiet hours"``."""
    return " ".join(phrase.split()).casefold()


def _whole(phrase: str, flags: int) -> re.Pattern[str]:
    escaped = re.escape(phrase.strip()).replace(r"\ ", r"\s+")
    left = r"(?<![\w-])" if phrase[:1].isalnum() else ""
    right = r"(?![\w-])" if phrase[-1:].isalnum() else ""
    return re.compile(left + escaped + right, flags)
