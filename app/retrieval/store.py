"""The brand KB in Qdrant: one collection, points filtered by brand.

Qdrant's local mode locks its folder to one process. So that a worker, the API and the CLI can share
the embedded store, local mode opens the folder for the length of one operation and waits (bounded)
while another process holds it. With ``CF_QDRANT_URL`` set, one client is kept and shared.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from qdrant_client import QdrantClient
from qdrant_client.http import models as qm

from app.errors import StoreLocked
from app.retrieval.chunking import Chunk

_NAMESPACE = uuid.UUID("6f1c2a4e-9a7b-4c1e-8f3d-2b5e7a9c0d11")


@dataclass(frozen=True)
class Hit:
    id: str
    score: float
    text: str
    doc_type: str
    source_path: str
    product: str | None
    ref: str | None
    language: str | None = None  # detected at ingestion (app/language.py); None when too short to tell


class VectorStore:
    def __init__(
        self, *, collection: str, dimension: int, url: str | None = None, path: Path | None = None,
        api_key: str | None = None, lock_wait_s: float = 60.0,
    ) -> None:
        if (url is None) == (path is None):
            raise ValueError("give exactly one of url (Qdrant server) or path (local mode)")
        self.collection = collection
        self.dimension = dimension
        self._url, self._path, self._api_key = url, path, api_key
        self._lock_wait_s = lock_wait_s
        self._shared: QdrantClient | None = None

    @property
    def mode(self) -> str:
        return "server" if self._url else "local"

    @contextmanager
    def client(self) -> Iterator[QdrantClient]:
        """A client for one operation (see the module docstring)."""
        if self._url:
            if self._shared is None:
                self._shared = QdrantClient(url=self._url, api_key=self._api_key)
            self._ensure_collection(self._shared)
            yield self._shared
            return
        local = self._open_local()
        try:
            self._ensure_collection(local)
            yield local
        finally:
            local.close()

    def upsert(self, brand: str, chunks: list[Chunk], vectors: list[list[float]]) -> list[str]:
        points = [
            qm.PointStruct(id=point_id(brand, c), vector=v, payload=_payload(brand, c))
            for c, v in zip(chunks, vectors, strict=True)
        ]
        with self.client() as client:
            if points:
                client.upsert(self.collection, points=points, wait=True)
        return [str(p.id) for p in points]

    def delete_source(self, brand: str, source_path: str) -> None:
        flt = _filter(brand=brand, source_path=source_path)
        with self.client() as client:
            client.delete(self.collection, points_selector=qm.FilterSelector(filter=flt), wait=True)

    def source_hashes(self, brand: str) -> dict[str, str]:
        """``{source_path: content_hash}`` of everything stored for ``brand``."""
        found: dict[str, str] = {}
        with self.client() as client:
            offset: Any = None
            while True:
                points, offset = client.scroll(
                    self.collection, scroll_filter=_filter(brand=brand), limit=256, offset=offset,
                    with_payload=["source_path", "content_hash"], with_vectors=False,
                )
                for p in points:
                    payload = p.payload or {}
                    found[str(payload["source_path"])] = str(payload["content_hash"])
                if offset is None:
                    return found

    def count(self, brand: str) -> int:
        with self.client() as client:
            return int(client.count(self.collection, count_filter=_filter(brand=brand), exact=True).count)

    def search(
        self, brand: str, vector: list[float], *, top_k: int, doc_types: list[str] | None = None,
        product: str | None = None, exclude_quarantined: bool = True,
    ) -> list[Hit]:
        flt = _filter(brand=brand, product=product, doc_types=doc_types, exclude_quarantined=exclude_quarantined)
        with self.client() as client:
            result = client.query_points(
                self.collection, query=vector, query_filter=flt, limit=top_k, with_payload=True,
            )
        return [_hit(p) for p in result.points]

    def _open_local(self) -> QdrantClient:
        assert self._path is not None
        self._path.mkdir(parents=True, exist_ok=True)
        deadline = time.monotonic() + self._lock_wait_s
        while True:
            try:
                return QdrantClient(path=str(self._path))
            except RuntimeError as exc:
                if "already accessed" not in str(exc):
                    raise
                if time.monotonic() > deadline:
                    raise StoreLocked(
                        f"the local Qdrant folder {self._path} stayed locked for {self._lock_wait_s:.0f} s; "
                        "several processes sharing a KB need a Qdrant server (set CF_QDRANT_URL)"
                    ) from exc
                time.sleep(0.05)

    def _ensure_collection(self, client: QdrantClient) -> None:
        if client.collection_exists(self.collection):
            return
        client.create_collection(
            self.collection,
            vectors_config=qm.VectorParams(size=self.dimension, distance=qm.Distance.COSINE),
        )
        if self._url:
            for key in ("brand", "doc_type", "source_path", "product"):
                client.create_payload_index(self.collection, key, qm.PayloadSchemaType.KEYWORD)


def point_id(brand: str, chunk: Chunk) -> str:
    """Deterministic: the same chunk of the same file version always has the same id."""
    return str(uuid.uuid5(_NAMESPACE, f"{brand}|{chunk.source_path}|{chunk.content_hash}|{chunk.index}"))


def _payload(brand: str, chunk: Chunk) -> dict[str, Any]:
    return {
        "brand": brand, "doc_type": chunk.doc_type, "source_path": chunk.source_path,
        "content_hash": chunk.content_hash, "chunk_index": chunk.index, "product": chunk.product,
        "ref": chunk.ref, "text": chunk.text, "quarantined": bool(chunk.extra.get("quarantined", False)),
        **{k: v for k, v in chunk.extra.items() if k != "quarantined"},
    }


def _filter(
    *, brand: str, source_path: str | None = None, product: str | None = None,
    doc_types: list[str] | None = None, exclude_quarantined: bool = False,
) -> qm.Filter:
    must: list[Any] = [qm.FieldCondition(key="brand", match=qm.MatchValue(value=brand))]
    if source_path is not None:
        must.append(qm.FieldCondition(key="source_path", match=qm.MatchValue(value=source_path)))
    if product is not None:
        must.append(qm.FieldCondition(key="product", match=qm.MatchValue(value=product)))
    if doc_types:
        must.append(qm.FieldCondition(key="doc_type", match=qm.MatchAny(any=doc_types)))
    must_not: list[Any] = []
    if exclude_quarantined:
        must_not.append(qm.FieldCondition(key="quarantined", match=qm.MatchValue(value=True)))
    return qm.Filter(must=must, must_not=must_not or None)


def _hit(point: Any) -> Hit:
    payload = point.payload or {}
    return Hit(
        id=str(point.id), score=float(point.score), text=str(payload.get("text", "")),
        doc_type=str(payload.get("doc_type", "")), source_path=str(payload.get("source_path", "")),
        product=payload.get("product"), ref=payload.get("ref"), language=payload.get("language"),
    )
