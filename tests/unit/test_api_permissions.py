"""The permission matrix: every API route against every kind of caller.

Callers: one token per role (on brand fernhill; the prompt engineer on every brand), no credentials,
an expired token, a revoked token, and a token of a user holding every role but on another brand.
Expected: the role table of ``app.auth.roles`` (403 for a role that may not), 401 without valid
credentials, and 404 (never 403) for an item of a brand the caller does not belong to, so that
existence does not leak.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.api.main import create_app
from app.auth import tokens, users
from app.auth.models import ApiToken
from app.db import session_scope
from app.guardrails.base import CheckResult, Severity
from app.models import CheckFinding, Delivery, Idea, Variant
from app.pipeline import gate, review, runner
from app.pipeline.deps import Deps
from app.prompting import labels
from app.schemas import BriefCreate
from app.states import DeliveryState
from tests.conftest import module_deps
from tests.fakes import IDEAS, FakeLLM
from tests.unit.performance_helpers import declare_winner, seeded_slot
from tests.unit.test_api import PASSING_DRAFT

ROLES = ("marketer", "reviewer", "compliance", "admin", "prompt_engineer", "analytics")
EVERYONE = set(ROLES) - {"analytics"}  # every person; analytics is a machine's role (events and allocation only)
MEASURING = EVERYONE | {"analytics"}
BRIEF = {"brand": "fernhill", "channels": ["linkedin"], "n_ideas": 1, "n_variants": 1,
         "audience": "evening tea drinkers", "goal": "launch", "key_message": "caffeine-free"}
EDIT = {"headline": "Quiet Hours, for your evenings", "body": PASSING_DRAFT["body"], "cta": "Try Quiet Hours"}
_names = itertools.count()


@dataclass(frozen=True)
class Route:
    method: str
    path: str  # placeholders such as {brief}, {variant}, {rejected}, {token}, {label} are filled per case
    allowed: set[str]
    ok: int = 200
    body: object = None
    scoped: bool = False  # an item of one brand: 404 to callers of other brands


ROUTES = [
    Route("GET", "/health", MEASURING | {"anonymous", "expired", "revoked"}),  # probes carry no credentials
    Route("GET", "/provenance/public-key", MEASURING | {"anonymous", "expired", "revoked"}),  # public by design
    Route("GET", "/me", MEASURING),
    Route("GET", "/metrics", EVERYONE),
    Route("GET", "/metrics/kpis", EVERYONE),
    Route("GET", "/metrics/kpis.csv", EVERYONE),
    Route("GET", "/briefs", EVERYONE),
    Route("POST", "/briefs", {"marketer"}, 201, BRIEF),
    Route("GET", "/briefs/{brief}", EVERYONE, scoped=True),
    Route("GET", "/briefs/{brief}/progress", EVERYONE, scoped=True),
    Route("GET", "/briefs/{brief}/ideas", EVERYONE, scoped=True),
    Route("GET", "/briefs/{brief}/variants", EVERYONE, scoped=True),
    Route("GET", "/briefs/{brief}/audit", EVERYONE, scoped=True),
    Route("GET", "/review/queue", {"reviewer"}),
    Route("GET", "/variants/{variant}", EVERYONE, scoped=True),
    Route("GET", "/variants/{variant}/candidates", EVERYONE, scoped=True),
    Route("POST", "/variants/{variant}/approve", {"reviewer"}, body={}, scoped=True),
    Route("POST", "/variants/{variant}/request-changes", {"marketer", "reviewer", "compliance"},
          body={"comment": "shorter"}, scoped=True),
    Route("POST", "/variants/{variant}/reject", {"reviewer"}, body={"comment": "off brand"}, scoped=True),
    Route("POST", "/variants/{variant}/edit", {"reviewer"}, 201, EDIT, scoped=True),
    Route("POST", "/variants/{variant}/edit-and-approve", {"reviewer"}, 201, EDIT, scoped=True),
    Route("POST", "/variants/{variant}/findings/{finding}/override", {"reviewer"}, 201,
          {"reason": "fine for this audience"}, scoped=True),
    Route("GET", "/compliance/blocked", {"compliance"}),
    Route("POST", "/variants/{blocked}/clear", {"compliance"}, body={"reason": "fine in context"}, scoped=True),
    Route("GET", "/deliveries", {"reviewer", "compliance", "admin"}),
    Route("POST", "/variants/{dead}/delivery/retry", {"compliance", "admin"}, 202, scoped=True),
    Route("GET", "/audit/verify", {"compliance", "admin"}),  # the whole log, every brand: no item to scope
    Route("GET", "/admin/users", {"admin"}),
    Route("POST", "/admin/users", {"admin"}, 201, "new-user"),
    Route("PATCH", "/admin/users/{user}", {"admin"}, body={"active": True}, scoped=True),
    Route("GET", "/admin/tokens", {"admin"}),
    Route("POST", "/admin/tokens", {"admin"}, 201, {"username": "target", "expires_days": 1}, scoped=True),
    Route("POST", "/admin/tokens/{token}/revoke", {"admin"}, scoped=True),
    Route("GET", "/admin/brands", {"admin"}),
    Route("POST", "/admin/brands/fernhill/ingest", {"admin"}, scoped=True),
    # Prompts are shared by every brand: not scoped, so a prompt engineer of another brand may read and move them.
    Route("GET", "/prompts", EVERYONE),
    Route("GET", "/prompts/{prompt}/versions/{selector}", EVERYONE),
    Route("GET", "/prompts/{prompt}/diff", EVERYONE),
    Route("GET", "/prompts/{prompt}/history", EVERYONE),
    Route("POST", "/prompts/{prompt}/labels/{label}/promote", {"prompt_engineer"}, body={"version": 2, "reason": "t"}),
    Route("POST", "/prompts/{prompt}/labels/{moved}/rollback", {"prompt_engineer"}, body={"reason": "undo"}),
    Route("POST", "/variants/{rejected}/eval-case", {"reviewer", "prompt_engineer"}, 201, {"suite": "core"},
          scoped=True),
    Route("POST", "/events", {"analytics"}, body={"events": []}),  # events of other brands: refused per event
    Route("GET", "/slots/{slot}", MEASURING, scoped=True),
    Route("GET", "/slots/{slot}/weights", MEASURING, scoped=True),
    Route("GET", "/slots/{slot}/choice", MEASURING, scoped=True),
    Route("POST", "/variants/{published}/retract", {"reviewer", "compliance"}, body={"reason": "offer ended"},
          scoped=True),
    Route("POST", "/brands/fernhill/claims/C-099/withdraw", {"compliance"}, body={"reason": "lapsed"}, scoped=True),
    Route("GET", "/brands/fernhill/learning", MEASURING, scoped=True),
    Route("POST", "/slots/{won}/eval-case", {"reviewer", "prompt_engineer"}, 201, {"suite": "core"}, scoped=True),
]
CALLERS = (*ROLES, "anonymous", "expired", "revoked", "other_brand")


def expected(route: Route, caller: str) -> int:
    if caller in route.allowed:
        return route.ok
    if caller in {"anonymous", "expired", "revoked"}:
        return 401
    if caller == "other_brand":  # holds every role, on another brand
        if route.method == "POST" and route.path in {"/briefs", "/admin/users"}:
            return 403  # submitting to, or granting, a brand one does not belong to
        if route.path.startswith("/prompts/") and route.method == "POST":
            return 403  # prompts are shared by every brand: moving a label needs all brands
        return 404 if route.scoped else 200
    return 403


MATRIX = [pytest.param(r, c, expected(r, c), id=f"{c}-{r.method}-{r.path}") for r in ROUTES for c in CALLERS]


@dataclass
class World:
    deps: Deps
    client: TestClient
    llm: FakeLLM
    headers: dict[str, dict[str, str]] = field(default_factory=dict)
    shared: dict[str, str] = field(default_factory=dict)

    def brief_with_variant(self) -> tuple[str, str]:
        self.llm.enqueue(IDEAS)
        brief = runner.submit_brief(deps=self.deps, brief_in=BriefCreate(**BRIEF), actor="mia")
        runner.run_ideation(brief.id, self.deps)
        with Session(self.deps.engine) as s:
            [idea] = s.exec(select(Idea).where(Idea.brief_id == brief.id)).all()
        runner.run_drafting(idea.id, self.deps)
        with Session(self.deps.engine) as s:
            return brief.id, s.exec(select(Variant.id).where(Variant.brief_id == brief.id)).one()

    def warning(self, variant: str) -> str:
        """Add a failed warning finding to ``variant``; returns its id as a path segment."""
        with session_scope(self.deps.engine) as s:
            finding = CheckFinding(variant_id=variant, gate="draft", check="style", rule="style:exclamation",
                                   passed=False, severity="warn", reason="exclamation marks")
            s.add(finding)
            s.flush()
            return str(finding.id)

    def blocked(self) -> str:
        _brief, variant = self.brief_with_variant()
        review.approve(self.deps, variant_id=variant, actor="rob")
        finding = CheckResult(check="banned_terms", rule="banned_term:calm", passed=False,
                              severity=Severity.block, reason="banned")
        real = self.deps.guardrails.evaluate
        self.deps.guardrails.evaluate = lambda *a, **k: [finding]  # type: ignore[method-assign]
        try:
            gate.run_compliance(variant, self.deps)
        finally:
            self.deps.guardrails.evaluate = real  # type: ignore[method-assign]
        return variant

    def dead(self) -> str:
        _brief, variant = self.brief_with_variant()
        review.approve(self.deps, variant_id=variant, actor="rob")
        gate.run_compliance(variant, self.deps)
        with session_scope(self.deps.engine) as s:
            row = s.exec(select(Delivery).where(Delivery.variant_id == variant)).one()
            row.state = DeliveryState.dead
            s.add(row)
        return variant

    def rejected(self) -> str:
        """A variant a reviewer rejected with a comment: what can become an eval case."""
        _brief, variant = self.brief_with_variant()
        review.reject(self.deps, variant_id=variant, actor="rob", reason='do not say "award-winning"')
        return variant

    def moved_label(self) -> str:
        """A fresh label of the draft prompt moved twice (1, then 2), so it has a version to roll back to."""
        label = f"moved-{next(_names)}"
        for version in (1, 2):
            with session_scope(self.deps.engine) as s:
                labels.promote(self.deps.prompts, s, name="draft", version=version, label=label, actor="pia",
                               reason="matrix setup")
        return label

    def won_slot(self) -> str:
        """A fresh slot whose winner was declared: what can become an eval case."""
        slot, [variant] = seeded_slot(self.deps, [["C-001"]])
        declare_winner(self.deps, slot, variant)
        return slot

    def token(self) -> str:
        with session_scope(self.deps.engine) as s:
            target = users.get_user(s, username="target")
            token, _secret = tokens.create_token(s, user=target, roles=None, brands=None, expires_days=1,
                                                 actor="test")
        return token.id


def _principal_token(deps: Deps, name: str, roles: list[str], brands: list[str]) -> tuple[str, str]:
    with session_scope(deps.engine) as s:
        user = users.create_user(s, username=name, roles=roles, brands=brands, password=None, actor="test")
        token, secret = tokens.create_token(s, user=user, roles=None, brands=None, expires_days=1, actor="test")
    return token.id, secret


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    deps, llm = module_deps(tmp_path_factory.mktemp("perm") / "var", draft=PASSING_DRAFT)
    w = World(deps=deps, client=TestClient(create_app(deps=deps)), llm=llm)
    for role, name in zip(ROLES, ("mia", "rob", "cai", "ada", "pia", "ana"), strict=True):
        # The prompt engineer is one of every brand (*): only such a one may move the shared prompts' labels.
        brands = ["*"] if role == "prompt_engineer" else ["fernhill"]
        w.headers[role] = {"Authorization": f"Bearer {_principal_token(deps, name, [role], brands)[1]}"}
    w.headers["anonymous"] = {}
    expired_id, expired = _principal_token(deps, "old", list(ROLES), ["fernhill"])
    revoked_id, revoked = _principal_token(deps, "gone", list(ROLES), ["fernhill"])
    _other_id, other = _principal_token(deps, "elsewhere", list(ROLES), ["elsewhere"])
    with session_scope(deps.engine) as s:
        s.get(ApiToken, expired_id).expires_at = datetime.now(UTC) - timedelta(hours=1)  # type: ignore[union-attr]
        tokens.revoke_token(s, token_id=revoked_id, actor="test")
    for caller, secret in (("expired", expired), ("revoked", revoked), ("other_brand", other)):
        w.headers[caller] = {"Authorization": f"Bearer {secret}"}
    _principal_token(deps, "target", ["marketer"], ["fernhill"])
    brief, variant = w.brief_with_variant()
    w.shared = {"brief": brief, "variant": variant, "finding": w.warning(variant), "blocked": w.blocked(),
                "dead": w.dead(), "rejected": w.rejected(), "user": "target", "token": w.token(),
                "prompt": "draft", "selector": "production", "label": "production", "moved": w.moved_label()}
    w.shared["slot"], [w.shared["published"]] = seeded_slot(deps, [["C-001"]])
    w.shared["won"] = w.shared["slot"]
    yield w
    deps.engine.dispose()


def _fill(world: World, route: Route, fresh: bool) -> str:
    """The route's path with ids: fresh items for a call that should change something, else shared ones."""
    values = dict(world.shared)
    if fresh and "{variant}" in route.path:
        values["brief"], values["variant"] = world.brief_with_variant()
    if fresh and "{finding}" in route.path:
        values["finding"] = world.warning(values["variant"])
    if fresh and "{blocked}" in route.path:
        values["blocked"] = world.blocked()
    if fresh and "{dead}" in route.path:
        values["dead"] = world.dead()
    if fresh and "{token}" in route.path:
        values["token"] = world.token()
    if fresh and "{rejected}" in route.path:
        values["rejected"] = world.rejected()
    if fresh and "{label}" in route.path:
        values["label"] = f"trial-{next(_names)}"
    if fresh and "{won}" in route.path:
        values["won"] = world.won_slot()
    if fresh and "{published}" in route.path:
        values["published"] = seeded_slot(world.deps, [["C-001"]])[1][0]
    if fresh and "{moved}" in route.path:
        values["moved"] = world.moved_label()
    return route.path.format(**values)


