"""Leases on units of work, so that one unit is worked on by one live worker at a time.

A unit is named by a key (:func:`draft_key`, :func:`delivery_key`, ...). :func:`held` takes the lease
(``WorkClaim``: owner ``host:pid``, ``expires_at`` = now + ``Settings.claim_lease_s``), renews it from a
background thread every third of the lease while the caller works, and releases it on exit. A lease is
taken only when nobody holds it or its holder is gone: the lease expired (the holder was killed, or
stopped renewing) or, for a holder on this machine, its process no longer runs (:func:`owner_state`;
a holder alive on this machine keeps its lease even past expiry). The take-over is one conditional
UPDATE (``... WHERE expires_at < now OR owner = <the dead owner>``), so two workers racing for a lease
cannot both win, on SQLite or PostgreSQL. A worker that does not get the lease does nothing: no LLM
call, no row, no audit entry.

Recovery (:mod:`app.pipeline.recovery`) reads the leases: it re-enqueues a unit whose lease expired and
leaves a live one alone. Times are aware UTC.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Literal

from sqlalchemy import delete, insert, or_, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from app.models import WorkClaim

log = logging.getLogger(__name__)


def now_utc() -> datetime:
    return datetime.now(UTC)


def as_utc(value: datetime) -> datetime:
    """An aware UTC time; a naive one read back from a database without time zones is UTC."""
    return value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)


def worker_id() -> str:
    """This process as a lease owner: ``host:pid`` (the pid is read on each call, so forks differ)."""
    return f"{socket.gethostname()}:{os.getpid()}"


def ideation_key(brief_id: str) -> str:
    return f"ideate:{brief_id}"


def draft_key(idea_id: str, channel: str, ordinal: int) -> str:
    return f"draft:{idea_id}:{channel}:{ordinal}"


def redraft_key(variant_id: str) -> str:
    return f"redraft:{variant_id}"


def delivery_key(delivery_id: str) -> str:
    return f"publish:{delivery_id}"


def try_claim(engine: Engine, key: str, *, task: str, item_id: str, lease_s: float,
              owner: str | None = None) -> bool:
    """Take the lease on ``key`` for ``lease_s`` seconds; False when another owner holds it unexpired.

    ``task``/``item_id`` say which task recovery enqueues if the lease expires unfinished.
    """
    owner = owner or worker_id()
    now = now_utc()
    values = {"owner": owner, "expires_at": now + timedelta(seconds=lease_s), "task": task, "item_id": item_id}
    takeable = [col(WorkClaim.expires_at) < now, col(WorkClaim.owner) == owner]
    with Session(engine) as session:
        current = session.get(WorkClaim, key)
    if current is not None and current.owner != owner:
        state = owner_state(current.owner)
        if state == "alive":
            return False  # expired or not, its owner is a live process on this machine: still at work
        if state == "dead":  # its owner died on this machine: the lease is void before it expires
            takeable.append(col(WorkClaim.owner) == current.owner)
    with engine.begin() as conn:
        taken = conn.execute(update(WorkClaim).where(col(WorkClaim.key) == key, or_(*takeable)).values(**values))
        if taken.rowcount == 1:
            return True
    try:
        with engine.begin() as conn:
            conn.execute(insert(WorkClaim).values(key=key, created_at=now, **values))
    except IntegrityError:
        return False  # a live owner holds it (or won the insert race a moment ago)
    return True


def renew(engine: Engine, key: str, *, lease_s: float, owner: str | None = None) -> bool:
    """Push the lease forward; False when ``owner`` no longer holds it (it expired and was taken over)."""
    with engine.begin() as conn:
        result = conn.execute(update(WorkClaim).where(
            col(WorkClaim.key) == key, col(WorkClaim.owner) == (owner or worker_id()),
        ).values(expires_at=now_utc() + timedelta(seconds=lease_s)))
    return bool(result.rowcount == 1)


def release(engine: Engine, key: str, *, owner: str | None = None) -> None:
    with engine.begin() as conn:
        conn.execute(delete(WorkClaim).where(col(WorkClaim.key) == key,
                                             col(WorkClaim.owner) == (owner or worker_id())))


@contextmanager
def held(engine: Engine, key: str, *, task: str, item_id: str, lease_s: float) -> Iterator[bool]:
    """Hold the lease on ``key`` for the body of the ``with``: yields False (and holds nothing) when a
    live owner has it. While held, a daemon thread renews it every ``lease_s / 3`` seconds."""
    owner = worker_id()
    if not try_claim(engine, key, task=task, item_id=item_id, lease_s=lease_s, owner=owner):
        yield False
        return
    stop = threading.Event()
    renewer = threading.Thread(target=_renew_until, args=(engine, key, owner, lease_s, stop),
                               name=f"lease {key}", daemon=True)
    renewer.start()
    try:
        yield True
    finally:
        stop.set()
        renewer.join(timeout=lease_s)
        release(engine, key, owner=owner)


def _renew_until(engine: Engine, key: str, owner: str, lease_s: float, stop: threading.Event) -> None:
    while not stop.wait(lease_s / 3):
        try:
            if not renew(engine, key, lease_s=lease_s, owner=owner):
                log.warning("lost the lease on %s: it expired and another worker took it", key)
                return
        except Exception as exc:  # a database blip: the next round tries again, within the lease
            log.warning("could not renew the lease on %s: %s", key, exc)


def owner_state(owner: str) -> Literal["alive", "dead", "unknown"]:
    """Whether ``owner`` (``host:pid``) is a running process on this machine ("alive"), is not ("dead"),
    or runs on another machine ("unknown": judged by its lease alone).

    Checked because a lease can lapse while its owner lives (a long call that holds Python's GIL, on a
    loaded machine, starves the renewing thread: seen here, a 10 s lease lost under load 10), and because a
    killed worker's lease need not be waited out on the machine where it died.
    """
    host, _, pid_text = owner.rpartition(":")
    if host != socket.gethostname() or not pid_text.isdigit():
        return "unknown"
    try:
        os.kill(int(pid_text), 0)
    except ProcessLookupError:
        return "dead"
    except PermissionError:
        return "alive"  # it exists, under another user
    try:  # a killed child its parent has not reaped yet is a zombie: dead for our purposes
        with open(f"/proc/{pid_text}/stat") as stat:
            return "dead" if stat.read().rsplit(")", 1)[-1].split()[0] == "Z" else "alive"
    except OSError:
        return "alive"


def live_keys(session: Session) -> set[str]:
    """Keys held by a worker: an unexpired lease whose owner is not known dead, or an owner alive here."""
    return live_keys_of(list(session.exec(select(WorkClaim))))


def expired(session: Session) -> list[WorkClaim]:
    """Leases whose worker is gone: lapsed (owner elsewhere) or owned by a process dead on this machine."""
    leases = list(session.exec(select(WorkClaim)))
    live = live_keys_of(leases)
    return [c for c in leases if c.key not in live]


def live_keys_of(leases: list[WorkClaim]) -> set[str]:
    now = now_utc()
    return {c.key for c in leases
            if (state := owner_state(c.owner)) == "alive" or (state == "unknown" and as_utc(c.expires_at) >= now)}


def drop_if_expired(engine: Engine, lease: WorkClaim) -> bool:
    """Delete a lease :func:`expired` returned, unless it changed since (renewed, or taken by another
    worker); True when this call deleted it, so that only one sweeper re-enqueues its task."""
    with engine.begin() as conn:
        result = conn.execute(delete(WorkClaim).where(
            col(WorkClaim.key) == lease.key, col(WorkClaim.owner) == lease.owner,
            col(WorkClaim.expires_at) == lease.expires_at))
    return bool(result.rowcount == 1)
