"""A dead worker is visible within 30 s, on a real Celery worker process (filesystem broker, SQLite).

The worker beats every ``CF_WORKER_HEARTBEAT_S`` (default 5 s) and counts as dead after ``CF_WORKER_STALE_S``
(default 20 s): a SIGKILLed worker, which gets no chance to remove its row, shows as dead on ``/health`` and on
the page of a brief that waits for it within 30 s of the kill. A warm shutdown removes the row at once.
"""

from __future__ import annotations

import time

import pytest
from fastapi.testclient import TestClient

from app.api.main import create_app
from app.pipeline.runner import submit_brief
from tests.integration.harness import SMALL_BRIEF, make_factory
from tests.unit.test_api import sign_in_page

pytestmark = [pytest.mark.integration]
DEAD_WITHIN_S = 30.0


def wait_health(client: TestClient, status: str, timeout_s: float) -> float:
    """Seconds until ``/health`` reports ``status``; fails after ``timeout_s``."""
    started = time.monotonic()
    while time.monotonic() - started < timeout_s:
        if client.get("/health").json()["status"] == status:
            return time.monotonic() - started
        time.sleep(0.5)
    raise AssertionError(f"/health did not report {status} within {timeout_s:.0f} s: {client.get('/health').json()}")


def test_a_killed_worker_shows_as_dead_on_health_and_on_a_waiting_briefs_page_within_30_s(tmp_path, embedder):
    factory = make_factory(tmp_path, embedder)  # the worker builds the same embedder from CF_EMBEDDER
    client = TestClient(create_app(deps=factory.deps))
    assert client.get("/health").json()["status"] == "no_worker"

    worker = factory.worker().start()
    try:
        wait_health(client, "ok", timeout_s=180)  # imports and migrations of a cold start
        assert client.get("/health").json()["workers"]["alive"] == 1
        worker.kill()  # SIGKILL: its heartbeat row stays, and only its age tells
        killed = time.monotonic()
        # The brief waits for a worker that will never come (submitted after the kill: nothing consumes it).
        brief = submit_brief(deps=factory.deps, brief_in=SMALL_BRIEF, actor="mia")
        seconds = wait_health(client, "no_worker", timeout_s=DEAD_WITHIN_S + 5)
        assert time.monotonic() - killed <= DEAD_WITHIN_S, f"took {seconds:.1f} s"
        message = client.get("/health").json()["workers"]["message"]
        assert "no worker is running (last heartbeat" in message and "factory worker" in message
        sign_in_page(client, factory.deps, "mia", ["marketer"])
        page = client.get(f"/ui/briefs/{brief.id}").text
        assert "no worker is running: start one with" in page and "queued " in page
    finally:
        worker.stop()
        factory.deps.engine.dispose()


def test_a_worker_stopped_warmly_removes_its_heartbeat_at_once(tmp_path, embedder):
    factory = make_factory(tmp_path, embedder)
    client = TestClient(create_app(deps=factory.deps))
    worker = factory.worker().start()
    try:
        wait_health(client, "ok", timeout_s=180)
        worker.stop()
        assert client.get("/health").json()["status"] == "no_worker", "a warm shutdown deletes its row"
    finally:
        worker.kill()
        factory.deps.engine.dispose()
