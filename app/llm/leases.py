"""Leases on a shared resource, one file per holding process, that die with their process.

A lease is a file named ``<pid>-<start time>`` in a folder. It is live while a process with that pid and
that start time (field 22 of ``/proc/<pid>/stat``, so a recycled pid does not count) exists. A holder that
is SIGKILLed leaves its file behind, but the file is no longer live: nobody has to clean up for it.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path


def process_start(pid: int) -> str:
    """The start time of ``pid`` in clock ticks since boot, or "" when there is no such process (or no /proc)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return ""
    return stat.rsplit(")", 1)[1].split()[19]


def lease_name(pid: int | None = None) -> str:
    pid = pid or os.getpid()
    return f"{pid}-{process_start(pid)}"


def take(folder: Path) -> Path:
    """Write this process's lease into ``folder`` (idempotent); returns its path."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / lease_name()
    path.touch()
    return path


def give_back(folder: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        (folder / lease_name()).unlink()


def is_live(name: str) -> bool:
    pid, _, start = name.partition("-")
    if not pid.isdigit():
        return False
    if not Path("/proc").is_dir():  # not Linux: fall back to "a process with that pid exists"
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return True
    return bool(start) and process_start(int(pid)) == start


def live_leases(folder: Path) -> list[str]:
    """Names of the live leases in ``folder`` (dead ones are removed on the way)."""
    live = []
    for path in folder.glob("*-*") if folder.is_dir() else []:
        if is_live(path.name):
            live.append(path.name)
        else:
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
    return live
