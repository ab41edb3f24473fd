"""The desk's prompt pages and the "Add as eval case" form: the registry listed for every role, label moves
through forms for prompt engineers only (CSRF, reasons, audit), diffs escaped, and a rejected variant
turned into a suite case by a reviewer or a prompt engineer, never with a suite that is not in the folder.

Every test runs on private copies of prompts/ and the suites (``private_settings``): nothing here writes
the repository's files."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.api.main import create_app
from app.evaluation.eval_suite import load_suite
from app.models import AuditEntry
from app.pipeline import runner
from app.pipeline.deps import Deps
from tests.unit.helpers import bearer
from tests.unit.test_api import drafted_variant, sign_in_page

REJECTION = 'Too clinical: do not say "lemon balm" in a launch post.'


ALL = ["*"]  # label moves change what every brand runs: only a prompt engineer of all brands may


def desk(deps: Deps, username: str, roles: list[str], brands: list[str] | None = None) -> tuple[TestClient, str]:
    """A browser of its own for ``username``, signed in through the form; returns it and its CSRF token."""
    client = TestClient(create_app(deps=deps))
    return client, sign_in_page(client, deps, username, roles, brands)


def _audit(deps: Deps, action: str) -> list[AuditEntry]:
    with Session(deps.engine) as s:
        return list(s.exec(select(AuditEntry).where(AuditEntry.action == action)))


def _rejected_variant(deps: Deps, fake_llm, enqueued) -> dict:
    """A drafted variant rejected by reviewer rex (through the API) with a comment that quotes a phrase."""
    api = TestClient(create_app(deps=deps))
    variant = drafted_variant(api, deps, fake_llm, enqueued, bearer(deps, "mia", ["marketer"]))
    rejected = api.post(f"/variants/{variant['id']}/reject", headers=bearer(deps, "rex", ["reviewer"]),
                        json={"comment": REJECTION})
    assert rejected.status_code == 200, rejected.text
    return variant


def test_the_prompts_page_lists_versions_labels_and_an_invalid_version_to_every_role(ingested: Deps):
    v2 = ingested.settings.prompts_dir / "draft" / "v2.yaml"
    v2.write_text(v2.read_text().replace("temperature: 0.9", "temperature: 0.1"))  # edited after its lock
    client, _csrf = desk(ingested, "mia", ["marketer"])

    page = client.get("/ui/prompts")

    assert page.status_code == 200, page.text
    html = page.text
    assert 'id="prompt-draft"' in html and 'id="prompt-ideas"' in html
    assert "production → v1" in html and "candidate → v4" in html and "experiment → v2" in html
    for version in (1, 2, 3):
        assert f'id="prompt-draft-v{version}"' in html
    sha1 = ingested.prompts.locked("draft")[1]
    assert f"<code title=\"{sha1}\">{sha1[:12]}</code>" in html
    invalid_row = html.split('id="prompt-draft-v2"')[1].split("</tr>")[0]
    assert "INVALID" in invalid_row and "edited after it was registered" in invalid_row
    assert 'href="/ui/prompts"' in html, "the nav links to the page"
    assert "/promote" not in html and "/rollback" not in html, "a marketer sees no forms"


def test_a_prompt_engineer_promotes_and_rolls_back_through_the_forms(ingested: Deps):
    client, csrf = desk(ingested, "pia", ["prompt_engineer"], ALL)
    landing = client.get("/ui", follow_redirects=False)
    assert landing.headers["location"] == "/ui/prompts", "the prompts page is the prompt engineer's desk"
    assert 'action="/ui/prompts/draft/promote"' in client.get("/ui/prompts").text

    moved = client.post("/ui/prompts/draft/promote", follow_redirects=False,
                        data={"label": "production", "version": "3", "reason": "v3 won the core eval",
                              "csrf_token": csrf})
    assert moved.status_code == 303 and moved.headers["location"] == "/ui/prompts#prompt-draft"
    assert ingested.prompts.labels("draft")["production"] == 3
    page = client.get("/ui/prompts").text
    assert "draft@production now points to version 3 (was version 1)" in page
    assert "v3 won the core eval" in page and "promote: v1 → v3" in page

    back = client.post("/ui/prompts/draft/rollback", data={"label": "production", "reason": "tone complaints",
                                                          "csrf_token": csrf})
    assert back.status_code == 200 and "draft@production rolled back to version 1" in back.text
    assert ingested.prompts.labels("draft")["production"] == 1
    assert "rollback: v3 → v1" in back.text

    [promoted], [rolled] = _audit(ingested, "prompt.promoted"), _audit(ingested, "prompt.rolled_back")
    assert (promoted.actor, promoted.subject_id, promoted.details["reason"]) == (
        "pia", "draft@production", "v3 won the core eval")
    assert (rolled.actor, rolled.details["to_version"], rolled.details["reason"]) == ("pia", 1, "tone complaints")


@pytest.mark.parametrize(("path", "form", "status", "says"), [
    ("/ui/prompts/draft/promote", {"label": "production", "version": "2", "reason": "  "}, 422, "give a reason"),
    ("/ui/prompts/draft/promote", {"label": "production", "version": "", "reason": "r"}, 422, "choose a version"),
    ("/ui/prompts/draft/promote", {"label": "Prod!", "version": "2", "reason": "r"}, 422, "lower-case letters"),
    ("/ui/prompts/draft/promote", {"label": "production", "version": "9", "reason": "r"}, 404, "no version 9"),
    ("/ui/prompts/poem/promote", {"label": "production", "version": "1", "reason": "r"}, 404, "no prompt named"),
    ("/ui/prompts/draft/rollback", {"label": "production", "reason": ""}, 422, "give a reason"),
    ("/ui/prompts/draft/rollback", {"label": "production", "reason": "undo"}, 409, "no earlier version"),
])
def test_a_refused_label_move_is_a_readable_error_page_and_moves_nothing(
    ingested: Deps, path: str, form: dict[str, str], status: int, says: str,
):
    client, csrf = desk(ingested, "pia", ["prompt_engineer"], ALL)
    response = client.post(path, data={**form, "csrf_token": csrf})
    assert response.status_code == status, response.text
    assert says in response.text and "Back to your desk" in response.text
    assert ingested.prompts.labels("draft") == {"production": 1, "candidate": 4, "experiment": 2}
    assert _audit(ingested, "prompt.promoted") == []


def test_label_moves_need_the_csrf_token_and_the_prompt_engineer_role(ingested: Deps):
    engineer, _csrf = desk(ingested, "pia", ["prompt_engineer"], ALL)
    forged = engineer.post("/ui/prompts/draft/promote", data={"label": "production", "version": "3",
                                                             "reason": "r"})
    assert forged.status_code == 403
    marketer, csrf = desk(ingested, "mia", ["marketer"])
    for path in ("/ui/prompts/draft/promote", "/ui/prompts/draft/rollback"):
        refused = marketer.post(path, data={"label": "production", "version": "3", "reason": "r",
                                            "csrf_token": csrf})
        assert refused.status_code == 403 and "Not for your role" in refused.text
        assert "prompt_engineer" in refused.text
    assert ingested.prompts.labels("draft")["production"] == 1


def test_a_prompt_engineer_of_one_brand_sees_no_label_forms_and_cannot_move_labels(ingested: Deps):
    engineer, csrf = desk(ingested, "fay", ["prompt_engineer"])  # fernhill only; prompts are shared
    page = engineer.get("/ui/prompts")
    assert page.status_code == 200 and 'action="/ui/prompts/draft/promote"' not in page.text
    refused = engineer.post("/ui/prompts/draft/promote", data={"label": "production", "version": "3",
                                                              "reason": "r", "csrf_token": csrf})
    assert refused.status_code == 403 and "all brands" in refused.text
    assert ingested.prompts.labels("draft")["production"] == 1


def test_the_diff_page_shows_the_unified_diff_escaped_and_preformatted(ingested: Deps):
    folder = ingested.settings.prompts_dir / "draft"
    n = max(ingested.prompts.locked("draft")) + 1  # a new version, after every shipped one
    new = (folder / "v1.yaml").read_text().replace("version: 1", f"version: {n}")
    (folder / f"v{n}.yaml").write_text(new.replace("description: ", "description: <script>alert(1)</script> "))
    client, _csrf = desk(ingested, "rob", ["reviewer"])

    changed = client.get("/ui/prompts/draft/diff", params={"a": "production", "b": "experiment"})
    assert changed.status_code == 200 and "draft@1 → draft@2" in changed.text
    assert '<pre class="card diff" id="diff">' in changed.text
    assert '<span class="d-add">+  You are a hype copywriter' in changed.text
    hostile = client.get("/ui/prompts/draft/diff", params={"a": "1", "b": str(n)}).text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in hostile and "<script>alert(1)" not in hostile
    assert "identical" in client.get("/ui/prompts/draft/diff", params={"a": "1", "b": "production"}).text
    missing = client.get("/ui/prompts/draft/diff", params={"a": "1", "b": "nightly"})
    assert missing.status_code == 404 and "has no label &#39;nightly&#39;" in missing.text


def test_a_reviewer_adds_an_eval_case_from_a_rejected_variant_with_the_form(ingested: Deps, fake_llm, enqueued):
    variant = _rejected_variant(ingested, fake_llm, enqueued)
    suite_file = ingested.settings.eval_suites_dir / "core.yaml"
    cases_before = len(load_suite(suite_file).cases)
    client, csrf = desk(ingested, "rob", ["reviewer"])

    item = client.get(f"/ui/review/{variant['id']}")
    assert item.status_code == 200 and "Add as eval case" in item.text
    assert '<option value="core">core</option>' in item.text and '<option value="claims">' in item.text
    brief_page = client.get(f"/ui/briefs/{variant['brief_id']}").text
    assert f'id="eval-case-{variant["id"]}"' in brief_page

    added = client.post(f"/ui/review/{variant['id']}/eval-case", follow_redirects=False,
                        data={"suite": "core", "back": f"/ui/review/{variant['id']}?sort=age", "csrf_token": csrf})
    assert added.status_code == 303 and added.headers["location"] == f"/ui/review/{variant['id']}?sort=age"
    notice = client.get(added.headers["location"]).text
    case_id = f"review-{variant['id'][:12]}"
    assert f"Eval case {case_id} added to suite core" in notice and "\u201clemon balm\u201d" in notice

    suite = load_suite(suite_file)
    assert len(suite.cases) == cases_before + 1
    case = suite.case(case_id)
    assert case.expect.must_not_mention == ["lemon balm"] and "rejected by rex" in case.note
    [entry] = _audit(ingested, "eval.case_added")
    assert (entry.actor, entry.subject_id, entry.details["suite"]) == ("rob", variant["id"], "core")

    again = client.post(f"/ui/review/{variant['id']}/eval-case",
                        data={"suite": "core", "back": f"/ui/review/{variant['id']}", "csrf_token": csrf})
    assert again.status_code == 200 and "already has a case" in again.text, "the refusal is the page's notice"
    assert len(load_suite(suite_file).cases) == cases_before + 1


def test_a_suite_that_is_not_in_the_folder_is_refused(ingested: Deps, fake_llm, enqueued):
    variant = _rejected_variant(ingested, fake_llm, enqueued)
    suites = ingested.settings.eval_suites_dir
    before = {p.name: p.read_text() for p in suites.glob("*.yaml")}
    client, csrf = desk(ingested, "rob", ["reviewer"])
    for suite in ("nightly", "../suites/core", "core.yaml", ""):
        refused = client.post(f"/ui/review/{variant['id']}/eval-case", data={"suite": suite, "csrf_token": csrf})
        assert refused.status_code == 422, (suite, refused.text)
        assert "no eval suite named" in refused.text and "adversarial, claims, core" in refused.text
    marketer, marketer_csrf = desk(ingested, "ann", ["marketer"])
    forbidden = marketer.post(f"/ui/review/{variant['id']}/eval-case",
                              data={"suite": "core", "csrf_token": marketer_csrf})
    assert forbidden.status_code == 403
    assert "Add as eval case" not in marketer.get(f"/ui/briefs/{variant['brief_id']}").text
    assert {p.name: p.read_text() for p in suites.glob("*.yaml")} == before
    assert _audit(ingested, "eval.case_added") == []


def test_a_prompt_engineer_adds_an_eval_case_from_the_brief_page(ingested: Deps, fake_llm, enqueued):
    """Prompt engineers may add cases but cannot open the review desk: the brief's variant card has the form."""
    variant = _rejected_variant(ingested, fake_llm, enqueued)
    client, csrf = desk(ingested, "pia", ["prompt_engineer"])
    assert client.get(f"/ui/review/{variant['id']}").status_code == 403
    back = f"/ui/briefs/{variant['brief_id']}#variant-{variant['id']}"
    assert f'name="back" value="{back}"' in client.get(f"/ui/briefs/{variant['brief_id']}").text

    added = client.post(f"/ui/review/{variant['id']}/eval-case", follow_redirects=False,
                        data={"suite": "claims", "back": back, "csrf_token": csrf})

    assert added.status_code == 303 and added.headers["location"] == back
    assert load_suite(ingested.settings.eval_suites_dir / "claims.yaml").case(f"review-{variant['id'][:12]}")


