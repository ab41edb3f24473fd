"""Publishers: where an approved variant goes, and what happened when it was sent.

A :class:`Publisher` turns ``(delivery_id, payload)`` into a :class:`SendResult`; it never raises for a
delivery outcome, so the caller records every attempt and decides on retries from ``transient``.

- :class:`WebhookPublisher` POSTs the canonical JSON body (sorted keys, no spaces, UTF-8), signed per
  Standard Webhooks (:mod:`app.publishing.signing`) with ``delivery_id`` as ``webhook-id``. The id is the
  same on every retry, so a receiver that dedupes on it stores a delivery once even when an attempt
  reached it but its answer was lost. Redirects are never followed: a signed body must not be re-sent to
  a URL nobody configured.

  Which failures are retried (``transient``). Svix (the Standard Webhooks reference sender) retries every
  non-2xx answer on its schedule (https://docs.svix.com/retries); Ironclad and Azure DevOps service hooks
  disable an endpoint at its first 410 Gone (https://developer.ironcladapp.com/reference/webhook-deactivation).
  Here, only answers that refuse the request itself end a delivery early:

  - 2xx: delivered.
  - 5xx, timeouts, refused or dropped connections: retried.
  - 401, 403, 404, 408, 409, 423, 425, 429: retried. They describe the endpoint, not the body: a rotated
    secret, a route being deployed, a rate limit; a person can fix the receiver within the schedule.
  - 410 Gone: not retried, and ``endpoint_gone``: the endpoint is disabled until a person re-enables it.
  - Any other 4xx (400, 405, 411, 413, 415, 422...) and redirects: not retried (the delivery is dead at
    once). They refuse this request: the same signed bytes would be refused again.
- :class:`OutboxPublisher` writes ``<folder>/<delivery_id>.json`` holding
  ``{"webhook_id": ..., "payload": ...}``, atomically; a second send with the same id leaves the
  existing file alone and succeeds, so retries are idempotent there too.

:func:`retry_delay_s` reads the retry schedule (``Settings.webhook_retry_schedule_h``, hours after each
failed attempt), without jitter, so that schedules are predictable in logs and tests.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import httpx

from app.publishing.signing import decode_secret, signed_headers

# 4xx answers about the endpoint rather than the request (see the module docstring): retried.
_TRANSIENT_4XX = frozenset({401, 403, 404, 408, 409, 423, 425, 429})
_GONE = 410
_ERROR_SNIPPET_CHARS = 200
# The delivery id becomes a file name in the outbox; anything else could escape the folder.
_SAFE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,199}")


@dataclass(frozen=True)
class SendResult:
    ok: bool
    status_code: int | None  # None when no HTTP response (timeout, connection refused) or for the outbox
    transient: bool  # True: a later retry may succeed (5xx, 408, 429, timeout, connection error)
    error: str | None
    duration_ms: float
    target: str  # URL or outbox file path
    endpoint_gone: bool = False  # 410 Gone: the receiver asks never to be sent anything again


class Publisher(Protocol):
    """Sends one delivery; returns a :class:`SendResult` instead of raising for delivery failures."""

    target: str

    def send(self, *, delivery_id: str, payload: dict[str, Any]) -> SendResult: ...


def canonical_body(payload: dict[str, Any]) -> bytes:
    """The exact bytes sent and signed: one spelling per payload, so retries carry identical bodies."""
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def retry_delay_s(attempt: int, schedule_h: list[float]) -> float | None:
    """Seconds to wait after failed attempt ``attempt`` (1, 2, 3... within one round) before the next:
    ``schedule_h[attempt - 1]`` hours, or None when the schedule is spent (the delivery is dead)."""
    if attempt < 1:
        raise ValueError(f"attempt counts from 1, got {attempt}")
    return schedule_h[attempt - 1] * 3600.0 if attempt <= len(schedule_h) else None


def _elapsed_ms(started: float) -> float:
    return (time.perf_counter() - started) * 1000.0


def _http_error(response: httpx.Response) -> str:
    if response.is_redirect:
        location = response.headers.get("location", "?")
        return f"HTTP {response.status_code} redirect to {location} not followed; configure the final URL"
    # The start of the body is usually the receiver's own explanation of a refusal.
    snippet = response.text[:_ERROR_SNIPPET_CHARS].strip()
    summary = f"HTTP {response.status_code} {response.reason_phrase}".strip()
    return f"{summary}: {snippet}" if snippet else summary


def _check_url(url: str) -> None:
    message = f"The webhook URL must be an absolute http(s) URL (https://cms.example.com/hooks), got {url!r}."
    try:
        parsed = httpx.URL(url)
    except httpx.InvalidURL:
        raise ValueError(message) from None
    if parsed.scheme not in ("http", "https") or not parsed.host:
        raise ValueError(message)


class WebhookPublisher:
    """POSTs signed deliveries to one URL (see the module docstring for the outcome rules)."""

    def __init__(
        self, *, url: str, secret: str, timeout_s: float = 10.0, client: httpx.Client | None = None
    ) -> None:
        _check_url(url)
        decode_secret(secret)  # a bad secret fails here, at startup, not on the first delivery
        self.target = url
        self._secret = secret
        self._timeout_s = timeout_s
        self._owns_client = client is None
        self._client = client if client is not None else httpx.Client(follow_redirects=False)

    def send(self, *, delivery_id: str, payload: dict[str, Any]) -> SendResult:
        body = canonical_body(payload)
        headers = signed_headers(secret=self._secret, msg_id=delivery_id, body=body)
        started = time.perf_counter()
        try:
            # Per request, so an injected client configured to follow redirects still does not.
            response = self._client.post(
                self.target, content=body, headers=headers, timeout=self._timeout_s, follow_redirects=False
            )
        except httpx.TimeoutException as err:
            return self._failure(started, f"timed out after {self._timeout_s}s: {err!r}")
        except httpx.RequestError as err:
            # Connection refused, DNS, TLS, a dropped connection: the receiver may be back later.
            return self._failure(started, f"no response: {err!r}")
        return self._classify(response, started)

    def close(self) -> None:
        """Close the HTTP client if this publisher created it; an injected one belongs to the caller."""
        if self._owns_client:
            self._client.close()

    def _failure(self, started: float, error: str) -> SendResult:
        return SendResult(
            ok=False,
            status_code=None,
            transient=True,
            error=error,
            duration_ms=_elapsed_ms(started),
            target=self.target,
        )

    def _classify(self, response: httpx.Response, started: float) -> SendResult:
        status = response.status_code
        ok = response.is_success
        return SendResult(
            ok=ok,
            status_code=status,
            transient=not ok and (status >= 500 or status in _TRANSIENT_4XX),
            error=None if ok else _http_error(response),
            duration_ms=_elapsed_ms(started),
            target=self.target,
            endpoint_gone=status == _GONE,
        )


def _fsync_dir(folder: Path) -> None:
    """Persist the rename itself; skipped where directories cannot be opened (Windows)."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _write_atomically(path: Path, data: bytes) -> None:
    # The temp file sits in the same folder so os.replace is a same-filesystem, atomic rename; readers
    # see either no file or the whole file. The leading dot keeps it out of "*.json" globs.
    fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as tmp:
            tmp.write(data)
            tmp.flush()
            os.fsync(tmp.fileno())
        os.replace(tmp_name, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
        raise
    _fsync_dir(path.parent)


class OutboxPublisher:
    """Writes each delivery to ``<folder>/<delivery_id>.json``, once (see the module docstring)."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self.target = str(self.folder)

    def path_for(self, delivery_id: str) -> Path:
        """The file of one delivery. Raises ``ValueError`` for an id that is not a plain file name."""
        if not _SAFE_ID.fullmatch(delivery_id):
            raise ValueError(
                f"Delivery id {delivery_id!r} cannot be an outbox file name: "
                "use up to 200 letters, digits, '.', '_' or '-', starting with a letter or digit."
            )
        return self.folder / f"{delivery_id}.json"

    def send(self, *, delivery_id: str, payload: dict[str, Any]) -> SendResult:
        path = self.path_for(delivery_id)
        started = time.perf_counter()
        try:
            # Same id, one file: an earlier attempt already delivered, so this retry changes nothing.
            if not path.exists():
                self.folder.mkdir(parents=True, exist_ok=True)
                _write_atomically(path, self._document(delivery_id, payload))
        except OSError as err:
            # Disk full, folder unmounted, permissions: an operator can fix these while retries wait.
            return SendResult(
                ok=False,
                status_code=None,
                transient=True,
                error=f"could not write {path}: {err}",
                duration_ms=_elapsed_ms(started),
                target=str(path),
            )
        return SendResult(
            ok=True,
            status_code=None,
            transient=False,
            error=None,
            duration_ms=_elapsed_ms(started),
            target=str(path),
        )

    @staticmethod
    def _document(delivery_id: str, payload: dict[str, Any]) -> bytes:
        document = {"webhook_id": delivery_id, "payload": payload}
        return json.dumps(document, sort_keys=True, indent=2, ensure_ascii=False).encode("utf-8") + b"\n"
