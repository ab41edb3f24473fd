"""Start and stop a real Celery worker process (used by ``factory demo`` and the integration tests)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from app.settings import PROJECT_ROOT


class WorkerProcess:
    """``celery worker --pool=solo`` in a child process with the given environment."""

    def __init__(self, env: dict[str, str], *, log_path: Path, name: str = "worker1") -> None:
        self.env = {**os.environ, **env}
        self.queue = self.env.get("CF_QUEUE_NAME", "factory")
        self.log_path = log_path
        self.name = name
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> WorkerProcess:
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        log = self.log_path.open("ab")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "workers.celery_app", "worker", "--pool=solo",
             "-Q", self.queue, "--loglevel=INFO", "-n", f"{self.name}@%h", "--without-gossip",
             "--without-mingle", "--without-heartbeat"],
            env=self.env, cwd=PROJECT_ROOT, stdout=log, stderr=subprocess.STDOUT,
        )
        return self

    def kill(self) -> None:
        """SIGKILL: the worker gets no chance to ack, restore or clean up."""
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(timeout=10)

    def stop(self, timeout: float = 30) -> None:
        """Warm shutdown (SIGTERM), then SIGKILL if it does not exit in time."""
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill()

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def finished_tasks(self) -> int:
        """How many tasks this worker's log says finished (succeeded, retried or failed)."""
        text = self.log_path.read_text(errors="replace") if self.log_path.exists() else ""
        return sum(text.count(word) for word in ("] succeeded in", "] retry:", "] raised unexpected"))

    def log_tail(self, chars: int = 4000) -> str:
        return self.log_path.read_text(errors="replace")[-chars:] if self.log_path.exists() else ""

    def __enter__(self) -> WorkerProcess:
        return self.start()

    def __exit__(self, *_exc: object) -> None:
        self.stop()