def test_a_revision_superseded_after_a_change_request_keeps_its_form_in_the_review_history(
    ingested: Deps, fake_llm, enqueued,
):
    """The redraft supersedes a sent-back revision within seconds: the case is offered on its successor's page."""
    api, mia = TestClient(create_app(deps=ingested)), bearer(ingested, "mia", ["marketer"])
    variant = drafted_variant(api, ingested, fake_llm, enqueued, mia)
    sent_back = api.post(f"/variants/{variant['id']}/request-changes", headers=bearer(ingested, "rex", ["reviewer"]),
                         json={"comment": 'Avoid "lemon balm" here.'})
    assert sent_back.status_code == 200, sent_back.text
    for _task, variant_id in enqueued.take():
        runner.run_redraft(variant_id, ingested)
    [successor] = [v for v in api.get(f"/briefs/{variant['brief_id']}/variants", headers=mia).json()
                   if v["revision"] == 2]
    client, csrf = desk(ingested, "rob", ["reviewer"])

    page = client.get(f"/ui/review/{successor['id']}").text

    assert f'id="eval-case-{variant["id"]}"' in page and f'id="eval-case-{successor["id"]}"' not in page
    added = client.post(f"/ui/review/{variant['id']}/eval-case",
                        data={"suite": "core", "back": f"/ui/review/{successor['id']}", "csrf_token": csrf})
    assert added.status_code == 200 and "added to suite core" in added.text
    case = load_suite(ingested.settings.eval_suites_dir / "core.yaml").case(f"review-{variant['id'][:12]}")
    assert case.expect.must_not_mention == ["lemon balm"] and "changes_requested" in case.tags
