"""The toxicity check: rules and the English model propose (:mod:`.scoring`), the judge decides the unsure.

Findings (``check="toxicity"``), one per sentence that is toxic, with its span:

- ``toxicity:generalisation``: a demeaning generalisation about a group (:mod:`.generalisations`);
- ``toxicity:abuse``: direct abuse of a person (:mod:`.insults`);
- ``toxicity:sentence``: the English model's score on the masked sentence (:mod:`.masking`);
- ``toxicity:german``: the German rules (:mod:`.german`);
- ``toxicity:text``: no sentence crossed the threshold but the whole English text of two or more sentences
  did (abuse spread over several sentences), and the judge cleared none of them.
- ``toxicity:unchecked_language`` (severity info): sentences in a language with neither model nor rules.

Decision per sentence: a score at or over :data:`~.scoring.SURE` is a finding without asking anyone. An
*unsure* sentence (see :mod:`.scoring`) goes to ``ctx.judge`` as a :class:`JudgeRequest` with this
folder's ``judge_prompt.md`` and labels ``("demeaning", "benign")``: ``demeaning`` makes a finding,
``benign`` clears it. With no judge (``ctx.judge is None``) or no verdict, the rules decide (score >=
threshold) and the finding says so with ``rules_only_note``. Everything else passes.
"""

from __future__ import annotations

from pathlib import Path

from app.guardrails.base import CheckContext, CheckResult, Severity
from app.guardrails.judge.contract import JudgeRequest, JudgeVerdict, rules_only_note
from app.guardrails.toxicity.backends import ToxicityBackend, backend_name
from app.guardrails.toxicity.german_learned import GermanAbuseScorer
from app.guardrails.toxicity.learned import ImplicitHateScorer
from app.guardrails.toxicity.scoring import SURE, Scored, score_text
from app.retrieval.embedder import Embedder

DEFAULT_THRESHOLD = 0.6
JUDGE_PROMPT = (Path(__file__).parent / "judge_prompt.md").read_text(encoding="utf-8")
JUDGE_LABELS = ("demeaning", "benign")
_CLEARED = "cleared by the judge"

_RULES = {"generalisation": "toxicity:generalisation", "abuse": "toxicity:abuse", "model": "toxicity:sentence",
          "german": "toxicity:german", "learned": "toxicity:generalisation", "german_learned": "toxicity:german"}
_WHAT = {
    "generalisation": "demeans a group of people",
    "abuse": "abuses a person",
    "model": "reads as toxic to the English model",
    "german": "holds German abuse",
    "learned": "may demean a group of people (learned grade)",
    "german_learned": "may be German abuse (learned German grade)",
}


class ToxicityCheck:
    """Flags toxic sentences (and English texts whose sentences are each under the threshold).

    ``backend``: the English model; ``threshold``: 0..1 exclusive (default :data:`DEFAULT_THRESHOLD`, the
    measurements behind it are in ``evals/toxicity/README.md``); ``embedder``: when given, sentences that
    name a group are also graded by :class:`~.learned.ImplicitHateScorer` on it (ranking and judge
    candidates only: its grade stays under the threshold). German sentences get the learned German grade
    (:class:`~.german_learned.GermanAbuseScorer`) the same way; both are computed only with a judge on.
    """

    name = "toxicity"

    def __init__(self, backend: ToxicityBackend, threshold: float = DEFAULT_THRESHOLD,
                 severity: Severity = Severity.block, embedder: Embedder | None = None) -> None:
        if not 0.0 < threshold < 1.0:
            raise ValueError(f"threshold must be between 0 and 1, got {threshold}")
        self.backend = backend
        self.threshold = threshold
        self.severity = severity
        self.scorer = ImplicitHateScorer(embedder) if embedder is not None else None
        self.german = GermanAbuseScorer()

    def run(self, text: str, ctx: CheckContext) -> list[CheckResult]:
        # The learned grade decides nothing alone (capped under the threshold): it only spares the judge
        # sentences about a group that read as benign, so it runs only when a judge is on.
        scorer = self.scorer if ctx.judge is not None else None
        german = self.german if ctx.judge is not None else None  # the same for the German grade
        scored = score_text(self.backend, text, self.threshold, ctx.language, scorer, german)
        decided = [self._decide(s, ctx) for s in scored.sentences]
        findings = [f for f in decided if isinstance(f, CheckResult)]
        cleared = any(f is _CLEARED for f in decided)
        english = [s for s in scored.sentences if s.language == "en"]
        # The whole-text rule is for abuse spread over sentences: a one-sentence text was judged as its
        # sentence, and a sentence the judge cleared must not come back through the whole text.
        if not findings and len(english) > 1 and not cleared and scored.text_score >= self.threshold:
            span = (english[0].span[0], english[-1].span[1])
            findings.append(self._finding("toxicity:text", span, text[span[0]:span[1]],
                                          f"the whole text reads as toxic ({scored.text_score:.2f})",
                                          rules_only_note(ctx.judge) if ctx.judge is None
                                          else " (rules only: whole-text score, not sent to the judge)"))
        if scored.unchecked:
            sentences = [s for s in scored.sentences if s.kind == "unchecked"]
            findings.append(CheckResult(
                check=self.name, rule="toxicity:unchecked_language", passed=False, severity=Severity.info,
                spans=tuple(s.span for s in sentences), evidence=sentences[0].text[:300],
                reason=f"not checked for toxicity: no rules or model for {', '.join(scored.unchecked)}"))
        return findings

    def _decide(self, sentence: Scored, ctx: CheckContext) -> CheckResult | str | None:
        """A finding, :data:`_CLEARED` when the judge cleared the sentence, or None."""
        rule = _RULES.get(sentence.kind)
        if rule is None:
            return None
        what = f"{_WHAT[sentence.kind]} ({sentence.score:.2f} vs threshold {self.threshold:.2f}"
        what += f", {backend_name(self.backend)})" if sentence.kind == "model" else ")"
        if sentence.score >= SURE:
            return self._finding(rule, sentence.span, sentence.evidence, what, f" (rules: sure at >= {SURE})")
        if sentence.unsure and ctx.judge is not None:
            verdict = ctx.judge.decide(JudgeRequest(check=self.name, question=JUDGE_PROMPT, text=sentence.text,
                                                    labels=JUDGE_LABELS))
            if verdict is not None:
                return self._judged(sentence, verdict)
        if sentence.score >= self.threshold:
            return self._finding(rule, sentence.span, sentence.evidence, what, rules_only_note(ctx.judge))
        return None

    def _judged(self, sentence: Scored, verdict: JudgeVerdict) -> CheckResult | str:
        if verdict.label != "demeaning":
            return _CLEARED
        rule = _RULES[sentence.kind]
        reason = f"demeans a person or group ({verdict.describe()}: {verdict.reason})" if verdict.reason \
            else f"demeans a person or group ({verdict.describe()})"
        return self._finding(rule, sentence.span, sentence.text, reason, "")

    def _finding(self, rule: str, span: tuple[int, int], evidence: str, reason: str, note: str) -> CheckResult:
        return CheckResult(
            check=self.name, rule=rule, passed=False, severity=self.severity, spans=(span,),
            reason=f"this {'text' if rule == 'toxicity:text' else 'sentence'} {reason}{note}",
            evidence=evidence[:300],
            suggestion="rewrite this text" if rule == "toxicity:text" else "rewrite or remove this sentence",
        )
