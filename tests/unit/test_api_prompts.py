"""The prompt registry and the eval cases over HTTP: list, show, diff, promote and roll back labels
(audited, prompt engineers only); a reviewer's rejection becomes an eval case in one call; and a brief
locks the prompt versions it pins, so they can never be edited afterwards."""

from __future__ import annotations

import hashlib

import pytest
import yaml
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.errors import PromptError
from app.evaluation.eval_suite import load_suite
from app.models import AuditEntry
from app.pipeline import runner
from app.pipeline.deps import Deps
from app.prompting import integrity
from app.schemas import BriefCreate
from tests.unit.helpers import bearer
from tests.unit.test_api import BRIEF, drafted_variant


@pytest.fixture
def pia(ingested: Deps) -> dict[str, str]:
    """A prompt engineer of every brand: prompts are shared, so only such a one moves labels."""
    return bearer(ingested, "pia", ["prompt_engineer"], ["*"])


def _audit(deps: Deps, action: str) -> list[AuditEntry]:
    with Session(deps.engine) as s:
        return list(s.exec(select(AuditEntry).where(AuditEntry.action == action)))


def test_a_prompt_engineer_promotes_and_rolls_back_with_an_audit_trail_and_briefs_keep_their_pins(
    client: TestClient, ingested: Deps, pia: dict[str, str], mia: dict[str, str],
):
    draft = next(p for p in client.get("/prompts", headers=mia).json() if p["name"] == "draft")
    assert draft["labels"] == ingested.prompts.labels("draft")  # the API shows the labels file
    start = draft["labels"]["production"]
    target = 3 if start != 3 else 2

    moved = client.post("/prompts/draft/labels/production/promote", headers=pia,
                        json={"version": target, "reason": "v3 won the core eval"})
    assert moved.status_code == 200, moved.text
    assert moved.json()["moved"] and moved.json()["event"]["from_version"] == start
    assert ingested.prompts.labels("draft")["production"] == target
    pinned_during = client.post("/briefs", json=BRIEF, headers=mia).json()
    assert pinned_during["prompt_pins"]["draft"] == f"draft@{target}"

    back = client.post("/prompts/draft/labels/production/rollback", headers=pia, json={"reason": "tone complaints"})
    assert back.status_code == 200, back.text
    assert back.json()["version"] == start and ingested.prompts.labels("draft")["production"] == start
    assert client.post("/briefs", json=BRIEF, headers=mia).json()["prompt_pins"]["draft"] == f"draft@{start}"
    assert client.get(f"/briefs/{pinned_during['id']}", headers=mia).json()["prompt_pins"]["draft"] == f"draft@{target}"

    history = client.get("/prompts/draft/history", params={"label": "production"}, headers=mia).json()
    assert [(e["action"], e["from_version"], e["to_version"], e["actor"]) for e in history] == [
        ("promote", start, target, "pia"), ("rollback", target, start, "pia")]
    [promoted], [rolled] = _audit(ingested, "prompt.promoted"), _audit(ingested, "prompt.rolled_back")
    assert (promoted.actor, promoted.details["reason"], promoted.subject_id) == ("pia", "v3 won the core eval",
                                                                                 "draft@production")
    assert (rolled.actor, rolled.details["reason"], rolled.details["to_version"]) == ("pia", "tone complaints", start)


def test_promoting_to_where_the_label_already_points_records_nothing(client: TestClient, ingested: Deps, pia):
    current = ingested.prompts.labels("draft")["production"]
    same = client.post("/prompts/draft/labels/production/promote", headers=pia,
                       json={"version": current, "reason": "x"})
    assert same.status_code == 200 and same.json() == {"prompt": "draft", "label": "production", "version": current,
                                                      "moved": False, "event": None}
    assert _audit(ingested, "prompt.promoted") == []


def test_a_label_with_no_earlier_version_cannot_be_rolled_back(client: TestClient, pia):
    response = client.post("/prompts/draft/labels/production/rollback", headers=pia, json={"reason": "undo"})
    assert response.status_code == 409 and response.json()["code"] == "invalid_transition"
    assert "promote the version you want" in response.json()["message"]


