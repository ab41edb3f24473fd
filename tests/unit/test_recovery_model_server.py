"""The local model server dies with its worker: SIGKILLed by the kernel when the worker is killed, and
killed (not asked) when the worker shuts down. Real processes; a stand-in program plays the server."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from app.llm.local_server import LocalLlamaServer

# A "server" that, like a busy uvicorn finishing its request, ignores SIGTERM.
STUBBORN = "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); time.sleep(120)"


def _gone(pid: int, within_s: float) -> bool:
    deadline = time.monotonic() + within_s
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        try:  # reap it if it is our own child; a zombie still answers kill(pid, 0)
            if os.waitpid(pid, os.WNOHANG)[0] == pid:
                return True
        except ChildProcessError:
            pass
        time.sleep(0.05)
    return False


def test_a_server_whose_worker_is_sigkilled_dies_at_once_even_if_it_ignores_sigterm(tmp_path: Path):
    pid_file = tmp_path / "server.pid"
    worker = textwrap.dedent(f"""
        import os, subprocess, sys, time
        from app.llm.local_server import _die_with_parent
        server = subprocess.Popen([sys.executable, "-c", {STUBBORN!r}], preexec_fn=_die_with_parent(os.getpid()))
        open({str(pid_file)!r}, "w").write(str(server.pid))
        time.sleep(120)
    """)
    proc = subprocess.Popen([sys.executable, "-c", worker], env={**os.environ, "PYTHONPATH": os.getcwd()})
    try:
        deadline = time.monotonic() + 30
        while not pid_file.exists() or not pid_file.read_text():
            assert time.monotonic() < deadline, "the worker never started its server"
            time.sleep(0.05)
        server_pid = int(pid_file.read_text())
        time.sleep(0.3)  # let the server install its SIGTERM handler

        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)

        assert _gone(server_pid, within_s=3), "the kernel kills the orphaned server (parent-death SIGKILL)"
    finally:
        proc.kill()


def test_stopping_the_server_kills_it_without_waiting_for_its_request(tmp_path: Path):
    server = LocalLlamaServer(model_path=tmp_path / "model.gguf", alias="stub", port=1)
    server._proc = subprocess.Popen([sys.executable, "-c", STUBBORN])
    time.sleep(0.3)
    started = time.monotonic()

    server.stop()

    assert time.monotonic() - started < 2
    assert server.pid is None
