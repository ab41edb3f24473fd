"""Signatures follow the Standard Webhooks spec, checked against an implementation written from the spec.

``spec_signature`` below is the spec text turned into code, deliberately not sharing anything with
``app.publishing.signing``: if both agreed on a misreading, the known-answer test would still catch it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import time

import pytest

from app.publishing.signing import SignatureError, decode_secret, sign, signed_headers, verify

# The reference vector published with the Standard Webhooks libraries.
SPEC_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
SPEC_ID = "msg_p5jXN8AQM9LWM0D4loKWxJek"
SPEC_TIMESTAMP = 1614265330
SPEC_BODY = b'{"test": 2432232314}'
SPEC_SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="

SECRET = "whsec_" + base64.b64encode(b"a test key of thirty-two bytes!!").decode()
OTHER_SECRET = "whsec_" + base64.b64encode(b"another key, also for the tests.").decode()
BODY = '{"title":"Café au lait","words":3}'.encode()
NOW = 1_700_000_000


def spec_signature(secret: str, msg_id: str, timestamp: str, body: bytes) -> str:
    """From the spec: key = base64-decode(secret without 'whsec_'); sign '{id}.{timestamp}.{body}'."""
    key = base64.b64decode(secret[len("whsec_") :] if secret.startswith("whsec_") else secret)
    signed_content = msg_id.encode() + b"." + timestamp.encode() + b"." + body
    return "v1," + base64.b64encode(hmac.new(key, signed_content, hashlib.sha256).digest()).decode()


def headers_at(timestamp: int, *, body: bytes = BODY, secret: str = SECRET) -> dict[str, str]:
    return signed_headers(secret=secret, msg_id="msg_1", body=body, timestamp=timestamp)


def test_sign_reproduces_the_standard_webhooks_reference_vector() -> None:
    assert spec_signature(SPEC_SECRET, SPEC_ID, str(SPEC_TIMESTAMP), SPEC_BODY) == SPEC_SIGNATURE
    signature = sign(secret=SPEC_SECRET, msg_id=SPEC_ID, timestamp=SPEC_TIMESTAMP, body=SPEC_BODY)

    assert signature == SPEC_SIGNATURE


def test_signed_headers_carry_id_timestamp_and_a_spec_conformant_signature() -> None:
    headers = signed_headers(secret=SECRET, msg_id="msg_42", body=BODY, timestamp=NOW)

    assert headers == {
        "webhook-id": "msg_42",
        "webhook-timestamp": str(NOW),
        "webhook-signature": spec_signature(SECRET, "msg_42", str(NOW), BODY),
        "content-type": "application/json",
    }


def test_signed_headers_default_to_the_current_unix_second() -> None:
    before = int(time.time())
    headers = signed_headers(secret=SECRET, msg_id="msg_1", body=BODY)
    after = int(time.time())

    assert before <= int(headers["webhook-timestamp"]) <= after
    assert headers["webhook-signature"] == spec_signature(SECRET, "msg_1", headers["webhook-timestamp"], BODY)


def test_a_secret_without_the_whsec_prefix_is_the_same_key() -> None:
    bare = SECRET.removeprefix("whsec_")

    assert decode_secret(bare) == decode_secret(SECRET) == b"a test key of thirty-two bytes!!"
    assert sign(secret=bare, msg_id="m", timestamp=NOW, body=BODY) == sign(
        secret=SECRET, msg_id="m", timestamp=NOW, body=BODY
    )


@pytest.mark.parametrize("garbage", ["whsec_not*base64!", "whsec_abc", "", "whsec_", "whsec_ÿÿÿÿ"])
def test_decode_secret_rejects_garbage_and_says_what_a_secret_looks_like(garbage: str) -> None:
    with pytest.raises(ValueError, match=r"whsec_.*base64") as caught:
        decode_secret(garbage)

    assert "make one with" in str(caught.value)


def test_verify_accepts_an_authentic_delivery() -> None:
    verify(secret=SECRET, headers=headers_at(NOW), body=BODY, now=NOW)


def test_verify_matches_header_names_case_insensitively() -> None:
    shouting = {name.title(): value for name, value in headers_at(NOW).items()}

    verify(secret=SECRET, headers=shouting, body=BODY, now=NOW)


def test_verify_rejects_a_tampered_body() -> None:
    with pytest.raises(SignatureError, match="No v1 signature matches"):
        verify(secret=SECRET, headers=headers_at(NOW), body=BODY.replace(b"3", b"4"), now=NOW)


def test_verify_rejects_a_signature_made_with_another_secret() -> None:
    with pytest.raises(SignatureError, match="No v1 signature matches"):
        verify(secret=OTHER_SECRET, headers=headers_at(NOW), body=BODY, now=NOW)


def test_verify_rejects_a_replayed_id_with_a_new_timestamp() -> None:
    # The timestamp is inside the signed content: an attacker cannot refresh an old delivery.
    headers = headers_at(NOW - 3600) | {"webhook-timestamp": str(NOW)}

    with pytest.raises(SignatureError, match="No v1 signature matches"):
        verify(secret=SECRET, headers=headers, body=BODY, now=NOW)


def test_verify_rejects_a_stale_timestamp_even_with_a_valid_signature() -> None:
    with pytest.raises(SignatureError, match="older than 300s"):
        verify(secret=SECRET, headers=headers_at(NOW - 301), body=BODY, now=NOW)


def test_verify_rejects_a_timestamp_too_far_in_the_future() -> None:
    with pytest.raises(SignatureError, match="in the future"):
        verify(secret=SECRET, headers=headers_at(NOW + 301), body=BODY, now=NOW)


def test_verify_accepts_timestamps_at_the_edges_of_the_tolerance() -> None:
    verify(secret=SECRET, headers=headers_at(NOW - 300), body=BODY, now=NOW)
    verify(secret=SECRET, headers=headers_at(NOW + 300), body=BODY, now=NOW)
    verify(secret=SECRET, headers=headers_at(NOW - 30), body=BODY, now=NOW, tolerance_s=30)
    with pytest.raises(SignatureError):
        verify(secret=SECRET, headers=headers_at(NOW - 31), body=BODY, now=NOW, tolerance_s=30)


def test_verify_uses_the_clock_when_now_is_not_given() -> None:
    verify(secret=SECRET, headers=headers_at(int(time.time())), body=BODY)
    with pytest.raises(SignatureError, match="older than"):
        verify(secret=SECRET, headers=headers_at(int(time.time()) - 3600), body=BODY)


def test_verify_accepts_when_one_of_several_signatures_matches() -> None:
    # Key rotation: the sender signs with old and new keys; unknown versions are skipped.
    good = spec_signature(SECRET, "msg_1", str(NOW), BODY)
    wrong = spec_signature(OTHER_SECRET, "msg_1", str(NOW), BODY)
    headers = headers_at(NOW) | {"webhook-signature": f"{wrong} v1a,c29tZXRoaW5nIGVsc2U= {good}"}

    verify(secret=SECRET, headers=headers, body=BODY, now=NOW)


def test_verify_rejects_when_none_of_several_signatures_matches() -> None:
    wrong = spec_signature(OTHER_SECRET, "msg_1", str(NOW), BODY)
    good_digest_wrong_version = spec_signature(SECRET, "msg_1", str(NOW), BODY).replace("v1,", "v2,")
    headers = headers_at(NOW) | {"webhook-signature": f"{wrong} {good_digest_wrong_version} garbage"}

    with pytest.raises(SignatureError, match="No v1 signature matches"):
        verify(secret=SECRET, headers=headers, body=BODY, now=NOW)


@pytest.mark.parametrize("missing", ["webhook-id", "webhook-timestamp", "webhook-signature"])
def test_verify_rejects_a_delivery_missing_a_header(missing: str) -> None:
    headers = {name: value for name, value in headers_at(NOW).items() if name != missing}

    with pytest.raises(SignatureError, match=f"Missing header '{missing}'"):
        verify(secret=SECRET, headers=headers, body=BODY, now=NOW)


def test_verify_rejects_a_timestamp_that_is_not_integer_seconds() -> None:
    headers = headers_at(NOW) | {"webhook-timestamp": "2023-11-14T22:13:20Z"}

    with pytest.raises(SignatureError, match="not integer unix seconds"):
        verify(secret=SECRET, headers=headers, body=BODY, now=NOW)


def test_signature_error_is_a_value_error_so_generic_handlers_still_catch_it() -> None:
    assert issubclass(SignatureError, ValueError)
