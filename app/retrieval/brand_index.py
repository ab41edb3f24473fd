"""One brand's vectors in memory: exact cosine top-k with the payload filters as numpy masks.

Qdrant's local mode answers a filtered query by evaluating the filter in Python, point by point (its
``calculate_payload_mask``): about 15 µs a point, 290 ms at 20,000 chunks (issue 16). This index holds the
same vectors and the three payload columns the factory filters on (doc type, product, quarantined) as
arrays, so a filtered search is one matrix-vector product and a mask: a few milliseconds at 20,000
chunks. Results are the same as Qdrant's brute-force cosine search (both are exact).

The index is a cache of one brand's collection, filled from it and updated with every write; Qdrant
stays the store of record.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np


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


def hit_from_payload(point_id: str, score: float, payload: dict[str, Any]) -> Hit:
    return Hit(
        id=point_id, score=score, text=str(payload.get("text", "")),
        doc_type=str(payload.get("doc_type", "")), source_path=str(payload.get("source_path", "")),
        product=payload.get("product"), ref=payload.get("ref"), language=payload.get("language"),
    )


def unit(vector: list[float] | np.ndarray) -> np.ndarray:
    """``vector`` as float32 scaled to length 1 (Qdrant's cosine distance stores vectors so)."""
    v = np.asarray(vector, dtype=np.float32)
    norm = float(np.linalg.norm(v))
    return v / norm if norm > 0 else v


class BrandIndex:
    """The points of one brand: ``put`` and ``remove_source`` change it, ``search`` reads it.

    Not thread-safe on its own: the store that owns it serialises calls.
    """

    def __init__(self, dimension: int) -> None:
        self.dimension = dimension
        self._rows: dict[str, tuple[np.ndarray, dict[str, Any]]] = {}
        self._by_source: dict[str, set[str]] = {}
        self._arrays: _Arrays | None = None
        self._last: tuple[_Arrays, bytes, np.ndarray] | None = None

    def __len__(self) -> int:
        return len(self._rows)

    def put(self, point_id: str, vector: list[float] | np.ndarray, payload: dict[str, Any]) -> None:
        if point_id in self._rows:
            self._forget(point_id)
        self._rows[point_id] = (unit(vector), payload)
        self._by_source.setdefault(str(payload.get("source_path", "")), set()).add(point_id)
        self._arrays = None

    def remove_source(self, source_path: str) -> list[str]:
        """Drop every point of ``source_path``; returns their ids."""
        ids = sorted(self._by_source.pop(source_path, set()))
        for point_id in ids:
            self._rows.pop(point_id, None)
        if ids:
            self._arrays = None
        return ids

    def source_hashes(self) -> dict[str, str]:
        """``{source_path: content_hash}``."""
        found: dict[str, str] = {}
        for source, ids in self._by_source.items():
            if ids:
                found[source] = str(self._rows[next(iter(ids))][1].get("content_hash", ""))
        return found

    def vectors_of(self, source_path: str) -> dict[str, list[float]]:
        """``{vector_key: vector}`` of the stored chunks of ``source_path`` (for re-use on re-ingestion)."""
        out: dict[str, list[float]] = {}
        for point_id in self._by_source.get(source_path, set()):
            vector, payload = self._rows[point_id]
            if payload.get("vector_key"):
                out[str(payload["vector_key"])] = vector.tolist()
        return out

    def search(
        self, vector: list[float], *, top_k: int, doc_types: list[str] | None = None,
        product: str | None = None, exclude_quarantined: bool = True,
    ) -> list[Hit]:
        """The ``top_k`` points nearest ``vector`` by cosine among those passing the filters, best first."""
        arrays = self._build()
        if arrays.matrix.shape[0] == 0 or top_k <= 0:
            return []
        scores = self._scores(arrays, unit(vector))
        mask = np.ones(scores.shape[0], dtype=bool)
        if exclude_quarantined:
            mask &= ~arrays.quarantined
        if doc_types:
            mask &= np.isin(arrays.doc_type, doc_types)
        if product is not None:
            mask &= arrays.product == product
        candidates = np.flatnonzero(mask)
        if candidates.size == 0:
            return []
        picked = candidates[_top(scores[candidates], min(top_k, candidates.size))]
        return [hit_from_payload(arrays.ids[i], float(scores[i]), self._rows[arrays.ids[i]][1]) for i in picked]

    def _scores(self, arrays: _Arrays, query: np.ndarray) -> np.ndarray:
        """Cosine of ``query`` with every point. The last query's scores are kept: a retrieval searches the same
        vector three times (all, the product's, the claims), so two of the three products are saved."""
        key = query.tobytes()
        if self._last is not None and self._last[0] is arrays and self._last[1] == key:
            return self._last[2]
        # einsum, not ``@``: a matrix-vector product through multi-threaded BLAS waits for its threads to
        # wake, which on a loaded 2-core machine took 16-20 ms instead of 0.9 ms (measured, issue 16).
        scores = np.einsum("ij,j->i", arrays.matrix, query)
        self._last = (arrays, key, scores)
        return scores

    def _forget(self, point_id: str) -> None:
        _vector, payload = self._rows.pop(point_id)
        self._by_source.get(str(payload.get("source_path", "")), set()).discard(point_id)

    def _build(self) -> _Arrays:
        if self._arrays is None:
            ids = list(self._rows)
            payloads = [self._rows[i][1] for i in ids]
            matrix = (np.stack([self._rows[i][0] for i in ids]) if ids
                      else np.zeros((0, self.dimension), dtype=np.float32))
            self._arrays = _Arrays(
                ids=ids, matrix=matrix,
                doc_type=np.array([str(p.get("doc_type", "")) for p in payloads], dtype=object),
                product=np.array([p.get("product") for p in payloads], dtype=object),
                quarantined=np.array([bool(p.get("quarantined", False)) for p in payloads], dtype=bool),
            )
        return self._arrays


@dataclass(frozen=True)
class _Arrays:
    ids: list[str]
    matrix: np.ndarray
    doc_type: np.ndarray
    product: np.ndarray
    quarantined: np.ndarray


def _top(scores: np.ndarray, k: int) -> np.ndarray:
    """Positions of the ``k`` highest scores, highest first (ties broken by position, as a stable sort)."""
    part = np.argpartition(-scores, k - 1)[:k]
    return part[np.lexsort((part, -scores[part]))]
