"""Which LLM runs and whether its file was verified: one line for the demo, a dict for ``/health``.

Every check made by :func:`verify_for_load` (the local server calls it before each start) is kept for
this process and written to ``<data_dir>/models/check-<hash of the file's path>.json``. ``/health`` and
``factory health`` run in other processes than the worker that loads the model, so :func:`llm_health`
reports that record (while the file's size, modification time and inode still match it), or
``not yet loaded``; it never hashes.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
import threading
from pathlib import Path
from typing import Any

from app.errors import ModelFileError
from app.llm.model_files import KNOWN_MODELS, ModelCheck, check_local_model, model_path
from app.settings import Settings, url_origin

log = logging.getLogger(__name__)
_lock = threading.Lock()
_checks: dict[Path, dict[str, Any]] = {}


def verify_for_load(settings: Settings) -> ModelCheck:
    """Check the local model file now (see :func:`app.llm.model_files.check_local_model`) and record the result.

    Raises ModelPartMissing or ModelFileMismatch; nothing is recorded then.
    """
    check = check_local_model(settings)
    stat = check.path.stat()
    record = {**check.to_dict(), "mtime_ns": stat.st_mtime_ns, "inode": stat.st_ino}
    with _lock:
        _checks[check.path] = record
    _write_record(_record_path(settings, check.path), record)
    return check


def describe_local_model(settings: Settings) -> str:
    """One line naming the LLM that runs with these settings, verifying a local file first.

    ``qwen2.5-coder-1.5b-instruct (sha256 cc324af070c2…, verified in 0.9 s)`` for a pinned local model,
    assembling it on first use; the user's own file is hashed and said to be unpinned; an endpoint
    (``llm_base_url``) is named, with nothing to verify. Reads the whole file (about 1 s for 1.1 GB here);
    raises ModelPartMissing or ModelFileMismatch with what to do.
    """
    if settings.llm_base_url:
        return f"{settings.llm_model} at {url_origin(settings.llm_base_url)} (remote endpoint: no local file to verify)"
    return _line(verify_for_load(settings))


def llm_health(settings: Settings) -> dict[str, Any]:
    """The LLM part of ``/health`` and ``factory health``, without hashing anything.

    Shape: ``{"backend", "model", ...}``; an endpoint's ``base_url`` is its scheme and host only (see
    :func:`app.settings.url_origin`: no credentials, path or query); for the local model also ``path``,
    ``pinned_sha256`` (None for the user's own file) and ``verification``: ``"verified"`` (with ``sha256``,
    ``checked_at``, ``pid``, ``hash_seconds`` of the last check in this data folder),
    ``"file changed since verification"``, ``"unpinned file, hash logged"`` or ``"not yet loaded"``.
    """
    if settings.llm_base_url:
        return {"backend": "openai-compatible", "model": settings.llm_model,
                "base_url": url_origin(settings.llm_base_url),
                "verification": "remote endpoint: nothing to verify here"}
    try:
        path = model_path(settings)
    except ModelFileError as exc:
        return {"backend": "local-llama.cpp", "model": settings.llm_local_model, "verification": exc.message}
    known = KNOWN_MODELS.get(settings.llm_local_model)
    pinned = None if settings.llm_local_model_path or known is None else known.sha256
    info: dict[str, Any] = {"backend": "local-llama.cpp", "model": settings.llm_local_model, "path": str(path),
                            "pinned_sha256": pinned, "verification": "not yet loaded"}
    check = _last_check(settings, path)
    if check is None:
        return info
    info.update(sha256=check["sha256"], checked_at=check["checked_at"], pid=check["pid"],
                hash_seconds=check["hash_seconds"])
    if not _unchanged(path, check):
        info["verification"] = "file changed since verification"
    elif check["pinned"] and check["sha256"] == pinned:
        info["verification"] = "verified"
    else:
        info["verification"] = "unpinned file, hash logged"
    return info


def _line(check: ModelCheck) -> str:
    if not check.pinned:
        return (f"{check.name} from your own file {check.path} (sha256 {check.sha256[:12]}…, "
                "not compared with a pinned hash)")
    how = "assembled and verified" if check.assembled else "verified"
    return f"{check.name} (sha256 {check.sha256[:12]}…, {how} in {check.hash_seconds:.1f} s)"


def _record_path(settings: Settings, path: Path) -> Path:
    key = hashlib.sha256(str(path).encode()).hexdigest()[:16]
    return settings.data_dir / "models" / f"check-{key}.json"


def _write_record(target: Path, record: dict[str, Any]) -> None:
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("w", dir=target.parent, suffix=".tmp", delete=False) as handle:
            json.dump(record, handle)
        os.replace(handle.name, target)
    except OSError as exc:  # a read-only data folder: /health then only knows this process's checks
        log.warning("could not record the model check in %s: %s", target, exc)


def _last_check(settings: Settings, path: Path) -> dict[str, Any] | None:
    with _lock:
        own = _checks.get(path)
    if own is not None:
        return own
    try:
        record: dict[str, Any] = json.loads(_record_path(settings, path).read_text())
    except (OSError, ValueError):
        return None
    return record if record.get("path") == str(path) else None


def _unchanged(path: Path, record: dict[str, Any]) -> bool:
    try:
        stat = path.stat()
    except OSError:
        return False
    return (stat.st_size, stat.st_mtime_ns, stat.st_ino) == (record["size_bytes"], record["mtime_ns"], record["inode"])