def _body(route: Route) -> object:
    if route.body == "new-user":
        return {"username": f"new{next(_names)}", "roles": ["reviewer"], "brands": ["fernhill"]}
    return route.body


@pytest.mark.parametrize(("route", "caller", "status"), MATRIX)
def test_permission_matrix(world: World, route: Route, caller: str, status: int) -> None:
    path = _fill(world, route, fresh=status in {200, 201, 202} and route.method != "GET")
    response = world.client.request(route.method, path, json=_body(route), headers=world.headers[caller])
    assert response.status_code == status, f"{caller} {route.method} {path}: {response.text[:300]}"
    if status >= 400:
        assert set(response.json()) >= {"code", "message"}, "errors are JSON with a stable code"


def test_the_matrix_covers_every_api_route(world: World) -> None:
    schema = world.client.get("/openapi.json").json()
    documented = {(m.upper(), p) for p, ops in schema["paths"].items() for m in ops}
    covered = {(r.method, r.path.replace("{brief}", "{brief_id}").replace("{user}", "{username}")
                .replace("{token}", "{token_id}").replace("fernhill", "{slug}")
                .replace("{blocked}", "{variant_id}").replace("{dead}", "{variant_id}")
                .replace("{variant}", "{variant_id}").replace("{finding}", "{finding_id}")
                .replace("{rejected}", "{variant_id}").replace("{prompt}", "{name}").replace("{moved}", "{label}")
                .replace("{published}", "{variant_id}").replace("C-099", "{claim_id}").replace("{won}", "{slot}"))
               for r in ROUTES}
    assert documented == covered


def test_other_brands_items_are_not_listed(world: World) -> None:
    outsider = world.headers["other_brand"]
    assert world.client.get("/briefs", headers=outsider).json()["total"] == 0
    assert world.client.get("/review/queue", headers=outsider).json()["total"] == 0
    assert world.client.get("/deliveries", headers=outsider).json()["total"] == 0
    assert world.client.get("/briefs", headers=world.headers["marketer"]).json()["total"] > 0
