"""Scorers: pure functions from one generated variant (or a case's variants) to numbers.

Metric names and their direction (+1 higher is better, -1 lower is better, 0 neither) are in
:data:`METRICS`; ``check.<name>`` (one guardrail check's pass rate) and ``expect.<kind>`` (one
expectation's pass rate) are higher-is-better families. Every case-level metric is a mean over the
case's variants, or a total over its LLM calls, so a run's figure is the mean over cases.

Grounding: the share of a variant's claims that its retrieved KB chunks support. Claims come from
:func:`app.guardrails.claims.candidates.extract_claims` when the factory has it: a numeric claim (price,
rating, number) is supported when each of its values appears among the numbers of the sources; a
wording claim (superlative, health, environmental...) when at least 60% of the content words of its
sentence occur in one source chunk (a sentence lifted from an approved claim passes; "a detox miracle"
does not, even though the banned-terms list mentions "detox"). Without the extractor, the claims are
the numbers in the text. A text with no claims scores 1.0: nothing in it is unsupported.

Quality (:func:`quality_outcome`): a variant passes the ``quality`` check when none of that check's
findings blocks, and has a placeholder when one of its findings has the placeholder rule; both are
None (reported as n/a, never as a pass) when the brand runs no quality check. Key-message similarity
is the cosine between the embeddings of the brief's key message and the variant's text.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from app.guardrails.base import CheckResult

METRICS: dict[str, int] = {
    "structure_valid": 1, "guardrail_pass_rate": 1, "blocking_rate": -1, "expectation_pass_rate": 1,
    "grounding": 1, "diversity": 1, "length_chars": 0, "latency_ms": -1, "tokens": -1, "cost": -1,
    "llm_calls": -1, "reasks": -1, "auto_fixes": -1, "judge_score": 1,
    "quality_pass_rate": 1, "key_message_similarity": 1, "placeholder_rate": -1,
}
FAMILIES = {"check.": 1, "expect.": 1}
QUALITY_CHECK = "quality"
EXPECTATIONS = ("must_mention", "must_not_mention", "max_length", "claims_supported", "tone")

_EMOJI = re.compile("[\U0001f300-\U0001faff\u2600-\u27bf\U0001f000-\U0001f2ff]")
TONES: dict[str, Callable[[str], bool]] = {
    "no exclamation marks": lambda text: "!" not in text,
    "no all caps": lambda text: not re.search(r"\b[A-Z]{4,}\b", text),
    "no emoji": lambda text: not _EMOJI.search(text),
    "no hashtags": lambda text: not re.search(r"(?<!\w)#\w", text),
    "no questions": lambda text: "?" not in text,
}
_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")
_WORD = re.compile(r"[a-z][a-z'-]{3,}")
_STOP = frozenset({"this", "that", "with", "from", "your", "have", "will", "been", "their", "they", "them", "what",
                   "when", "which", "about", "into", "more", "most", "only", "just", "than", "then", "there",
                   "these", "those", "very", "also", "each", "every", "made", "make"})


def metric_direction(metric: str) -> int:
    """+1, -1 or 0 for a known metric; ValueError naming the known ones otherwise."""
    if metric in METRICS:
        return METRICS[metric]
    for prefix, direction in FAMILIES.items():
        if metric.startswith(prefix) and len(metric) > len(prefix):
            return direction
    raise ValueError(f"unknown metric {metric!r}; known: {sorted(METRICS)} and check.<name>, expect.<kind>")


def numbers_in(text: str) -> list[str]:
    """Numbers as written, normalised: ``2,316`` -> ``2316``, ``16.00`` -> ``16``, ``4.8`` stays."""
    found = []
    for raw in _NUMBER.findall(text):
        value = raw.replace(",", "")
        if "." in value:
            value = value.rstrip("0").rstrip(".")
        found.append(value)
    return found


@dataclass(frozen=True)
class ClaimRef:
    """What grounding needs of one claim: the numbers it states, or the sentence that makes it."""

    numbers: tuple[str, ...]
    sentence: str = ""


Extractor = Callable[[str], list[ClaimRef]]


def grounding(text: str, sources: Sequence[str], extract: Extractor | None = None) -> float:
    """Share of the text's claims supported by ``sources`` (see the module docstring)."""
    claims = extract(text) if extract else [ClaimRef(numbers=(n,)) for n in numbers_in(text)]
    if not claims:
        return 1.0
    known_numbers = {n for source in sources for n in numbers_in(source)}
    source_words = [set(_WORD.findall(source.lower())) for source in sources]
    return sum(_supported(c, known_numbers, source_words) for c in claims) / len(claims)


def _supported(claim: ClaimRef, known_numbers: set[str], source_words: list[set[str]]) -> bool:
    if claim.numbers:
        return all(n in known_numbers for n in claim.numbers)
    words = {w for w in _WORD.findall(claim.sentence.lower()) if w not in _STOP}
    return not words or max((len(words & source) / len(words) for source in source_words), default=0.0) >= 0.6


def claim_extractor() -> Extractor | None:
    """Claims via the guardrails' extractor when the factory has one (see the module docstring)."""
    try:
        from app.guardrails.claims.candidates import extract_claims
    except ImportError:
        return None

    def claims(text: str) -> list[ClaimRef]:
        found = []
        for claim in extract_claims(text):
            values = tuple(_number_text(v) for v in getattr(claim, "values", ()))
            found.append(ClaimRef(numbers=values, sentence="" if values else _sentence(text, claim.start, claim.end)))
        return found

    return claims


def _number_text(value: float) -> str:
    return numbers_in(f"{value:f}")[0]


