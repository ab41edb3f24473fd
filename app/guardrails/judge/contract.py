"""The judge seam: the second stage of a check, asked about one candidate the rules found.

A check's rules are cheap, high-recall candidate finders. For each candidate a check may ask a
:class:`Judge` a closed question (the check's judge prompt, the candidate text, the evidence the judge
may rely on) and gets a :class:`JudgeVerdict` with one of the allowed labels, or ``None``: the judge is
off, its per-draft budget is spent, or the endpoint could not answer. On ``None`` the check keeps its
rules-only decision and says so in the finding (``"(rules only: <why>)"``), so a reviewer always knows
which stage decided.

Verdicts are cached by (check, SHA-256 of the text, SHA-256 of the evidence, SHA-256 of the question),
so a re-check of the same sentence against the same evidence costs nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Protocol


@dataclass(frozen=True)
class JudgeRequest:
    """One closed question about one candidate.

    ``check``: the asking check's name (``"claims"``, ``"injection"``, ``"toxicity"``).
    ``question``: the check's judge prompt (instructions, label meanings); the judge sends it as the system
    message and wraps ``text`` and ``evidence`` as delimited data, never as instructions.
    ``text``: the candidate (a sentence, or a document for injection screening).
    ``evidence``: what the judge may rely on (approved claims, product facts, pricing), "" when none.
    ``labels``: the allowed answers, most severe first, e.g. ``("contradicted", "unsupported", "supported")``.
    """

    check: str
    question: str
    text: str
    labels: tuple[str, ...]
    evidence: str = ""


@dataclass(frozen=True)
class JudgeVerdict:
    """The judge's answer. ``confidence`` is the probability (0-1) of ``label`` taken from the endpoint's
    token log-probabilities, renormalised over the allowed labels; None when the endpoint returns none.
    ``source`` says whether the model answered now or the cache did."""

    label: str
    confidence: float | None
    reason: str
    source: Literal["judge", "cache"]
    model: str = ""

    def describe(self) -> str:
        """``"judge: unsupported (p=0.93)"``, for a finding's reason."""
        p = f" (p={self.confidence:.2f})" if self.confidence is not None else ""
        return f"judge: {self.label}{p}"


class Judge(Protocol):
    """Answers :class:`JudgeRequest` values; returns None when it will not answer (off, budget spent,
    endpoint down): the caller then keeps its rules-only result and says so via :meth:`why_not`."""

    def decide(self, request: JudgeRequest) -> JudgeVerdict | None: ...

    def why_not(self) -> str:
        """Why the last ``decide`` returned None, in a few words ("judge budget of 4 calls spent")."""
        ...


def rules_only_note(judge: Judge | None) -> str:
    """The suffix a finding carries when no verdict backs it: ``" (rules only: judge off)"``."""
    why = "judge off" if judge is None else judge.why_not() or "no verdict"
    return f" (rules only: {why})"
