"""Integration fixtures: a real embedder, loaded once per test session: all-MiniLM-L6-v2, which embeds the demo
brand in about a second (the default multilingual one takes 10-60 s on 2 cores; its own tests are
tests/unit/test_multilingual_retrieval.py and tests/integration/test_german_local_model.py)."""

from __future__ import annotations

import pytest

from app.retrieval.embedder import Embedder, SentenceTransformerEmbedder


@pytest.fixture(scope="session")
def embedder() -> Embedder:
    return SentenceTransformerEmbedder()
