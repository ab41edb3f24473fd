"""Test doubles for the seams: an LLM that answers from a queue, a hashing embedder, an enqueue
that records. They stand in only where a unit test exercises the code around them."""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass, field
from typing import Any

from app.errors import LLMUnavailable
from app.llm.base import Completion


class FakeLLM:
    """Answers with queued texts (or raises queued exceptions); records every request."""

    model_name = "fake-llm"

    def __init__(self) -> None:
        self._queue: list[str | Exception] = []
        self.history: list[dict[str, Any]] = []
        self.default: str | None = None

    def enqueue(self, *answers: str | dict[str, Any] | Exception) -> FakeLLM:
        for a in answers:
            self._queue.append(json.dumps(a) if isinstance(a, dict) else a)
        return self

    def complete(self, messages: list[dict[str, str]], *, params: dict[str, Any],
                 json_schema: dict[str, Any] | None) -> Completion:
        self.history.append({"messages": messages, "params": params, "schema": json_schema})
        if self._queue:
            answer = self._queue.pop(0)
        elif self.default is not None:
            answer = self.default
        else:
            raise LLMUnavailable("FakeLLM has no queued answer")
        if isinstance(answer, Exception):
            raise answer
        return Completion(text=answer, model=self.model_name, prompt_tokens=100, completion_tokens=20,
                          latency_ms=5.0)


class HashingEmbedder:
    """Deterministic bag-of-words vectors: similar texts share dimensions. No model needed."""

    dimension = 64

    def embed(self, texts: list[str]) -> list[list[float]]:
        return [self._one(t) for t in texts]

    def _one(self, text: str) -> list[float]:
        vec = [0.0] * self.dimension
        for word in text.lower().split():
            vec[int(hashlib.md5(word.encode()).hexdigest(), 16) % self.dimension] += 1.0
        norm = math.sqrt(sum(v * v for v in vec)) or 1.0
        return [v / norm for v in vec]


@dataclass
class RecordingEnqueue:
    sent: list[tuple[str, str]] = field(default_factory=list)

    def __call__(self, task: str, item_id: str, **_options: Any) -> None:
        self.sent.append((task, item_id))

    def take(self) -> list[tuple[str, str]]:
        sent, self.sent = self.sent, []
        return sent


IDEAS = {"ideas": [{"title": "Evenings, unhurried", "angle": "A calm cup after work, caffeine-free."},
                   {"title": "Organic by certificate", "angle": "Show the EU organic certification."}]}
CLEAN_DRAFT = {"headline": "Meet Quiet Hours", "body": "A naturally caffeine-free blend of chamomile and "
               "lemon balm for your evening cup. Certified organic.", "cta": "Try Quiet Hours"}
BANNED_DRAFT = {"headline": "The best tea in the world", "body": "Quiet Hours is a detox miracle for "
                "your evenings, naturally caffeine-free.", "cta": "Buy now"}