def _sentence(text: str, start: int, end: int) -> str:
    left = max(text.rfind(stop, 0, start) for stop in (".", "!", "?", "\n")) + 1
    rights = [i for i in (text.find(stop, end) for stop in (".", "!", "?", "\n")) if i >= 0]
    return text[left:min(rights, default=len(text))]


def expectation_results(
    text: str, expect: Any, *, grounding_score: float, claims_check_passed: bool,
) -> dict[str, bool]:
    """Each expectation the case sets, passed or not, for one variant's text."""
    lowered = text.lower()
    results: dict[str, bool] = {}
    if expect.must_mention:
        results["must_mention"] = all(term.lower() in lowered for term in expect.must_mention)
    if expect.must_not_mention:
        results["must_not_mention"] = not mentioned(text, expect.must_not_mention)
    if expect.max_length is not None:
        results["max_length"] = len(text) <= expect.max_length
    if expect.claims_must_stay_supported:
        results["claims_supported"] = grounding_score >= 1.0 and claims_check_passed
    if expect.tone:
        results["tone"] = all(TONES[tone](text) for tone in expect.tone)
    return results


def mentioned(text: str, terms: Sequence[str]) -> list[str]:
    """The terms that occur in ``text`` as whole words or phrases, case-insensitive."""
    return [t for t in terms if re.search(rf"(?<!\w){re.escape(t.lower())}(?!\w)", text.lower())]


def diversity(vectors: Sequence[Sequence[float]]) -> float | None:
    """Mean pairwise cosine distance between variants; None with fewer than two."""
    if len(vectors) < 2:
        return None
    distances = [1.0 - cosine(a, b) for a, b in itertools.combinations(vectors, 2)]
    return sum(distances) / len(distances)


def cosine(a: Sequence[float], b: Sequence[float]) -> float:
    """Cosine similarity of two vectors; 0.0 when either is all zeros."""
    norm = math.sqrt(sum(x * x for x in a)) * math.sqrt(sum(y * y for y in b))
    return sum(x * y for x, y in zip(a, b, strict=True)) / norm if norm else 0.0


def quality_outcome(results: Sequence[CheckResult], *, present: bool) -> tuple[bool | None, bool | None]:
    """(passed the quality check, has a placeholder finding) for one variant's check results; (None,
    None) when ``present`` is False, i.e. the brand runs no quality check."""
    if not present:
        return None, None
    findings = [r for r in results if r.check == QUALITY_CHECK and not r.passed]
    return not any(r.blocks for r in findings), any(is_placeholder_rule(r.rule) for r in findings)


def is_placeholder_rule(rule: str) -> bool:
    """The quality check's rules for template placeholders and slot markers (``[Title]``, ``{name}``,
    ``TBD``): ``quality:placeholder:<kind>``, i.e. any rule with a ``placeholder`` segment."""
    return "placeholder" in rule.lower().split(":")


def mean(values: Sequence[float | None]) -> float | None:
    present = [float(v) for v in values if v is not None]
    return sum(present) / len(present) if present else None


def rate_by_key(rows: Sequence[dict[str, bool]]) -> dict[str, float]:
    """For each key seen, the share of rows (that have it) where it is True."""
    keys = sorted({k for row in rows for k in row})
    return {k: sum(row[k] for row in rows if k in row) / sum(k in row for row in rows) for k in keys}


def case_metrics(
    variants: Sequence[dict[str, Any]], *, expected: int, calls: Sequence[dict[str, Any]],
    vectors: Sequence[Sequence[float]], price_per_1k: float,
) -> dict[str, float | None]:
    """One case side's metrics from its scored variants (``text``, ``checks``: check -> passed,
    ``blocking``, ``expect``: kind -> passed, ``grounding``, ``reasks``, ``auto_fixes``, optional
    ``judge``, ``quality_passed``, ``placeholder`` and ``key_message_similarity``, each None when not
    measured) and its LLM calls (``prompt_tokens``, ``completion_tokens``, ``latency_ms``). A metric
    none of the variants measured is None."""
    checks = [v["checks"] for v in variants]
    expects = [v["expect"] for v in variants]
    tokens = sum(int(c["prompt_tokens"]) + int(c["completion_tokens"]) for c in calls)
    metrics: dict[str, float | None] = {
        "structure_valid": len(variants) / expected if expected else 0.0,
        "guardrail_pass_rate": mean([float(all(c.values())) for c in checks]),
        "blocking_rate": mean([float(v["blocking"]) for v in variants]),
        "expectation_pass_rate": mean([float(ok) for row in expects for ok in row.values()]),
        "grounding": mean([v["grounding"] for v in variants]),
        "diversity": diversity(vectors),
        "length_chars": mean([len(v["text"]) for v in variants]),
        "latency_ms": sum(float(c["latency_ms"]) for c in calls),
        "tokens": float(tokens),
        "cost": tokens / 1000 * price_per_1k,
        "llm_calls": float(len(calls)),
        "reasks": float(sum(v["reasks"] for v in variants)),
        "auto_fixes": float(sum(v["auto_fixes"] for v in variants)),
        "judge_score": mean([v.get("judge") for v in variants]),
        "quality_pass_rate": mean([_rate(v.get("quality_passed")) for v in variants]),
        "key_message_similarity": mean([v.get("key_message_similarity") for v in variants]),
        "placeholder_rate": mean([_rate(v.get("placeholder")) for v in variants]),
    }
    metrics.update({f"check.{k}": rate for k, rate in rate_by_key(checks).items()})
    metrics.update({f"expect.{k}": rate for k, rate in rate_by_key(expects).items()})
    return metrics


def _rate(flag: bool | None) -> float | None:
    return None if flag is None else float(flag)
