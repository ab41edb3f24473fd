"""Thin Celery tasks: each takes one id, calls a runner, and decides only about retries.

Transient faults (LLM endpoint down, database or store briefly unavailable) are retried with
backoff; when retries run out the brief is marked failed with the reason. Everything else about the
work lives in :mod:`app.pipeline`.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from celery import Task, shared_task
from celery.signals import worker_ready, worker_shutdown
from sqlalchemy.exc import OperationalError
from sqlmodel import Session

from app.db import upgrade
from app.errors import FactoryError, ModelFileError, NotFound
from app.liveness import HeartbeatThread
from app.models import Idea, Variant
from app.pipeline import delivery, gate, recovery, runner
from app.pipeline.deps import Deps
from app.settings import get_settings
from app.wiring import build_deps

log = logging.getLogger(__name__)
_deps: Deps | None = None


def deps() -> Deps:
    """This worker process's dependencies, built on first use."""
    global _deps
    if _deps is None:
        _deps = build_deps(get_settings())
    return _deps


def _is_transient(exc: BaseException) -> bool:
    return isinstance(exc, OperationalError) or (isinstance(exc, FactoryError) and exc.transient)


def _run(task: Task, fn: Callable[[str, Deps], Any], item_id: str, brief_of: Callable[[Session, str], str]) -> Any:
    d = deps()
    try:
        return fn(item_id, d)
    except NotFound as exc:
        log.warning("%s(%s): %s; dropping the task", task.name, item_id, exc)
        return None
    except ModelFileError as exc:  # retrying cannot fix a refused model file: say so on the brief
        with Session(d.engine) as session:
            runner.fail_brief(d, brief_of(session, item_id), exc)
        return None
    except Exception as exc:
        if not _is_transient(exc):
            raise
        if task.request.retries >= d.settings.task_max_retries:
            with Session(d.engine) as session:
                runner.fail_brief(d, brief_of(session, item_id), exc)
            return None
        raise task.retry(exc=exc, countdown=min(60, 2 ** task.request.retries)) from exc


def _brief_itself(_session: Session, brief_id: str) -> str:
    return brief_id


def _brief_of_idea(session: Session, idea_id: str) -> str:
    idea = session.get(Idea, idea_id)
    return idea.brief_id if idea else ""


def _brief_of_variant(session: Session, variant_id: str) -> str:
    variant = session.get(Variant, variant_id)
    return variant.brief_id if variant else ""


@shared_task(bind=True, name="factory.ideate", max_retries=None)
def ideate(self: Task, brief_id: str) -> None:
    _run(self, runner.run_ideation, brief_id, _brief_itself)


@shared_task(bind=True, name="factory.draft", max_retries=None)
def draft(self: Task, idea_id: str) -> None:
    _run(self, runner.run_drafting, idea_id, _brief_of_idea)


@shared_task(bind=True, name="factory.redraft", max_retries=None)
def redraft(self: Task, variant_id: str) -> None:
    _run(self, runner.run_redraft, variant_id, _brief_of_variant)


@shared_task(bind=True, name="factory.compliance", max_retries=None)
def compliance(self: Task, variant_id: str) -> None:
    _run(self, gate.run_compliance, variant_id, _brief_of_variant)


@shared_task(bind=True, name="factory.publish", max_retries=None)
def publish(self: Task, variant_id: str) -> None:
    outcome = _run(self, delivery.run_publish, variant_id, _brief_of_variant)
    if outcome is not None and outcome.status == "retry":
        # The delivery row holds the schedule (next_attempt_at) and the attempt count; Celery only carries
        # the message to the due time. A copy that arrives early finds the attempt not due and does nothing.
        raise self.retry(countdown=outcome.retry_in_s, max_retries=None)


@worker_ready.connect
def _on_worker_ready(**_kw: Any) -> None:
    d = deps()
    upgrade(d.engine)
    work = recovery.recover(d)
    log.info("worker ready; re-enqueued %d pending items (claimed and scheduled ones left alone)", len(work))
    threading.Thread(target=_sweep_forever, args=(d, _stopping), name="lease sweeper", daemon=True).start()
    global _heart
    _heart = HeartbeatThread(d.engine, queue=d.settings.queue_name, interval_s=d.settings.worker_heartbeat_s).start()
    _warm_up(d)


def _warm_up(d: Deps) -> None:
    """Load the embedder, and start (or join) the machine's local model server and have it answer one token,
    before the first task, so the first brief pays neither. Endpoints given by URL are left alone."""
    started = time.monotonic()
    try:
        d.embedder.embed(["warm up"])
    except Exception as exc:  # the first retrieval will load it again and report its own error
        log.warning("embedder warm-up failed: %s", exc)
    if d.settings.llm_base_url:
        log.info("embedder warm in %.1f s; worker ready for briefs", time.monotonic() - started)
        return
    try:
        d.llm.complete([{"role": "user", "content": "Reply OK."}], params={"max_tokens": 1, "temperature": 0},
                       json_schema=None)
    except Exception as exc:  # the first task will start it again and fail or retry on its own terms
        log.warning("local model warm-up failed: %s", exc)
        return
    log.info("embedder and local model server warm in %.1f s; worker ready for briefs", time.monotonic() - started)


@worker_shutdown.connect
def _on_worker_shutdown(**_kw: Any) -> None:
    """The worker is going away: stop sweeping and leave the shared model server (killed, not asked, when this
    worker was its last user)."""
    _stopping.set()
    if _heart is not None:
        _heart.stop()  # its row goes: pages say "no worker" at once, not after the row goes stale
    if _deps is not None:
        server = getattr(_deps._llm, "server", None)
        if server is not None:
            server.stop()


_stopping = threading.Event()
_heart: HeartbeatThread | None = None


def _sweep_forever(d: Deps, stopping: threading.Event) -> None:
    """Every lease period, re-enqueue units whose worker died (expired leases, overdue deliveries)."""
    while not stopping.wait(d.settings.claim_lease_s):
        try:
            work = recovery.sweep(d)
            if work:
                log.info("lease sweep re-enqueued %s", work)
        except Exception as exc:  # the database may be briefly down; the next round tries again
            log.warning("lease sweep failed: %s", exc)
