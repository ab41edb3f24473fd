"""The brand KB on a Qdrant server: one collection, brands partitioned by a tenant payload index.

As Qdrant documents for multitenancy (https://qdrant.tech/documentation/manage-data/multitenancy/,
Qdrant >= 1.11): a keyword index on ``brand`` with ``is_tenant=True`` stores each brand's vectors together,
and every operation carries a ``brand`` must-condition, so a brand's search reads only its own points.
One client is kept for the process (it pools its HTTP connections).
"""

from __future__ import annotations

from typing import Any

from qdrant_client import QdrantClient
from qdrant_client.http import models as qm

from app.retrieval.brand_index import Hit, hit_from_payload
from app.retrieval.local_store import Point

_INDEXED = ("doc_type", "source_path", "product")


class ServerBackend:
    """Built without connecting; ``client`` replaces the one made from ``url`` on first use (tests)."""

    def __init__(self, *, url: str, api_key: str | None, collection: str, dimension: int,
                 client: QdrantClient | None = None) -> None:
        self.collection = collection
        self.dimension = dimension
        self._url, self._api_key = url, api_key
        self._made = client
        self._ready = False

    @property
    def _client(self) -> QdrantClient:
        if self._made is None:
            self._made = QdrantClient(url=self._url, api_key=self._api_key)
        return self._made

    def close(self) -> None:
        if self._made is not None:
            self._made.close()

    def replace_source(self, brand: str, source_path: str, points: list[Point]) -> None:
        self.delete_source(brand, source_path)
        self.upsert(brand, points)

    def upsert(self, brand: str, points: list[Point]) -> None:
        if points:
            self._client.upsert(self._name(), wait=True, points=[
                qm.PointStruct(id=pid, vector=vector, payload=payload) for pid, vector, payload in points
            ])

    def delete_source(self, brand: str, source_path: str) -> None:
        self._client.delete(self._name(), points_selector=qm.FilterSelector(
            filter=brand_filter(brand, source_path=source_path)), wait=True)

    def source_hashes(self, brand: str) -> dict[str, str]:
        found: dict[str, str] = {}
        for payload, _vector in self._scroll(brand_filter(brand), ["source_path", "content_hash"], vectors=False):
            found[str(payload["source_path"])] = str(payload["content_hash"])
        return found

    def vectors_of(self, brand: str, source_path: str) -> dict[str, list[float]]:
        return {
            str(payload["vector_key"]): list(vector)
            for payload, vector in self._scroll(brand_filter(brand, source_path=source_path), ["vector_key"],
                                                vectors=True)
            if payload.get("vector_key") and vector is not None
        }

    def count(self, brand: str) -> int:
        return int(self._client.count(self._name(), count_filter=brand_filter(brand), exact=True).count)

    def payloads(self, brand: str, ids: list[str]) -> dict[str, dict[str, Any]]:
        records = self._client.retrieve(self._name(), ids=ids, with_payload=True, with_vectors=False)
        return {str(r.id): dict(r.payload or {}) for r in records if (r.payload or {}).get("brand") == brand}

    def other_spaces(self, base: str, brand: str) -> dict[str, int]:
        found: dict[str, int] = {}
        for c in self._client.get_collections().collections:
            name = c.name
            if name == self.collection or not (name == base or name.startswith(base + "__")):
                continue
            count = int(self._client.count(name, count_filter=brand_filter(brand), exact=True).count)
            if count:
                found[name] = count
        return found

    def search(
        self, brand: str, vector: list[float], *, top_k: int, doc_types: list[str] | None = None,
        product: str | None = None, exclude_quarantined: bool = True,
    ) -> list[Hit]:
        flt = brand_filter(brand, product=product, doc_types=doc_types, exclude_quarantined=exclude_quarantined)
        result = self._client.query_points(self._name(), query=vector, query_filter=flt, limit=top_k,
                                           with_payload=True)
        return [hit_from_payload(str(p.id), float(p.score), p.payload or {}) for p in result.points]

    def _scroll(self, flt: qm.Filter, fields: list[str], *, vectors: bool) -> list[tuple[dict[str, Any], Any]]:
        out: list[tuple[dict[str, Any], Any]] = []
        offset: Any = None
        while True:
            points, offset = self._client.scroll(self._name(), scroll_filter=flt, limit=256, offset=offset,
                                                 with_payload=fields, with_vectors=vectors)
            out += [(p.payload or {}, p.vector) for p in points]
            if offset is None:
                return out

    def _name(self) -> str:
        if not self._ready:
            if not self._client.collection_exists(self.collection):
                self._client.create_collection(
                    self.collection,
                    vectors_config=qm.VectorParams(size=self.dimension, distance=qm.Distance.COSINE),
                )
            self._client.create_payload_index(
                self.collection, "brand",
                field_schema=qm.KeywordIndexParams(type=qm.KeywordIndexType.KEYWORD, is_tenant=True),
            )
            for key in _INDEXED:
                self._client.create_payload_index(self.collection, key, qm.PayloadSchemaType.KEYWORD)
            self._ready = True
        return self.collection


def brand_filter(
    brand: str, *, source_path: str | None = None, product: str | None = None,
    doc_types: list[str] | None = None, exclude_quarantined: bool = False,
) -> qm.Filter:
    """A filter that always holds the brand condition (the tenant key), plus the optional ones."""
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
