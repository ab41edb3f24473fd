"""Workers on one machine share one local model server: the first starts it, the others use it, and it
stops when the last leaves, even when the last one is SIGKILLed. Real processes; a stand-in plays the server."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from app.llm.shared_server import default_threads
from app.settings import PROJECT_ROOT

WORKER = textwrap.dedent("""
    import sys
    from pathlib import Path
    from app.llm.shared_server import SharedLlamaServer
    server = SharedLlamaServer(folder=Path(sys.argv[1]), model_path=Path("model.gguf"), alias="m",
                               module="tests.unit.llm_standin", startup_timeout_s=60)
    server.start()
    print(server.pid, server.port, flush=True)
    for line in sys.stdin:
        if line.strip() == "stop":
            server.stop()
            print("stopped", flush=True)
""")


class Worker:
    def __init__(self, folder: Path) -> None:
        self.proc = subprocess.Popen([sys.executable, "-c", WORKER, str(folder)], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, text=True,
                                     env={**os.environ, "PYTHONPATH": str(PROJECT_ROOT)})
        assert self.proc.stdout is not None
        pid, port = self.proc.stdout.readline().split()
        self.server_pid, self.port = int(pid), int(port)

    def leave(self) -> None:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.write("stop\n")
        self.proc.stdin.flush()
        assert self.proc.stdout.readline().strip() == "stopped"

    def end(self) -> None:
        self.proc.kill()
        self.proc.wait(timeout=10)


def running(pid: int) -> bool:
    """Alive and not a zombie waiting for its parent to reap it."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def gone_within(pid: int, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not running(pid):
            return True
        time.sleep(0.05)
    return False


@pytest.fixture
def workers(tmp_path: Path):
    started: list[Worker] = []

    def start() -> Worker:
        started.append(Worker(tmp_path / "llm-server"))
        return started[-1]

    yield start
    for w in started:
        w.end()


def test_the_second_worker_uses_the_server_the_first_started(workers) -> None:
    first, second = workers(), workers()
    assert second.server_pid == first.server_pid and second.port == first.port
    assert running(first.server_pid)


def test_the_server_outlives_a_worker_that_leaves_while_another_uses_it(workers) -> None:
    first, second = workers(), workers()
    first.leave()
    time.sleep(1.5)  # three watchdog rounds
    assert running(second.server_pid)
    second.leave()
    assert gone_within(second.server_pid, 5)


def test_the_server_dies_when_its_last_worker_is_sigkilled(workers) -> None:
    first, second = workers(), workers()
    first.leave()
    second.proc.send_signal(signal.SIGKILL)
    second.proc.wait(timeout=10)
    assert gone_within(second.server_pid, 5), "the lease watchdog ends a server nobody uses"


def test_generation_threads_default_to_the_available_cores_less_one() -> None:
    assert default_threads() == max(1, len(os.sched_getaffinity(0)) - 1)
