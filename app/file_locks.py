"""Safe writes of shared files (labels, version locks, eval suites): a lock and an atomic replace.

Two API workers promoting at once, or two reviewers adding cases to one suite, would otherwise read the
same old file and the second write would drop the first change. ``exclusive(path)`` holds an advisory
``flock`` on ``<path>.lock`` beside it, which every process on the machine (and on a shared POSIX
filesystem) respects. The lock file is left in place: removing it would race with a waiting process.
"""

from __future__ import annotations

import fcntl
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from app.errors import FilesNotWritable


@contextmanager
def exclusive(path: Path) -> Iterator[None]:
    """Hold the lock of ``path`` for the duration of the block (blocks until it is free)."""
    lock_path = path.with_name(f".{path.name}.lock")
    try:
        handle = open(lock_path, "a")  # noqa: SIM115 - closed by the with below, after the error mapping
    except OSError as exc:
        raise FilesNotWritable(
            f"cannot write beside {path} ({exc.strerror}): make {path.parent} writable for the API and the "
            f"workers, or make this change where it is writable and deploy the files"
        ) from exc
    with handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def write_atomically(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` in one rename, so readers see the old or the new file, never a mix."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
