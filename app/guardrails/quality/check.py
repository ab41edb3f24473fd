"""The quality check: is this copy a marketer could publish, or a template, a reply, a loop or a stub?

``QualityCheck`` (name ``"quality"``) runs its rules on one text and returns one failed
:class:`~app.guardrails.base.CheckResult` per finding (severity block; the brand's policy may lower
it), or nothing when the copy passes. Rules are named ``quality:<rule>[:<kind>]``; each module holds one
rule and documents its kinds and thresholds:

===================================  ============================================  ==========================
rule                                 module                                         runs when
===================================  ============================================  ==========================
``quality:placeholder:<kind>``       :mod:`.placeholders`                           always
``quality:meta_text:<kind>``         :mod:`.meta_text`                              always
``quality:repetition:<kind>``        :mod:`.repetition`                             always
``quality:cut_off``                  :mod:`.cut_off`                                always
``quality:field:<empty|too_short>``  :mod:`.field_lengths`                          the text is a variant
``quality:not_named``                :mod:`.naming`                                 a product or key message
``quality:off_message``              :mod:`.key_message`                            a key message and an
                                                                                    embedder
``quality:language``                 :mod:`.language`                               a language
===================================  ============================================  ==========================

A variant is ``headline\\nbody\\ncta`` (three lines or more). Everything but the key-message rule is
regular expressions and counting, linear in the text's length (about a millisecond for a 150-word draft);
the key-message rule embeds one short text (its cost is in ``GUARDRAILS.md``). Exceptions mean the check
could not run (an unknown language code, an embedder that fails), never that the copy failed.
"""

from __future__ import annotations

from app.guardrails.base import CheckContext, CheckResult, Severity
from app.guardrails.quality.cut_off import cut_off_findings
from app.guardrails.quality.field_lengths import field_findings, minimums
from app.guardrails.quality.findings import Finding
from app.guardrails.quality.key_message import DEFAULT_MIN_SIMILARITY, KeyMessageSimilarity
from app.guardrails.quality.language import language_findings
from app.guardrails.quality.meta_text import meta_text_findings
from app.guardrails.quality.naming import brand_names, naming_findings
from app.guardrails.quality.placeholders import placeholder_findings
from app.guardrails.quality.repetition import repetition_findings
from app.retrieval.embedder import Embedder


class QualityCheck:
    """See the module docstring. ``embedder`` enables the key-message rule; ``min_similarity`` is its
    threshold (a brand's ``policy.yaml`` ``checks.quality.threshold``)."""

    name = "quality"

    def __init__(self, *, embedder: Embedder | None = None, min_similarity: float = DEFAULT_MIN_SIMILARITY) -> None:
        self.similarity = KeyMessageSimilarity(embedder, min_similarity) if embedder is not None else None

    def run(self, text: str, ctx: CheckContext) -> list[CheckResult]:
        found = self.findings(text, ctx)
        return [CheckResult(check=self.name, rule=f"quality:{f.rule}", passed=False, severity=Severity.block,
                            spans=f.spans, reason=f.reason, evidence=f.evidence, suggestion=f.suggestion)
                for f in found]

    def findings(self, text: str, ctx: CheckContext) -> list[Finding]:
        if not text.strip():
            return [Finding(rule="field:empty", spans=((0, len(text)),), reason="the copy is empty: write it")]
        found = [*_one_per_span([*placeholder_findings(text), *meta_text_findings(text)]),
                 *repetition_findings(text, [*brand_names(ctx.brand), *ctx.brand.products.values()]),
                 *cut_off_findings(text, ctx.language),
                 *field_findings(text, minimums(ctx.brand, ctx.channel)),
                 *naming_findings(text, ctx.brand, ctx.product, ctx.key_message)]
        if ctx.language:
            found += language_findings(text, ctx.language)
        if ctx.key_message and self.similarity is not None:
            found += self.similarity.findings(text, ctx.key_message)
        return found


def _one_per_span(found: list[Finding]) -> list[Finding]:
    """Drop a finding that lies inside the stretch an earlier one covers (``[Title]`` is a slot; it is not
    also a label): one finding per stretch of text, the widest first, then the first rule's. Each finding
    here has one span."""
    kept: list[Finding] = []
    reach = -1
    for finding in sorted(found, key=lambda f: (f.spans[0][0], -f.spans[0][1])):
        if finding.spans[0][1] > reach:
            kept.append(finding)
            reach = finding.spans[0][1]
    return kept
