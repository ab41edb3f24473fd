"""The style check: a brand's house style, kept as data in ``brand_kb/<brand>/style.yaml``.

``StyleCheck`` (name ``"style"``) returns one failed result per finding. Results whose ``suggestion``
is not None carry an exact replacement for their spans; :func:`apply_fixes` applies those
(non-overlapping, right to left) and is what the policy's auto-fix uses. Findings with no safe
replacement (length, reading level) have ``suggestion=None`` and say what to do in ``reason``.

Schema of ``style.yaml`` (every key optional)::

    severity: {<family>: block|warn|info}    # families below; default warn, except length: block
    proper_nouns: [Quiet Hours, The Tea Club]  # fixed capitalisation; other casings -> capitalisation
    terminology:                               # variants (whole words) replaced by `use` -> terminology
      - {use: email, instead_of: [e-mail], ignorecase: true, reason: "..."}
    avoid:                                     # tone words -> tone; replacement optional
      - {word: amazing, replacement: null, reason: "..."}
    patterns:                                  # house formats as regexes -> pattern
      - {id: price-format, regex: '\\d+,\\d{2}\\s?€', message: "..."}
    limits:
      exclamation_max: 1                       # "!" per piece -> exclamation (fix: ".")
      sentence_words_max: 30                   # -> sentence_length
      reading_grade_max: 10                    # Flesch-Kincaid grade -> reading_level
      reading_min_words: 40                    # shorter texts are not graded
      all_caps: {min_length: 4, allow: [ASAP]} # shouted words -> all_caps
    channels:                                  # per channel, all optional -> length, emoji, hashtags
      <channel>: {headline_chars, body_chars, body_words, total_chars, emoji_max, hashtags_max,
                  exclamation_max, headline_exclamation_max,
                  headline_min_words, body_min_words, cta_min_words}   # minimums: the quality check
    vale_rules: [styles/Fernhill]              # Vale rule files/folders, relative to the brand folder

The text is ``headline\\nbody\\ncta``: the first line is the headline, the last the call to action
(when there are 3+ lines), the lines between the body. Rules are named ``style:<family>:<detail>``,
and ``vale:<Package>.<Rule>`` for Vale rules. A replacement keeps the capital of the word it
replaces ("Flavor" -> "Flavour"); proper nouns take their listed form exactly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.brand import BrandProfile
from app.errors import InvalidInput
from app.guardrails.base import CheckContext, CheckResult, Severity
from app.guardrails.fixes import apply_replacements
from app.guardrails.sentences import split_sentences
from app.guardrails.vale import ValeRule, alert_results, load_rules

FAMILIES = ("length", "terminology", "capitalisation", "tone", "reading_level", "sentence_length",
            "exclamation", "emoji", "hashtags", "all_caps", "pattern")
CHANNEL_KEYS = ("headline_chars", "body_chars", "body_words", "total_chars", "emoji_max", "hashtags_max",
                "exclamation_max", "headline_exclamation_max",
                # minimums, read by the quality check (app/guardrails/quality/field_lengths.py)
                "headline_min_words", "body_min_words", "cta_min_words")
_EMOJI = re.compile("[\U0001F000-\U0001FAFF\u2600-\u27BF\u2B50\u2B55\u2B1B\u2B1C\u231A\u231B\u23E9-\u23FA]")
_HASHTAG = re.compile(r"(?<![\w&#])#[A-Za-z]\w*")
_EXCLAMATIONS = re.compile(r"!+")
_WORD = re.compile(r"[A-Za-z]+(?:['\u2019][A-Za-z]+)*")


@dataclass(frozen=True)
class TermRule:
    family: str
    detail: str
    pattern: re.Pattern[str]
    replacement: str | None
    reason: str
    exact: bool = False  # proper noun: the replacement is the only right form
    keep_case: bool = True  # "Flavor" -> "Flavour"; off for case-sensitive variants ("FTC" -> "Fernhill")


@dataclass(frozen=True)
class StyleGuide:
    terms: tuple[TermRule, ...] = ()
    patterns: tuple[tuple[str, re.Pattern[str], str], ...] = ()
    channels: dict[str, dict[str, int]] = field(default_factory=dict)
    limits: dict[str, Any] = field(default_factory=dict)
    severities: dict[str, Severity] = field(default_factory=dict)
    vale: tuple[ValeRule, ...] = ()

    def severity(self, family: str) -> Severity:
        return self.severities.get(family, Severity.block if family == "length" else Severity.warn)


class StyleCheck:
    name = "style"

    def __init__(self, guide: StyleGuide | None = None) -> None:
        self.guide = guide

    def run(self, text: str, ctx: CheckContext) -> list[CheckResult]:
        guide = self.guide or style_guide(ctx.brand)
        limits = guide.channels.get(ctx.channel or "", {})
        found = [*_term_findings(text, guide), *_pattern_findings(text, guide)]
        found += _length_findings(text, limits)
        most = limits.get("exclamation_max", guide.limits.get("exclamation_max"))  # a channel may be stricter
        found += _exclamations(text, most, 0, len(text))
        headline_end = text.find("\n") if "\n" in text else len(text)
        found += _exclamations(text, limits.get("headline_exclamation_max"), 0, headline_end)
        found += _counted(text, "emoji", _EMOJI, limits.get("emoji_max"))
        found += _counted(text, "hashtags", _HASHTAG, limits.get("hashtags_max"))
        found += _all_caps(text, guide.limits.get("all_caps"))
        found += _readability(text, guide.limits)
        results = [_result(self.name, guide, *f) for f in found]
        return results + [r for rule in guide.vale for r in alert_results(rule, text, self.name)]


def apply_fixes(text: str, results: list[CheckResult], checks: tuple[str, ...] = ("style", "vale")) -> str:
    """``text`` with the substitution fixes of failed ``results`` from ``checks`` applied, non-overlapping."""
    fixes = [r for r in results if r.check in checks and not r.passed and r.suggestion is not None]
    return apply_replacements(text, fixes)[0]


def style_guide(brand: BrandProfile) -> StyleGuide:
    """The brand's parsed style.yaml, built once per loaded profile."""
    return brand.derive("style.guide", lambda b: parse_style_guide(b.style, b.folder))


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
    return StyleGuide(
        terms=_term_rules(data), patterns=_patterns(data.get("patterns") or [], where), channels=channels,
        limits=dict(data.get("limits") or {}), severities=severities,
        vale=tuple(load_rules(vale_paths).rules),
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
                                  str(entry["use"]), str(entry.get("reason", "")), keep_case=bool(flags)))
    for noun in sorted((str(n) for n in data.get("proper_nouns") or []), key=len, reverse=True):
        rules.append(TermRule("capitalisation", noun, _whole(noun, re.IGNORECASE), noun,
                              f"write {noun!r} exactly so", exact=True))
    for entry in data.get("avoid") or []:
        word = str(entry["word"])
        replacement = entry.get("replacement")
        fix = None if replacement is None else str(replacement)
        reason = str(entry.get("reason", ""))
        rules.append(TermRule("tone", word.lower(), _whole(word, re.IGNORECASE), fix, reason))
    return tuple(rules)


