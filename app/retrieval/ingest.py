"""``factory kb ingest``: bring a brand folder into the vector store, writing only what changed.

A file whose content hash is already stored is skipped; a changed file's old chunks are deleted
before its new ones are written; a file that disappeared from the folder has its chunks removed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
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
    chunk_filter: ChunkFilter | None = None,
) -> IngestReport:
    report = IngestReport(brand=brand)
    stored = store.source_hashes(brand)
    files = kb_files(folder)
    if not files:
        raise InvalidInput(f"{folder} holds no Markdown, text or YAML files to ingest")
    seen: set[str] = set()
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
        if key in stored:
            store.delete_source(brand, key)
            report.replaced.append(key)
        else:
            report.added.append(key)
        if chunks:
            store.upsert(brand, chunks, embedder.embed([c.text for c in chunks]))
            report.chunks_written += len(chunks)
    for gone in sorted(set(stored) - seen):
        store.delete_source(brand, gone)
        report.removed.append(gone)
    return report
