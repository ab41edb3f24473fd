"""The embedded LLM: a llama.cpp OpenAI-compatible server that the factory starts and stops itself.

The model is one of :data:`app.llm.model_files.KNOWN_MODELS` (``CF_LLM_LOCAL_MODEL``; Qwen2.5-Coder-1.5B by
default) or the user's own GGUF file. Its file is checked by the ``verify`` callable before every start,
so a file that changed since the last start is refused too. The server listens on loopback only, and is
tied to its parent: when the factory process dies, even by SIGKILL, the kernel sends the server SIGKILL
(Linux parent-death signal), and :meth:`LocalLlamaServer.stop` kills it too. It is killed, not asked:
a server asked to stop (SIGTERM) first finishes the request in flight, spending a minute of CPU on an
answer nobody will read (seen: 39 s after its worker was SIGKILLed). It holds no state worth a clean exit.
"""

from __future__ import annotations

import atexit
import contextlib
import ctypes
import logging
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

import httpx

from app.errors import LLMUnavailable
from app.llm.base import Completion
from app.llm.model_files import ModelCheck
from app.llm.openai_compatible import OpenAICompatibleLLM

log = logging.getLogger(__name__)
_PR_SET_PDEATHSIG = 1


class LocalLlamaServer:
    """One ``python -m llama_cpp.server`` child process on 127.0.0.1.

    ``verify``, when given, is called before every start and must return the check of ``model_path``
    (it raises :class:`app.errors.ModelFileError` to refuse the file; the server is not started then).
    """

    def __init__(
        self, *, model_path: Path, alias: str, port: int = 0, threads: int = 2, n_ctx: int = 4096,
        startup_timeout_s: float = 180.0, log_path: Path | None = None,
        verify: Callable[[], ModelCheck] | None = None,
    ) -> None:
        self.model_path = model_path
        self.verify = verify
        self.alias = alias
        self.port = port or _free_port()
        self.threads = threads
        self.n_ctx = n_ctx
        self.startup_timeout_s = startup_timeout_s
        self.log_path = log_path
        self._proc: subprocess.Popen[bytes] | None = None
        self._lock = threading.Lock()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def start(self) -> None:
        """Start the server (if not running) and wait until it answers; verify its model file first."""
        with self._lock:
            if self._proc is not None and self._proc.poll() is None:
                return
            if self.verify is not None:
                check = self.verify()
                log.info("local model %s: sha256 %s, %s in %.2f s", check.name, check.sha256,
                         "pinned hash verified" if check.pinned else "your own file, not pinned", check.hash_seconds)
            cmd = [
                sys.executable, "-m", "llama_cpp.server", "--model", str(self.model_path),
                "--model_alias", self.alias, "--host", "127.0.0.1", "--port", str(self.port),
                "--n_threads", str(self.threads), "--n_ctx", str(self.n_ctx),
            ]
            log.info("starting local LLM server on %s (%s)", self.base_url, self.model_path.name)
            # The server logs a lot; a pipe nobody reads would fill up and stall it, so it writes a file.
            out = self.log_path.open("ab") if self.log_path else subprocess.DEVNULL
            self._proc = subprocess.Popen(
                cmd, stdout=out, stderr=subprocess.STDOUT, preexec_fn=_die_with_parent(os.getpid()),
            )
            atexit.register(self.stop)
            started = time.monotonic()
            self._wait_ready()
            log.info("local LLM server ready in %.1f s (%d threads, context %d)", time.monotonic() - started,
                     self.threads, self.n_ctx)

    @property
    def pid(self) -> int | None:
        """The server's process id while it runs."""
        return self._proc.pid if self._proc is not None and self._proc.poll() is None else None

    def stop(self) -> None:
        """Kill the server (SIGKILL) and reap it; a request in flight is abandoned, not finished."""
        proc, self._proc = self._proc, None
        if proc is None or proc.poll() is not None:
            return
        proc.kill()
        proc.wait(timeout=10)

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + self.startup_timeout_s
        while time.monotonic() < deadline:
            assert self._proc is not None
            if self._proc.poll() is not None:
                where = f"; its log is {self.log_path}" if self.log_path else ""
                raise LLMUnavailable(f"local LLM server exited with {self._proc.returncode}{where}")
            try:
                if httpx.get(f"{self.base_url}/models", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.3)
        self.stop()
        raise LLMUnavailable(f"local LLM server did not answer within {self.startup_timeout_s:.0f} s")


class ModelServer(Protocol):
    """What :class:`LocalLLM` needs of a server: own (:class:`LocalLlamaServer`) or shared
    (:class:`app.llm.shared_server.SharedLlamaServer`)."""

    alias: str
    model_path: Path

    @property
    def base_url(self) -> str: ...

    def start(self) -> None: ...

    def stop(self) -> None: ...


class LocalLLM:
    """The LLM seam over a local model server, started on first use.

    The HTTP client is made once and kept (connection reuse); it is made again only when the server's address
    changes (a shared server restarted by another worker on another port).
    """

    def __init__(self, server: ModelServer, *, timeout_s: float) -> None:
        self.server = server
        self.model_name = server.alias
        self._timeout_s = timeout_s
        self._client: OpenAICompatibleLLM | None = None

    def complete(
        self, messages: list[dict[str, str]], *, params: dict[str, Any], json_schema: dict[str, Any] | None
    ) -> Completion:
        self.server.start()
        if self._client is None or self._client.base_url != self.server.base_url:
            self._client = OpenAICompatibleLLM(
                base_url=self.server.base_url, model=self.server.alias, api_key=None, json_mode="llama_cpp",
                timeout_s=self._timeout_s,
            )
        return self._client.complete(messages, params=params, json_schema=json_schema)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _die_with_parent(parent_pid: int) -> Callable[[], None]:
    """The child's pre-exec hook: ask the kernel to SIGKILL it when the parent dies, so a killed worker never
    leaves a model server holding memory, a port and a core to finish a request nobody awaits. (The signal
    follows the thread that forked: the worker's main thread, which makes every LLM call.)"""

    def hook() -> None:
        with contextlib.suppress(OSError):  # not Linux: the atexit hook still stops the server
            ctypes.CDLL("libc.so.6", use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
        if os.getppid() != parent_pid:  # the parent died between fork and prctl: nobody will kill us
            os._exit(1)

    return hook
