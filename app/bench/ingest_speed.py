"""Benchmark: KB ingestion against raw encoding of the same chunks, side by side in one run.

A brand folder is made of ``copies`` copies of the demo brand, each copy's numbers changed so that no
chunk text repeats (the ingester re-uses vectors of repeated texts; the comparison must not profit from
it). ``raw`` encodes every chunk text with the embedder in batches of 64, nothing else; ``ingest`` runs
:func:`app.retrieval.ingest.ingest_folder` on the folder into an empty local store (reading, chunking,
encoding, writing). The two alternate, twice, and the medians are compared: ratio = raw s / ingest s
(1.0 = ingestion costs nothing beyond encoding). It measures; it asserts nothing.
"""

from __future__ import annotations

import re
import shutil
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from app.retrieval.chunking import chunk_file
from app.retrieval.embedder import Embedder
from app.retrieval.ingest import ingest_folder, kb_files
from app.retrieval.store import VectorStore
from app.settings import PROJECT_ROOT

DEMO = PROJECT_ROOT / "brand_kb" / "fernhill"
_NUMBER = re.compile(r"\d+")


def make_folder(target: Path, copies: int) -> Path:
    """``copies`` renumbered copies of the demo brand under ``target`` (each number n becomes n + copy)."""
    for copy in range(copies):
        for path in kb_files(DEMO):
            out = target / f"copy-{copy}" / path.relative_to(DEMO)
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text(renumber(path.read_text(), 1000 * copy))
    return target


def renumber(text: str, offset: int) -> str:
    return _NUMBER.sub(lambda m: str(int(m.group()) + offset), text) if offset else text


def chunk_texts(folder: Path) -> list[str]:
    return [c.text for p in kb_files(folder) for c in chunk_file(p, p.relative_to(folder))]


def measure(embedder: Embedder, *, copies: int = 4, rounds: int = 2) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="cf-bench-ingest-") as tmp:
        folder = make_folder(Path(tmp) / "brand", copies)
        texts = chunk_texts(folder)
        embedder.embed(texts[:8])  # load the model outside the timings
        raw, ingest = [], []
        for n in range(rounds):
            started = time.perf_counter()
            for start in range(0, len(texts), 64):
                embedder.embed(texts[start:start + 64])
            raw.append(time.perf_counter() - started)
            store = VectorStore(collection="kb", dimension=embedder.dimension, path=Path(tmp) / f"qdrant-{n}")
            started = time.perf_counter()
            report = ingest_folder(folder, brand="bench", store=store, embedder=embedder)
            ingest.append(time.perf_counter() - started)
            store.close()
            shutil.rmtree(Path(tmp) / f"qdrant-{n}")
        raw_s, ingest_s = statistics.median(raw), statistics.median(ingest)
        return {"chunks": len(texts), "written": report.chunks_written, "raw_s": raw_s, "ingest_s": ingest_s,
                "raw_per_s": len(texts) / raw_s, "ingest_per_s": len(texts) / ingest_s, "ratio": raw_s / ingest_s}
