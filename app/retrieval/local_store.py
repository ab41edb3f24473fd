"""The embedded store: a Qdrant local-mode folder, opened once per process, one collection per brand.

Opening the folder loads every point into memory (1.6-2.0 s at 20,000 chunks, issue 16), so the process
that opens it keeps it open. Each brand has its own collection (``<collection>--<brand>``): a brand's
search never reads another brand's points, and its cost does not grow with theirs. Searches are answered
by a :class:`BrandIndex` per brand filled from that collection (see its module for why); writes go to
Qdrant first, then to the index.

A folder written by an older factory holds one shared collection filtered by a ``brand`` payload field;
it is split into per-brand collections the first time the folder is opened (and then deleted).
"""

from __future__ import annotations

import hashlib
import logging
import re
import sqlite3
import threading
from pathlib import Path
from typing import Any

from qdrant_client import QdrantClient
from qdrant_client.http import models as qm

from app.retrieval.brand_index import BrandIndex, Hit

log = logging.getLogger(__name__)
Point = tuple[str, list[float], dict[str, Any]]
_SAFE_NAME = re.compile(r"[A-Za-z0-9_-]{1,64}")
_PAGE = 1024


def brand_collection(collection: str, brand: str) -> str:
    """The collection that holds ``brand``'s points: readable when the slug is a plain name, hashed if not."""
    if _SAFE_NAME.fullmatch(brand):
        return f"{collection}--{brand}"
    return f"{collection}--h{hashlib.sha256(brand.encode()).hexdigest()[:24]}"


