"""How publishers classify delivery outcomes, against an in-process HTTP mock and a temp folder."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from app.publishing.publisher import OutboxPublisher, Publisher, SendResult, WebhookPublisher, retry_delay_s

URL = "https://cms.example.test/hooks/content"
KEY = b"publisher test key, 32 bytes ok"
SECRET = "whsec_" + base64.b64encode(KEY).decode()
PAYLOAD = {"variant_id": "v_1", "title": "Crème brûlée", "tags": ["b", "a"], "meta": {"z": 1, "a": None}}
# Written by hand, not by json.dumps: sorted keys at every level, no spaces, UTF-8 (not \u escapes).
CANONICAL = '{"meta":{"a":null,"z":1},"tags":["b","a"],"title":"Crème brûlée","variant_id":"v_1"}'.encode()

Handler = Callable[[httpx.Request], httpx.Response]


def spec_signature(msg_id: str, timestamp: str, body: bytes) -> str:
    digest = hmac.new(KEY, f"{msg_id}.{timestamp}.".encode() + body, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


class Recorder:
    """A mock receiver: answers with ``respond`` and keeps every request it saw."""

    def __init__(self, respond: Handler) -> None:
        self.respond = respond
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return self.respond(request)


def publisher_for(respond: Handler, *, follow_redirects: bool = False) -> tuple[WebhookPublisher, Recorder]:
    recorder = Recorder(respond)
    client = httpx.Client(transport=httpx.MockTransport(recorder), follow_redirects=follow_redirects)
    return WebhookPublisher(url=URL, secret=SECRET, client=client), recorder


def status(code: int, **kwargs: str) -> Handler:
    return lambda request: httpx.Response(code, headers=kwargs or None)


def raising(exc_type: type[httpx.TransportError]) -> Handler:
    def handler(request: httpx.Request) -> httpx.Response:
        raise exc_type("simulated", request=request)

    return handler


def test_a_2xx_answer_is_a_successful_delivery() -> None:
    publisher, _ = publisher_for(status(204))

    result = publisher.send(delivery_id="msg_1", payload=PAYLOAD)

    assert result == SendResult(
        ok=True, status_code=204, transient=False, error=None, duration_ms=result.duration_ms, target=URL
    )
    assert result.duration_ms >= 0


def test_the_request_is_a_signed_post_of_the_canonical_json_body() -> None:
    publisher, recorder = publisher_for(status(200))

    publisher.send(delivery_id="msg_1", payload=PAYLOAD)

    (request,) = recorder.requests
    assert (request.method, str(request.url)) == ("POST", URL)
    assert request.content == CANONICAL
    assert request.headers["content-type"] == "application/json"
    assert request.headers["webhook-id"] == "msg_1"
    assert request.headers["webhook-signature"] == spec_signature(
        "msg_1", request.headers["webhook-timestamp"], CANONICAL
    )


def test_key_order_of_the_payload_does_not_change_the_body() -> None:
    publisher, recorder = publisher_for(status(200))

    publisher.send(delivery_id="msg_1", payload=PAYLOAD)
    publisher.send(delivery_id="msg_1", payload=dict(reversed(list(PAYLOAD.items()))))

    assert [r.content for r in recorder.requests] == [CANONICAL, CANONICAL]


def test_every_retry_of_a_delivery_carries_the_same_webhook_id() -> None:
    publisher, recorder = publisher_for(status(503))

    for _ in range(3):
        publisher.send(delivery_id="msg_same", payload=PAYLOAD)
    publisher.send(delivery_id="msg_other", payload=PAYLOAD)

    assert [r.headers["webhook-id"] for r in recorder.requests] == ["msg_same"] * 3 + ["msg_other"]


@pytest.mark.parametrize("code", [500, 502, 503, 504, 408, 429, 401, 403, 404])
def test_server_errors_rate_limits_and_endpoint_misconfiguration_are_retried(code: int) -> None:
    publisher, _ = publisher_for(lambda request: httpx.Response(code, text="try later"))

    result = publisher.send(delivery_id="msg_1", payload=PAYLOAD)

    assert (result.ok, result.status_code, result.transient, result.endpoint_gone) == (False, code, True, False)
    assert result.error is not None and str(code) in result.error and "try later" in result.error


@pytest.mark.parametrize("code", [400, 405, 413, 415, 422])
def test_client_errors_that_refuse_the_request_itself_are_permanent(code: int) -> None:
    publisher, _ = publisher_for(status(code))

    result = publisher.send(delivery_id="msg_1", payload=PAYLOAD)

    assert (result.ok, result.status_code, result.transient, result.endpoint_gone) == (False, code, False, False)
    assert result.error is not None and str(code) in result.error


def test_gone_is_permanent_and_says_the_endpoint_is_gone() -> None:
    publisher, _ = publisher_for(status(410))

    result = publisher.send(delivery_id="msg_1", payload=PAYLOAD)

    assert (result.ok, result.transient, result.endpoint_gone) == (False, False, True)


def test_a_timeout_is_transient_with_no_status_code() -> None:
    publisher, _ = publisher_for(raising(httpx.ReadTimeout))

    result = publisher.send(delivery_id="msg_1", payload=PAYLOAD)

    assert (result.ok, result.status_code, result.transient, result.target) == (False, None, True, URL)
    assert result.error is not None and "timed out" in result.error


def test_a_refused_connection_is_transient_with_no_status_code() -> None:
    publisher, _ = publisher_for(raising(httpx.ConnectError))

    result = publisher.send(delivery_id="msg_1", payload=PAYLOAD)

    assert (result.ok, result.status_code, result.transient) == (False, None, True)
    assert result.error is not None and "ConnectError" in result.error


@pytest.mark.parametrize("follow_redirects", [False, True])
def test_a_redirect_is_not_followed_and_is_permanent(follow_redirects: bool) -> None:
    # Even a client set up to follow redirects must not carry the signed body to another host.
    publisher, recorder = publisher_for(
        status(302, location="https://elsewhere.example.test/steal"), follow_redirects=follow_redirects
    )

    result = publisher.send(delivery_id="msg_1", payload=PAYLOAD)

    assert [str(r.url) for r in recorder.requests] == [URL]
    assert (result.ok, result.status_code, result.transient) == (False, 302, False)
    assert result.error is not None and "elsewhere.example.test" in result.error


def test_a_malformed_secret_is_refused_when_the_publisher_is_built() -> None:
    with pytest.raises(ValueError, match="base64"):
        WebhookPublisher(url=URL, secret="whsec_not base64!")


@pytest.mark.parametrize("url", ["cms.example.test/hooks", "ftp://cms.example.test/hooks", "https://"])
def test_a_url_that_is_not_absolute_http_is_refused_when_the_publisher_is_built(url: str) -> None:
    with pytest.raises(ValueError, match="absolute http"):
        WebhookPublisher(url=url, secret=SECRET)


def test_both_publishers_satisfy_the_publisher_protocol(tmp_path: Path) -> None:
    webhook = WebhookPublisher(url=URL, secret=SECRET)
    publishers: list[Publisher] = [webhook, OutboxPublisher(tmp_path)]

    assert [p.target for p in publishers] == [URL, str(tmp_path)]
    webhook.close()


def test_the_outbox_writes_one_file_named_after_the_delivery(tmp_path: Path) -> None:
    outbox = tmp_path / "outbox"  # not created yet: the publisher makes it

    result = OutboxPublisher(outbox).send(delivery_id="msg_1", payload=PAYLOAD)

    expected = outbox / "msg_1.json"
    assert result == SendResult(
        ok=True,
        status_code=None,
        transient=False,
        error=None,
        duration_ms=result.duration_ms,
        target=str(expected),
    )
    assert sorted(os.listdir(outbox)) == ["msg_1.json"]  # no temp file left behind
    assert json.loads(expected.read_text(encoding="utf-8")) == {"webhook_id": "msg_1", "payload": PAYLOAD}


def test_the_outbox_does_not_rewrite_a_delivery_it_already_holds(tmp_path: Path) -> None:
    publisher = OutboxPublisher(tmp_path)
    publisher.send(delivery_id="msg_1", payload=PAYLOAD)
    path = tmp_path / "msg_1.json"
    first_bytes, first_mtime = path.read_bytes(), path.stat().st_mtime_ns

    again = publisher.send(delivery_id="msg_1", payload={"something": "else"})

    assert again.ok and again.target == str(path)
    assert path.read_bytes() == first_bytes
    assert path.stat().st_mtime_ns == first_mtime
    assert sorted(os.listdir(tmp_path)) == ["msg_1.json"]


def test_the_outbox_keeps_different_deliveries_apart(tmp_path: Path) -> None:
    publisher = OutboxPublisher(tmp_path)

    publisher.send(delivery_id="msg_1", payload={"n": 1})
    publisher.send(delivery_id="msg_2", payload={"n": 2})

    assert sorted(os.listdir(tmp_path)) == ["msg_1.json", "msg_2.json"]
    assert json.loads((tmp_path / "msg_2.json").read_text())["payload"] == {"n": 2}


@pytest.mark.parametrize("bad_id", ["../escape", "a/b", "", ".hidden", "msg 1"])
def test_the_outbox_refuses_ids_that_are_not_plain_file_names(tmp_path: Path, bad_id: str) -> None:
    with pytest.raises(ValueError, match="cannot be an outbox file name"):
        OutboxPublisher(tmp_path / "outbox").send(delivery_id=bad_id, payload=PAYLOAD)

    assert list(tmp_path.iterdir()) == []


def test_an_outbox_that_cannot_be_written_is_a_transient_failure(tmp_path: Path) -> None:
    blocker = tmp_path / "outbox"
    blocker.write_text("a file where the folder should be")

    result = OutboxPublisher(blocker).send(delivery_id="msg_1", payload=PAYLOAD)

    assert (result.ok, result.transient, result.status_code) == (False, True, None)
    assert result.error is not None and "could not write" in result.error


def test_retry_delays_follow_the_schedule_in_hours_then_run_out() -> None:
    schedule = [5 / 3600, 0.5, 10.0]
    assert [retry_delay_s(n, schedule) for n in (1, 2, 3)] == pytest.approx([5.0, 1800.0, 36000.0])
    assert retry_delay_s(4, schedule) is None
    assert retry_delay_s(10_000, schedule) is None


def test_the_default_schedule_is_eight_attempts_over_about_27_hours() -> None:
    from app.settings import Settings

    schedule = Settings(_env_file=None).webhook_retry_schedule_h  # type: ignore[call-arg]
    assert len(schedule) + 1 == 8
    assert 27 <= sum(schedule) <= 28


def test_retry_delays_count_attempts_from_one() -> None:
    with pytest.raises(ValueError, match="from 1"):
        retry_delay_s(0, [1.0])
