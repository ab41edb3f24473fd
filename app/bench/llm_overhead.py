"""Benchmark: one LLM call through the stack against the same call made raw, side by side on one server.

``stack``: :class:`app.llm.local_server.LocalLLM` (langchain-openai client, JSON schema as a grammar), as
every stage calls it. ``raw``: one ``httpx`` POST of the same body to the same llama.cpp server. Same
messages, schema, seed and temperature 0, so both generate the same tokens (checked). Calls alternate
raw / stack ``rounds`` times and the medians are compared: ratio = raw s / stack s (1.0 = the stack adds
nothing). It measures; it asserts nothing.
"""

from __future__ import annotations

import statistics
import time
from typing import Any

import httpx

from app.llm.local_server import LocalLLM

SCHEMA: dict[str, Any] = {
    "type": "object", "required": ["headline", "body"],
    "properties": {"headline": {"type": "string"}, "body": {"type": "string"}},
}
PARAMS: dict[str, Any] = {"temperature": 0, "seed": 7, "max_tokens": 120}


def messages(facts: str) -> list[dict[str, str]]:
    return [
        {"role": "system", "content": "You write short marketing copy as JSON with a headline and a body. "
                                      "Use only the facts given."},
        {"role": "user", "content": f"Facts:\n{facts}\n\nWrite a LinkedIn post about the tea."},
    ]


def raw_call(base_url: str, model: str, msgs: list[dict[str, str]]) -> tuple[float, int]:
    body = {"model": model, "messages": msgs, **PARAMS, "response_format": {"type": "json_object", "schema": SCHEMA}}
    started = time.perf_counter()
    reply = httpx.post(f"{base_url}/chat/completions", json=body, timeout=600)
    reply.raise_for_status()
    return time.perf_counter() - started, int(reply.json()["usage"]["completion_tokens"])


def measure(llm: LocalLLM, facts: str, *, rounds: int = 3) -> dict[str, Any]:
    msgs = messages(facts)
    llm.complete(msgs, params=PARAMS, json_schema=SCHEMA)  # start and warm the server, fill its prefix cache
    raw, stack, tokens = [], [], set()
    for n in range(rounds * 2):  # alternating which goes first, so neither always follows the other
        if n % 2 == (n // 2) % 2:
            seconds, count = raw_call(llm.server.base_url, llm.server.alias, msgs)
            raw.append(seconds)
        else:
            started = time.perf_counter()
            count = llm.complete(msgs, params=PARAMS, json_schema=SCHEMA).completion_tokens
            stack.append(time.perf_counter() - started)
        tokens.add(count)
    raw_s, stack_s = statistics.median(raw), statistics.median(stack)
    return {"raw_s": raw_s, "stack_s": stack_s, "ratio": raw_s / stack_s, "same_tokens": len(tokens) == 1,
            "completion_tokens": sorted(tokens)}
