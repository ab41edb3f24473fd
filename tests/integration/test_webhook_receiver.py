"""A delivery crosses a real HTTP connection to a receiver that behaves like a careful CMS.

The receiver runs on 127.0.0.1 in a thread. It checks signatures with its own implementation of the
Standard Webhooks spec (nothing imported from ``app.publishing.signing``), answers 503 to its first two
requests, and stores each ``webhook-id`` once, as the spec asks receivers to do.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import socket
import threading
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from app.publishing.publisher import SendResult, WebhookPublisher

pytestmark = pytest.mark.integration

KEY = b"integration test key, 32 bytes."
SECRET = "whsec_" + base64.b64encode(KEY).decode()
PAYLOAD: dict[str, Any] = {"variant_id": "v_7", "channel": "blog", "body": "Naïve café copy."}
MAX_ATTEMPTS = 6


def spec_signature_is_valid(headers: Mapping[str, str], body: bytes, *, tolerance_s: int = 300) -> bool:
    """The receiver's check, from the spec text: HMAC-SHA256 over '{id}.{timestamp}.{body}'."""
    msg_id, timestamp, signatures = (
        headers.get("webhook-id"),
        headers.get("webhook-timestamp"),
        headers.get("webhook-signature"),
    )
    if not (msg_id and timestamp and signatures) or abs(time.time() - int(timestamp)) > tolerance_s:
        return False
    digest = hmac.new(KEY, f"{msg_id}.{timestamp}.".encode() + body, hashlib.sha256).digest()
    expected = "v1," + base64.b64encode(digest).decode()
    return any(hmac.compare_digest(expected, candidate) for candidate in signatures.split())


@dataclass
class Seen:
    webhook_id: str | None
    signature_valid: bool


@dataclass
class Receiver:
    """A CMS stand-in: refuses bad signatures (401), is briefly down (503), then accepts once per id."""

    failures: int = 2
    requests: list[Seen] = field(default_factory=list)
    stored: dict[str, bytes] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def handle(self, headers: Mapping[str, str], body: bytes) -> int:
        with self.lock:
            valid = spec_signature_is_valid(headers, body)
            webhook_id = headers.get("webhook-id")
            self.requests.append(Seen(webhook_id, valid))
            if not valid or webhook_id is None:
                return 401
            if len(self.requests) <= self.failures:
                return 503
            # A redelivery of an id already stored is acknowledged but not stored again.
            self.stored.setdefault(webhook_id, body)
            return 200


def handler_for(receiver: Receiver) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("content-length", "0")))
            # Header names are case-insensitive; a receiver must not depend on the sender's spelling.
            code = receiver.handle({name.lower(): value for name, value in self.headers.items()}, body)
            self.send_response(code)
            self.send_header("content-length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            pass  # keep pytest output clean

    return Handler


@pytest.fixture
def no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    # A proxy from the developer's environment would intercept requests meant for 127.0.0.1.
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def receiver(no_proxy: None) -> Iterator[tuple[Receiver, str]]:
    state = Receiver(failures=2)
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler_for(state))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state, f"http://127.0.0.1:{server.server_address[1]}/hooks/content"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def deliver_with_retries(publisher: WebhookPublisher, delivery_id: str) -> list[SendResult]:
    """What the delivery task does, minus the database: retry transient failures with backoff."""
    results: list[SendResult] = []
    for attempt in range(1, MAX_ATTEMPTS + 1):
        result = publisher.send(delivery_id=delivery_id, payload=PAYLOAD)
        results.append(result)
        if result.ok or not result.transient:
            break
        time.sleep(0.01 * 2 ** (attempt - 1))
    return results


def test_retries_through_an_outage_and_the_receiver_stores_the_delivery_once(
    receiver: tuple[Receiver, str],
) -> None:
    state, url = receiver
    publisher = WebhookPublisher(url=url, secret=SECRET, timeout_s=5)

    results = deliver_with_retries(publisher, "msg_integration_1")
    publisher.close()

    assert [(r.ok, r.status_code, r.transient) for r in results] == [
        (False, 503, True),
        (False, 503, True),
        (True, 200, False),
    ]
    assert state.requests == [Seen("msg_integration_1", signature_valid=True)] * 3
    assert list(state.stored) == ["msg_integration_1"]
    assert json.loads(state.stored["msg_integration_1"]) == PAYLOAD


def test_a_redelivery_after_success_is_acknowledged_but_not_stored_twice(
    receiver: tuple[Receiver, str],
) -> None:
    # E.g. the worker died after the 200 but before recording it, so the delivery is sent again.
    state, url = receiver
    state.failures = 0
    publisher = WebhookPublisher(url=url, secret=SECRET, timeout_s=5)

    first = publisher.send(delivery_id="msg_twice", payload=PAYLOAD)
    again = publisher.send(delivery_id="msg_twice", payload=PAYLOAD)
    other = publisher.send(delivery_id="msg_other", payload=PAYLOAD)
    publisher.close()

    assert (first.ok, again.ok, other.ok) == (True, True, True)
    assert len(state.requests) == 3
    assert sorted(state.stored) == ["msg_other", "msg_twice"]


def test_a_receiver_with_another_secret_never_stores_the_delivery_and_it_is_retried_on_schedule(
    receiver: tuple[Receiver, str],
) -> None:
    # A 401 describes the endpoint (a rotated secret), not the body: retried on the schedule like Svix does,
    # until a person fixes the secret or the attempts run out (app/publishing/publisher.py).
    state, url = receiver
    wrong_secret = "whsec_" + base64.b64encode(b"not the key the receiver holds!!").decode()
    publisher = WebhookPublisher(url=url, secret=wrong_secret, timeout_s=5)

    results = deliver_with_retries(publisher, "msg_forged")
    publisher.close()

    assert [(r.ok, r.status_code, r.transient) for r in results] == [(False, 401, True)] * MAX_ATTEMPTS
    assert state.requests == [Seen("msg_forged", signature_valid=False)] * MAX_ATTEMPTS
    assert state.stored == {}


def test_a_receiver_that_is_down_is_a_transient_failure(no_proxy: None) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    # The socket is closed: nothing listens on the port, so the connection is refused.
    publisher = WebhookPublisher(url=f"http://127.0.0.1:{port}/hooks", secret=SECRET, timeout_s=5)

    result = publisher.send(delivery_id="msg_down", payload=PAYLOAD)
    publisher.close()

    assert (result.ok, result.status_code, result.transient) == (False, None, True)
    assert result.error is not None and result.target == f"http://127.0.0.1:{port}/hooks"
