"""Judge verdicts cached by (check, text hash, evidence hash, question hash, model), in the app's database.

The same sentence checked against the same evidence with the same judge prompt and model gets the same
verdict without a model call: re-checks at the compliance gate, re-drafts that keep a sentence, and KB
re-ingestion cost nothing. Workers on PostgreSQL share the cache. A changed judge prompt file, evidence
or model is a new key, so a stale verdict is never reused.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

from sqlalchemy import Column, Text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Field, Session, SQLModel, select

from app.guardrails.judge.contract import JudgeRequest, JudgeVerdict


class JudgeVerdictRecord(SQLModel, table=True):
    __tablename__ = "judgeverdict"

    check: str = Field(primary_key=True, max_length=32)
    text_sha256: str = Field(primary_key=True, max_length=64)
    evidence_sha256: str = Field(primary_key=True, max_length=64)
    question_sha256: str = Field(primary_key=True, max_length=64)
    model: str = Field(primary_key=True, max_length=128)
    label: str = Field(max_length=64)
    confidence: float | None = None
    reason: str = Field(default="", sa_column=Column(Text, nullable=False))
    created_at: datetime = Field(default_factory=lambda: datetime.now(UTC))


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def cache_key(request: JudgeRequest, model: str) -> tuple[str, str, str, str, str]:
    return request.check, _sha(request.text), _sha(request.evidence), _sha(request.question), model


class VerdictCache:
    """Reads and writes :class:`JudgeVerdictRecord` rows; a small in-process map sits in front."""

    def __init__(self, engine: Engine, *, memory_limit: int = 4096) -> None:
        self.engine = engine
        self._memory: dict[tuple[str, str, str, str, str], JudgeVerdict] = {}
        self._limit = memory_limit

    def get(self, request: JudgeRequest, model: str) -> JudgeVerdict | None:
        key = cache_key(request, model)
        if key in self._memory:
            return self._memory[key]
        with Session(self.engine) as session:
            row = session.exec(select(JudgeVerdictRecord).where(
                JudgeVerdictRecord.check == key[0], JudgeVerdictRecord.text_sha256 == key[1],
                JudgeVerdictRecord.evidence_sha256 == key[2], JudgeVerdictRecord.question_sha256 == key[3],
                JudgeVerdictRecord.model == key[4])).first()
        if row is None:
            return None
        verdict = JudgeVerdict(label=row.label, confidence=row.confidence, reason=row.reason, source="cache",
                               model=row.model)
        self._remember(key, verdict)
        return verdict

    def put(self, request: JudgeRequest, verdict: JudgeVerdict) -> None:
        key = cache_key(request, verdict.model)
        self._remember(key, JudgeVerdict(label=verdict.label, confidence=verdict.confidence, reason=verdict.reason,
                                         source="cache", model=verdict.model))
        row = JudgeVerdictRecord(check=key[0], text_sha256=key[1], evidence_sha256=key[2], question_sha256=key[3],
                                 model=key[4], label=verdict.label, confidence=verdict.confidence,
                                 reason=verdict.reason)
        try:
            with Session(self.engine) as session:
                session.add(row)
                session.commit()
        except IntegrityError:
            pass  # another worker judged the same question first; both verdicts came from the same inputs

    def _remember(self, key: tuple[str, str, str, str, str], verdict: JudgeVerdict) -> None:
        if len(self._memory) >= self._limit:
            self._memory.pop(next(iter(self._memory)))
        self._memory[key] = verdict
