"""Structured output: render a prompt, call the LLM, parse and validate JSON, repair or re-ask.

Each call is returned as a :class:`CallRecord` (prompt ref and hash, model, params, tokens, latency)
so the caller can persist and audit it. Malformed output is first repaired locally (code fences,
prose around the JSON, trailing commas); if it still does not validate, the model is asked again with
the validation error, up to ``max_attempts`` calls. Then :class:`MalformedOutput` is raised, carrying
the records of every call made.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ValidationError

from app.errors import MalformedOutput
from app.llm.base import LLM
from app.prompting.registry import PromptVersion
from app.schemas import endpoint_schema

T = TypeVar("T", bound=BaseModel)
_TRAILING_COMMA = re.compile(r",\s*([}\]])")


@dataclass(frozen=True)
class CallRecord:
    prompt_ref: str
    prompt_hash: str
    model: str
    params: dict[str, Any]
    attempt: int
    prompt_tokens: int
    completion_tokens: int
    latency_ms: float
    ok: bool
    error: str | None = None


@dataclass
class StructuredResult(Generic[T]):
    value: T
    calls: list[CallRecord] = field(default_factory=list)


class StructuredOutputFailed(MalformedOutput):
    def __init__(self, message: str, calls: list[CallRecord]) -> None:
        super().__init__(message)
        self.calls = calls


def generate(
    llm: LLM,
    prompt: PromptVersion,
    variables: dict[str, Any],
    model: type[T],
    *,
    schema: dict[str, Any] | None = None,
    max_attempts: int = 3,
    seed_offset: int = 0,
) -> StructuredResult[T]:
    """Ask ``llm`` through ``prompt`` for an instance of ``model``; see the module docstring.

    ``seed_offset`` shifts a prompt's fixed seed, so that sibling variants differ yet stay reproducible.
    """
    schema = schema or endpoint_schema(model)
    messages = prompt.render(variables)
    calls: list[CallRecord] = []
    last_error = ""
    for attempt in range(1, max_attempts + 1):
        completion = llm.complete(messages, params=_params_for(prompt, seed_offset + attempt - 1), json_schema=schema)
        try:
            value = parse(completion.text, model)
        except MalformedOutput as exc:
            last_error = exc.message
            calls.append(_record(prompt, llm, completion, attempt, error=last_error))
            messages = [*messages, {"role": "assistant", "content": completion.text[:2000]},
                        {"role": "user", "content": _repair_request(last_error)}]
            continue
        calls.append(_record(prompt, llm, completion, attempt, error=None))
        return StructuredResult(value=value, calls=calls)
    raise StructuredOutputFailed(
        f"{prompt.ref}: output did not match {model.__name__} after {max_attempts} attempts: {last_error}",
        calls,
    )


def parse(text: str, model: type[T]) -> T:
    """Extract, repair and validate the JSON object in ``text``; raise MalformedOutput if impossible."""
    candidate = _extract_json(text)
    for attempt in (candidate, _TRAILING_COMMA.sub(r"\1", candidate)):
        try:
            data = json.loads(attempt, strict=False)  # raw newlines inside strings are common
        except json.JSONDecodeError:
            continue
        try:
            return model.model_validate(data)
        except ValidationError as exc:
            raise MalformedOutput(_short_validation_error(exc)) from exc
    raise MalformedOutput(f"not valid JSON: {text[:200]!r}")


def _params_for(prompt: PromptVersion, offset: int) -> dict[str, Any]:
    # A fixed seed would make every retry repeat the same malformed answer, and every variant the same.
    params = dict(prompt.params)
    if "seed" in params:
        params["seed"] = int(params["seed"]) + offset
    return params


def _extract_json(text: str) -> str:
    stripped = re.sub(r"^```(?:json)?\s*|\s*```$", "", text.strip())
    start, end = stripped.find("{"), stripped.rfind("}")
    return stripped[start:end + 1] if 0 <= start < end else stripped


def _short_validation_error(exc: ValidationError) -> str:
    parts = [f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()[:5]]
    return "; ".join(parts)


def _repair_request(error: str) -> str:
    return (
        "Your previous answer could not be used: " + error
        + ". Answer again with one JSON object that matches the schema exactly, and nothing else."
    )


def _record(prompt: PromptVersion, llm: LLM, completion: Any, attempt: int, *, error: str | None) -> CallRecord:
    return CallRecord(
        prompt_ref=prompt.ref, prompt_hash=prompt.content_hash, model=completion.model,
        params=dict(prompt.params), attempt=attempt, prompt_tokens=completion.prompt_tokens,
        completion_tokens=completion.completion_tokens, latency_ms=completion.latency_ms,
        ok=error is None, error=error,
    )
