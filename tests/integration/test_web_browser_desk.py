"""The desk as a daily tool (issue 15), in Debian's headless Chromium: offline API docs, a token page that a
reload cannot duplicate, layouts that hold at 390 px and with long unbroken strings, counters instead of silent
truncation, a valid username pattern, progress on a slow edit, and the reason a prompt engineer of one brand has
no promote controls. The app, fixtures and seams are those of ``test_web_browser``.
"""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, select

from app.auth import users
from app.auth.models import ApiToken
from app.db import session_scope
from app.models import CheckFinding
from app.pipeline import runner
from app.schemas import BriefCreate
from app.states import BriefState, VariantState
from tests.integration import test_web_browser as base
from tests.integration.test_web_browser import PASSWORD, Desk, shot, sign_in

pytestmark = base.pytestmark
# The same app, browser and page fixtures (module-scoped desk: one server for this module's tests too).
desk, browser, page = base.desk, base.browser, base.page
PHONE = {"width": 390, "height": 844}


def overflow_px(page: Any) -> int:
    """How far the page is wider than the window (0: no horizontal scrolling)."""
    return int(page.evaluate("document.documentElement.scrollWidth - window.innerWidth"))


def in_review(desk: Desk, actor: str = "mia", **fields: Any) -> tuple[str, str]:
    """A brief (the fixture's, with ``fields`` changed) submitted by ``actor`` and drafted; its id and one variant
    in review."""
    brief_in = BriefCreate(**{"brand": "fernhill", "product": "quiet-hours", "channels": ["linkedin"], "n_ideas": 1,
                              "n_variants": 1, "audience": "evening tea drinkers", "goal": "winter launch",
                              "key_message": "a naturally caffeine-free evening blend", **fields})
    brief_id = runner.submit_brief(deps=desk.deps, brief_in=brief_in, actor=actor).id
    assert desk.wait_state(brief_id, {BriefState.in_review, BriefState.failed}) is BriefState.in_review
    variant = next(v for v in desk.variants(brief_id) if v.state is VariantState.in_review)
    return brief_id, variant.id


def test_api_docs_render_with_every_request_off_the_machine_blocked(desk, browser):
    context = browser.new_context()
    outside: list[str] = []

    def only_loopback(route: Any) -> None:
        if route.request.url.startswith(desk.url):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    context.route("**/*", only_loopback)
    page = context.new_page()
    try:
        page.goto(f"{desk.url}/docs")
        page.wait_for_selector(".swagger-ui .info .title", timeout=20_000)
        assert "Content Factory" in page.inner_text(".swagger-ui .info .title")
        assert page.locator(".opblock").count() > 10, "the operations are listed"
        shot(page, "docs-offline")
        page.goto(f"{desk.url}/redoc")
        page.wait_for_selector("text=Briefs to reviewed", timeout=30_000)
        shot(page, "redoc-offline")
    finally:
        context.close()
    assert outside == [], f"the docs asked for {outside}"


def test_reloading_the_new_token_page_shows_it_no_more_and_creates_no_second_token(desk, page):
    sign_in(page, desk, "ada")
    page.select_option("#tokens select[name=username]", "rob")
    page.fill("#tokens input[name=name]", "reload check")
    page.click("#tokens button:has-text('Create token')")
    secret = page.inner_text("#new-token")
    assert secret.startswith("cf_")
    page.reload()
    assert page.locator("#new-token").count() == 0 and secret not in page.content()
    with Session(desk.deps.engine) as session:
        assert len(session.exec(select(ApiToken).where(ApiToken.name == "reload check")).all()) == 1


def test_the_username_pattern_is_valid_and_enforced_in_chromium(desk, page):
    messages: list[str] = []
    page.on("console", lambda m: messages.append(m.text))
    sign_in(page, desk, "ada")
    field = page.locator("#users input[name=username]")
    field.fill("Not Valid")
    assert field.evaluate("el => el.checkValidity()") is False, "the pattern is compiled and applied"
    field.fill("demo-reviewer.2")
    assert field.evaluate("el => el.checkValidity()") is True
    assert not [m for m in messages if "pattern" in m.lower()], messages


def test_a_refused_user_keeps_the_form_and_shows_its_error_in_view(desk, page):
    sign_in(page, desk, "ada")
    form = page.locator("form[action='/ui/admin/users']")
    form.locator("input[name=username]").fill("rob")  # exists already
    form.locator("input[name=display_name]").fill("Another Rob")
    form.locator("input[name=brands]").fill("fernhill")
    form.locator("button:has-text('Add user')").click()
    page.wait_for_selector("#user-form-error")
    assert page.locator("#user-form-error").is_visible()
    assert page.locator("form[action='/ui/admin/users'] input[name=display_name]").input_value() == "Another Rob"
    shot(page, "admin-user-refused")


