"""Real servers on the project machines: a fresh PostgreSQL database, a Redis queue, a webhook
receiver on loopback. Each helper says plainly why it skips when its server is absent."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

PG_ADMIN = "host=127.0.0.1 port=5432 user=postgres dbname=test"
REDIS_URL = "redis://127.0.0.1:6379/0"


@contextmanager
def fresh_postgres_database() -> Iterator[str]:
    psycopg = pytest.importorskip("psycopg")
    name = f"cf_test_{uuid.uuid4().hex[:10]}"
    try:
        admin = psycopg.connect(PG_ADMIN, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as exc:
        pytest.skip(f"PostgreSQL is not running on 127.0.0.1:5432 ({exc}); start it to run this test")
    admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def require_redis() -> str:
    redis = pytest.importorskip("redis")
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.RedisError as exc:
        pytest.skip(f"Redis is not running on 127.0.0.1:6379 ({exc}); start it to run this test")
    return REDIS_URL


def independent_signature(secret: str, msg_id: str, timestamp: str, body: bytes) -> str:
    """Standard Webhooks v1 signature, computed from the spec, independently of app.publishing."""
    key = base64.b64decode(secret.removeprefix("whsec_"))
    mac = hmac.new(key, f"{msg_id}.{timestamp}.".encode() + body, hashlib.sha256).digest()
    return "v1," + base64.b64encode(mac).decode()


class FlakyCMS:
    """A CMS webhook endpoint: refuses the first ``failures`` requests with 503, verifies every
    signature, and accepts each webhook-id once (a retry of an accepted id is acknowledged, not stored)."""

    def __init__(self, secret: str, failures: int) -> None:
        self.secret, self.failures = secret, failures
        self.requests: list[dict[str, object]] = []
        self.accepted: dict[str, dict[str, object]] = {}
        self.bad_signatures = 0
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/hooks/content"

    def __enter__(self) -> FlakyCMS:
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        cms = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["content-length"]))
                msg_id, ts = self.headers["webhook-id"], self.headers["webhook-timestamp"]
                expected = independent_signature(cms.secret, msg_id, ts, body)
                valid = expected in self.headers["webhook-signature"].split(" ")
                cms.requests.append({"id": msg_id, "valid": valid})
                if not valid:
                    cms.bad_signatures += 1
                    self._answer(401)
                elif len(cms.requests) <= cms.failures:
                    self._answer(503)
                else:
                    cms.accepted.setdefault(msg_id, json.loads(body))
                    self._answer(200)

            def _answer(self, code: int) -> None:
                self.send_response(code)
                self.send_header("content-length", "0")
                self.end_headers()

            def log_message(self, *_args: object) -> None:
                pass

        return Handler
