"""German as a first-class language (issue 13): a brief's language, its German prompts, the language recorded on
what it produces, the KB's chunk languages, and the brand's German texts. Fake LLM and hashing embedder; the
multilingual embedder's own tests are in test_multilingual_retrieval.py."""

from __future__ import annotations

import pytest
from pydantic import ValidationError
from sqlmodel import Session, select

from app.brand import load_brand
from app.evaluation.runs import localised_ref, stage_of
from app.models import CheckFinding, Idea, Variant
from app.pipeline import runner
from app.retrieval.embedder import embed_queries
from app.schemas import BriefCreate
from tests.unit.helpers import bearer, drafted

BRIEF = {"brand": "fernhill", "product": "quiet-hours", "channels": ["linkedin"], "n_ideas": 1,
         "n_variants": 1, "audience": "Teetrinker am Abend", "goal": "Quiet Hours vorstellen",
         "key_message": "Quiet Hours ist von Natur aus koffeinfrei"}
GERMAN_DRAFT = {
    "headline": "Quiet Hours für den Abend",
    "body": "Quiet Hours ist ein von Natur aus koffeinfreier Kräutertee aus Kamille und Zitronenmelisse, "
            "biozertifiziert und von Hand gemischt. Enthält Kamille. Wer auf Korbblütler (Asteraceae) wie "
            "Ambrosia oder Ringelblume allergisch reagiert, sollte dieses Produkt meiden.",
    "cta": "Quiet Hours entdecken",
}
ENGLISH_DRAFT = {
    "headline": "Quiet Hours for your evening",
    "body": "Quiet Hours is a naturally caffeine-free blend of chamomile and lemon balm, certified organic and "
            "mixed by hand in small batches in our blending room.",
    "cta": "Try Quiet Hours",
}


def german(**overrides: object) -> BriefCreate:
    return BriefCreate.model_validate({**BRIEF, "language": "de", **overrides})


def test_a_regional_tag_means_its_language():
    assert german(language="de-DE").language == "de"
    assert german(language="EN-gb").language == "en"


def test_an_unsupported_language_is_refused_naming_the_supported_ones():
    with pytest.raises(ValidationError) as caught:
        german(language="fr")
    assert "'fr' is not supported" in str(caught.value) and "en, de" in str(caught.value)


def test_the_api_answers_422_for_an_unsupported_language(ingested):
    from fastapi.testclient import TestClient

    from app.api.main import create_app

    client = TestClient(create_app(deps=ingested))
    response = client.post("/briefs", json={**BRIEF, "language": "tlh"},
                           headers=bearer(ingested, "mia", ["marketer"]))
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_input" and "'tlh' is not supported" in response.json()["message"]


def test_a_brief_without_a_language_takes_the_brands_default(ingested):
    brief = runner.submit_brief(deps=ingested, brief_in=BriefCreate.model_validate(BRIEF), actor="mia")
    assert brief.language == load_brand(ingested.settings.brand_kb_dir, "fernhill").default_language == "en"
    assert brief.prompt_pins == {"ideas": "ideas@1", "draft": "draft@1"}


def test_a_german_brief_is_pinned_to_the_german_prompts(ingested):
    brief = runner.submit_brief(deps=ingested, brief_in=german(), actor="mia")
    assert brief.language == "de"
    assert brief.prompt_pins == {"ideas": "ideas_de@1", "draft": "draft_de@1"}


def test_a_german_brief_asks_in_german_and_records_german_on_what_it_writes(ingested, fake_llm, enqueued):
    variant = drafted(ingested, fake_llm, enqueued, GERMAN_DRAFT, brief=german())
    ideas_prompt, draft_prompt = (fake_llm.history[i]["messages"][0]["content"] for i in (0, 1))
    assert "Schreibe auf Deutsch" in ideas_prompt and "Schreibe auf Deutsch" in draft_prompt
    with Session(ingested.engine) as s:
        idea = s.get(Idea, variant.idea_id)
        findings = s.exec(select(CheckFinding).where(CheckFinding.variant_id == variant.id)).all()
    assert idea is not None and idea.language == variant.language == "de"
    assert findings and {f.language for f in findings} == {"de"}
    assert "quality:language" not in {f.rule for f in findings if not f.passed}


def test_an_english_draft_for_a_german_brief_is_a_quality_finding(ingested, fake_llm, enqueued):
    variant = drafted(ingested, fake_llm, enqueued, ENGLISH_DRAFT, brief=german())
    with Session(ingested.engine) as s:
        failed = s.exec(select(CheckFinding).where(CheckFinding.variant_id == variant.id,
                                                   CheckFinding.passed == False)).all()  # noqa: E712
    [language] = [f for f in failed if f.rule == "quality:language"]
    assert language.severity == "block" and "'de'" in language.reason


