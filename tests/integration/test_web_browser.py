"""The review desk in a real browser: Debian's headless Chromium driven by Playwright.

The app is served by uvicorn in a thread on 127.0.0.1 (a free port), on a real SQLite database and
Qdrant local mode in a temporary folder. Two seams are replaced, as in the unit tests: the LLM (a
FakeLLM answering ideas or drafts by the schema asked for) and the queue (a thread that runs the stage
functions inline). The real worker process and the real local model are covered by
``tests/integration/test_e2e_*.py``; these tests are about the pages, roles and keyboard.

Screenshots land in ``test-artifacts/`` (ignored by git).
"""

from __future__ import annotations

import json
import logging
import queue
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import Session, select

from app.api.main import create_app
from app.auth import users
from app.db import session_scope, upgrade
from app.guardrails.base import CheckResult, Severity
from app.models import Brief, Variant
from app.pipeline import delivery, gate, review, runner
from app.pipeline.deps import Deps
from app.pipeline.knowledge import ingest_brand
from app.schemas import BriefCreate
from app.settings import PROJECT_ROOT
from app.states import BriefState, VariantState
from app.wiring import build_deps
from tests.conftest import private_settings
from tests.fakes import IDEAS, FakeLLM, HashingEmbedder
from tests.unit.test_api import PASSING_DRAFT

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
ARTIFACTS = PROJECT_ROOT / "test-artifacts"
PASSWORD = "a long test password"
pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed at /usr/bin/chromium "
                       "(`apt-get install chromium`; `make install` does it as root): browser tests skipped"),
]
sync_api = pytest.importorskip("playwright.sync_api")
log = logging.getLogger(__name__)
HEADLINES = ["Meet Quiet Hours", "Quiet Hours, for calm evenings", "An evening cup called Quiet Hours",
             "Quiet Hours: wind down gently"]


class SchemaAwareLLM(FakeLLM):
    """Answers ideas when asked for ideas, else a passing draft with a varying headline."""

    def complete(self, messages: list[dict[str, str]], *, params: dict[str, Any],
                 json_schema: dict[str, Any] | None) -> Any:
        if "ideas" in (json_schema or {}).get("properties", {}):
            self.enqueue(IDEAS)
        else:
            self.enqueue({**PASSING_DRAFT, "headline": HEADLINES[len(self.history) % len(HEADLINES)]})
        return super().complete(messages, params=params, json_schema=json_schema)


class InlineQueue:
    """The queue seam: one thread runs each enqueued stage function, in order."""

    def __init__(self) -> None:
        self.deps: Deps | None = None
        self.errors: list[BaseException] = []
        self._tasks: queue.Queue[tuple[str, str] | None] = queue.Queue()
        self._thread = threading.Thread(target=self._work, name="inline-queue", daemon=True)

    def __call__(self, task: str, item_id: str, **_options: Any) -> None:
        self._tasks.put((task, item_id))

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._tasks.put(None)
        self._thread.join(timeout=10)

    def _work(self) -> None:
        stages: dict[str, Callable[[str, Deps], Any]] = {
            "ideate": runner.run_ideation, "draft": runner.run_drafting, "redraft": runner.run_redraft,
            "compliance": gate.run_compliance, "publish": delivery.run_publish,
        }
        while (item := self._tasks.get()) is not None:
            task, item_id = item
            try:
                assert self.deps is not None
                stages[task](item_id, self.deps)
            except BaseException as exc:  # recorded and asserted on by the tests, never swallowed silently
                log.exception("stage %s(%s) failed", task, item_id)
                self.errors.append(exc)


@dataclass
class Desk:
    url: str
    deps: Deps
    tasks: InlineQueue

    def submit(self, actor: str, **overrides: Any) -> str:
        brief_in = BriefCreate(brand="fernhill", product="quiet-hours", channels=["linkedin"], n_ideas=1,
                               n_variants=2, audience="evening tea drinkers", goal="winter launch",
                               key_message="a naturally caffeine-free evening blend", **overrides)
        return runner.submit_brief(deps=self.deps, brief_in=brief_in, actor=actor).id

    def wait_state(self, brief_id: str, states: set[BriefState], timeout_s: float = 60) -> BriefState:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            with Session(self.deps.engine) as session:
                brief = session.get(Brief, brief_id)
            assert brief is not None
            if brief.state in states:
                return brief.state
            assert not self.tasks.errors, self.tasks.errors
            time.sleep(0.1)
        raise AssertionError(f"brief {brief_id} stayed {brief.state.value}")

    def variants(self, brief_id: str) -> list[Variant]:
        with Session(self.deps.engine) as session:
            return list(session.exec(select(Variant).where(Variant.brief_id == brief_id)).all())


