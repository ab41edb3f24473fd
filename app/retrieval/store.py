"""The brand KB in Qdrant, kept open for the life of the process.

Two backends behind one API, chosen by settings (app/wiring.py):

- local mode (the embedded default, ``CF_QDRANT_URL`` unset): the folder is opened once by the first
  process that needs it, which answers the other processes over a socket (app/retrieval/store_sharing.py);
  one collection per brand, searched in memory (app/retrieval/local_store.py, brand_index.py).
- server mode: one collection with a tenant index on ``brand`` (app/retrieval/server_store.py).

Every operation takes the brand; no operation reads or writes another brand's points.
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from app.retrieval.brand_index import Hit
from app.retrieval.chunking import Chunk
from app.retrieval.local_store import Point
from app.retrieval.server_store import ServerBackend
from app.retrieval.store_sharing import SharedLocalStore

__all__ = ["Hit", "VectorStore", "chunk_payload", "point_id"]
_NAMESPACE = uuid.UUID("6f1c2a4e-9a7b-4c1e-8f3d-2b5e7a9c0d11")


class VectorStore:
    """Give exactly one of ``url`` (Qdrant server) or ``path`` (local folder); raises ValueError otherwise.

    Operations raise :class:`app.errors.StoreLocked` when the local folder is held by a process that does not
    answer for ``lock_wait_s`` seconds.
    """

    def __init__(
        self, *, collection: str, dimension: int, url: str | None = None, path: Path | None = None,
        api_key: str | None = None, lock_wait_s: float = 60.0,
    ) -> None:
        if (url is None) == (path is None):
            raise ValueError("give exactly one of url (Qdrant server) or path (local mode)")
        self.collection = collection
        self.dimension = dimension
        self._server: ServerBackend | None = None
        self._local: SharedLocalStore | None = None
        if url is not None:
            self._server = ServerBackend(url=url, api_key=api_key, collection=collection, dimension=dimension)
        else:
            assert path is not None
            self._local = SharedLocalStore(path=path, collection=collection, dimension=dimension,
                                           lock_wait_s=lock_wait_s)

    @property
    def mode(self) -> str:
        return "server" if self._server is not None else "local"

    @property
    def role(self) -> str:
        """Local mode: "owner" (this process holds the folder), "client" (it calls the owner) or "" (not yet
        used). Server mode: "server"."""
        return self._local.role if self._local is not None else "server"

    def close(self) -> None:
        if self._local is not None:
            self._local.close()
        if self._server is not None:
            self._server.close()

    def upsert(self, brand: str, chunks: list[Chunk], vectors: list[list[float]]) -> list[str]:
        points = _points(brand, chunks, vectors)
        self._call("upsert", brand, points)
        return [p[0] for p in points]

    def replace_source(self, brand: str, source_path: str, chunks: list[Chunk], vectors: list[list[float]]) -> None:
        """Replace everything stored for one file of ``brand`` with ``chunks`` in one step (one call)."""
        self._call("replace_source", brand, source_path, _points(brand, chunks, vectors))

    def delete_source(self, brand: str, source_path: str) -> None:
        self._call("delete_source", brand, source_path)

    def source_hashes(self, brand: str) -> dict[str, str]:
        """``{source_path: content_hash}`` of everything stored for ``brand``."""
        return dict(self._call("source_hashes", brand))

    def vectors_of(self, brand: str, source_path: str) -> dict[str, list[float]]:
        """``{vector_key: vector}`` of the chunks stored for one file (the ``vector_key`` ingestion put in their
        payload, see app/retrieval/ingest.py)."""
        return dict(self._call("vectors_of", brand, source_path))

    def count(self, brand: str) -> int:
        return int(self._call("count", brand))

    def payloads(self, brand: str, ids: list[str]) -> dict[str, dict[str, Any]]:
        """``{chunk id: payload}`` of those ``ids`` that are ``brand``'s chunks (others are left out)."""
        return dict(self._call("payloads", brand, list(ids)))

    def other_spaces(self, base: str, brand: str) -> dict[str, int]:
        """``{collection: chunks of brand}`` in the collections of ``base`` written by other embedders."""
        return dict(self._call("other_spaces", base, brand))

    def search(
        self, brand: str, vector: list[float], *, top_k: int, doc_types: list[str] | None = None,
        product: str | None = None, exclude_quarantined: bool = True,
    ) -> list[Hit]:
        """The ``top_k`` chunks of ``brand`` nearest ``vector`` (cosine), best first, quarantined ones left out
        unless asked for."""
        return list(self._call("search", brand, vector, top_k=top_k, doc_types=doc_types, product=product,
                               exclude_quarantined=exclude_quarantined))

    def _call(self, op: str, *args: Any, **kwargs: Any) -> Any:
        if self._server is not None:
            return getattr(self._server, op)(*args, **kwargs)
        assert self._local is not None
        return self._local.call(op, *args, **kwargs)


def point_id(brand: str, chunk: Chunk) -> str:
    """Deterministic: the same chunk of the same file version always has the same id."""
    return str(uuid.uuid5(_NAMESPACE, f"{brand}|{chunk.source_path}|{chunk.content_hash}|{chunk.index}"))


def _points(brand: str, chunks: list[Chunk], vectors: list[list[float]]) -> list[Point]:
    return [(point_id(brand, c), list(v), chunk_payload(brand, c)) for c, v in zip(chunks, vectors, strict=True)]


def chunk_payload(brand: str, chunk: Chunk) -> dict[str, Any]:
    """The payload stored with a chunk's vector (``brand`` is the tenant key on a Qdrant server)."""
    return {
        "brand": brand, "doc_type": chunk.doc_type, "source_path": chunk.source_path,
        "content_hash": chunk.content_hash, "chunk_index": chunk.index, "product": chunk.product,
        "ref": chunk.ref, "text": chunk.text,
        "quarantined": bool(chunk.extra.get("quarantined", False)),
        **{k: v for k, v in chunk.extra.items() if k != "quarantined"},
    }