def test_ingestion_records_each_chunks_language_declared_by_its_folder_or_detected(ingested):
    vector = embed_queries(ingested.embedder, ["Quiet Hours Kamille Zitronenmelisse"])[0]
    hits = ingested.store.search("fernhill", vector, top_k=1000)
    german = [h.language for h in hits if h.source_path.startswith("de/")]
    english = [h.language for h in hits if not h.source_path.startswith("de/")]
    assert german and set(german) == {"de"}
    assert english and set(english) <= {"en", None} and english.count("en") > 0.9 * len(english)


def test_german_checks_read_the_brands_german_claims_and_disclaimers_under_the_english_ids():
    from app.settings import PROJECT_ROOT

    english = load_brand(PROJECT_ROOT / "brand_kb", "fernhill")
    germany = english.localised("de")
    claim = next(c for c in germany.claims if c.id == "C-008")
    assert claim.text.startswith("Quiet Hours ist von Natur aus koffeinfrei")
    assert claim.disclaimer_id == "D-ALLERGEN-CHAMOMILE" and claim.products == ("quiet-hours",)
    assert germany.disclaimers["D-ALLERGEN-CHAMOMILE"].startswith("Enthält Kamille.")
    price = next(f for f in germany.facts if f.id == "quiet-hours.price")
    assert price.text == "Ein 50-g-Beutel Quiet Hours kostet 9,50 €." and price.value == "9.50"
    assert english.localised("en") is english
    assert next(c for c in english.claims if c.id == "C-008").text.startswith("Quiet Hours is naturally")


def test_an_eval_suite_in_german_runs_the_german_version_of_the_prompt_it_names():
    assert localised_ref("draft@candidate", "de") == "draft_de@candidate"
    assert localised_ref("ideas@2", "de") == "ideas_de@2"
    assert localised_ref("draft@candidate", "en") == "draft@candidate"
    assert stage_of("draft_de") == "draft" and stage_of("ideas_de") == "ideas"


def test_a_german_variant_reads_as_german_on_the_api(ingested, fake_llm, enqueued):
    from fastapi.testclient import TestClient

    from app.api.main import create_app

    variant = drafted(ingested, fake_llm, enqueued, GERMAN_DRAFT, brief=german())
    client = TestClient(create_app(deps=ingested))
    mia = bearer(ingested, "mia", ["marketer"])
    assert client.get(f"/briefs/{variant.brief_id}", headers=mia).json()["language"] == "de"
    [shown] = client.get(f"/briefs/{variant.brief_id}/variants", headers=mia).json()
    assert shown["language"] == "de"


def test_variants_of_an_english_brief_stay_english(ingested, fake_llm, enqueued):
    variant = drafted(ingested, fake_llm, enqueued, ENGLISH_DRAFT, brief=BriefCreate.model_validate(BRIEF))
    with Session(ingested.engine) as s:
        stored = s.get(Variant, variant.id)
    assert stored is not None and stored.language == "en"


def test_the_detector_reads_german_and_english_and_declines_a_fragment():
    from app.language import detect_language

    assert detect_language("Die Beutel gehören in den Kompost.") == "de"
    assert detect_language("Put the empty pouches in your compost bin.") == "en"
    assert detect_language("Quiet Hours") is None


def test_the_brief_form_offers_the_languages_and_submits_a_german_brief(ingested):
    from fastapi.testclient import TestClient

    from app.api.main import create_app
    from app.auth import users
    from app.db import session_scope
    from app.models import Brief

    client = TestClient(create_app(deps=ingested))
    with session_scope(ingested.engine) as session:
        users.create_user(session, username="mia", roles=["marketer"], brands=["fernhill"],
                          password="correct horse battery", actor="test")
    nonce = client.get("/ui/login").text.split('name="nonce" value="')[1].split('"')[0]
    client.post("/ui/login", data={"username": "mia", "password": "correct horse battery", "nonce": nonce})
    page = client.get("/ui/briefs/new").text
    assert '<option value="de"' in page and "German (de)" in page
    csrf = page.split('name="csrf_token" value="')[1].split('"')[0]
    form = {**BRIEF, "channels": "linkedin", "n_ideas": "1", "n_variants": "1", "csrf_token": csrf}
    refused = client.post("/ui/briefs/new", data={**form, "language": "fr"})
    assert refused.status_code == 422 and "is not supported" in refused.text
    client.post("/ui/briefs/new", data={**form, "language": "de"}, follow_redirects=False)
    with Session(ingested.engine) as s:
        [brief] = s.exec(select(Brief)).all()
    assert brief.language == "de"
