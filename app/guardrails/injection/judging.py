"""The injection check's judge stage: one closed question through :mod:`app.guardrails.judge`.

``ask(text, judge)`` sends :data:`JUDGE_PROMPT` (the file ``judge_prompt.md`` beside this module) with the
text as data and the labels :data:`LABELS`; it returns the judge's :class:`JudgeVerdict`, or None when the
judge would not answer (budget spent, endpoint down). A label outside :data:`LABELS` is treated as no
answer: the check then keeps its rules decision and says so.
"""

from __future__ import annotations

from pathlib import Path

from app.guardrails.judge.contract import Judge, JudgeRequest, JudgeVerdict

JUDGE_PROMPT = (Path(__file__).with_name("judge_prompt.md")).read_text(encoding="utf-8")
INSTRUCTION, BENIGN = "instruction_to_model", "benign"
LABELS = (INSTRUCTION, BENIGN)
# A long document is judged on its first characters: KB chunks are a few hundred words, and the judge's
# context window (the local 1.5B model: 4,096 tokens in this project's server) must hold prompt and text.
MAX_JUDGED_CHARS = 6000


def ask(text: str, judge: Judge) -> JudgeVerdict | None:
    """The judge's verdict on ``text`` (truncated to :data:`MAX_JUDGED_CHARS`), or None."""
    request = JudgeRequest(check="injection", question=JUDGE_PROMPT, text=text[:MAX_JUDGED_CHARS], labels=LABELS)
    verdict = judge.decide(request)
    if verdict is None or verdict.label not in LABELS:
        return None
    return verdict
