"""The desk as a daily tool (issue 15): pages that tell the truth about state, refuse instead of cutting, keep
what was typed, show a secret once without a second token on reload, and work offline."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from fastapi.testclient import TestClient
from sqlmodel import Session, col, select

from app.auth.models import ApiToken
from app.brand import load_brand
from app.liveness import beat
from app.models import Brief, CheckFinding, Variant
from app.pipeline import runner
from app.states import VariantState
from tests.unit.test_api import BRIEF, drafted_variant, sign_in_page
from tests.unit.test_review_override import add_finding

LOCAL = re.compile(r"^(/(?!/)|#|data:)")


def asset_urls(html: str) -> list[str]:
    """Every URL a page loads: script src, link href, img src, and the url of JS string literals that load."""
    found = re.findall(r'(?:src|href)\s*=\s*["\']([^"\']+)["\']', html)
    found += re.findall(r'url\s*:\s*["\']([^"\']+)["\']', html)
    return found


def test_api_docs_pages_load_only_local_assets_and_those_are_served(client):
    for page in ("/docs", "/redoc"):
        answer = client.get(page)
        html = answer.text
        # The browser may load nothing from another origin, whatever the bundles ask for.
        assert "default-src 'self'" in answer.headers["content-security-policy"]
        urls = asset_urls(html)
        assert urls, f"{page} loads its viewer from somewhere"
        assert [u for u in urls if not LOCAL.match(u)] == [], f"{page} must not load anything from another host"
        assert "cdn" not in html.lower() and "googleapis" not in html
        scripts = [u for u in urls if u.endswith(".js")]
        assert scripts, f"{page} has its viewer script"
        for url in scripts + [u for u in urls if u.endswith(".css")]:
            asset = client.get(url)
            assert asset.status_code == 200 and len(asset.content) > 10_000, url
    assert client.get("/openapi.json").status_code == 200


def test_a_new_token_is_shown_once_and_a_reload_creates_no_second_token(client, ingested):
    csrf = sign_in_page(client, ingested, "ada", ["admin"])
    created = client.post("/ui/admin/tokens", data={"username": "ada", "name": "cms sync", "expires_days": "30",
                                                    "csrf_token": csrf}, follow_redirects=False)
    assert created.status_code == 303, "POST-redirect-GET: the answer to the form is a redirect"
    assert "cf_" not in created.headers["location"] and "cf_" not in created.text
    shown = client.get(created.headers["location"])
    secret = re.search(r'id="new-token">(cf_[^<]+)<', shown.text)
    assert secret, "the page the redirect leads to shows the secret"
    assert shown.headers["cache-control"] == "no-store"
    reloaded = client.get("/ui/admin")
    assert secret.group(1) not in reloaded.text and 'id="new-token"' not in reloaded.text
    with Session(ingested.engine) as session:
        assert len(session.exec(select(ApiToken).where(ApiToken.name == "cms sync")).all()) == 1


def test_a_stashed_secret_is_unreadable_in_another_browser_session(client, ingested):
    csrf = sign_in_page(client, ingested, "ada", ["admin"])
    created = client.post("/ui/admin/tokens", data={"username": "ada", "csrf_token": csrf}, follow_redirects=False)
    sealed = created.cookies.get("cf_reveal")
    assert sealed and "cf_" not in sealed, "the cookie carries the secret sealed, not in clear"
    other = TestClient(client.app)
    sign_in_page(other, ingested, "bea", ["admin"])
    other.cookies.set("cf_reveal", sealed)
    page = other.get("/ui/admin")
    assert page.status_code == 200 and 'id="new-token"' not in page.text


def test_a_refused_user_form_says_why_beside_the_form_and_keeps_what_was_typed(client, ingested):
    csrf = sign_in_page(client, ingested, "ada", ["admin"])
    refused = client.post("/ui/admin/users", data={
        "username": "-bad name", "display_name": "Lee Lowe", "brands": "fernhill", "roles": ["reviewer"],
        "password": "a long enough password", "csrf_token": csrf})
    assert refused.status_code == 422
    error = re.search(r'id="user-form-error">([^<]+)<', refused.text)
    assert error and "username" in error.group(1).lower()
    assert 'value="Lee Lowe"' in refused.text and 'value="-bad name"' in refused.text
    assert "a long enough password" not in refused.text, "a password is never echoed back"


def test_the_username_pattern_compiles_with_the_browsers_v_flag_rules(client, ingested):
    sign_in_page(client, ingested, "ada", ["admin"])
    pattern = re.search(r'name="username" required pattern="([^"]+)"', client.get("/ui/admin").text)
    assert pattern
    # In a v-flag class a literal "-" must be escaped unless it forms a range: no bare "-" before "]".
    assert not re.search(r"(?<!\\)-\]", pattern.group(1))
    assert re.fullmatch(pattern.group(1).replace("\\-", "-"), "demo-reviewer.2")


def test_an_over_long_key_message_is_refused_with_its_length_and_nothing_is_stored(client, ingested):
    csrf = sign_in_page(client, ingested, "mia", ["marketer"])
    form = client.get("/ui/briefs/new").text
    assert 'maxlength="1000"' not in form, "a maxlength would cut a pasted text without a word"
    assert 'data-max="1000"' in form, "the field shows a counter instead"
    long_message = "word " * 1680  # 8,400 characters
    answer = client.post("/ui/briefs/new", data={
        "csrf_token": csrf, "brand": "fernhill", "channels": ["linkedin"], "audience": "tea drinkers",
        "goal": "a launch", "key_message": long_message, "n_ideas": "1", "n_variants": "1"})
    assert answer.status_code == 422
    error = re.search(r'id="err-key_message">([^<]+)<', answer.text)
    assert error and error.group(1).startswith("at most 1,000 characters, this has 8,400")
    assert long_message.strip() in answer.text, "what was typed is kept for shortening"
    with Session(ingested.engine) as session:
        assert session.exec(select(Brief)).all() == []


def test_the_form_offers_only_the_brands_channels_and_refuses_others_in_words(client, ingested):
    csrf = sign_in_page(client, ingested, "mia", ["marketer"])
    used = load_brand(ingested.settings.brand_kb_dir, "fernhill").channels
    assert "facebook" not in used, "the demo brand does not publish on facebook"
    form = client.get("/ui/briefs/new").text
    assert set(re.findall(r'name="channels" value="([a-z]+)"', form)) == set(used)
    answer = client.post("/ui/briefs/new", data={
        "csrf_token": csrf, "brand": "fernhill", "channels": ["facebook"], "audience": "tea drinkers",
        "goal": "a launch", "key_message": "a calm evening cup", "n_ideas": "1", "n_variants": "1"})
    assert answer.status_code == 422
    error = re.search(r'id="err-channels">([^<]+)<', answer.text)
    assert error and "facebook" in error.group(1) and "[" not in error.group(1) and "'" not in error.group(1)
    unknown = client.post("/briefs", json={**BRIEF, "channels": ["fax"]}, headers={"X-CSRF-Token": csrf})
    assert unknown.status_code == 422 and "['fax']" not in unknown.json()["message"]
    assert "unknown channel fax" in unknown.json()["message"]


def test_a_brief_with_variants_in_different_states_says_so(client, ingested, fake_llm, enqueued, mia):
    first = drafted_variant(client, ingested, fake_llm, enqueued, mia)
    brief_id = first["brief_id"]
    with Session(ingested.engine) as session:
        original = session.get(Variant, first["id"])
        assert original is not None
        # Two more variants of the same idea, as best-of-N would keep: one published, one being redrafted.
        for ordinal, state in ((2, VariantState.published), (3, VariantState.changes_requested)):
            session.add(Variant(**{**original.model_dump(exclude={"id", "ordinal", "state"}),
                                   "ordinal": ordinal, "state": state}))
        brief = session.get(Brief, brief_id)
        assert brief is not None
        brief.state = "published"  # type: ignore[assignment]  # the most advanced variant's state
        session.add(brief)
        session.commit()
    progress = client.get(f"/briefs/{brief_id}/progress", headers=mia).json()
    assert progress["stage"] == "1 published, 1 waiting for review, 1 redrafting"
    assert progress["summary"] == "1 published, 1 waiting for review, 1 redrafting"
    assert progress["done"] is False, "a variant still waits: the page keeps polling"


def test_health_and_the_brief_page_say_when_no_worker_is_alive(client, ingested, mia):
    health = client.get("/health").json()
    assert health["status"] == "no_worker" and health["workers"]["alive"] == 0
    assert "factory worker" in health["workers"]["message"]
    brief = client.post("/briefs", json=BRIEF, headers=mia).json()
    note = client.get(f"/briefs/{brief['id']}/progress", headers=mia).json()["worker_note"]
    assert note and note.startswith("queued ") and "no worker is running" in note and "factory worker" in note

    beat(ingested.engine, name="host:1", queue="factory")
    assert client.get("/health").json()["status"] == "ok"
    assert client.get("/health").json()["workers"]["workers"] == ["host:1"]
    assert client.get(f"/briefs/{brief['id']}/progress", headers=mia).json()["worker_note"] is None

    stale = datetime.now(UTC) - timedelta(seconds=ingested.settings.worker_stale_s + 1)
    beat(ingested.engine, name="host:1", queue="factory", now=stale)
    report = client.get("/health").json()["workers"]
    assert report["alive"] == 0 and "last heartbeat" in report["message"]


def test_a_rejected_variant_shows_who_when_and_why_and_no_longer_waits(client, ingested, fake_llm, enqueued,
                                                                       mia, rob):
    variant = drafted_variant(client, ingested, fake_llm, enqueued, mia)
    rejected = client.post(f"/variants/{variant['id']}/reject", json={"comment": "off-brand tone for winter"},
                           headers=rob)
    assert rejected.status_code == 200
    sign_in_page(client, ingested, "rex", ["reviewer"])
    page = client.get(f"/ui/review/{variant['id']}").text
    note = re.search(r'id="decision-{}">(.*?)</p>'.format(variant["id"]), page, re.S)
    assert note, "the decision is on the page"
    text = " ".join(re.sub(r"<[^>]+>", " ", note.group(1)).split())
    assert text.startswith("Rejected by rob") and "off-brand tone for winter" in text and "ago" in text
    assert "waiting" not in re.search(r'class="item-head">(.*?)</div>\s*</div>', page, re.S).group(1)
    brief_page = client.get(f"/ui/briefs/{variant['brief_id']}").text
    assert f'id="decision-{variant["id"]}"' in brief_page and "off-brand tone for winter" in brief_page


def test_the_check_count_leaves_warnings_out_of_failures_and_counts_accepted_ones(client, ingested, fake_llm,
                                                                                  enqueued, mia):
    variant = drafted_variant(client, ingested, fake_llm, enqueued, mia)
    warning = add_finding(ingested, variant["id"], "warn")
    csrf = sign_in_page(client, ingested, "rex", ["reviewer"])
    count = re.compile(r'id="check-count">\s*<span class="check-count">([^<]+)</span>')
    before = count.search(client.get(f"/ui/review/{variant['id']}").text)
    assert before and before.group(1).startswith("0 failed of ") and "1 warning to look at" in before.group(1)
    client.post(f"/ui/review/{variant['id']}/findings/{warning}/accept",
                data={"reason": "the exclamation is the product's name", "csrf_token": csrf})
    after = count.search(client.get(f"/ui/review/{variant['id']}").text)
    assert after and "to look at" not in after.group(1) and "1 accepted" in after.group(1)


def test_a_findings_evidence_that_its_suggestion_repeats_is_printed_once(client, ingested, fake_llm, enqueued, mia):
    variant = drafted_variant(client, ingested, fake_llm, enqueued, mia)
    disclaimer = "Contains hibiscus; not for use during pregnancy."
    with Session(ingested.engine) as session:
        session.add(CheckFinding(variant_id=variant["id"], gate="draft", check="claims",
                                 rule="claims:missing_disclaimer:hibiscus", passed=False, severity="warn",
                                 reason="the text touches hibiscus but disclaimer hibiscus is absent",
                                 evidence=disclaimer, suggestion=f"add disclaimer hibiscus: {disclaimer}"))
        session.commit()
    sign_in_page(client, ingested, "rex", ["reviewer"])
    assert client.get(f"/ui/review/{variant['id']}").text.count(disclaimer) == 1


def test_an_outbox_delivery_is_not_shown_as_unanswered(client, ingested, fake_llm, enqueued, mia, rob):
    from app.pipeline import delivery, gate

    variant = drafted_variant(client, ingested, fake_llm, enqueued, mia)
    client.post(f"/variants/{variant['id']}/approve", json={}, headers=rob)
    gate.run_compliance(variant["id"], ingested)
    delivery.run_publish(variant["id"], ingested)
    sign_in_page(client, ingested, "pat", ["admin"])
    page = client.get("/ui/publishing").text
    assert "state-delivered" in page
    attempt = re.search(r'<span class="pill (pill-\w+) attempt"[^>]*>([^<]+)</span>', page)
    assert attempt and attempt.group(1) == "pill-ok" and attempt.group(2) == "#1 written"


def test_a_prompt_engineer_of_one_brand_is_told_why_there_are_no_promote_controls(client, ingested):
    sign_in_page(client, ingested, "pia", ["prompt_engineer"])
    page = client.get("/ui/prompts").text
    assert 'class="promote"' not in page
    why = re.search(r'id="why-no-promote-draft">(.*?)</p>', page, re.S)
    assert why and "every brand" in why.group(1) and "fernhill" in why.group(1)


def test_a_prompt_versions_full_text_has_its_own_page(client, ingested):
    sign_in_page(client, ingested, "pia", ["prompt_engineer"], brands=["*"])
    listing = client.get("/ui/prompts").text
    assert 'href="/ui/prompts/draft/versions/1"' in listing
    page = client.get("/ui/prompts/draft/versions/1")
    source = (ingested.settings.prompts_dir / "draft" / "v1.yaml").read_text(encoding="utf-8")
    first_line = source.splitlines()[0]
    assert page.status_code == 200 and first_line.replace('"', "&#34;").replace("'", "&#39;") in page.text
    assert client.get("/ui/prompts/draft/versions/99").status_code == 404


def test_the_edit_form_says_it_is_working_while_the_checks_run(client, ingested, fake_llm, enqueued, mia):
    variant = drafted_variant(client, ingested, fake_llm, enqueued, mia)
    sign_in_page(client, ingested, "rex", ["reviewer"])
    page = client.get(f"/ui/review/{variant['id']}").text
    assert re.search(r'id="edit-form"[^>]*\sdata-busy="[^"]+"', page)


def test_runner_refuses_off_brand_channels_in_words(ingested):
    from app.errors import InvalidInput
    from app.schemas import BriefCreate

    try:
        runner.submit_brief(deps=ingested, brief_in=BriefCreate.model_validate({**BRIEF, "channels": ["facebook"]}),
                            actor="mia")
    except InvalidInput as exc:
        assert exc.message.startswith("brand fernhill does not publish on facebook; it uses ")
        assert "[" not in exc.message
    else:
        raise AssertionError("an off-brand channel was accepted")
    with Session(ingested.engine) as session:
        assert session.exec(select(Brief).where(col(Brief.brand) == "fernhill")).all() == []


def test_a_variants_history_page_lists_revisions_decisions_and_deliveries_oldest_first(
        client, ingested, fake_llm, enqueued, mia, rob):
    from app.pipeline import delivery, gate

    variant = drafted_variant(client, ingested, fake_llm, enqueued, mia)
    edited = client.post(f"/variants/{variant['id']}/edit", headers=rob, json={
        "headline": "Quiet Hours, your evening cup", "body": variant["body"], "cta": variant["cta"],
        "comment": "a warmer headline"}).json()
    client.post(f"/variants/{edited['id']}/approve", json={}, headers=rob)
    gate.run_compliance(edited["id"], ingested)
    delivery.run_publish(edited["id"], ingested)
    sign_in_page(client, ingested, "rex", ["reviewer"])
    page = client.get(f"/ui/variants/{variant['id']}/history").text
    assert 'id="revision-1"' in page and 'id="revision-2"' in page
    assert "Quiet Hours, your evening cup" in page
    actions = re.findall(r'<tr class="event"><td>[^<]*</td><td>[^<]*</td><td>([^<]+)</td>', page)
    assert actions.index("variant.created".replace("_", " ")) < actions.index("variant.edited")
    assert actions.index("variant.edited") < actions.index("review.decided") < actions.index("delivery.attempt")
    assert "delivery.attempt result" in actions, "each attempt is listed under its delivery"
    assert f'href="/ui/variants/{edited["id"]}/history"' in client.get(f"/ui/briefs/{variant['brief_id']}").text


def test_an_item_waiting_longer_than_the_setting_is_marked_overdue(client, ingested, fake_llm, enqueued, mia):
    variant = drafted_variant(client, ingested, fake_llm, enqueued, mia)
    sign_in_page(client, ingested, "rex", ["reviewer"])
    assert 'id="overdue"' not in client.get(f"/ui/review/{variant['id']}").text
    with Session(ingested.engine) as session:
        row = session.get(Variant, variant["id"])
        assert row is not None
        row.created_at = datetime.now(UTC) - timedelta(hours=ingested.settings.review_overdue_h + 1)
        session.add(row)
        session.commit()
    assert 'id="overdue"' in client.get(f"/ui/review/{variant['id']}").text
