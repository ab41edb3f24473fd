"""Webhook signatures as the Standard Webhooks spec defines them (https://www.standardwebhooks.com).

Every delivery carries three headers:

- ``webhook-id``: the delivery's id. It is the same on every retry, so receivers dedupe on it.
- ``webhook-timestamp``: when this attempt was signed, in integer unix seconds.
- ``webhook-signature``: a space-separated list of ``v1,<base64 signature>``, where the signature is
  ``HMAC-SHA256(key, f"{webhook-id}.{webhook-timestamp}.{body}")`` over the raw body bytes.

The secret is written ``whsec_<base64 of the key bytes>``; the key is the base64-decoded part after the
prefix. A secret without the prefix is read as base64 too.

:func:`sign` and :func:`signed_headers` are what the publisher uses; :func:`verify` is the receiver's
side, shipped so that CMS integrators (and our tests) can check deliveries with the same code.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import time
from collections.abc import Mapping

SECRET_PREFIX = "whsec_"
SIGNATURE_VERSION = "v1"
ID_HEADER = "webhook-id"
TIMESTAMP_HEADER = "webhook-timestamp"
SIGNATURE_HEADER = "webhook-signature"

_SECRET_HELP = (
    "Expected 'whsec_' followed by the base64 of the key bytes; make one with: python -c "
    "\"import base64, os; print('whsec_' + base64.b64encode(os.urandom(32)).decode())\""
)


class SignatureError(ValueError):
    """A delivery that fails verification: a header is missing, the timestamp is out of tolerance, or no
    ``v1`` signature matches. The message says which; it never contains the secret."""


def decode_secret(secret: str) -> bytes:
    """The HMAC key inside ``secret``. Raises ``ValueError`` saying how to fix a malformed secret."""
    encoded = secret.strip().removeprefix(SECRET_PREFIX)
    try:
        # validate=True: without it, b64decode silently drops stray characters and yields a different key.
        key = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError) as err:
        raise ValueError(f"The webhook secret is not valid base64 ({err}). {_SECRET_HELP}") from None
    if not key:
        raise ValueError(f"The webhook secret is empty. {_SECRET_HELP}")
    return key


def _digest_b64(key: bytes, msg_id: str, timestamp: int | str, body: bytes) -> str:
    signed_content = f"{msg_id}.{timestamp}.".encode() + body
    return base64.b64encode(hmac.new(key, signed_content, hashlib.sha256).digest()).decode("ascii")


def sign(*, secret: str, msg_id: str, timestamp: int, body: bytes) -> str:
    """The ``v1,<base64>`` signature of one delivery attempt."""
    return f"{SIGNATURE_VERSION},{_digest_b64(decode_secret(secret), msg_id, timestamp, body)}"


def signed_headers(*, secret: str, msg_id: str, body: bytes, timestamp: int | None = None) -> dict[str, str]:
    """The headers of one delivery attempt; ``timestamp`` defaults to now."""
    ts = int(time.time()) if timestamp is None else timestamp
    return {
        ID_HEADER: msg_id,
        TIMESTAMP_HEADER: str(ts),
        SIGNATURE_HEADER: sign(secret=secret, msg_id=msg_id, timestamp=ts, body=body),
        "content-type": "application/json",
    }


def _required(headers: Mapping[str, str], name: str) -> str:
    value = headers.get(name)
    if not value:
        raise SignatureError(f"Missing header {name!r}.")
    return value


def _check_timestamp(raw: str, *, tolerance_s: int, now: int) -> None:
    try:
        timestamp = int(raw)
    except ValueError:
        raise SignatureError(f"Header {TIMESTAMP_HEADER!r} is not integer unix seconds: {raw!r}.") from None
    # Both directions: an old timestamp is a replay; a future one would stretch the replay window.
    if now - timestamp > tolerance_s:
        raise SignatureError(f"Timestamp {timestamp} is older than {tolerance_s}s (now {now}).")
    if timestamp - now > tolerance_s:
        raise SignatureError(f"Timestamp {timestamp} is more than {tolerance_s}s in the future (now {now}).")


def _candidates(header: str) -> list[str]:
    """The base64 parts of the ``v1`` entries; other versions (e.g. ``v1a``) are for other schemes."""
    prefix = f"{SIGNATURE_VERSION},"
    return [entry.removeprefix(prefix) for entry in header.split() if entry.startswith(prefix)]


def verify(
    *, secret: str, headers: Mapping[str, str], body: bytes | str, tolerance_s: int = 300, now: int | None = None
) -> None:
    """Return if ``body`` and ``headers`` are an authentic, fresh delivery; raise :class:`SignatureError`.

    Header names are matched case-insensitively. ``body`` must be the raw body received, as bytes or as the
    text a framework decoded from them (read as UTF-8, which JSON bodies are): re-serialised JSON does not verify.
    """
    if isinstance(body, str):
        body = body.encode("utf-8")
    lowered = {name.lower(): value for name, value in headers.items()}
    msg_id = _required(lowered, ID_HEADER)
    raw_timestamp = _required(lowered, TIMESTAMP_HEADER)
    signature_header = _required(lowered, SIGNATURE_HEADER)
    _check_timestamp(raw_timestamp, tolerance_s=tolerance_s, now=int(time.time()) if now is None else now)
    expected = _digest_b64(decode_secret(secret), msg_id, raw_timestamp, body).encode("ascii")
    # Compare every candidate (no early exit) so timing reveals nothing about which one matched.
    matches = [hmac.compare_digest(expected, c.encode("utf-8")) for c in _candidates(signature_header)]
    if not any(matches):
        raise SignatureError(f"No {SIGNATURE_VERSION} signature matches the body for {ID_HEADER} {msg_id!r}.")