def _patterns(entries: list[dict[str, Any]], where: str) -> tuple[tuple[str, re.Pattern[str], str], ...]:
    try:
        return tuple((str(e["id"]), re.compile(str(e["regex"])), str(e.get("message", ""))) for e in entries)
    except (KeyError, re.error) as exc:
        raise InvalidInput(f"{where}: patterns: {exc}") from exc


def _whole(phrase: str, flags: int) -> re.Pattern[str]:
    escaped = re.escape(phrase.strip()).replace(r"\ ", r"\s+")
    left = r"(?<![\w-])" if phrase[:1].isalnum() else ""
    right = r"(?![\w-])" if phrase[-1:].isalnum() else ""
    return re.compile(left + escaped + right, flags)


# A finding before it becomes a CheckResult: family, detail, spans, reason, suggestion.
Found = tuple[str, str, tuple[tuple[int, int], ...], str, str | None]


def _result(check: str, guide: StyleGuide, family: str, detail: str, spans: tuple[tuple[int, int], ...],
            reason: str, suggestion: str | None) -> CheckResult:
    rule = f"style:{family}:{detail}" if detail else f"style:{family}"
    return CheckResult(check=check, rule=rule, passed=False, severity=guide.severity(family), spans=spans,
                       reason=reason, evidence=detail, suggestion=suggestion)


def _term_findings(text: str, guide: StyleGuide) -> list[Found]:
    taken: list[tuple[int, int]] = []
    found: list[Found] = []
    for rule in guide.terms:
        for m in rule.pattern.finditer(text):
            if any(s < m.end() and m.start() < e for s, e in taken):
                continue
            taken.append(m.span())
            if rule.exact and m.group(0) == rule.replacement:
                continue
            fix = rule.replacement
            if rule.keep_case and not rule.exact:
                fix = _keep_case(m.group(0), fix)
            advice = f"use {fix!r}" if fix is not None else "cut it and give a fact instead"
            reason = f"{m.group(0)!r}: {advice}. {rule.reason}".strip()
            found.append((rule.family, rule.detail, (m.span(),), reason, fix))
    return found


