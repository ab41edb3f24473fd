"""The guardrail engine: per brand, its policy, its checks and its Guard; findings with the policy applied.

``GuardrailEngine.evaluate(text, brand=..., channel=..., product=..., key_message=..., language=...)``
returns every check's results, with severities set by the brand's policy (an action ``warn`` never blocks).
``key_message`` and ``language`` (ISO 639-1, e.g. ``"en"``) come from the brief; the quality check uses
them and skips its key-message and language rules when they are None. With a language the brand has texts in
(``brand_kb/<slug>/de/``), the checks read the brand's approved claims, disclaimers and facts in that language
(:meth:`~app.brand.BrandProfile.localised`). ``BrandGuard`` is built once per brand and rebuilt when the
brand's folder changes.

Checks see the text normalised (:mod:`app.guardrails.normalise`: NFKC, invisible characters removed,
look-alike letters folded); every span they return is mapped back to the text as given, and hidden
characters or look-alike letters are ``injection`` findings of their own.

Each factory gets the check's policy, the settings, the brand and the engine's embedder. The engine
makes one :class:`~app.retrieval.embedder.SentenceTransformerEmbedder` unless given one; it loads its
model on first use only (the quality check's key-message rule), once per engine.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from app.brand import BrandProfile, brand_folder, load_brand
from app.guardrails.banned_terms import BannedTermsCheck
from app.guardrails.base import Check, CheckContext, CheckResult, Severity
from app.guardrails.guard import build_guard, run_guard
from app.guardrails.judge.budget import BudgetedJudge
from app.guardrails.judge.contract import Judge
from app.guardrails.normalise import normalise, on_original, unicode_results
from app.guardrails.policy import CheckPolicy, Policy, load_policy
from app.retrieval.embedder import Embedder, SentenceTransformerEmbedder
from app.settings import Settings

CheckFactory = Callable[[CheckPolicy, Settings, BrandProfile, Embedder], Check]


def _banned_terms(policy: CheckPolicy, _settings: Settings, _brand: BrandProfile, _embedder: Embedder) -> Check:
    return BannedTermsCheck()


def _toxicity(policy: CheckPolicy, settings: Settings, _brand: BrandProfile, embedder: Embedder) -> Check:
    from app.guardrails import toxicity

    backend: Any
    if settings.toxicity_backend == "detoxify":
        if settings.detoxify_checkpoint is None:
            raise ValueError("CF_TOXICITY_BACKEND=detoxify needs CF_DETOXIFY_CHECKPOINT (a local checkpoint file)")
        backend = toxicity.DetoxifyBackend(settings.detoxify_checkpoint)
    else:
        backend = toxicity.ProfanityCheckBackend()
    threshold = policy.threshold if policy.threshold is not None else toxicity.DEFAULT_THRESHOLD
    return toxicity.ToxicityCheck(backend, threshold=threshold, embedder=embedder)


def _claims(policy: CheckPolicy, _settings: Settings, _brand: BrandProfile, _embedder: Embedder) -> Check:
    from app.guardrails.claims import ClaimsCheck

    return ClaimsCheck(**policy.options)  # type: ignore[no-any-return]


def _style(policy: CheckPolicy, _settings: Settings, _brand: BrandProfile, _embedder: Embedder) -> Check:
    from app.guardrails.style import StyleCheck

    return StyleCheck(**policy.options)  # type: ignore[no-any-return]


def _injection(policy: CheckPolicy, _settings: Settings, _brand: BrandProfile, _embedder: Embedder) -> Check:
    from app.guardrails.injection import InjectionCheck

    return InjectionCheck()  # type: ignore[no-any-return]


def _quality(policy: CheckPolicy, _settings: Settings, _brand: BrandProfile, embedder: Embedder) -> Check:
    from app.guardrails.quality import QualityCheck

    options = dict(policy.options)
    if policy.threshold is not None:
        options["min_similarity"] = policy.threshold
    return QualityCheck(embedder=embedder, **options)


FACTORIES: dict[str, CheckFactory] = {
    "banned_terms": _banned_terms, "toxicity": _toxicity, "claims": _claims, "style": _style,
    "injection": _injection, "quality": _quality,
}


@dataclass
class BrandGuard:
    profile: BrandProfile
    policy: Policy
    checks: list[Check]
    guard: Any
    stamp: float

    def evaluate(self, text: str, *, channel: str | None, product: str | None, key_message: str | None = None,
                 language: str | None = None, judge: Judge | None = None) -> list[CheckResult]:
        # Copy in another language is checked against the brand's texts in it (its claims, disclaimers, facts).
        profile = self.profile.localised(language) if language else self.profile
        ctx = CheckContext(brand=profile, channel=channel, product=product, key_message=key_message,
                           language=language, judge=judge)
        # Checks read the normalised text; their spans, and normalisation's own findings, are in ``text``.
        normalised = normalise(text)
        results = on_original(run_guard(self.guard, normalised.text, ctx, self.policy.validators), normalised)
        return [self._apply_policy(r) for r in results + unicode_results(normalised)]

    def _apply_policy(self, result: CheckResult) -> CheckResult:
        if result.passed:
            return result
        policy = self.policy.checks.get(result.check)
        if policy is None:
            return result
        if policy.action == "warn":
            return replace(result, severity=Severity.warn)
        if policy.severity:
            return replace(result, severity=Severity(policy.severity))
        return result


class GuardrailEngine:
    """Builds and caches one BrandGuard per brand; thread-safe.

    ``judge``, when given, is the second stage of the checks: each ``evaluate`` gets it wrapped in a fresh
    :class:`~app.guardrails.judge.budget.BudgetedJudge` of ``settings.judge_budget_per_text`` calls.
    """

    def __init__(self, settings: Settings, factories: dict[str, CheckFactory] | None = None,
                 embedder: Embedder | None = None, judge: Judge | None = None) -> None:
        self.settings = settings
        self.judge = judge
        self.factories = factories or FACTORIES
        self.embedder = embedder or SentenceTransformerEmbedder(settings.embedding_model_path)
        self._cache: dict[str, BrandGuard] = {}
        self._lock = threading.Lock()

    def for_brand(self, slug: str) -> BrandGuard:
        folder = brand_folder(self.settings.brand_kb_dir, slug)
        stamp = _folder_stamp(folder)
        with self._lock:
            cached = self._cache.get(slug)
            if cached is None or cached.stamp != stamp:
                cached = self._build(slug, folder, stamp)
                self._cache[slug] = cached
            return cached

    def evaluate(self, text: str, *, brand: str, channel: str | None = None, product: str | None = None,
                 key_message: str | None = None, language: str | None = None) -> list[CheckResult]:
        judge = BudgetedJudge(self.judge, self.settings.judge_budget_per_text) if self.judge is not None else None
        return self.for_brand(brand).evaluate(text, channel=channel, product=product, key_message=key_message,
                                              language=language, judge=judge)

    def _build(self, slug: str, folder: Path, stamp: float) -> BrandGuard:
        profile = load_brand(self.settings.brand_kb_dir, slug)
        policy = load_policy(folder)
        checks = [self.factories[p.name](p, self.settings, profile, self.embedder) for p in policy.enabled()
                  if p.name in self.factories]
        return BrandGuard(profile=profile, policy=policy, checks=checks, guard=build_guard(checks, policy.validators),
                          stamp=stamp)


def _folder_stamp(folder: Path) -> float:
    """Newest modification time in the folder: a changed policy or term list rebuilds the guard."""
    return max((p.stat().st_mtime for p in folder.rglob("*") if p.is_file()), default=0.0)