@pytest.mark.parametrize(("path", "body", "status", "says"), [
    ("/prompts/draft/labels/production/promote", {"version": 2, "reason": ""}, 422, "reason"),
    ("/prompts/draft/labels/production/promote", {"version": 9, "reason": "r"}, 404, "no version 9"),
    ("/prompts/poem/labels/production/promote", {"version": 1, "reason": "r"}, 404, "no prompt named 'poem'"),
    ("/prompts/draft/labels/Prod!/promote", {"version": 1, "reason": "r"}, 422, "label"),
    ("/prompts/draft/labels/production/rollback", {}, 422, "reason"),
])
def test_a_bad_label_move_is_refused_with_what_to_fix_and_moves_nothing(
    client: TestClient, ingested: Deps, pia, path: str, body: dict, status: int, says: str,
):
    response = client.post(path, headers=pia, json=body)
    assert response.status_code == status, response.text
    assert says in response.json()["message"]
    assert ingested.prompts.labels("draft")["production"] == 1


def test_only_prompt_engineers_move_labels(client: TestClient, ingested: Deps, mia, rob):
    for caller in (mia, rob):
        response = client.post("/prompts/draft/labels/production/promote", headers=caller,
                               json={"version": 2, "reason": "r"})
        assert response.status_code == 403 and "prompt_engineer" in response.json()["message"]
    assert ingested.prompts.labels("draft")["production"] == 1


def test_a_prompt_engineer_of_some_brands_reads_prompts_but_cannot_move_what_every_brand_runs(
    client: TestClient, ingested: Deps,
):
    fernhill_only = bearer(ingested, "fay", ["prompt_engineer"], ["fernhill"])
    assert client.get("/prompts", headers=fernhill_only).status_code == 200
    response = client.post("/prompts/draft/labels/production/promote", headers=fernhill_only,
                           json={"version": 3, "reason": "r"})
    assert response.status_code == 403 and "all brands (*)" in response.json()["message"]
    assert ingested.prompts.labels("draft")["production"] == 1


def test_show_gives_the_exact_file_its_hash_and_its_declarations(client: TestClient, mia):
    shown = client.get("/prompts/draft/versions/production", headers=mia).json()
    assert shown["version"] == 1 and "production" in shown["labels"] and shown["locked"]
    assert hashlib.sha256(shown["source"].encode()).hexdigest() == shown["sha256"]
    assert shown["output_schema"] == "DraftCopy" and "knowledge" in shown["variables"]
    assert shown["params"]["temperature"] == 0.8
    assert client.get("/prompts/draft/versions/3", headers=mia).json()["params"]["temperature"] == 0.6


def test_diff_shows_what_changed_between_two_labels(client: TestClient, mia):
    changed = client.get("/prompts/draft/diff", params={"a": "production", "b": "experiment"}, headers=mia).json()
    assert (changed["a"], changed["b"], changed["identical"]) == ("draft@1", "draft@2", False)
    assert "+  You are a hype copywriter" in changed["diff"]
    same = client.get("/prompts/draft/diff", params={"a": "1", "b": "production"}, headers=mia).json()
    assert same["identical"] and same["diff"] == ""


def test_a_version_edited_after_its_lock_is_listed_as_invalid_and_cannot_be_promoted(
    client: TestClient, ingested: Deps, pia,
):
    v2 = ingested.settings.prompts_dir / "draft" / "v2.yaml"
    v2.write_text(v2.read_text().replace("temperature: 0.9", "temperature: 0.1"))
    listed = next(p for p in client.get("/prompts", headers=pia).json() if p["name"] == "draft")
    row = next(v for v in listed["versions"] if v["version"] == 2)
    assert row["valid"] is False and "edited after it was registered" in row["error"]
    response = client.post("/prompts/draft/labels/experiment/promote", headers=pia, json={"version": 2, "reason": "r"})
    newest = max(ingested.prompts.locked("draft"))
    assert response.status_code == 422 and f"create v{newest + 1} instead" in response.json()["message"]


def test_a_prompt_name_cannot_walk_out_of_the_prompts_folder(client: TestClient, mia):
    for name in ("%2e%2e", "%2e%2e%5cprompts"):  # these reach the route: %2f would not
        response = client.get(f"/prompts/{name}/history", headers=mia)
        assert response.status_code == 404, (name, response.text)
    # a NUL never reaches a route: no database or file name can hold it (app/api/input_guard.py)
    assert client.get("/prompts/draft%00/history", headers=mia).status_code == 422


