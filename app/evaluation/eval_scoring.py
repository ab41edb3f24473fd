"""Turning one generated case side into the stored ``output`` and ``metrics`` of an EvalCaseResult.

Each variant's final text (after the pipeline's own auto-fixes and re-asks) is checked again with the
brand's guardrail checks (:func:`app.guardrails.base.run_checks`), scored against the case's
expectations and for grounding, optionally judged. The brief's key message and the case's variants
are embedded in one batch with the factory's embedder (``deps.embedder``, all-MiniLM-L6-v2 via
:class:`~app.retrieval.embedder.SentenceTransformerEmbedder` in production) for diversity and
key-message similarity. The quality outcome of a variant comes from the findings of the ``quality``
check (see :func:`app.evaluation.scorers.quality_outcome`): None when the brand runs no such check.
The output keeps everything a reviewer needs to see why a number is what it is: the copy, the failed
checks, each expectation, the sources' ids and the LLM calls.
"""

from __future__ import annotations

from typing import Any

from app.evaluation.eval_generation import GeneratedVariant, Generation
from app.evaluation.eval_judge import Judge
from app.evaluation.eval_suite import EvalCase
from app.evaluation.scorers import (
    QUALITY_CHECK,
    Extractor,
    case_metrics,
    cosine,
    expectation_results,
    grounding,
    quality_outcome,
)
from app.guardrails.base import CheckContext, CheckResult, run_checks
from app.pipeline.deps import Deps


def score_generation(
    gen: Generation, case: EvalCase, deps: Deps, *, price_per_1k: float, judge: Judge | None = None,
    extractor: Extractor | None = None,
) -> tuple[dict[str, Any], dict[str, float | None]]:
    """The (output, metrics) pair of one case side."""
    variants = [_score_variant(v, gen, case, deps, judge, extractor) for v in gen.variants]
    key_vector, vectors = _embed(deps, gen.brief.key_message.strip(), [v.text for v in gen.variants])
    if key_vector is not None:
        for scored, vector in zip(variants, vectors, strict=True):
            scored["key_message_similarity"] = cosine(key_vector, vector)
    calls = [_call(stage, call) for stage, call in gen.calls]
    metrics = case_metrics(variants, expected=gen.expected, calls=calls,
                           vectors=vectors if len(vectors) >= 2 else [], price_per_1k=price_per_1k)
    output = {"ideas": gen.ideas, "variants": variants, "errors": gen.errors, "calls": calls,
              "expected_variants": gen.expected, "pins": gen.brief.prompt_pins}
    return output, metrics


def _embed(deps: Deps, key_message: str, texts: list[str]) -> tuple[list[float] | None, list[list[float]]]:
    """The key message's vector (None when it is empty or there is no text) and the texts' vectors."""
    if not texts:
        return None, []
    if not key_message:
        return None, deps.embedder.embed(texts) if len(texts) >= 2 else []
    vectors = deps.embedder.embed([key_message, *texts])
    return vectors[0], vectors[1:]


def _score_variant(
    variant: GeneratedVariant, gen: Generation, case: EvalCase, deps: Deps, judge: Judge | None,
    extractor: Extractor | None,
) -> dict[str, Any]:
    guard = deps.guardrails.for_brand(gen.brief.brand)
    # The brief's key message and language, as the pipeline checks drafts (stages.check_copy).
    ctx = CheckContext(brand=guard.profile, channel=variant.channel, product=gen.brief.product,
                       key_message=gen.brief.key_message, language=gen.brief.language)
    results = run_checks(guard.checks, variant.text, ctx)
    checks = {check.name: True for check in guard.checks}
    for result in results:
        checks[result.check] = checks.get(result.check, True) and result.passed
    quality_passed, placeholder = quality_outcome(results, present=QUALITY_CHECK in checks)
    score = grounding(variant.text, variant.sources, extractor)
    expect = expectation_results(variant.text, case.expect, grounding_score=score,
                                 claims_check_passed=checks.get("claims", True))
    return {
        "idea": variant.idea, "channel": variant.channel, "ordinal": variant.ordinal,
        "headline": variant.copy.headline, "body": variant.copy.body, "cta": variant.copy.cta,
        "text": variant.text, "checks": checks, "blocking": any(r.blocks for r in results),
        "failed_checks": [_finding(r) for r in results if not r.passed], "expect": expect, "grounding": score,
        "quality_passed": quality_passed, "placeholder": placeholder, "key_message_similarity": None,
        "reasks": sum(1 for n in variant.notes if n.get("action") == "reask"),
        "auto_fixes": sum(1 for n in variant.notes if n.get("action") == "auto_fix"),
        "notes": variant.notes, "source_ids": variant.source_ids,
        "judge": judge.score(case.brief_for(gen.brief.brand), variant.text) if judge else None,
    }


def _finding(result: CheckResult) -> dict[str, Any]:
    return {"check": result.check, "rule": result.rule, "severity": str(result.severity), "reason": result.reason,
            "evidence": result.evidence}


def _call(stage: str, call: Any) -> dict[str, Any]:
    return {"stage": stage, "prompt_ref": call.prompt_ref, "prompt_hash": call.prompt_hash, "model": call.model,
            "attempt": call.attempt, "prompt_tokens": call.prompt_tokens,
            "completion_tokens": call.completion_tokens, "latency_ms": call.latency_ms, "ok": call.ok}
