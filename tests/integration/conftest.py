"""Integration fixtures: the real embedder, loaded once per test session."""

from __future__ import annotations

import pytest

from app.retrieval.embedder import Embedder, SentenceTransformerEmbedder


@pytest.fixture(scope="session")
def embedder() -> Embedder:
    return SentenceTransformerEmbedder()
