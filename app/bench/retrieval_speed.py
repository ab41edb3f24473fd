"""Benchmark: the store side of one ``retrieve()`` at 1,000 / 5,000 / 20,000 chunks per brand.

One retrieval is the three searches :func:`app.pipeline.retrieval.retrieve` makes (top 6; top 3 of the
brief's product; top 2 claims), with quarantined chunks excluded, on a brand of N chunks beside another
brand of N chunks. Vectors are random unit vectors (384 dimensions, the embedder's size): the store's work
does not depend on what they encode, and the query's embedding (about 10 ms) is timed separately by
``make bench``. Columns:

- ``per-op open``: the store before issue 16 (the baseline): one shared collection filtered by brand,
  the local folder opened for each search;
- ``kept open``: the same folder and filters with one Qdrant client kept open (Qdrant's own filtered scan);
- ``owner``: today's store in the process that holds the folder; ``via owner``: another process calling it.

It measures; it asserts nothing.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from qdrant_client import QdrantClient
from qdrant_client.http import models as qm

from app.retrieval.chunking import Chunk
from app.retrieval.local_store import fast_commits
from app.retrieval.server_store import brand_filter
from app.retrieval.store import VectorStore, chunk_payload, point_id

DIMENSION = 384
DOC_TYPES = ("product", "claims", "voice", "general", "policy")
PRODUCTS = tuple(f"product-{n}" for n in range(8))
BRAND, OTHER = "brand-a", "brand-b"


def synthetic(brand: str, n: int, seed: int) -> tuple[list[Chunk], list[list[float]]]:
    """``n`` chunks of ``brand`` in files of 20, spread over five doc types and eight products, 1 in 50
    quarantined; random unit vectors."""
    rng = np.random.default_rng(seed)
    chunks = [
        Chunk(text=f"{brand} chunk {i}", doc_type=DOC_TYPES[i % 5], source_path=f"docs/f{i // 20}.md",
              content_hash=f"h{i // 20}", index=i % 20, product=PRODUCTS[i % 8] if i % 5 == 0 else None,
              extra={"quarantined": i % 50 == 7})
        for i in range(n)
    ]
    vectors = rng.standard_normal((n, DIMENSION)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    return chunks, vectors.tolist()


def fill_store(store: VectorStore, brand: str, chunks: list[Chunk], vectors: list[list[float]]) -> None:
    for start in range(0, len(chunks), 20):
        store.replace_source(brand, chunks[start].source_path, chunks[start:start + 20], vectors[start:start + 20])


def fill_legacy(path: Path, collection: str, brands: dict[str, tuple[list[Chunk], list[list[float]]]]) -> None:
    """The layout before issue 16: one collection, every brand in it, a ``brand`` payload field."""
    client = QdrantClient(path=str(path))
    client.create_collection(collection, vectors_config=qm.VectorParams(size=DIMENSION, distance=qm.Distance.COSINE))
    fast_commits(client, collection)  # only to fill it quickly; the reads measured do not touch SQLite
    for brand, (chunks, vectors) in brands.items():
        points = [qm.PointStruct(id=point_id(brand, c), vector=v, payload=chunk_payload(brand, c))
                  for c, v in zip(chunks, vectors, strict=True)]
        for start in range(0, len(points), 500):
            client.upsert(collection, points=points[start:start + 500])
    client.close()


def three_searches(search: Callable[..., Any], vector: list[float]) -> None:
    search(vector, top_k=6)
    search(vector, top_k=3, product=PRODUCTS[3])
    search(vector, top_k=2, doc_types=["claims"])


def legacy_search(path: Path, collection: str, *, keep: QdrantClient | None) -> Callable[..., Any]:
    def search(vector: list[float], *, top_k: int, product: str | None = None,
               doc_types: list[str] | None = None) -> Any:
        client = keep or QdrantClient(path=str(path))
        try:
            flt = brand_filter(BRAND, product=product, doc_types=doc_types, exclude_quarantined=True)
            return client.query_points(collection, query=vector, query_filter=flt, limit=top_k, with_payload=True)
        finally:
            if keep is None:
                client.close()

    return search


def timed_ms(fn: Callable[[list[float]], None], queries: list[list[float]]) -> list[float]:
    times = []
    for q in queries:
        started = time.perf_counter()
        fn(q)
        times.append((time.perf_counter() - started) * 1000)
    return times


def p50_p95(times: list[float]) -> tuple[float, float]:
    return statistics.median(times), float(np.percentile(times, 95))


def measure_size(n: int, workdir: Path, *, repeats: int, baseline_repeats: int) -> dict[str, Any]:
    """p50/p95 ms of one retrieval (three searches) for each column at ``n`` chunks per brand."""
    data = {BRAND: synthetic(BRAND, n, 1), OTHER: synthetic(OTHER, n, 2)}
    queries = synthetic("query", repeats, 3)[1]
    legacy = workdir / f"legacy-{n}"
    fill_legacy(legacy, "brand_kb", data)
    row: dict[str, Any] = {"chunks": n}
    row["per-op open"] = p50_p95(timed_ms(
        lambda q: three_searches(legacy_search(legacy, "brand_kb", keep=None), q), queries[:baseline_repeats]))
    kept = QdrantClient(path=str(legacy))
    row["kept open"] = p50_p95(timed_ms(
        lambda q: three_searches(legacy_search(legacy, "brand_kb", keep=kept), q), queries[:baseline_repeats * 3]))
    kept.close()
    folder = workdir / f"today-{n}"
    store = VectorStore(collection="brand_kb", dimension=DIMENSION, path=folder)
    for brand, (chunks, vectors) in data.items():
        fill_store(store, brand, chunks, vectors)

    def today(q: list[float]) -> None:
        three_searches(lambda v, **kw: store.search(BRAND, v, **kw), q)

    try:
        today(queries[0])  # the first search after a write builds the arrays
        row["owner"] = p50_p95(timed_ms(today, queries))
        row["via owner"] = via_other_process(folder, repeats)
    finally:
        store.close()
    return row


def via_other_process(folder: Path, repeats: int) -> tuple[float, float]:
    """p50/p95 of one retrieval made by a second process, through this (owning) process."""
    code = (
        "import json,sys\nfrom pathlib import Path\n"
        "from app.bench.retrieval_speed import client_timings\n"
        "print(json.dumps(client_timings(Path(sys.argv[1]), int(sys.argv[2]))))\n"
    )
    out = subprocess.run([sys.executable, "-c", code, str(folder), str(repeats)], capture_output=True,
                         text=True, env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])})
    if out.returncode != 0:
        raise RuntimeError(f"the client process failed: {out.stderr[-2000:]}")
    p50, p95 = json.loads(out.stdout.strip().splitlines()[-1])
    return float(p50), float(p95)


def client_timings(folder: Path, repeats: int) -> tuple[float, float]:
    store = VectorStore(collection="brand_kb", dimension=DIMENSION, path=folder)
    queries = synthetic("query", repeats, 4)[1]
    store.count(BRAND)  # connects
    assert store.role == "client", store.role
    return p50_p95(timed_ms(lambda q: three_searches(lambda v, **kw: store.search(BRAND, v, **kw), q), queries))


def measure(sizes: tuple[int, ...] = (1_000, 5_000, 20_000), repeats: int = 200) -> list[dict[str, Any]]:
    rows = []
    warnings.filterwarnings("ignore", message="Local mode is not recommended")  # that is what we measure
    with tempfile.TemporaryDirectory(prefix="cf-bench-retrieval-") as tmp:
        for n in sizes:
            rows.append(measure_size(n, Path(tmp), repeats=repeats, baseline_repeats=max(3, 10_000 // n)))
    return rows


def table(rows: list[dict[str, Any]]) -> str:
    columns = ("per-op open", "kept open", "owner", "via owner")
    lines = ["| chunks per brand | " + " | ".join(f"{c} p50 / p95 ms" for c in columns) + " | speed-up (p50) |",
             "|---:|" + "---:|" * (len(columns) + 1)]
    for row in rows:
        cells = [f"{row[c][0]:.1f} / {row[c][1]:.1f}" for c in columns]
        lines.append(f"| {row['chunks']:,} | " + " | ".join(cells)
                     + f" | {row['per-op open'][0] / max(row['owner'][0], 1e-6):,.0f}x |")
    return "\n".join(lines)


if __name__ == "__main__":
    print(table(measure()))
