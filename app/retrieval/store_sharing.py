"""Sharing one Qdrant local folder between processes: the first to open it serves the others.

Qdrant's local mode locks its folder to the process that opened it. The first process (worker, API or
CLI) that opens the folder keeps it open and listens on a Unix socket beside it; the others send it each
operation and get the result back (about 0.2 ms of overhead a call). When the owner exits, even killed,
the kernel drops its lock: the next call of another process finds the owner gone, opens the folder
itself and becomes the owner. Calls are idempotent (writes are keyed by deterministic point ids), so a
call cut off by the owner's death is simply made again.

The socket is created with mode 0600 and the connection is authenticated with a random key the owner
writes into the folder (mode 0600): only the user who owns the data folder can reach the store.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import logging
import os
import secrets
import tempfile
import threading
import time
from multiprocessing import AuthenticationError
from multiprocessing.connection import Client, Connection, Listener
from pathlib import Path
from typing import Any

from app.errors import StoreLocked
from app.retrieval.local_store import LocalBackend

log = logging.getLogger(__name__)
_OPS = frozenset({"replace_source", "upsert", "delete_source", "source_hashes", "vectors_of", "count", "search",
                  "payloads", "other_spaces"})


class OwnerGone(Exception):
    """The owning process went away during a call (the caller retries, possibly as the new owner)."""


class SharedLocalStore:
    """The local folder, opened here or reached through the process that holds it (see module docstring).

    ``lock_wait_s`` bounds how long a call waits for a folder that is locked while its owner cannot be
    reached (an owner still starting, or a process of an older factory that opens per operation);
    :class:`app.errors.StoreLocked` is raised past it.
    """

    def __init__(self, *, path: Path, collection: str, dimension: int, lock_wait_s: float = 60.0) -> None:
        self.path, self.collection, self.dimension = path, collection, dimension
        self.lock_wait_s = lock_wait_s
        self._lock = threading.Lock()
        self._owned: LocalBackend | None = None
        self._owner_pid = 0
        self._proxy: _Proxy | None = None
        self._server: _Server | None = None

    @property
    def role(self) -> str:
        """"owner" when this process holds the folder, "client" when it calls the owner, "" before the first call."""
        if self._owned is not None and self._owner_pid == os.getpid():
            return "owner"
        return "client" if self._proxy is not None else ""

    def call(self, op: str, *args: Any, **kwargs: Any) -> Any:
        if op not in _OPS:
            raise ValueError(f"unknown store operation {op!r}")
        deadline = time.monotonic() + self.lock_wait_s
        while True:
            target = self._target(deadline)
            try:
                return getattr(target, op)(*args, **kwargs)
            except OwnerGone:
                with self._lock:
                    self._proxy = None
                if time.monotonic() > deadline:
                    raise StoreLocked(f"the process holding {self.path} stopped answering") from None

    def close(self) -> None:
        with self._lock:
            if self._server is not None:
                self._server.stop()
                self._server = None
            if self._owned is not None and self._owner_pid == os.getpid():
                self._owned.close()
            self._owned = None
            if self._proxy is not None:
                self._proxy.close()
                self._proxy = None

    def _target(self, deadline: float) -> LocalBackend | _Proxy:
        with self._lock:
            if self._owned is not None and self._owner_pid != os.getpid():
                self._owned, self._server = None, None  # inherited through fork: the lock is the parent's
            while True:
                if self._owned is not None:
                    return self._owned
                if self._proxy is not None:
                    return self._proxy
                try:
                    if _held_elsewhere(self.path):  # Qdrant reads the whole folder before it tries the lock
                        raise RuntimeError("already accessed (lock probe)")
                    self._owned = LocalBackend(path=self.path, collection=self.collection,
                                               dimension=self.dimension)
                    self._owner_pid = os.getpid()
                    self._server = _Server(self._owned, self.path)
                    log.info("vector store: this process (%d) holds %s and serves other processes", os.getpid(),
                             self.path)
                    return self._owned
                except RuntimeError as exc:
                    if "already accessed" not in str(exc):
                        raise
                self._proxy = _Proxy.connect(self.path, (self.collection, self.dimension))
                if self._proxy is not None:
                    return self._proxy
                if time.monotonic() > deadline:
                    raise StoreLocked(
                        f"the local Qdrant folder {self.path} stayed locked for {self.lock_wait_s:.0f} s and its "
                        "holder does not answer; several machines sharing a KB need a Qdrant server (CF_QDRANT_URL)"
                    )
                time.sleep(0.05)


def socket_path(folder: Path) -> Path:
    """Where the owner of ``folder`` listens. Beside the data when the path fits a Unix socket address
    (107 bytes on Linux), else in the temporary folder under a name derived from the folder's path."""
    beside = folder / "owner.sock"
    if len(str(beside).encode()) < 100:
        return beside
    digest = hashlib.sha256(str(folder.resolve()).encode()).hexdigest()[:20]
    return Path(tempfile.gettempdir()) / f"cf-qdrant-{digest}.sock"


