"""Which LLM each side of an eval run uses, how the run records it, and one local model at a time.

A side's model is a name. With ``llm_base_url`` set (an OpenAI-compatible endpoint) any name is
accepted and replaces ``llm_model`` for that side. Without it the name picks one of the factory's local
GGUF models (the ``llm_local_model`` setting); an unknown name is InvalidInput listing the known ones.
The factory's configured model (:func:`configured_model`) is the default of both sides, and a side that
names it uses the factory's own LLM (``deps.llm``), so a test's fake at that seam serves it.

:func:`model_record` describes a built LLM for the run's stored config and its report header: the
name, what the LLM calls itself in its calls (``served_as``), and the backend: ``local`` with the GGUF
file's path, size and SHA-256 (``pinned``: it is the hash :mod:`app.llm.model_files` pins for that
name), ``endpoint`` with its base URL, or the class name of anything else (a test fake). Building an
LLM never starts a local server (it starts on the first completion, after verifying its file, and
building assembles a missing pinned file once); :class:`SideModels` stops the previous side's local
server before it hands out another model, so two local models never run at the same time.
"""

from __future__ import annotations

import typing
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any

from app.errors import InvalidInput
from app.llm.base import LLM
from app.llm.local_server import LocalLLM
from app.llm.model_files import KNOWN_MODELS, sha256_file
from app.llm.openai_compatible import OpenAICompatibleLLM
from app.pipeline.deps import Deps
from app.settings import LocalModelName, Settings
from app.wiring import build_llm

ModelBuilder = Callable[[str], LLM]
Release = Callable[[LLM], None]
# The identity of a model: a resumed run refuses a side whose model differs in one of these.
IDENTITY = ("backend", "base_url", "sha256")


def configured_model(settings: Settings) -> str:
    """The model the factory runs with these settings: the endpoint's ``llm_model`` when
    ``llm_base_url`` is set, else ``llm_local_model``."""
    return settings.llm_model if settings.llm_base_url else settings.llm_local_model


def local_model_names() -> tuple[str, ...]:
    """The names ``llm_local_model`` accepts."""
    return typing.get_args(LocalModelName)


def settings_for_model(settings: Settings, name: str) -> Settings:
    """Settings that run ``name``: on an endpoint as ``llm_model``, locally as ``llm_local_model``
    (and as the local server's alias, so its calls carry the name). InvalidInput for an unknown local
    model."""
    if settings.llm_base_url:
        return settings.model_copy(update={"llm_model": name})
    if name not in local_model_names():
        raise InvalidInput(f"unknown local model {name!r}; choose one of: {', '.join(local_model_names())} "
                           "(or set CF_LLM_BASE_URL to name any model of an OpenAI-compatible endpoint)")
    return settings.model_copy(update={"llm_local_model": name, "llm_model": name})


def model_builder(deps: Deps) -> ModelBuilder:
    """Name -> LLM for these deps: the factory's own LLM for its configured model, else a new one from
    :func:`app.wiring.build_llm` (not started)."""
    def build(name: str) -> LLM:
        if name == configured_model(deps.settings):
            return deps.llm
        return build_llm(settings_for_model(deps.settings, name))

    return build


def model_record(name: str, llm: LLM) -> dict[str, Any]:
    """What a run stores about a side's model (see the module docstring). Hashes a local file, which
    takes a few seconds for a 1 GB model the first time in a process."""
    record: dict[str, Any] = {"name": name, "served_as": llm.model_name, "backend": type(llm).__name__,
                              "base_url": None, "path": None, "size": None, "sha256": None, "pinned": None}
    if isinstance(llm, LocalLLM):
        path = Path(llm.server.model_path).resolve()
        digest = file_sha256(path)
        known = KNOWN_MODELS.get(name)
        record.update(backend="local", path=str(path), size=path.stat().st_size, sha256=digest,
                      pinned=known is not None and known.sha256 == digest)
    elif isinstance(llm, OpenAICompatibleLLM):
        record.update(backend="endpoint", base_url=llm.base_url)
    return record


def same_model(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Two records describe the same model: same name and the same :data:`IDENTITY`."""
    return a.get("name") == b.get("name") and all(a.get(k) == b.get(k) for k in IDENTITY)


def describe(record: dict[str, Any]) -> str:
    """One line for a report header: ``smollm2-135m-instruct (local GGUF, sha256 1a2b3c4d5e6f)``."""
    if record.get("backend") == "local":
        pin = "matches its pin" if record.get("pinned") else "not the pinned file"
        return f"{record['name']} (local GGUF {Path(record['path']).name}, sha256 {record['sha256'][:12]}, {pin})"
    if record.get("backend") == "endpoint":
        return f"{record['name']} (endpoint {record['base_url']})"
    return f"{record['name']} ({record.get('backend')}, served as {record.get('served_as')})"


def file_sha256(path: Path) -> str:
    """SHA-256 of a file, computed once per process for a given path, size and modification time."""
    stat = path.stat()
    return _sha256(str(path), stat.st_size, stat.st_mtime_ns)


@lru_cache(maxsize=8)
def _sha256(path: str, _size: int, _mtime_ns: int) -> str:
    return sha256_file(Path(path))[0]


def stop_local_server(llm: LLM) -> None:
    """Stop the local llama.cpp server behind ``llm``, if any (it restarts on its next completion)."""
    if isinstance(llm, LocalLLM):
        llm.server.stop()


class SideModels:
    """One LLM per model name for the length of one execution, and at most one of them active.

    :meth:`activate` returns the LLM for a name, built once; when the name differs from the last one
    activated, the previous LLM is released first (by default its local server is stopped), so a run
    that compares two local models never holds both in memory. :meth:`close` releases the active one.
    """

    def __init__(self, build: ModelBuilder, *, release: Release = stop_local_server) -> None:
        self._build = build
        self._release = release
        self._llms: dict[str, LLM] = {}
        self._active: str | None = None

    def activate(self, name: str) -> LLM:
        if self._active is not None and self._active != name:
            self._release(self._llms[self._active])
        if name not in self._llms:
            self._llms[name] = self._build(name)
        self._active = name
        return self._llms[name]

    def close(self) -> None:
        if self._active is not None:
            self._release(self._llms[self._active])
            self._active = None