class LocalBackend:
    """An open Qdrant local folder. Raises RuntimeError ("already accessed") when another process holds it.

    Thread-safe: one lock serialises every operation (the owner process also serves other processes'
    requests from threads, see :mod:`app.retrieval.store_sharing`).
    """

    def __init__(self, *, path: Path, collection: str, dimension: int, _shared: LocalBackend | None = None) -> None:
        self.collection = collection
        self.dimension = dimension
        if _shared is None:
            path.mkdir(parents=True, exist_ok=True)
            self._client = QdrantClient(path=str(path))
            self._lock = threading.RLock()
            self._siblings: dict[tuple[str, int], LocalBackend] = {(collection, dimension): self}
        else:  # another vector space (embedder) on the same open folder
            self._client, self._lock, self._siblings = _shared._client, _shared._lock, _shared._siblings
        self._path = path
        self._indexes: dict[str, BrandIndex] = {}
        self._tuned: set[str] = set()
        with self._lock:
            self._split_legacy_collection()

    def sibling(self, collection: str, dimension: int) -> LocalBackend:
        """The backend of ``collection`` (another embedder's vector space) on this open folder: a process whose
        settings name another embedder than the owner's reads and writes its own collection, never the owner's."""
        with self._lock:
            found = self._siblings.get((collection, dimension))
            if found is None:
                found = LocalBackend(path=self._path, collection=collection, dimension=dimension, _shared=self)
                self._siblings[(collection, dimension)] = found
            return found

    def close(self) -> None:
        with self._lock:
            self._client.close()

    def replace_source(self, brand: str, source_path: str, points: list[Point]) -> None:
        """Delete ``source_path``'s points and write ``points`` in one locked step."""
        with self._lock:
            index = self._index(brand)
            gone = index.remove_source(source_path)
            name = self._collection(brand)
            if gone:
                self._client.delete(name, points_selector=qm.PointIdsList(points=list(gone)), wait=True)
            self._write(brand, points)

    def upsert(self, brand: str, points: list[Point]) -> None:
        with self._lock:
            self._write(brand, points)

    def delete_source(self, brand: str, source_path: str) -> None:
        self.replace_source(brand, source_path, [])

    def source_hashes(self, brand: str) -> dict[str, str]:
        with self._lock:
            return self._index(brand).source_hashes()

    def vectors_of(self, brand: str, source_path: str) -> dict[str, list[float]]:
        with self._lock:
            return self._index(brand).vectors_of(source_path)

    def count(self, brand: str) -> int:
        with self._lock:
            return len(self._index(brand))

    def payloads(self, brand: str, ids: list[str]) -> dict[str, dict[str, Any]]:
        """``{point id: payload}`` of those ``ids`` that are ``brand``'s points."""
        with self._lock:
            records = self._client.retrieve(self._collection(brand), ids=ids, with_payload=True, with_vectors=False)
            return {str(r.id): dict(r.payload or {}) for r in records if (r.payload or {}).get("brand") == brand}

    def other_spaces(self, base: str, brand: str) -> dict[str, int]:
        """``{collection: brand's points}`` of the other embedders' collections of ``base`` (named without the
        ``--brand`` suffix), and of the unsuffixed ``base`` of older versions."""
        mine, suffix = brand_collection(self.collection, brand), brand_collection("", brand)
        found: dict[str, int] = {}
        with self._lock:
            for c in self._client.get_collections().collections:
                name = c.name
                if name == mine or not name.startswith(base):
                    continue
                if name.endswith(suffix):
                    count = int(self._client.count(name, exact=True).count)
                    found_name = name[: -len(suffix)]
                elif name in (base, self.collection) or "--" not in name:
                    flt = qm.Filter(must=[qm.FieldCondition(key="brand", match=qm.MatchValue(value=brand))])
                    count = int(self._client.count(name, count_filter=flt, exact=True).count)
                    found_name = name
                else:
                    continue
                if count:
                    found[found_name] = found.get(found_name, 0) + count
        return found

    def search(
        self, brand: str, vector: list[float], *, top_k: int, doc_types: list[str] | None = None,
        product: str | None = None, exclude_quarantined: bool = True,
    ) -> list[Hit]:
        with self._lock:
            return self._index(brand).search(vector, top_k=top_k, doc_types=doc_types, product=product,
                                             exclude_quarantined=exclude_quarantined)

    def _write(self, brand: str, points: list[Point]) -> None:
        if not points:
            return
        index = self._index(brand)
        self._client.upsert(self._collection(brand), points=[
            qm.PointStruct(id=pid, vector=vector, payload=payload) for pid, vector, payload in points
        ], wait=True)
        for pid, vector, payload in points:
            index.put(pid, vector, payload)

    def _collection(self, brand: str) -> str:
        name = brand_collection(self.collection, brand)
        if name not in self._tuned:
            if not self._client.collection_exists(name):
                self._client.create_collection(
                    name, vectors_config=qm.VectorParams(size=self.dimension, distance=qm.Distance.COSINE))
            fast_commits(self._client, name)
            self._tuned.add(name)
        return name

    def _index(self, brand: str) -> BrandIndex:
        index = self._indexes.get(brand)
        if index is None:
            index = BrandIndex(self.dimension)
            for pid, vector, payload in self._scroll(self._collection(brand)):
                if payload.get("brand") == brand:  # a collection holds one brand; a stray point is never served
                    index.put(pid, vector, payload)
            self._indexes[brand] = index
        return index

    def _scroll(self, name: str) -> list[Point]:
        out: list[Point] = []
        offset: Any = None
        while True:
            records, offset = self._client.scroll(name, limit=_PAGE, offset=offset, with_payload=True,
                                                  with_vectors=True)
            out += [(str(r.id), list(r.vector), dict(r.payload or {})) for r in records  # type: ignore[arg-type]
                    if r.vector is not None]
            if offset is None:
                return out

    def _split_legacy_collection(self) -> None:
        if not self._client.collection_exists(self.collection):
            return
        points = self._scroll(self.collection)
        by_brand: dict[str, list[Point]] = {}
        for point in points:
            by_brand.setdefault(str(point[2].get("brand", "")), []).append(point)
        for brand, brand_points in by_brand.items():
            if brand:
                self._write(brand, brand_points)
        self._client.delete_collection(self.collection)
        log.info("split the shared collection %s (%d points) into %d per-brand collections",
                 self.collection, len(points), len(by_brand))


def fast_commits(client: QdrantClient, name: str) -> None:
    """Put the collection's SQLite file in WAL mode with ``synchronous=NORMAL``.

    Local mode commits once per point; with SQLite's default journal each commit waits for the disk
    (measured: 23 ms a point, so 20,000 chunks took minutes to write, more than encoding them). In WAL mode
    with ``synchronous=NORMAL`` a commit survives the process being killed and only a power cut may lose the
    last ones (https://www.sqlite.org/wal.html); the KB is rebuilt from its files by ``factory kb ingest``.
    Measured: 0.25 ms a point. The connection is qdrant-client's private attribute: when it is not there
    (another client version) the default journal is kept.
    """
    collection = getattr(client, "_client", None)
    storage = getattr(getattr(collection, "collections", {}).get(name), "storage", None)
    connection = getattr(storage, "storage", None)
    if isinstance(connection, sqlite3.Connection):
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("PRAGMA synchronous=NORMAL")
    else:
        log.warning("vector store: cannot tune the SQLite file of %s; writes will be slow", name)
