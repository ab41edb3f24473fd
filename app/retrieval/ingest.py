"""``factory kb ingest``: bring a brand folder into the vector store, writing only what changed.

A file whose content hash is already stored is skipped; a changed file's old chunks are deleted
before its new ones are written; a file that disappeared from the folder has its chunks removed.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from app.errors import InvalidInput
from app.retrieval.chunking import SUPPORTED_SUFFIXES, Chunk, chunk_file, file_hash
from app.retrieval.embedder import Embedder
from app.retrieval.store import VectorStore

ChunkFilter = Callable[[Chunk], Chunk]


@dataclass
class IngestReport:
    brand: str
    added: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    quarantined: list[str] = field(default_factory=list)
    chunks_written: int = 0
    chunks_embedded: int = 0  # encoded now; the rest re-used the vectors stored for the same text

    @property
    def wrote_anything(self) -> bool:
        return bool(self.added or self.replaced or self.removed)


def kb_files(folder: Path) -> list[Path]:
    """The files of a brand folder that ingestion reads, sorted; hidden files are ignored."""
    if not folder.is_dir():
        raise InvalidInput(f"{folder} is not a folder; give the path of a brand's KB folder")
    return sorted(
        p for p in folder.rglob("*")
        if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES
        and not any(part.startswith(".") for part in p.relative_to(folder).parts)
    )


def ingest_folder(
    folder: Path, *, brand: str, store: VectorStore, embedder: Embedder,
    chunk_filter: ChunkFilter | None = None, batch_size: int = 64,
) -> IngestReport:
    """Bring ``folder`` into ``store`` as ``brand``; raises InvalidInput for a missing/empty folder or bad file.

    Chunks are embedded in batches of about ``batch_size`` across files (one encoder call per batch, not
    per file); each changed file is then written in one store call that replaces its old chunks. A chunk
    whose text is already stored for the same file keeps its stored vector instead of being encoded again.
    """
    report = IngestReport(brand=brand)
    stored = store.source_hashes(brand)
    files = kb_files(folder)
    if not files:
        raise InvalidInput(f"{folder} holds no Markdown, text or YAML files to ingest")
    seen: set[str] = set()
    pending: list[_Changed] = []
    for path in files:
        relative = path.relative_to(folder)
        key = str(relative)
        seen.add(key)
        if stored.get(key) == file_hash(path.read_bytes()):
            report.unchanged.append(key)
            continue
        chunks = chunk_file(path, relative)
        if chunk_filter is not None:
            chunks = [chunk_filter(c) for c in chunks]
            report.quarantined += [f"{key}#{c.index}" for c in chunks if c.extra.get("quarantined")]
        (report.replaced if key in stored else report.added).append(key)
        pending.append(_Changed(key, chunks, store.vectors_of(brand, key) if key in stored else {}))
        if sum(len(c.chunks) for c in pending) >= batch_size:
            _write(pending, brand=brand, store=store, embedder=embedder, report=report)
            pending = []
    _write(pending, brand=brand, store=store, embedder=embedder, report=report)
    for gone in sorted(set(stored) - seen):
        store.delete_source(brand, gone)
        report.removed.append(gone)
    return report


@dataclass
class _Changed:
    """A new or changed file: its chunks, and the stored vectors of its previous version by text hash."""

    key: str
    chunks: list[Chunk]
    known: dict[str, list[float]]


def _write(pending: list[_Changed], *, brand: str, store: VectorStore, embedder: Embedder,
           report: IngestReport) -> None:
    """Encode the texts of ``pending`` not already known (one call), then write each file in one call."""
    known: dict[str, list[float]] = {}
    for changed in pending:
        known.update(changed.known)
    model = embedder_id(embedder)
    texts = {vector_key(model, c.text): c.text for ch in pending for c in ch.chunks}
    missing = [k for k in texts if k not in known]
    if missing:
        known.update(zip(missing, embedder.embed([texts[k] for k in missing]), strict=True))
        report.chunks_embedded += len(missing)
    for changed in pending:
        chunks = [replace(c, extra={**c.extra, "vector_key": vector_key(model, c.text)}) for c in changed.chunks]
        store.replace_source(brand, changed.key, chunks, [known[c.extra["vector_key"]] for c in chunks])
        report.chunks_written += len(changed.chunks)


def embedder_id(embedder: Embedder) -> str:
    """Names the model behind the vectors: its ``model_id`` attribute when it has one, else its class and
    dimension. Vectors are re-used only under the same id, so a changed embedder never mixes models."""
    return str(getattr(embedder, "model_id", None) or f"{type(embedder).__qualname__}/{embedder.dimension}")


def vector_key(model: str, text: str) -> str:
    """The key under which a chunk's vector is stored and re-used: the embedder's id and the chunk's text."""
    return hashlib.sha256(f"{model}\0{text}".encode()).hexdigest()[:32]