def test_a_long_key_message_is_counted_refused_and_kept_not_cut(desk, page):
    sign_in(page, desk, "mia")
    page.goto(f"{desk.url}/ui/briefs/new")
    assert page.locator("label[data-brands] input[value=facebook]").count() == 0, "fernhill does not use it"
    long_text = "A calm cup " * 110  # 1,210 characters
    page.check("input[name=channels][value=linkedin]")
    page.fill("input[name=audience]", "evening tea drinkers")
    page.fill("input[name=goal]", "winter launch")
    page.fill("textarea[name=key_message]", long_text)
    counter = page.locator("textarea[name=key_message] + .counter")
    assert "too many" in counter.inner_text() and "over" in (counter.get_attribute("class") or "")
    page.click("button:has-text('Submit brief')")
    page.wait_for_selector("#err-key_message")
    assert "at most 1,000 characters, this has 1,210" in page.inner_text("#err-key_message")
    assert len(page.input_value("textarea[name=key_message]")) == len(long_text), "nothing was cut"
    shot(page, "brief-form-too-long")


def test_long_unbroken_strings_and_a_phone_screen_do_not_widen_the_pages(desk, browser):
    unbroken = "Quiet" + "Hours" * 150  # 755 characters without a space
    brief_id, _variant_id = in_review(desk, key_message=unbroken, audience="x" * 300)
    for viewport in ({"width": 1400, "height": 1000}, PHONE):
        context = browser.new_context(viewport=viewport)
        page = context.new_page()
        try:
            sign_in(page, desk, "mia")
            page.goto(f"{desk.url}/ui/briefs/{brief_id}")
            assert overflow_px(page) <= 0, f"brief page at {viewport['width']} px"
            page.goto(f"{desk.url}/ui/briefs")
            assert overflow_px(page) <= 0, f"brief list at {viewport['width']} px"
            shot(page, f"briefs-list-{viewport['width']}")
        finally:
            context.close()


def test_the_accept_warning_reason_box_is_wide_enough_to_write_in(desk, page):
    _brief_id, variant_id = in_review(desk)
    with session_scope(desk.deps.engine) as session:
        session.add(CheckFinding(variant_id=variant_id, gate="draft", check="style", rule="style:exclamation",
                                 passed=False, severity="warn", reason="two exclamation marks in a row"))
    sign_in(page, desk, "rob")
    page.goto(f"{desk.url}/ui/review/{variant_id}")
    box = page.locator(".accept-row input[name=reason]").first.bounding_box()
    assert box is not None and box["width"] >= 180, box
    assert "1 warning to look at" in page.inner_text("#check-count")
    page.locator(".accept-row input[name=reason]").first.fill("the brand's own punctuation")
    page.locator(".accept-row button").first.click()
    page.wait_for_selector(".flash-ok")
    assert "1 accepted" in page.inner_text("#check-count") and "to look at" not in page.inner_text("#check-count")


def test_save_check_and_approve_shows_progress_while_the_checks_run(desk, page):
    _brief_id, variant_id = in_review(desk)
    sign_in(page, desk, "rob")
    page.goto(f"{desk.url}/ui/review/{variant_id}")

    # The form's own handler runs; this later one keeps the page from leaving, as seconds of real checks would.
    page.evaluate("window.addEventListener('submit', event => event.preventDefault())")
    page.keyboard.press("e")
    page.fill("#edit-form input[name=headline]", "Quiet Hours, your evening cup")
    page.click("#edit-form button[value=approve]")
    busy = page.locator("#edit-form .busy")
    busy.wait_for(state="visible", timeout=5_000)
    assert "running every check again" in busy.inner_text()
    page.wait_for_function("document.querySelector('#edit-form button[value=approve]').disabled")
    shot(page, "reviewer-edit-progress")


def test_a_prompt_engineer_of_one_brand_is_told_why_they_cannot_promote(desk, page):
    with session_scope(desk.deps.engine) as session:
        users.create_user(session, username="pat", roles=["prompt_engineer"], brands=["fernhill"],
                          password=PASSWORD, display_name="Pat Prompts", actor="test")
    sign_in(page, desk, "pat")
    page.goto(f"{desk.url}/ui/prompts")
    assert page.locator("form.promote").count() == 0
    assert "every brand" in page.inner_text("#why-no-promote-draft")
    page.click("#prompt-draft-v1 a")
    page.wait_for_url("**/ui/prompts/draft/versions/1")
    assert "draft@1" in page.inner_text("h1") and page.inner_text("#version-source").strip()


def test_the_metrics_page_and_a_variants_history_render_and_fit_a_phone(desk, browser):
    _brief_id, variant_id = in_review(desk)
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    try:
        sign_in(page, desk, "rob")
        page.goto(f"{desk.url}/ui/metrics?brand=fernhill&days=30")
        assert "Briefs submitted" in page.inner_text("#kpi-table")
        assert page.locator("svg.chart").count() >= 1, "the charts are drawn"
        assert overflow_px(page) <= 0
        shot(page, "metrics-phone")
        page.goto(f"{desk.url}/ui/variants/{variant_id}/history")
        assert "variant.created" in page.inner_text("#events")
        assert overflow_px(page) <= 0
        shot(page, "variant-history-phone")
    finally:
        context.close()
