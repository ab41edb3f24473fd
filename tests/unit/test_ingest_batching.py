"""Ingestion encodes in batches across files and never encodes a chunk whose text is already stored."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from app.retrieval.ingest import ingest_folder
from app.retrieval.store import VectorStore
from app.settings import PROJECT_ROOT
from tests.fakes import HashingEmbedder


class CountingEmbedder(HashingEmbedder):
    def __init__(self) -> None:
        self.calls: list[int] = []

    def embed(self, texts: list[str]) -> list[list[float]]:
        self.calls.append(len(texts))
        return super().embed(texts)


@pytest.fixture
def brand(tmp_path: Path) -> Path:
    folder = tmp_path / "fernhill"
    shutil.copytree(PROJECT_ROOT / "brand_kb" / "fernhill", folder)
    return folder


@pytest.fixture
def store(tmp_path: Path) -> VectorStore:
    s = VectorStore(collection="kb", dimension=HashingEmbedder.dimension, path=tmp_path / "qdrant")
    yield s
    s.close()


def test_chunks_of_many_files_are_encoded_in_few_calls(brand: Path, store: VectorStore) -> None:
    embedder = CountingEmbedder()
    report = ingest_folder(brand, brand="fernhill", store=store, embedder=embedder, batch_size=64)
    files = len(report.added)
    assert sum(embedder.calls) == report.chunks_embedded <= report.chunks_written
    assert len(embedder.calls) < files  # one call per batch, not one per file
    assert store.count("fernhill") == report.chunks_written


def test_editing_one_paragraph_encodes_only_that_paragraph(brand: Path, store: VectorStore) -> None:
    ingest_folder(brand, brand="fernhill", store=store, embedder=CountingEmbedder())
    faq = brand / "guides" / "faq.md"
    faq.write_text(faq.read_text() + "\n\n## New question\n\nDo you ship tea to islands? Yes, within a week.\n")
    embedder = CountingEmbedder()
    report = ingest_folder(brand, brand="fernhill", store=store, embedder=embedder)
    assert report.replaced == ["guides/faq.md"]
    assert report.chunks_embedded == sum(embedder.calls) == 1 < report.chunks_written
    query = HashingEmbedder().embed(["New question Do you ship tea to islands? Yes, within a week."])[0]
    assert any("islands" in h.text for h in store.search("fernhill", query, top_k=3))


class OtherModel(HashingEmbedder):
    model_id = "another-model"


def test_vectors_of_another_embedder_are_never_reused(brand: Path, store: VectorStore) -> None:
    ingest_folder(brand, brand="fernhill", store=store, embedder=HashingEmbedder())
    faq = brand / "guides" / "faq.md"
    faq.write_text(faq.read_text() + "\n\n## New question\n\nDo you ship tea to islands? Yes, within a week.\n")
    report = ingest_folder(brand, brand="fernhill", store=store, embedder=OtherModel())
    assert report.chunks_embedded == report.chunks_written > 1
