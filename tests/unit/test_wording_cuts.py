"""Cutting blocked wording: whole body sentences and headline parts, only when the rest passes every check."""

from __future__ import annotations

import json

from sqlmodel import Session, select

from app.guardrails.base import CheckResult, Severity
from app.models import AuditEntry, DraftCandidate, Idea
from app.pipeline import runner
from app.pipeline.deps import Deps
from app.pipeline.wording_cuts import cut_copy, without_sentences, without_title_parts
from app.schemas import BriefCreate, DraftCopy
from tests.fakes import FakeLLM, RecordingEnqueue


def blocked(start: int, end: int, check: str = "claims", rule: str = "claims:unsupported:superlative",
            severity: Severity = Severity.block) -> CheckResult:
    return CheckResult(check=check, rule=rule, passed=False, severity=severity, spans=((start, end),))


def test_only_the_sentence_holding_a_blocked_span_is_cut():
    text = "Our oat bars are baked in Cork. They are the tastiest snack in Ireland. Keep one in your bag."
    start = text.index("tastiest")
    kept, cut = without_sentences(text, [(start, start + 8)])
    assert kept == "Our oat bars are baked in Cork. Keep one in your bag."
    assert cut == ["They are the tastiest snack in Ireland."]


def test_a_title_loses_only_the_part_after_its_colon_or_dash():
    title = "Oat bars from Cork \u2013 simply unbeatable"
    start = title.index("unbeatable")
    assert without_title_parts(title, [(start, start + 10)]) == ("Oat bars from Cork", ["simply unbeatable"])


def test_a_copy_is_not_cut_when_a_field_would_be_empty_or_the_call_to_action_is_blocked():
    copy = DraftCopy(headline="The best bars", body="Baked in Cork every morning.", cta="Buy the best")
    headline_only = blocked(4, 8)  # "best" in the headline, which has no other part
    assert cut_copy(copy, [headline_only]) == (None, [])
    cta_start = len(copy.headline) + 1 + len(copy.body) + 1
    assert cut_copy(copy, [blocked(cta_start + 8, cta_start + 12)]) == (None, [])


def test_warnings_missing_disclaimers_and_other_checks_are_never_cut():
    copy = DraftCopy(headline="Oat bars", body="Baked in Cork. Contains oats.", cta="Order now")
    body = len(copy.headline) + 1
    for finding in (blocked(body, body + 5, severity=Severity.warn),
                    blocked(body, body + 5, rule="claims:missing_disclaimer"),
                    blocked(body, body + 5, check="quality", rule="quality:cut_off")):
        assert cut_copy(copy, [finding]) == (copy, [])


def test_a_draft_whose_reasks_keep_a_superlative_is_cut_to_the_sentences_that_pass(
    ingested: Deps, fake_llm: FakeLLM, enqueued: RecordingEnqueue,
):
    key = "Green Ridge is a first-harvest sencha from the Yamabuki Tea Garden in Shizuoka"
    stubborn = {"headline": "Green Ridge sencha from Shizuoka",
                "body": "Green Ridge is a first-harvest sencha, steamed and rolled at Yamabuki Tea Garden in "
                        "Shizuoka, Japan. "
                        "It is simply the finest green tea you will ever taste. Brew it at 70 degrees for two "
                        "minutes and drink it in the afternoon.",
                "cta": "Try Green Ridge"}
    fake_llm.enqueue({"ideas": [{"title": "From Shizuoka", "angle": "Follow the leaf from Shizuoka."}]})
    fake_llm.default = json.dumps(stubborn)  # every re-ask answers with the same superlative
    ingested.settings.draft_candidates = 1
    submitted = runner.submit_brief(deps=ingested, brief_in=BriefCreate(
        brand="fernhill", product="green-ridge", channels=["linkedin"], n_ideas=1, n_variants=1,
        audience="green tea drinkers", goal="launch", key_message=key), actor="mia")
    runner.run_ideation(submitted.id, ingested)
    enqueued.take()
    with Session(ingested.engine) as s:
        idea_id = s.exec(select(Idea.id).where(Idea.brief_id == submitted.id)).one()
    runner.run_drafting(idea_id, ingested)
    with Session(ingested.engine) as s:
        [kept] = s.exec(select(DraftCandidate).where(DraftCandidate.brief_id == submitted.id,
                                                     DraftCandidate.kept == True)).all()  # noqa: E712
        trail = [e.action for e in s.exec(select(AuditEntry).where(AuditEntry.brief_id == submitted.id))]
    assert "finest" not in kept.body and kept.body.startswith("Green Ridge is a first-harvest sencha")
    assert "Brew it at 70 degrees" in kept.body
    assert not any(f["severity"] == "block" for f in kept.findings)
    assert len(fake_llm.history) == 1 + 3  # ideas, then the draft and its two re-asks: a cut costs no call
    assert "guardrails.cut_blocked" in trail
