"""The vector store: brands never see each other's chunks; filtered searches answer as Qdrant would;
other processes reach the local folder through the process that holds it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest
from qdrant_client import QdrantClient
from qdrant_client.http import models as qm

from app.retrieval.chunking import Chunk
from app.retrieval.server_store import ServerBackend, brand_filter
from app.retrieval.store import VectorStore, chunk_payload, point_id
from app.settings import PROJECT_ROOT

DIM = 16


def chunks_of(brand: str, n: int, *, source: str = "docs/a.md", quarantine_every: int = 0) -> list[Chunk]:
    return [
        Chunk(text=f"{brand} fact {i}", doc_type=("claims", "product", "voice")[i % 3], source_path=source,
              content_hash=f"{source}-v1", index=i, product=("kettle", "lamp", None)[i % 3],
              extra={"quarantined": bool(quarantine_every) and i % quarantine_every == 0})
        for i in range(n)
    ]


def random_vectors(n: int, seed: int) -> list[list[float]]:
    return np.random.default_rng(seed).standard_normal((n, DIM)).astype(np.float32).tolist()


@pytest.fixture
def store(tmp_path: Path) -> VectorStore:
    s = VectorStore(collection="kb", dimension=DIM, path=tmp_path / "qdrant")
    yield s
    s.close()


def test_a_brand_search_never_returns_another_brands_chunks(store: VectorStore) -> None:
    vectors = random_vectors(12, 0)
    store.upsert("acme", chunks_of("acme", 12), vectors)
    store.upsert("fernhill", chunks_of("fernhill", 12), vectors)  # the very same vectors: equally near
    hits = store.search("acme", vectors[0], top_k=50, exclude_quarantined=False)
    assert len(hits) == 12 and all(h.text.startswith("acme ") for h in hits)
    store.delete_source("acme", "docs/a.md")
    assert store.count("acme") == 0 and store.count("fernhill") == 12
    assert store.search("acme", vectors[0], top_k=5) == []


def test_filtered_searches_answer_as_qdrants_own_filtered_search(store: VectorStore, tmp_path: Path) -> None:
    chunks, vectors = chunks_of("acme", 90, quarantine_every=7), random_vectors(90, 1)
    store.upsert("acme", chunks, vectors)
    reference = QdrantClient(location=":memory:")
    reference.create_collection("ref", vectors_config=qm.VectorParams(size=DIM, distance=qm.Distance.COSINE))
    reference.upsert("ref", points=[qm.PointStruct(id=point_id("acme", c), vector=v, payload=chunk_payload("acme", c))
                                    for c, v in zip(chunks, vectors, strict=True)])
    for query in random_vectors(5, 2):
        for filters in ({}, {"product": "kettle"}, {"doc_types": ["claims"]}, {"doc_types": ["voice", "product"]}):
            ours = store.search("acme", query, top_k=6, **filters)
            theirs = reference.query_points("ref", query=query, limit=6, query_filter=brand_filter(
                "acme", exclude_quarantined=True, **filters)).points
            assert [h.id for h in ours] == [str(p.id) for p in theirs]
            assert [round(h.score, 4) for h in ours] == [round(p.score, 4) for p in theirs]


def test_quarantined_chunks_are_left_out_unless_asked_for(store: VectorStore) -> None:
    chunks, vectors = chunks_of("acme", 10, quarantine_every=2), random_vectors(10, 3)
    store.upsert("acme", chunks, vectors)
    ids = {point_id("acme", c) for c in chunks if c.extra["quarantined"]}
    assert not ids & {h.id for h in store.search("acme", vectors[0], top_k=10)}
    assert ids <= {h.id for h in store.search("acme", vectors[0], top_k=10, exclude_quarantined=False)}


def test_replacing_a_source_leaves_only_its_new_chunks(store: VectorStore) -> None:
    store.upsert("acme", chunks_of("acme", 6), random_vectors(6, 4))
    store.upsert("acme", chunks_of("acme", 2, source="docs/b.md"), random_vectors(2, 5))
    store.replace_source("acme", "docs/a.md", chunks_of("acme", 1), random_vectors(1, 6))
    assert store.count("acme") == 3
    assert store.source_hashes("acme") == {"docs/a.md": "docs/a.md-v1", "docs/b.md": "docs/b.md-v1"}


def test_the_store_reopens_with_what_was_written(tmp_path: Path) -> None:
    first = VectorStore(collection="kb", dimension=DIM, path=tmp_path / "q")
    first.upsert("acme", chunks_of("acme", 5), random_vectors(5, 7))
    first.close()
    again = VectorStore(collection="kb", dimension=DIM, path=tmp_path / "q")
    assert again.count("acme") == 5
    again.close()


def test_a_folder_with_the_old_shared_collection_is_split_per_brand(tmp_path: Path) -> None:
    old = QdrantClient(path=str(tmp_path / "q"))
    old.create_collection("kb", vectors_config=qm.VectorParams(size=DIM, distance=qm.Distance.COSINE))
    for brand in ("acme", "fernhill"):
        old.upsert("kb", points=[qm.PointStruct(id=point_id(brand, c), vector=v, payload=chunk_payload(brand, c))
                                 for c, v in zip(chunks_of(brand, 4), random_vectors(4, 8), strict=True)])
    old.close()
    store = VectorStore(collection="kb", dimension=DIM, path=tmp_path / "q")
    assert store.count("acme") == 4 and store.count("fernhill") == 4
    hits = store.search("fernhill", random_vectors(1, 9)[0], top_k=10, exclude_quarantined=False)
    assert {h.text.split()[0] for h in hits} == {"fernhill"}
    store.close()


OWNER = textwrap.dedent("""
    import sys
    from pathlib import Path
    import numpy as np
    from app.retrieval.store import VectorStore
    from tests.unit.test_vector_store import DIM, chunks_of, random_vectors
    store = VectorStore(collection="kb", dimension=DIM, path=Path(sys.argv[1]))
    store.upsert("acme", chunks_of("acme", 5), random_vectors(5, 10))
    print(store.role, flush=True)
    sys.stdin.read()  # hold the folder until the test kills us
