"""The contract every LLM backend meets, and the record of one completion."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol


@dataclass(frozen=True)
class TokenLogprob:
    """One generated token with its natural-log probability and the endpoint's top alternatives
    (``(token, logprob)`` pairs, most likely first). Present only when the call asked for ``logprobs``."""

    token: str
    logprob: float
    top: tuple[tuple[str, float], ...] = ()


@dataclass(frozen=True)
class Completion:
    text: str
    model: str
    prompt_tokens: int
    completion_tokens: int
    latency_ms: float
    logprobs: tuple[TokenLogprob, ...] = ()


class LLM(Protocol):
    """Anything that turns chat messages into text.

    ``json_schema``, when given, asks the endpoint to constrain its output to that schema (where it
    can); callers still validate. Raises :class:`app.errors.LLMUnavailable` when the endpoint cannot be
    reached, and :class:`app.errors.MalformedOutput` when it refuses the request.
    """

    model_name: str

    def complete(
        self, messages: list[dict[str, str]], *, params: dict[str, Any], json_schema: dict[str, Any] | None
    ) -> Completion: ...
