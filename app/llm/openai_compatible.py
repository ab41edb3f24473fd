"""Any OpenAI-compatible chat endpoint (llama.cpp server, vLLM, Ollama, OpenAI) via langchain-openai."""

from __future__ import annotations

import json
import threading
import time
from typing import Any

import openai
from langchain_core.messages import AIMessage
from langchain_openai import ChatOpenAI

from app.errors import LLMAuthenticationFailed, LLMUnavailable, MalformedOutput
from app.llm.base import Completion, TokenLogprob
from app.settings import JsonMode, url_origin

_NO_KEY = "not-needed"  # the openai client insists on a key; local servers ignore it
# Only these generation parameters are passed on; a prompt file cannot smuggle in others.
_ALLOWED_PARAMS = {"temperature", "top_p", "max_tokens", "seed", "presence_penalty", "frequency_penalty", "stop",
                   "logprobs", "top_logprobs"}


class OpenAICompatibleLLM:
    """Talks to ``base_url`` with the given model. The API key is only ever the one configured for
    this endpoint: an ``OPENAI_API_KEY`` in the environment is never sent to a custom base URL.
    ``key_setting`` names that key's setting in the LLMAuthenticationFailed raised on an HTTP 401 or 403."""

    def __init__(
        self, *, base_url: str, model: str, api_key: str | None, json_mode: JsonMode, timeout_s: float,
        key_setting: str = "CF_LLM_API_KEY",
    ) -> None:
        self.base_url = base_url
        self._key_setting = key_setting
        self.model_name = model
        self._api_key = api_key or _NO_KEY
        self._json_mode = json_mode
        self._timeout_s = timeout_s
        self._chats: dict[str, ChatOpenAI] = {}
        self._chats_lock = threading.Lock()

    def complete(
        self, messages: list[dict[str, str]], *, params: dict[str, Any], json_schema: dict[str, Any] | None
    ) -> Completion:
        chat = self._chat(params)
        extra = self._response_format(json_schema)
        started = time.perf_counter()
        try:
            reply = chat.invoke([(m["role"], m["content"]) for m in messages], **extra)
        except (openai.APIConnectionError, openai.APITimeoutError, openai.InternalServerError,
                openai.RateLimitError) as exc:
            raise LLMUnavailable(f"LLM endpoint {url_origin(self.base_url)} unavailable: {exc}") from exc
        except (openai.AuthenticationError, openai.PermissionDeniedError) as exc:
            raise LLMAuthenticationFailed(
                f"LLM endpoint {url_origin(self.base_url)} refused the credentials (HTTP {exc.status_code}): "
                f"set {self._key_setting} to a key this endpoint accepts for model {self.model_name!r}"
                f"{'' if self._api_key != _NO_KEY else ' (none is set)'}") from None
        except openai.APIStatusError as exc:
            raise MalformedOutput(f"LLM endpoint {url_origin(self.base_url)} refused the request: {exc}") from exc
        except openai.LengthFinishReasonError as exc:
            # The reply hit the token limit before the JSON closed: a bad answer, re-asked like one.
            raise MalformedOutput(f"LLM reply cut off at the token limit: {exc}") from exc
        latency_ms = (time.perf_counter() - started) * 1000
        return _completion(reply, self.model_name, latency_ms)

    def _chat(self, params: dict[str, Any]) -> ChatOpenAI:
        """One client per distinct set of parameters, kept: making a ChatOpenAI makes an HTTP client (71 ms
        measured under load) and a new connection per call; a kept one re-uses its connections."""
        kept = {k: v for k, v in params.items() if k in _ALLOWED_PARAMS}
        key = json.dumps(kept, sort_keys=True, default=str)
        with self._chats_lock:
            chat = self._chats.get(key)
            if chat is None:
                chat = self._chats[key] = self._new_chat(kept)
        return chat

    def _new_chat(self, kept: dict[str, Any]) -> ChatOpenAI:
        extra_body: dict[str, Any] = {}
        if self._json_mode == "llama_cpp" and "max_tokens" in kept:
            # langchain-openai sends the limit as max_completion_tokens, which llama-cpp-python's server
            # ignores (a reply once ran to 3,359 tokens); its own field name is max_tokens.
            extra_body["max_tokens"] = kept["max_tokens"]
        return ChatOpenAI(
            model=self.model_name, base_url=self.base_url, api_key=self._api_key,  # type: ignore[arg-type]
            timeout=self._timeout_s, max_retries=0, extra_body=extra_body or None, **kept,
        )

    def _response_format(self, schema: dict[str, Any] | None) -> dict[str, Any]:
        if schema is None or self._json_mode == "none":
            return {}
        if self._json_mode == "llama_cpp":
            # llama.cpp's server turns this schema into a grammar: output always parses.
            return {"response_format": {"type": "json_object", "schema": schema}}
        if self._json_mode == "json_object":
            return {"response_format": {"type": "json_object"}}
        return {"response_format": {
            "type": "json_schema", "json_schema": {"name": "output", "schema": schema, "strict": False},
        }}


def _completion(reply: Any, model: str, latency_ms: float) -> Completion:
    if not isinstance(reply, AIMessage):
        raise MalformedOutput(f"unexpected reply type {type(reply).__name__}")
    usage: dict[str, Any] = dict(reply.usage_metadata or {})
    text = reply.content if isinstance(reply.content, str) else str(reply.content)
    return Completion(
        text=text, model=model, latency_ms=latency_ms,
        prompt_tokens=int(usage.get("input_tokens", 0)),
        completion_tokens=int(usage.get("output_tokens", 0)),
        logprobs=_logprobs(reply.response_metadata or {}),
    )


def _logprobs(metadata: dict[str, Any]) -> tuple[TokenLogprob, ...]:
    """The ``logprobs.content`` list of an OpenAI-style chat reply, when the endpoint returned one."""
    content = (metadata.get("logprobs") or {}).get("content") or []
    return tuple(
        TokenLogprob(
            token=str(item.get("token", "")), logprob=float(item.get("logprob", 0.0)),
            top=tuple((str(t.get("token", "")), float(t.get("logprob", 0.0))) for t in item.get("top_logprobs") or []),
        )
        for item in content if isinstance(item, dict)
    )