""")


def test_another_process_goes_through_the_owner_and_takes_over_when_it_dies(tmp_path: Path) -> None:
    folder = tmp_path / "q"
    owner = subprocess.Popen([sys.executable, "-c", OWNER, str(folder)], stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": str(PROJECT_ROOT)})
    try:
        assert owner.stdout is not None and owner.stdout.readline().strip() == "owner"
        store = VectorStore(collection="kb", dimension=DIM, path=folder, lock_wait_s=20)
        assert store.count("acme") == 5 and store.role == "client"
        store.upsert("acme", chunks_of("acme", 2, source="docs/b.md"), random_vectors(2, 11))
        assert len(store.search("acme", random_vectors(1, 12)[0], top_k=10, exclude_quarantined=False)) == 7
        owner.send_signal(signal.SIGKILL)
        owner.wait(timeout=10)
        assert store.count("acme") == 7 and store.role == "owner"  # the write made through the owner persisted
        store.close()
    finally:
        owner.kill()
        owner.wait(timeout=10)


class RecordingClient(QdrantClient):
    """An in-memory Qdrant that records the payload indexes asked for (the server's, in production)."""

    def __init__(self) -> None:
        super().__init__(location=":memory:")
        self.indexes: dict[str, object] = {}

    def create_payload_index(self, collection_name: str, field_name: str, field_schema: object = None,
                             **kwargs: object) -> object:
        self.indexes[field_name] = field_schema
        return None


def test_the_server_backend_partitions_brands_by_a_tenant_index() -> None:
    recorder = RecordingClient()
    backend = ServerBackend(url="http://127.0.0.1:9", api_key=None, collection="kb", dimension=DIM, client=recorder)
    vectors = random_vectors(6, 13)
    for brand in ("acme", "fernhill"):
        chunks = chunks_of(brand, 6)
        backend.upsert(brand, [(point_id(brand, c), v, chunk_payload(brand, c)) for c, v in zip(chunks, vectors,
                                                                                            strict=True)])
    tenant = recorder.indexes["brand"]
    assert isinstance(tenant, qm.KeywordIndexParams) and tenant.is_tenant
    hits = backend.search("acme", vectors[0], top_k=20, exclude_quarantined=False)
    assert len(hits) == 6 and all(h.text.startswith("acme ") for h in hits)
    assert backend.count("fernhill") == 6
    backend.delete_source("fernhill", "docs/a.md")
    assert backend.count("fernhill") == 0 and backend.count("acme") == 6
