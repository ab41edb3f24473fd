"""Brand KB ingestion into Qdrant local mode: only what changed is written."""

from __future__ import annotations

import shutil

import pytest

from app.errors import InvalidInput
from app.retrieval.chunking import chunk_file, doc_type_for
from app.retrieval.ingest import ingest_folder
from app.settings import PROJECT_ROOT
from app.wiring import build_store
from tests.fakes import HashingEmbedder

DEMO = PROJECT_ROOT / "brand_kb" / "fernhill"


@pytest.fixture
def brand(tmp_path):
    folder = tmp_path / "fernhill"
    shutil.copytree(DEMO, folder)
    return folder


@pytest.fixture
def store(settings):
    return build_store(settings, HashingEmbedder())


def ingest(folder, store):
    return ingest_folder(folder, brand="fernhill", store=store, embedder=HashingEmbedder())


def test_the_demo_brand_has_at_least_15_documents_of_every_kind():
    kinds = {doc_type_for(p.relative_to(DEMO)) for p in DEMO.rglob("*.*")}
    assert len(list(DEMO.rglob("*.*"))) >= 15
    assert {"voice", "product", "claims", "banned_terms", "policy", "general"} <= kinds


def test_reingesting_unchanged_files_writes_nothing(brand, store):
    first = ingest(brand, store)
    assert first.chunks_written > 0 and store.count("fernhill") == first.chunks_written
    second = ingest(brand, store)
    assert not second.wrote_anything and second.chunks_written == 0
    assert len(second.unchanged) == len(first.added)


def test_a_changed_file_replaces_its_old_chunks(brand, store):
    ingest(brand, store)
    faq = brand / "guides" / "faq.md"
    old = len(chunk_file(faq, faq.relative_to(brand)))
    faq.write_text("# FAQ\n\nOne question only now.\n")
    report = ingest(brand, store)
    assert report.replaced == ["guides/faq.md"] and report.chunks_written == 1
    hits = store.search("fernhill", HashingEmbedder().embed(["One question only now"])[0], top_k=50)
    faq_hits = [h for h in hits if h.source_path == "guides/faq.md"]
    assert len(faq_hits) == 1 < old


def test_a_removed_file_loses_its_chunks(brand, store):
    ingest(brand, store)
    (brand / "guides" / "faq.md").unlink()
    assert ingest(brand, store).removed == ["guides/faq.md"]


def test_chunks_carry_brand_metadata(brand, store):
    ingest(brand, store)
    hits = store.search("fernhill", HashingEmbedder().embed(["Quiet Hours price"])[0], top_k=5,
                        product="quiet-hours")
    assert hits and all(h.product == "quiet-hours" and h.doc_type == "product" for h in hits)


def test_unknown_documents_become_general_knowledge(tmp_path):
    assert doc_type_for(tmp_path.relative_to(tmp_path) / "notes" / "x.md") == "general"


def test_invalid_yaml_is_refused_with_the_file_name(brand, store):
    (brand / "claims.yaml").write_text("approved_claims: [unclosed")
    with pytest.raises(InvalidInput, match=r"claims.yaml: not valid YAML"):
        ingest(brand, store)
