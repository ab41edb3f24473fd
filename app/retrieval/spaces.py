"""One vector space per collection: the collection's name carries the embedder's name and dimension.

Vectors of two embedders cannot be compared (a German question embedded by multilingual-e5-small is
meaningless against chunks embedded by all-MiniLM-L6-v2, even at the same dimension), so each embedder
writes its own collection, ``<CF_QDRANT_COLLECTION>__<embedder>_<dim>`` (:func:`collection_name`). After
``CF_EMBEDDER`` changes, the new collection is empty: a brief is refused with a message that names the
embedder the brand was ingested with and the command that re-ingests it (:func:`require_ingested`), and
``factory kb ingest`` fills the new collection from the brand folder. The old collection is left as it was,
so switching back needs no re-ingestion.
"""

from __future__ import annotations

import re

from app.errors import EmptyKnowledgeBase
from app.retrieval.embedder import Embedder, embedder_name
from app.retrieval.store import VectorStore

SEPARATOR = "__"


def collection_name(base: str, embedder: Embedder) -> str:
    """``base__<embedder name>_<dimension>``, with characters Qdrant may not accept in a name replaced by ``-``."""
    name = re.sub(r"[^A-Za-z0-9_.-]+", "-", embedder_name(embedder))
    return f"{base}{SEPARATOR}{name}_{embedder.dimension}"


def space_of(collection: str) -> str:
    """The embedder part of a collection's name (``brand_kb__all-minilm-l6-v2_384`` -> ``all-minilm-l6-v2_384``)."""
    return collection.partition(SEPARATOR)[2] or collection


def other_spaces(store: VectorStore, base: str, brand: str) -> dict[str, int]:
    """``{collection: chunks of brand}`` for every other collection of ``base`` that holds the brand: what it was
    ingested with before the embedder changed. The unsuffixed ``base`` (before collections were named per
    embedder) counts too."""
    return store.other_spaces(base, brand)


def space_change(store: VectorStore, base: str, brand: str) -> list[str]:
    """What ``factory kb ingest`` says before it writes: that the brand is re-ingested in full because the
    embedder changed (its chunks are in another space only), or nothing."""
    if store.count(brand):
        return []
    before = other_spaces(store, base, brand)
    return [f"{brand}: the embedder changed ({', '.join(space_of(n) for n in sorted(before))} -> "
            f"{space_of(store.collection)}): embedding every file again into {store.collection}; the old "
            f"collection is kept for switching back"] if before else []


def require_ingested(store: VectorStore, base: str, brand: str) -> int:
    """The number of the brand's chunks in the store's collection; raises EmptyKnowledgeBase when there are none,
    saying whether the brand was ingested with another embedder (and so needs re-ingesting) or never."""
    count = store.count(brand)
    if count:
        return count
    before = other_spaces(store, base, brand)
    if before:
        spaces = ", ".join(f"{space_of(name)} ({n} chunks)" for name, n in sorted(before.items()))
        raise EmptyKnowledgeBase(
            f"brand {brand!r} was ingested with another embedder ({spaces}), and the configured one is "
            f"{space_of(store.collection)}: vectors of two embedders do not mix, so re-ingest it with "
            f"`factory kb ingest brand_kb/{brand}` (its old vectors are kept for switching back)")
    raise EmptyKnowledgeBase(
        f"brand {brand!r} has no ingested knowledge; run `factory kb ingest brand_kb/{brand}` first")
