"""Worker liveness: each worker process writes a heartbeat row; a worker is alive while its row is fresh.

Celery's own heartbeats travel as events over the broker, and the factory's workers run ``--without-heartbeat``
(``app/worker_process.py``) and the filesystem broker carries no broadcast for ``inspect ping``. A row in the
factory's own database answers the same question on every broker, from ``/health``, ``factory health`` and any
page, with one indexed read and no round trip to a worker.

A worker beats every ``worker_heartbeat_s`` seconds (default 5) from a thread started when Celery reports the
worker ready, and deletes its row on a warm shutdown. A row older than ``worker_stale_s`` (default 20: four missed
beats) is a dead worker (killed, machine gone): pages say so within 30 s of the last beat.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from datetime import UTC, datetime, timedelta

from sqlalchemy.engine import Engine
from sqlmodel import Field, Session, SQLModel, col, delete, select

from app.db import session_scope

log = logging.getLogger("factory")


def _utcnow() -> datetime:
    return datetime.now(UTC)


class WorkerHeartbeat(SQLModel, table=True):
    """One worker process: ``name`` is ``host:pid``; ``seen_at`` (UTC) its last beat; ``queue`` what it consumes."""

    name: str = Field(primary_key=True, max_length=200)
    queue: str = Field(default="", max_length=128)
    started_at: datetime = Field(default_factory=_utcnow)
    seen_at: datetime = Field(default_factory=_utcnow, index=True)


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def beat(engine: Engine, *, name: str, queue: str, now: datetime | None = None) -> None:
    """Insert or refresh the row of worker ``name``."""
    now = now or _utcnow()
    with session_scope(engine) as session:
        row = session.get(WorkerHeartbeat, name)
        if row is None:
            session.add(WorkerHeartbeat(name=name, queue=queue, started_at=now, seen_at=now))
        else:
            row.seen_at = now
            session.add(row)


def forget(engine: Engine, *, name: str) -> None:
    """Delete the row of worker ``name`` (a warm shutdown: no need to wait for it to go stale)."""
    with session_scope(engine) as session:
        session.exec(delete(WorkerHeartbeat).where(col(WorkerHeartbeat.name) == name))  # type: ignore[call-overload]


def live_workers(session: Session, *, stale_s: float, now: datetime | None = None) -> list[WorkerHeartbeat]:
    """Workers whose last beat is younger than ``stale_s`` seconds, newest first."""
    since = (now or _utcnow()) - timedelta(seconds=stale_s)
    return list(session.exec(select(WorkerHeartbeat).where(col(WorkerHeartbeat.seen_at) > since)
                             .order_by(col(WorkerHeartbeat.seen_at).desc())))


def last_seen(session: Session) -> datetime | None:
    """The newest beat of any worker, alive or not (None when no worker ever ran on this database)."""
    return session.exec(select(WorkerHeartbeat.seen_at).order_by(col(WorkerHeartbeat.seen_at).desc())).first()


class HeartbeatThread:
    """Beats for this process every ``interval_s`` until :meth:`stop`; a failed beat (database briefly down) is
    logged and tried again on the next tick."""

    def __init__(self, engine: Engine, *, queue: str, interval_s: float) -> None:
        self.engine, self.queue, self.interval_s = engine, queue, interval_s
        self.name = worker_name()
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name="worker heartbeat", daemon=True)

    def start(self) -> HeartbeatThread:
        beat(self.engine, name=self.name, queue=self.queue)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        self._thread.join(timeout=self.interval_s + 5)
        forget(self.engine, name=self.name)

    def _run(self) -> None:
        while not self._stopping.wait(self.interval_s):
            try:
                beat(self.engine, name=self.name, queue=self.queue)
            except Exception as exc:  # the next tick tries again; a dead worker is what staleness reports
                log.warning("worker heartbeat failed: %s", exc)


START_HINT = "start one with `factory worker`"


def worker_report(session: Session, *, stale_s: float, now: datetime | None = None) -> dict[str, object]:
    """For ``/health`` and ``factory health``: ``alive`` (count), ``workers`` (names), ``last_seen`` (ISO 8601 UTC
    or None) and, with none alive, a ``message`` saying so and how to start one."""
    now = now or _utcnow()
    alive = live_workers(session, stale_s=stale_s, now=now)
    report: dict[str, object] = {"alive": len(alive), "workers": [w.name for w in alive]}
    seen = last_seen(session)
    report["last_seen"] = seen.isoformat() if seen else None
    if not alive:
        since = f"last heartbeat {int((now - _aware(seen)).total_seconds())} s ago" if seen else "none has run yet"
        report["message"] = f"no worker is running ({since}): {START_HINT}"
    return report


def waiting_note(session: Session, *, stale_s: float, waiting_s: float) -> str | None:
    """The line a page shows under an item that has waited ``waiting_s`` seconds for a worker: None while one is
    alive, else e.g. "queued 9 min; no worker is running: start one with `factory worker`"."""
    if live_workers(session, stale_s=stale_s):
        return None
    minutes = int(waiting_s // 60)
    waited = f"{minutes} min" if minutes else f"{int(waiting_s)} s"
    return f"queued {waited}; no worker is running: {START_HINT}"


def _aware(value: datetime | None) -> datetime:
    """SQLite hands back naive datetimes; every time the factory stores is UTC."""
    assert value is not None
    return value if value.tzinfo else value.replace(tzinfo=UTC)