def _held_elsewhere(folder: Path) -> bool:
    """Whether another process holds Qdrant's lock on ``folder`` (its ``.lock`` file, flock as portalocker
    takes it on Linux). The probe lock is released at once: Qdrant takes its own."""
    lock_file = folder / ".lock"
    if not lock_file.exists():
        return False
    with lock_file.open("r+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return True
        fcntl.flock(handle, fcntl.LOCK_UN)
        return False


def _key_path(folder: Path) -> Path:
    return folder / "owner.key"


class _Server:
    """Serves :data:`_OPS` on ``backend`` to other processes, one thread per connection."""

    def __init__(self, backend: LocalBackend, folder: Path) -> None:
        self._backend = backend
        self._address = socket_path(folder)
        key = secrets.token_bytes(32)
        key_file = _key_path(folder)
        with contextlib.suppress(FileNotFoundError):
            key_file.unlink()
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as out:
            out.write(key)
        with contextlib.suppress(FileNotFoundError):
            self._address.unlink()  # left by a dead owner; we hold the folder's lock now
        old_umask = os.umask(0o177)
        try:
            self._listener = Listener(str(self._address), family="AF_UNIX", authkey=key)
        finally:
            os.umask(old_umask)
        self._stopped = False
        threading.Thread(target=self._accept, name="vector store server", daemon=True).start()

    def stop(self) -> None:
        self._stopped = True
        with contextlib.suppress(OSError):
            self._listener.close()

    def _accept(self) -> None:
        while not self._stopped:
            try:
                conn = self._listener.accept()
            except OSError:
                if self._stopped:
                    return
                time.sleep(0.05)  # a connection that broke while being accepted; keep serving
                continue
            except AuthenticationError as exc:  # a caller without the key: keep serving the others
                log.warning("vector store: refused a connection: %s", exc)
                continue
            threading.Thread(target=self._serve, args=(conn,), name="vector store client", daemon=True).start()

    def _serve(self, conn: Connection) -> None:
        with conn:
            while True:
                try:
                    op, space, args, kwargs = conn.recv()
                except (EOFError, OSError):
                    return
                try:
                    if op not in _OPS:
                        raise ValueError(f"unknown store operation {op!r}")
                    backend = self._backend.sibling(*space)  # the caller's collection, whatever the owner's
                    conn.send(("ok", getattr(backend, op)(*args, **kwargs)))
                except Exception as exc:  # the operation's own error: the caller re-raises it
                    conn.send(("err", exc))


class _Proxy:
    """A connection to the owner; its methods mirror :class:`LocalBackend`'s (via ``__getattr__``)."""

    def __init__(self, conn: Connection, space: tuple[str, int]) -> None:
        self._conn = conn
        self._space = space  # (collection, dimension) every operation is for
        self._lock = threading.Lock()

    @classmethod
    def connect(cls, folder: Path, space: tuple[str, int]) -> _Proxy | None:
        """A connection to the owner of ``folder`` for ``space``, or None when nobody answers there."""
        try:
            key = _key_path(folder).read_bytes()
            return cls(Client(str(socket_path(folder)), family="AF_UNIX", authkey=key), space)
        except (OSError, EOFError, ValueError, AuthenticationError):  # a dead owner's, or one starting up
            return None

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self._conn.close()

    def __getattr__(self, op: str) -> Any:
        if op not in _OPS:
            raise AttributeError(op)

        def remote(*args: Any, **kwargs: Any) -> Any:
            with self._lock:
                try:
                    self._conn.send((op, self._space, args, kwargs))
                    status, value = self._conn.recv()
                except (EOFError, OSError) as exc:
                    raise OwnerGone(str(exc)) from exc
            if status == "err":
                raise value
            return value

        return remote