def _keep_case(original: str, replacement: str | None) -> str | None:
    if replacement is None:
        return None
    if original.isupper() and len(original) > 1:
        return replacement.upper()
    if original[:1].isupper():
        return replacement[:1].upper() + replacement[1:]
    return replacement


def _pattern_findings(text: str, guide: StyleGuide) -> list[Found]:
    return [("pattern", pid, (m.span(),), f"{m.group(0)!r}: {message}", None)
            for pid, pattern, message in guide.patterns for m in pattern.finditer(text)]


def split_fields(text: str) -> dict[str, tuple[int, int]]:
    """Offsets of headline, body and cta in ``headline\\nbody\\ncta`` (body and cta may be empty)."""
    first = text.find("\n")
    if first < 0:
        return {"headline": (0, len(text)), "body": (len(text), len(text)), "cta": (len(text), len(text))}
    last = text.rfind("\n")
    if last == first:
        return {"headline": (0, first), "body": (first + 1, len(text)), "cta": (len(text), len(text))}
    return {"headline": (0, first), "body": (first + 1, last), "cta": (last + 1, len(text))}


def _length_findings(text: str, limits: dict[str, int]) -> list[Found]:
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


def _exclamations(text: str, allowed: int | None, start: int, end: int) -> list[Found]:
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


def _counted(text: str, family: str, pattern: re.Pattern[str], allowed: int | None) -> list[Found]:
    hits = [m.span() for m in pattern.finditer(text)]
    if allowed is None or len(hits) <= allowed:
        return []
    return [(family, "", tuple(hits[allowed:]), f"{len(hits)} {family}; this channel allows {allowed}", None)]


def _all_caps(text: str, config: dict[str, Any] | None) -> list[Found]:
    if not config:
        return []
    shortest, allow = int(config.get("min_length", 4)), {str(a) for a in config.get("allow") or []}
    shouted = re.finditer(rf"\b[A-Z]{{{shortest},}}\b", text)
    spans = tuple(m.span() for m in shouted if m.group(0) not in allow)
    return [("all_caps", "", spans, "no ALL-CAPS words for emphasis", None)] if spans else []


def _readability(text: str, limits: dict[str, Any]) -> list[Found]:
    found: list[Found] = []
    most = limits.get("sentence_words_max")
    for (start, end), count in sentence_word_counts(text):
        if most is not None and count > int(most):
            reason = f"sentence of {count} words; at most {most}"
            found.append(("sentence_length", "", ((start, end),), reason, None))
    grade_max = limits.get("reading_grade_max")
    if grade_max is not None and len(word_spans(text)) >= int(limits.get("reading_min_words", 40)):
        grade = reading_grade(text)
        if grade > float(grade_max):
            reason = f"Flesch-Kincaid grade {grade:.1f}; at most {grade_max}: use shorter sentences and words"
            found.append(("reading_level", "", ((0, len(text)),), reason, None))
    return found


# --- Readability, computed here: words, sentences and a syllable heuristic -----------------------------

def word_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Spans of the words (letters, with inner apostrophes) in ``text[start:end]``."""
    return [m.span() for m in _WORD.finditer(text, start, len(text) if end is None else end)]


def syllables(word: str) -> int:
    """Vowel groups, less a silent final "e"/"es"/"ed": the usual English heuristic (about 90% right)."""
    w = word.lower()
    if len(w) <= 3:
        return 1
    w = re.sub(r"(?:[^laeiouy]es|[^laeiouytd]ed|[^laeiouy]e)$", lambda m: m.group(0)[0], w)
    w = re.sub(r"^y", "", w)
    return max(1, len(re.findall(r"[aeiouy]{1,2}", w)))


def sentence_word_counts(text: str) -> list[tuple[tuple[int, int], int]]:
    return [((s, e), len(word_spans(text, s, e))) for s, e, _ in split_sentences(text)]


def reading_grade(text: str) -> float:
    """Flesch-Kincaid grade level: 0.39 * words/sentence + 11.8 * syllables/word - 15.59."""
    words = [text[s:e] for s, e in word_spans(text)]
    sentences = max(1, sum(1 for _, count in sentence_word_counts(text) if count))
    if not words:
        return 0.0
    return 0.39 * len(words) / sentences + 11.8 * sum(map(syllables, words)) / len(words) - 15.59


def reading_ease(text: str) -> float:
    """Flesch reading ease: 206.835 - 1.015 * words/sentence - 84.6 * syllables/word (higher is easier)."""
    words = [text[s:e] for s, e in word_spans(text)]
    sentences = max(1, sum(1 for _, count in sentence_word_counts(text) if count))
    if not words:
        return 100.0
    return 206.835 - 1.015 * len(words) / sentences - 84.6 * sum(map(syllables, words)) / len(words)