def test_a_reviewer_turns_a_rejection_into_an_eval_case_with_one_call(
    client: TestClient, ingested: Deps, fake_llm, enqueued, mia, rob,
):
    variant = drafted_variant(client, ingested, fake_llm, enqueued, mia)
    rejected = client.post(f"/variants/{variant['id']}/reject", headers=rob,
                           json={"comment": 'Too clinical: do not say "lemon balm" in a launch post.'})
    assert rejected.status_code == 200, rejected.text

    added = client.post(f"/variants/{variant['id']}/eval-case", headers=rob, json={"suite": "core"})
    assert added.status_code == 201, added.text
    body = added.json()
    assert body["must_not_mention"] == ["lemon balm"] and body["brief"]["channels"] == ["linkedin"]
    suite = load_suite(ingested.settings.eval_suites_dir / "core.yaml")
    case = suite.case(body["case_id"])
    assert case.expect.must_not_mention == ["lemon balm"] and "from-review" in case.tags
    assert "rejected by rob" in case.note
    [entry] = _audit(ingested, "eval.case_added")
    assert (entry.actor, entry.subject_id, entry.details["suite"]) == ("rob", variant["id"], "core")

    again = client.post(f"/variants/{variant['id']}/eval-case", headers=rob, json={"suite": "core"})
    assert again.status_code == 422 and "already has a case" in again.json()["message"]
    assert len(load_suite(ingested.settings.eval_suites_dir / "core.yaml").cases) == len(suite.cases)


def test_an_eval_case_needs_a_reviewed_variant_a_known_suite_and_the_right_role(
    client: TestClient, ingested: Deps, fake_llm, enqueued, mia, rob,
):
    variant = drafted_variant(client, ingested, fake_llm, enqueued, mia)
    before = (ingested.settings.eval_suites_dir / "core.yaml").read_text()
    unreviewed = client.post(f"/variants/{variant['id']}/eval-case", headers=rob, json={"suite": "core"})
    assert unreviewed.status_code == 422 and "no reviewer comment" in unreviewed.json()["message"]
    unknown = client.post(f"/variants/{variant['id']}/eval-case", headers=rob, json={"suite": "nightly"})
    assert unknown.status_code == 422 and "adversarial" in unknown.json()["message"]
    a_path = client.post(f"/variants/{variant['id']}/eval-case", headers=rob, json={"suite": "../core"})
    assert a_path.status_code == 422 and a_path.json()["code"] == "invalid_input"
    marketer = client.post(f"/variants/{variant['id']}/eval-case", headers=mia, json={"suite": "core"})
    assert marketer.status_code == 403
    assert (ingested.settings.eval_suites_dir / "core.yaml").read_text() == before


def test_a_brief_locks_the_prompt_versions_it_pins_so_they_cannot_be_edited(ingested: Deps):
    folder = ingested.settings.prompts_dir / "draft"
    n = max(ingested.prompts.locked("draft")) + 1  # a new version, after every shipped one
    new = folder / f"v{n}.yaml"
    new.write_text((folder / "v1.yaml").read_text().replace("version: 1", f"version: {n}"))
    # A label pointed at a new version by hand (a merged pull request), never promoted, so never locked.
    (folder / "labels.yaml").write_text(yaml.safe_dump({"production": n}))
    assert n not in ingested.prompts.locked("draft")

    brief = runner.submit_brief(deps=ingested, brief_in=BriefCreate(**BRIEF), actor="mia")

    assert brief.prompt_pins["draft"] == f"draft@{n}"
    assert ingested.prompts.locked("draft")[n] == hashlib.sha256(new.read_bytes()).hexdigest()
    [submitted] = _audit(ingested, "brief.submitted")
    assert submitted.details["prompt_hashes"][f"draft@{n}"] == ingested.prompts.locked("draft")[n]
    new.write_text(new.read_text().replace("warm and plain", "loud and bold"))
    with pytest.raises(PromptError, match="edited after it was registered"):
        ingested.prompts.load("draft", n)
    assert any(f"draft@{n} was edited after it was locked" in p for p in integrity.verify(ingested.prompts))
