"""The lock file of a prompt: ``prompts/<name>/versions.lock``, YAML ``version: sha256``.

A version is locked (registered) once, when it is first registered or promoted; from then on its file
must keep that hash forever. This module only reads and writes the file; what is checked against it
lives in :mod:`app.prompting.registry` (on load) and :mod:`app.prompting.integrity` (``verify``).
Writes are atomic (a temporary file renamed over the old one), so a reader never sees half a file.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import yaml

from app.errors import PromptError

LOCK_FILE = "versions.lock"
_LOCK_HEADER = (
    "# Registered prompt versions and the SHA-256 of each file. Never edit a locked version:\n"
    "# create the next version instead. Checked by `factory prompts verify`.\n"
)


def read_lock(folder: Path) -> dict[int, str]:
    """The folder's lock entries (empty when it has no lock file)."""
    path = folder / LOCK_FILE
    if not path.exists():
        return {}
    try:
        data = yaml.safe_load(path.read_text()) or {}
    except yaml.YAMLError as exc:
        raise PromptError(f"{path}: not valid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise PromptError(f"{path}: expected a mapping of version to sha256")
    return {int(k): str(v) for k, v in data.items()}


def write_lock(folder: Path, entries: dict[int, str]) -> None:
    lines = "".join(f"{version}: {digest}\n" for version, digest in sorted(entries.items()))
    write_atomically(folder / LOCK_FILE, _LOCK_HEADER + lines)


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
