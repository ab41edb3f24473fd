"""An exclusive lock around a read-modify-write of a shared file (labels, version locks, eval suites).

Two API workers promoting at once, or two reviewers adding cases to one suite, would otherwise read the
same old file and the second write would drop the first change. ``exclusive(path)`` holds an advisory
``flock`` on ``<path>.lock`` beside it, which every process on the machine (and on a shared POSIX
filesystem) respects. The lock file is left in place: removing it would race with a waiting process.
"""

from __future__ import annotations

import fcntl
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def exclusive(path: Path) -> Iterator[None]:
    """Hold the lock of ``path`` for the duration of the block (blocks until it is free)."""
    lock_path = path.with_name(f".{path.name}.lock")
    with open(lock_path, "a") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
