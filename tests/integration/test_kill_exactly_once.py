"""Exactly once under SIGKILL, on real components: PostgreSQL, Redis, two Celery workers, SmolLM2 on a
llama.cpp server behind a counting proxy, and a Standard Webhooks receiver on loopback that fails first.

A worker is SIGKILLed in the middle of an LLM call while drafting, and again while a delivery waits for
its scheduled retry; ``factory recover`` runs right after each kill. At the end every brief is in review
or a terminal state, no LLM call was made twice by live workers, no audit entry is repeated, the receiver
stored each delivery once, and no attempt came earlier than the retry schedule allows.
"""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import json
import os
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest
from sqlmodel import Session, col, select

from app.api import decisions
from app.llm.local_server import LocalLlamaServer
from app.llm.model_files import ensure_model_path
from app.models import AuditEntry, Delivery, DeliveryAttempt, LLMCall, WorkClaim
from app.pipeline import review
from app.pipeline.runner import submit_brief
from app.schemas import BriefCreate
from app.settings import PROJECT_ROOT, Settings
from app.states import BriefState, DeliveryState, VariantState
from app.worker_process import WorkerProcess
from tests.integration.harness import SUPPORTED_COPY, Factory, make_factory
from tests.integration.servers import FlakyCMS, fresh_postgres_database, require_redis

pytestmark = [pytest.mark.integration, pytest.mark.slow]
SECRET = "whsec_" + "a2lsbC10ZXN0LXNlY3JldC1mb3ItZXhhY3RseS1vbmNl"
RETRY_S = 4.0  # the test's schedule: 4 s after each failed attempt, 5 attempts a round
LEASE_S = 20.0
SETTLED = {BriefState.in_review, BriefState.published, BriefState.rejected, BriefState.blocked, BriefState.failed}
BRIEFS = [
    BriefCreate(brand="fernhill", product="quiet-hours", channels=["linkedin"], n_ideas=1, n_variants=1,
                audience="parents who want a calm evening", goal="autumn trial", key_message="caffeine-free calm"),
    BriefCreate(brand="fernhill", product="quiet-hours", channels=["linkedin"], n_ideas=1, n_variants=1,
                audience="night-shift workers", goal="winter trial", key_message="an evening cup without caffeine"),
]


@dataclass
class Call:
    digest: str
    started: float
    ended: float | None = None


class CountingProxy:
    """Forwards the OpenAI-compatible API to the model server and records every completion request."""

    def __init__(self, upstream: str) -> None:
        self.upstream = upstream
        self.calls: list[Call] = []
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/v1"

    def in_flight(self) -> int:
        with self._lock:
            return sum(1 for c in self.calls if c.ended is None)

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                self._relay(httpx.get(proxy.upstream + self.path.removeprefix("/v1"), timeout=30))

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["content-length"]))
                call = Call(hashlib.sha256(body).hexdigest(), time.monotonic())
                with proxy._lock:
                    proxy.calls.append(call)
                try:
                    answer = httpx.post(proxy.upstream + self.path.removeprefix("/v1"), content=body,
                                        headers={"content-type": "application/json"}, timeout=900)
                finally:
                    call.ended = time.monotonic()
                with contextlib.suppress(OSError):  # the caller was SIGKILLed while it waited
                    self._relay(answer)

            def _relay(self, answer: httpx.Response) -> None:
                self.send_response(answer.status_code)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(answer.content)))
                self.end_headers()
                self.wfile.write(answer.content)

            def log_message(self, *_args: object) -> None:
                pass

        return Handler