@pytest.fixture(scope="module")
def desk(tmp_path_factory) -> Iterator[Desk]:
    import uvicorn

    settings = private_settings(tmp_path_factory.mktemp("desk") / "var")  # label moves must not touch prompts/
    llm, tasks = SchemaAwareLLM(), InlineQueue()
    deps = build_deps(settings, enqueue=tasks, llm_factory=lambda: llm, embedder=HashingEmbedder())
    tasks.deps = deps
    upgrade(deps.engine)
    ingest_brand(deps, settings.brand_kb_dir / "fernhill", brand="fernhill")
    with session_scope(deps.engine) as session:
        for name, roles, display in (("mia", ["marketer"], "Mia Marketer"), ("rob", ["reviewer"], "Rob Reviewer"),
                                     ("sam", ["marketer", "reviewer"], "Sam (both roles)"),
                                     ("cai", ["compliance"], "Cai Compliance"), ("ada", ["admin"], "Ada Admin"),
                                     ("pia", ["prompt_engineer"], "Pia Prompts")):
            # A prompt engineer moves labels every brand runs, so only one of all brands may.
            brands = ["*"] if name == "pia" else ["fernhill"]
            users.create_user(session, username=name, roles=roles, brands=brands, password=PASSWORD,
                              display_name=display, actor="test")
    tasks.start()
    server = uvicorn.Server(uvicorn.Config(create_app(deps=deps), host="127.0.0.1", port=0, log_level="warning"))
    thread = threading.Thread(target=server.run, name="uvicorn", daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    port = server.servers[0].sockets[0].getsockname()[1]
    yield Desk(url=f"http://127.0.0.1:{port}", deps=deps, tasks=tasks)
    server.should_exit = True
    thread.join(timeout=10)
    tasks.stop()
    deps.engine.dispose()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def sign_in(page: Any, desk: Desk, username: str) -> None:
    page.goto(f"{desk.url}/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()
    assert "/ui/login" not in page.url, page.content()[:500]


def shot(page: Any, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def test_marketer_submits_a_brief_and_sees_its_variants_side_by_side(desk, page):
    sign_in(page, desk, "mia")
    page.click("text=New brief")
    page.click("button:has-text('Submit brief')")  # nothing filled in: validation messages, nothing stored
    assert page.locator(".field-error").count() >= 3
    assert page.locator("#err-channels").count() == 1 and page.locator("#err-audience").count() == 1
    shot(page, "marketer-brief-form-errors")
    page.select_option("select[name=product]", "quiet-hours")
    page.check("input[name=channels][value=linkedin]")
    page.fill("input[name=audience]", "busy professionals who drink tea in the evening")
    page.fill("input[name=goal]", "introduce Quiet Hours before winter")
    page.fill("textarea[name=key_message]", "Quiet Hours is a naturally caffeine-free evening blend")
    page.fill("input[name=n_ideas]", "2")
    page.fill("input[name=n_variants]", "2")
    page.click("button:has-text('Submit brief')")
    page.wait_for_url("**/ui/briefs/*")
    assert "Brief submitted" in page.inner_text(".flash")
    # The page polls its progress every 2 s and reloads when drafts arrive.
    page.wait_for_function("document.querySelectorAll('article.variant').length === 4", timeout=45_000)
    assert page.locator(".idea").count() == 2
    assert "Waiting for review" in page.inner_text("#progress-stage")
    page.locator("article.variant details summary").first.click()
    assert ".md" in page.locator("article.variant .sources").first.inner_text() \
        or ".yaml" in page.locator("article.variant .sources").first.inner_text()
    shot(page, "marketer-brief-variants")


def test_reviewer_edits_approves_with_the_keyboard_and_it_reaches_the_outbox(desk, page):
    brief_id = desk.submit("mia")
    assert desk.wait_state(brief_id, {BriefState.in_review, BriefState.failed}) is BriefState.in_review
    sign_in(page, desk, "rob")
    assert "/ui/review/" in page.url, "a reviewer lands on the first item of the queue"
    target = next(v for v in desk.variants(brief_id) if v.state is VariantState.in_review)
    page.goto(f"{desk.url}/ui/review/{target.id}")
    shot(page, "reviewer-desk")
    page.keyboard.press("e")
    page.fill("#edit-form input[name=headline]", "Quiet Hours!! Your evening cup")
    page.click("#edit-form button[value=save]")
    page.wait_for_url("**/ui/review/*")
    assert "Edit saved and checked again" in page.inner_text(".flash")
    assert "revision 2" in page.inner_text(".item-head")
    shot(page, "reviewer-desk-after-edit")
    edited_id = page.url.rsplit("/", 1)[-1].split("?")[0]
    page.keyboard.press("a")
    page.wait_for_selector(".flash-ok")
    assert "Approved" in page.inner_text(".flash")
    outbox = desk.deps.settings.outbox_dir
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not list(outbox.glob("*.json")):
        time.sleep(0.1)
    [published] = [json.loads(p.read_text()) for p in outbox.glob("*.json")
                   if json.loads(p.read_text())["payload"]["variant_id"] == edited_id]
    assert published["payload"]["headline"] == "Quiet Hours!! Your evening cup"
    assert published["payload"]["approved_by"] == "rob"
    page.goto(f"{desk.url}/ui/publishing")
    assert "delivered" in page.inner_text("table.list")
    shot(page, "publishing-view")


def test_reviewer_cannot_approve_a_brief_they_submitted(desk, page):
    brief_id = desk.submit("sam")
    assert desk.wait_state(brief_id, {BriefState.in_review, BriefState.failed}) is BriefState.in_review
    variant = desk.variants(brief_id)[0]
    sign_in(page, desk, "sam")
    page.goto(f"{desk.url}/ui/review/{variant.id}")
    assert "You submitted this brief" in page.inner_text("#decide-form")
    page.click("#btn-approve")
    page.wait_for_selector(".flash-error")
    assert "sam submitted this brief; another reviewer must approve it" in page.inner_text(".flash-error")
    shot(page, "reviewer-own-brief-refused")
    assert desk.variants(brief_id)[0].state is VariantState.in_review


def test_marketer_cannot_open_the_reviewer_desk(desk, page):
    sign_in(page, desk, "mia")
    assert page.locator("header nav a:has-text('Review')").count() == 0, "no link to a desk the role cannot use"
    response = page.goto(f"{desk.url}/ui/review")
    assert response is not None and response.status == 403
    assert "Not for your role" in page.inner_text("h1")
    assert "reviewer" in page.inner_text("main")
    shot(page, "marketer-review-desk-forbidden")



def test_compliance_officer_clears_a_blocked_variant_and_it_is_published(desk, page):
    brief_id = desk.submit("mia")
    assert desk.wait_state(brief_id, {BriefState.in_review, BriefState.failed}) is BriefState.in_review
    variant = desk.variants(brief_id)[0]
    blocking = CheckResult(check="banned_terms", rule="banned_term:calm", passed=False, severity=Severity.block,
                           spans=((len(variant.headline) + 3, len(variant.headline) + 7),),
                           reason="'calm' is on the brand's banned list this season")
    real = desk.deps.guardrails.evaluate
    desk.deps.guardrails.evaluate = lambda *a, **k: [blocking]  # type: ignore[method-assign]
    try:  # the gate (run by the queue thread) sees one blocking finding
        review.approve(desk.deps, variant_id=variant.id, actor="rob")
        assert desk.wait_state(brief_id, {BriefState.blocked}) is BriefState.blocked
    finally:
        desk.deps.guardrails.evaluate = real  # type: ignore[method-assign]
    sign_in(page, desk, "cai")
    assert page.url.endswith("/ui/compliance")
    card = page.locator(f"#variant-{variant.id}")
    assert "banned list" in card.inner_text() and card.locator("mark.sev-block").count() == 1
    shot(page, "compliance-blocked")
    card.locator("textarea[name=reason]").fill("approved wording for the winter campaign")
    card.locator("button:has-text('Clear and publish')").click()
    page.wait_for_selector(".flash-ok")
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and desk.wait_state(brief_id, set(BriefState)) is not BriefState.published:
        time.sleep(0.1)
    assert any(json.loads(p.read_text())["payload"]["variant_id"] == variant.id
               for p in desk.deps.settings.outbox_dir.glob("*.json"))


def test_admin_creates_a_token_that_is_shown_once(desk, page):
    sign_in(page, desk, "ada")
    assert page.url.endswith("/ui/admin")
    page.select_option("#tokens select[name=username]", "rob")
    page.fill("#tokens input[name=name]", "cms sync")
    page.click("#tokens button:has-text('Create token')")
    secret = page.inner_text("#new-token")
    assert secret.startswith("cf_")
    shot(page, "admin-token-created")
    page.goto(f"{desk.url}/ui/admin")
    assert secret not in page.content(), "the secret is shown once"


def test_prompt_engineer_promotes_a_version_from_the_prompts_page(desk, page):
    sign_in(page, desk, "pia")
    assert page.url.endswith("/ui/prompts"), "a prompt engineer lands on the prompts page"
    card = page.locator("#prompt-draft")
    assert "candidate → v4" in card.inner_text()
    shot(page, "prompt-engineer-prompts")
    # A new label, so that the briefs of the other tests (which resolve production) are unaffected.
    promote = card.locator("form.promote")
    promote.locator("input[name=label]").fill("staging")
    promote.locator("select[name=version]").select_option("3")
    promote.locator("input[name=reason]").fill("v3 for the staging desk")
    promote.locator("button:has-text('Promote')").click()
    page.wait_for_selector(".flash-ok")
    assert "draft@staging now points to version 3" in page.inner_text(".flash")
    assert "v3 for the staging desk" in page.inner_text("#prompt-draft table.history")
    assert desk.deps.prompts.labels("draft")["staging"] == 3
    card.locator("button:has-text('Show diff')").click()
    page.wait_for_url("**/ui/prompts/draft/diff*")
    assert "draft@1 → draft@4" in page.inner_text("h1")  # production and candidate (tests/conftest SPEC_LABELS)
    shot(page, "prompt-engineer-diff")
