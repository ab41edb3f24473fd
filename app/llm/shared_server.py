"""One local model server per machine and data folder, shared by every worker that uses it.

Each worker that started its own llama.cpp server on this 2-core machine oversubscribed the CPU: two
workers made 81 briefs/hour where one made 178 (issue 16). Here the first worker to need the model starts
the server; the others find it and use it; the last to leave stops it. All of it lives in
``<data dir>/llm-server/``:

- ``<alias>.lock``: an flock held while a process decides to start, adopt or stop the server;
- ``<alias>.json``: the running server's pid, port and settings;
- ``<alias>.leases/``: one lease file per worker using it (app/llm/leases.py). The server runs under
  :mod:`app.llm.server_host`, which exits as soon as no lease is live, so a worker killed with SIGKILL
  never leaves a server behind once it was the last user, and never takes it from the others.

A recorded server with other settings (model file, threads, context) than this worker's is replaced only
when nobody else holds a lease on it; otherwise this worker uses it as it is and says so in the log.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx

from app.errors import LLMUnavailable
from app.llm import leases
from app.llm.local_server import _free_port
from app.llm.model_files import ModelCheck

log = logging.getLogger(__name__)


class SharedLlamaServer:
    """The interface of :class:`app.llm.local_server.LocalLlamaServer` (start, stop, base_url, pid), shared.

    ``module`` is the server program run under the lease host (``llama_cpp.server``; tests give a stand-in).
    ``prompt_cache_mb`` > 0 turns on llama-cpp-python's RAM prompt cache of that size (``--cache``).
    """

    def __init__(
        self, *, folder: Path, model_path: Path, alias: str, threads: int = 1, n_ctx: int = 4096, port: int = 0,
        startup_timeout_s: float = 180.0, log_path: Path | None = None, prompt_cache_mb: int = 0,
        verify: Callable[[], ModelCheck] | None = None, module: str = "llama_cpp.server",
    ) -> None:
        self.folder, self.model_path, self.alias = folder, model_path, alias
        self.threads, self.n_ctx, self.wanted_port = threads, n_ctx, port
        self.startup_timeout_s, self.log_path = startup_timeout_s, log_path
        self.prompt_cache_mb, self.verify, self.module = prompt_cache_mb, verify, module
        self.port = 0
        self._server_pid = 0
        self._lock = threading.Lock()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    @property
    def pid(self) -> int | None:
        """The shared server's process id while this worker uses it."""
        return self._server_pid if self._server_pid and _alive(self._server_pid) else None

    @property
    def leases(self) -> Path:
        return self.folder / f"{self.alias}.leases"

    def start(self) -> None:
        """Use the machine's server, starting it if nobody runs it; raises LLMUnavailable if it does not come up."""
        with self._lock:
            if self.pid is not None and (self.leases / leases.lease_name()).exists():
                return
            with self._decision():
                leases.take(self.leases)
                record = self._record()
                if record and _alive(record["pid"]) and self._answers(record["port"]):
                    if record["settings"] != self._settings() and len(leases.live_leases(self.leases)) == 1:
                        log.info("local LLM server %d has other settings and no other user: replacing it",
                                 record["pid"])
                        _kill(record["pid"])
                    else:
                        self._adopt(record)
                        return
                self._launch()

    def stop(self) -> None:
        """Leave the server; stop it (SIGKILL) when no other live worker uses it."""
        with self._lock, self._decision():
            leases.give_back(self.leases)
            record = self._record()
            if record and not leases.live_leases(self.leases):
                _kill(record["pid"])
                (self.folder / f"{self.alias}.json").unlink(missing_ok=True)
                log.info("stopped the local LLM server %d (last user left)", record["pid"])
            self._server_pid = 0

    def _adopt(self, record: dict[str, Any]) -> None:
        self.port, self._server_pid = int(record["port"]), int(record["pid"])
        note = "" if record["settings"] == self._settings() else f" (its settings: {record['settings']})"
        log.info("using the local LLM server %d on %s, shared with %d other worker(s)%s", self._server_pid,
                 self.base_url, len(leases.live_leases(self.leases)) - 1, note)

    def _launch(self) -> None:
        if self.verify is not None:
            check = self.verify()
            log.info("local model %s: sha256 %s, %s in %.2f s", check.name, check.sha256,
                     "pinned hash verified" if check.pinned else "your own file, not pinned", check.hash_seconds)
        self.port = self.wanted_port or _free_port()
        args = ["--model", str(self.model_path), "--model_alias", self.alias, "--host", "127.0.0.1",
                "--port", str(self.port), "--n_threads", str(self.threads), "--n_ctx", str(self.n_ctx)]
        if self.prompt_cache_mb > 0:
            args += ["--cache", "true", "--cache_type", "ram", "--cache_size", str(self.prompt_cache_mb << 20)]
        out = self.log_path.open("ab") if self.log_path else subprocess.DEVNULL
        started = time.monotonic()
        # Its own session: a Ctrl-C meant for the worker that started it must not stop the others' server.
        proc = subprocess.Popen([sys.executable, "-m", "app.llm.server_host", str(self.leases), self.module, *args],
                                stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
                                env={**os.environ, "PYTHONPATH": _project_root()})
        self._server_pid = proc.pid
        self._write_record({"pid": proc.pid, "port": self.port, "settings": self._settings()})
        log.info("starting the shared local LLM server on %s (%s, %d threads)", self.base_url,
                 self.model_path.name, self.threads)
        deadline = started + self.startup_timeout_s
        while not self._answers(self.port):
            if proc.poll() is not None or time.monotonic() > deadline:
                _kill(proc.pid)
                where = f"; its log is {self.log_path}" if self.log_path else ""
                raise LLMUnavailable(f"local LLM server did not come up (exit {proc.poll()}){where}")
            time.sleep(0.3)
        log.info("local LLM server ready in %.1f s (%d threads, context %d)", time.monotonic() - started,
                 self.threads, self.n_ctx)

    def _settings(self) -> dict[str, Any]:
        return {"model": str(self.model_path), "threads": self.threads, "n_ctx": self.n_ctx,
                "prompt_cache_mb": self.prompt_cache_mb}

    def _record(self) -> dict[str, Any] | None:
        try:
            return dict(json.loads((self.folder / f"{self.alias}.json").read_text()))
        except (OSError, ValueError):
            return None

    def _write_record(self, record: dict[str, Any]) -> None:
        tmp = self.folder / f"{self.alias}.json.tmp"
        tmp.write_text(json.dumps(record))
        tmp.replace(self.folder / f"{self.alias}.json")

    def _answers(self, port: int) -> bool:
        try:
            return httpx.get(f"http://127.0.0.1:{port}/v1/models", timeout=2).status_code == 200
        except httpx.HTTPError:
            return False

    @contextlib.contextmanager
    def _decision(self) -> Iterator[None]:
        self.folder.mkdir(parents=True, exist_ok=True)
        with (self.folder / f"{self.alias}.lock").open("a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)


def default_threads() -> int:
    """Generation threads when none are configured: the cores this process may run on, less one for the rest
    of the stack (embedder, checks, database), at least one. On the 2-core machine: 1 (see app/settings.py for
    the measurements behind leaving a core free)."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return max(1, cores - 1)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    with contextlib.suppress(ChildProcessError):  # our own child that exited: reap it, it is not alive
        if os.waitpid(pid, os.WNOHANG)[0] == pid:
            return False
    return True


def _kill(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)
    with contextlib.suppress(ChildProcessError):
        os.waitpid(pid, 0)


def _project_root() -> str:
    return str(Path(__file__).resolve().parents[2])