def recover_cli(factory: Factory) -> str:
    """``factory recover`` as an operator runs it: its own process, the same settings."""
    done = subprocess.run([sys.executable, "-m", "app.cli.main", "recover"], env={**os.environ, **factory.env},
                          cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def wait(predicate, timeout_s: float, describe) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout_s
    while not predicate():
        assert time.monotonic() < deadline, f"timed out after {timeout_s:.0f} s: {describe()}"
        time.sleep(0.2)


def publish_retried(worker: WorkerProcess) -> bool:
    """The worker made a publish attempt that failed and scheduled its retry."""
    return any("factory.publish" in line and "] retry:" in line for line in worker.log_tail(50_000).splitlines())


def owner_pid(factory: Factory, prefix: str) -> int | None:
    with Session(factory.deps.engine) as s:
        owners = s.exec(select(WorkClaim.owner).where(col(WorkClaim.key).startswith(prefix))).all()
    return int(owners[0].rsplit(":", 1)[1]) if owners else None


def approve_one_variant(factory: Factory, brief_id: str) -> None:
    """As a reviewer at the desk: approve clean copy, rewrite copy the checks blocked (harness.SUPPORTED_COPY)."""
    variant = next(v for v in factory.variants(brief_id) if v.state is VariantState.in_review)
    if factory.blocking_findings(variant.id):
        decisions.edit_and_approve(factory.deps, variant_id=variant.id, actor="rob", copy=SUPPORTED_COPY,
                                   comment="rewritten: unsupported claims")
    else:
        review.approve(factory.deps, variant_id=variant.id, actor="rob")


def duplicate_audit_entries(factory: Factory) -> list[tuple[str, str, str]]:
    with Session(factory.deps.engine) as s:
        entries = s.exec(select(AuditEntry)).all()
    keys = Counter((e.action, e.subject_id, json.dumps(e.details, sort_keys=True, default=str)) for e in entries)
    return [k for k, n in keys.items() if n > 1]


def test_sigkilled_workers_and_recovery_duplicate_nothing(tmp_path: Path, embedder):
    redis_url = require_redis()
    model = ensure_model_path(Settings(_env_file=None, llm_local_model="smollm2-135m-instruct"))  # type: ignore[call-arg]
    llm = LocalLlamaServer(model_path=model, alias="smollm2-135m-instruct", threads=1, log_path=tmp_path / "llm.log")
    llm.start()
    proxy = CountingProxy(llm.base_url)
    workers: list[WorkerProcess] = []
    try:
        with fresh_postgres_database() as db_url, FlakyCMS(SECRET, failures=3) as cms:
            factory = make_factory(
                tmp_path, embedder, CF_DATABASE_URL=db_url, CF_BROKER_URL=redis_url,
                CF_QUEUE_NAME=f"factory-kill-{uuid.uuid4().hex[:8]}", CF_WEBHOOK_URL=cms.url, CF_WEBHOOK_SECRET=SECRET,
                CF_WEBHOOK_RETRY_SCHEDULE_H=json.dumps([RETRY_S / 3600] * 4), CF_CLAIM_LEASE_S=str(LEASE_S),
                CF_LLM_BASE_URL=proxy.url, CF_LLM_MODEL="smollm2-135m-instruct", CF_LLM_JSON_MODE="llama_cpp",
                CF_DRAFT_CANDIDATES="1",
            )
            workers += [factory.worker("w1").start(), factory.worker("w2").start()]
            briefs = [submit_brief(deps=factory.deps, brief_in=b, actor="mia").id for b in BRIEFS]

            # 1. SIGKILL the worker that holds a draft lease, in the middle of its LLM call.
            wait(lambda: owner_pid(factory, "draft:") is not None and proxy.in_flight() > 0, 900,
                 lambda: [factory.brief(b).state for b in briefs])
            pid = owner_pid(factory, "draft:")
            [victim] = [w for w in workers if w.proc is not None and w.proc.pid == pid]
            victim.kill()
            killed_at = time.monotonic()
            recover_cli(factory)  # the dead worker's slot is free at once; a live worker's slot is left alone
            workers.append(factory.worker("w3").start())
            wait(lambda: all(factory.brief(b).state in SETTLED for b in briefs), 900,
                 lambda: [factory.brief(b).state for b in briefs])

            # 2. Approve one variant per brief; the CMS refuses the first 3 requests. Once an attempt failed and
            # its retry is scheduled, SIGKILL the worker that made it (the retry message may be on either worker)
            # and run `factory recover` twice while the retry is not yet due.
            reviewed = [b for b in briefs if factory.brief(b).state is BriefState.in_review]
            assert reviewed, "no brief reached review: the delivery half of this test would prove nothing"
            for b in reviewed:
                approve_one_variant(factory, b)
            wait(lambda: any(w.alive() and publish_retried(w) for w in workers), 300, lambda: cms.requests)
            holder = next(w for w in workers if w.alive() and publish_retried(w))
            holder.kill()
            recover_cli(factory)
            recover_cli(factory)
            workers.append(factory.worker("w4").start())
            wait(lambda: _deliveries_settled(factory, len(reviewed)), 600, lambda: cms.requests)

            with Session(factory.deps.engine) as s:
                deliveries = s.exec(select(Delivery)).all()
                attempts = s.exec(select(DeliveryAttempt).order_by(col(DeliveryAttempt.id))).all()
                recorded_calls = len(s.exec(select(LLMCall)).all())
            final = {b: factory.brief(b).state for b in briefs}
            errors = [factory.brief(b).error for b in briefs if final[b] is BriefState.failed]
            duplicates = duplicate_audit_entries(factory)
            for w in workers:
                w.stop()
            factory.deps.engine.dispose()
    finally:
        for w in workers:
            w.kill()
        proxy.close()
        llm.stop()

    seen: dict[str, Call] = {}
    redone, live_duplicates = 0, 0
    for call in proxy.calls:
        first = seen.setdefault(call.digest, call)
        if first is not call:
            if first.started < killed_at <= call.started:
                redone += 1  # the killed worker's call, made again after its lease expired
            else:
                live_duplicates += 1
    print(f"LLM calls: {len(proxy.calls)} sent, {recorded_calls} recorded, {redone} redone after the kill; "
          f"receiver: {len(cms.requests)} requests, {len(cms.accepted)} stored; final {final} {errors}")
    assert all(state in SETTLED for state in final.values()), final
    assert live_duplicates == 0, "no two live workers made the same LLM call"
    assert duplicates == [], duplicates
    assert cms.bad_signatures == 0
    delivered = [d for d in deliveries if d.state is DeliveryState.delivered]
    assert sorted(cms.accepted) == sorted(d.id for d in delivered), "each delivery stored once, under its id"
    assert len({p["variant_id"] for p in cms.accepted.values()}) == len(cms.accepted), "one delivery per variant"
    for d in deliveries:
        mine = [a for a in attempts if a.delivery_id == d.id]
        assert [a.attempt_no for a in mine] == list(range(1, len(mine) + 1)), "attempt numbers unique and in order"
        gaps = [(b.created_at - a.created_at).total_seconds() for a, b in itertools.pairwise(mine)]
        assert all(g >= RETRY_S for g in gaps), f"an attempt came before its scheduled time: {gaps}"


def _deliveries_settled(factory: Factory, expected: int) -> bool:
    with Session(factory.deps.engine) as s:
        states = s.exec(select(Delivery.state)).all()
    return len(states) == expected and all(st is not DeliveryState.pending for st in states)
