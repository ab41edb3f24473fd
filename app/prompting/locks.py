"""The lock file of a prompt: ``prompts/<name>/versions.lock``, YAML ``version: sha256``.

A version is locked (registered) once, when it is first registered or promoted; from then on its file
must keep that hash forever. This module only reads and writes the file; what is checked against it
lives in :mod:`app.prompting.registry` (on load) and :mod:`app.prompting.integrity` (``verify``).
Writes are atomic (:func:`app.file_locks.write_atomically`), so a reader never sees half a file.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from app.errors import PromptError
from app.file_locks import write_atomically

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
    try:
        return {int(k): str(v) for k, v in data.items()}
    except ValueError as exc:
        raise PromptError(f"{path}: a version must be a number ({exc}); restore the file from version control") from exc


def write_lock(folder: Path, entries: dict[int, str]) -> None:
    lines = "".join(f"{version}: {digest}\n" for version, digest in sorted(entries.items()))
    write_atomically(folder / LOCK_FILE, _LOCK_HEADER + lines)
