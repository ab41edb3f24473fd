"""POST /events: per-event answers, idempotency, sender scope and signatures; aggregates and the choice."""

from __future__ import annotations

import base64
import json

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, func, select

from app.api.main import create_app
from app.performance.aggregate import run_aggregation
from app.performance.models import PerformanceEvent, VariantStats
from app.pipeline.deps import Deps
from app.publishing.signing import signed_headers
from app.settings import EventSource
from tests.unit.helpers import bearer
from tests.unit.performance_helpers import event, seeded_slot, traffic

SOURCE_SECRET = "whsec_" + base64.b64encode(b"a cms of our own, 32 bytes long.").decode()


@pytest.fixture
def slot(deps: Deps) -> tuple[str, list[str]]:
    return seeded_slot(deps, [["C-001"], ["C-001", "quiet-hours.certification"], ["quiet-hours.caffeine"]],
                       scores=[0.9, 0.8, 1.0])


@pytest.fixture
def client(deps: Deps) -> TestClient:
    return TestClient(create_app(deps=deps))


@pytest.fixture
def cms(deps: Deps) -> dict[str, str]:
    return bearer(deps, "cms", ["analytics"])


def stats(deps: Deps, slot_id: str) -> dict[str, tuple[int, int]]:
    with Session(deps.engine) as s:
        return {r.variant_id: (r.impressions, r.clicks)
                for r in s.exec(select(VariantStats).where(VariantStats.slot == slot_id))}


def stored(deps: Deps) -> int:
    with Session(deps.engine) as s:
        return s.exec(select(func.count()).select_from(PerformanceEvent)).one()


def test_every_event_of_a_batch_is_accepted_duplicate_or_refused_with_a_reason(client, cms, slot, deps):
    _slot, (a, b, _c) = slot
    seen = event("e1", "impression", a)
    batch = [
        seen,
        dict(seen),  # repeated in the batch: a duplicate
        {**event("e1", "click", a)},  # same id, other event
        event("e2", "impression", "0" * 32),
        event("e3", "view", a),
        {**event("e4", "click", b), "timestamp": "2026-11-30T10:00:00"},
        event("e5", "click", b, minutes_ago=-60),
        event("e6", "click", b, value=3.0, currency="EUR"),
        event("e7", "conversion", b, value=12.5, currency="EUR"),
        "not an object",
    ]
    answer = client.post("/events", json={"events": batch}, headers=cms).json()
    assert answer["accepted"] == ["e1", "e7"]
    assert answer["duplicates"] == ["e1"]
    reasons = {r["index"]: r["reason"] for r in answer["refused"]}
    assert set(reasons) == {2, 3, 4, 5, 6, 7, 9}
    assert "earlier in the batch" in reasons[2]
    assert "no variant" in reasons[3]
    assert "type" in reasons[4]
    assert "time zone" in reasons[5]
    assert "future" in reasons[6]
    assert "conversions only" in reasons[7]
    assert stored(deps) == 2


def test_a_replayed_batch_changes_nothing(client, cms, slot, deps, enqueued):
    slot_id, (a, b, _c) = slot
    batch = traffic(a, prefix="a", impressions=30, clicks=3) + traffic(b, prefix="b", impressions=20, clicks=1)
    first = client.post("/events", json={"events": batch}, headers=cms).json()
    assert len(first["accepted"]) == 54 and enqueued.take() == [("aggregate_events", "pending")]
    run_aggregation(deps)
    before = stats(deps, slot_id)
    again = client.post("/events", json={"events": list(reversed(batch))}, headers=cms).json()
    assert again["accepted"] == [] and len(again["duplicates"]) == 54 and again["refused"] == []
    assert enqueued.take() == []  # nothing new to aggregate
    assert run_aggregation(deps).events == 0
    assert stats(deps, slot_id) == before == {a: (30, 3), b: (20, 1)}


def test_an_id_reused_for_another_event_is_refused_and_the_first_is_kept(client, cms, slot, deps):
    _slot, (a, b, _c) = slot
    client.post("/events", json={"events": [event("x1", "impression", a)]}, headers=cms)
    answer = client.post("/events", json={"events": [event("x1", "click", b)]}, headers=cms).json()
    assert answer["refused"][0]["id"] == "x1" and "already received" in answer["refused"][0]["reason"]
    with Session(deps.engine) as s:
        assert s.get(PerformanceEvent, "x1").kind == "impression"


def test_events_may_name_the_delivery_instead_of_the_variant(client, cms, slot, deps):
    from app.models import Delivery

    _slot, (a, _b, _c) = slot
    with Session(deps.engine) as s:
        delivery_id = s.exec(select(Delivery.id).where(Delivery.variant_id == a)).one()
    one = {**event("d1", "impression", a)}
    del one["variant_id"]
    answer = client.post("/events", json={"events": [{**one, "delivery_id": delivery_id}]}, headers=cms).json()
    assert answer["accepted"] == ["d1"]
    with Session(deps.engine) as s:
        assert s.get(PerformanceEvent, "d1").variant_id == a


def test_a_sender_of_another_brand_is_refused_per_event_like_an_unknown_id(client, slot, deps):
    _slot, (a, _b, _c) = slot
    outsider = bearer(deps, "elsewhere-cms", ["analytics"], brands=["elsewhere"])
    answer = client.post("/events", json={"events": [event("o1", "click", a)]}, headers=outsider).json()
    assert answer["accepted"] == [] and "no variant" in answer["refused"][0]["reason"]
    assert stored(deps) == 0


def test_a_batch_that_is_not_a_list_or_too_long_is_refused_whole(client, cms, slot, deps):
    _slot, (a, _b, _c) = slot
    assert client.post("/events", json={"events": "e1"}, headers=cms).status_code == 422
    assert client.post("/events", json=[event("l1", "impression", a)], headers=cms).status_code == 422
    deps.settings.events_max_batch = 2
    too_many = [event(f"t{n}", "impression", a) for n in range(3)]
    response = client.post("/events", json={"events": too_many}, headers=cms)
    assert response.status_code == 422 and "at most 2" in response.json()["message"]
    assert stored(deps) == 0


def test_a_token_without_the_analytics_role_may_not_send_events(client, slot, deps):
    reviewer = bearer(deps, "rob", ["reviewer"])
    assert client.post("/events", json={"events": []}, headers=reviewer).status_code == 403
    assert client.post("/events", json={"events": []}).status_code == 401


def test_a_batch_signed_by_a_configured_source_is_taken_and_a_forged_one_refused(client, slot, deps):
    _slot, (a, _b, _c) = slot
    deps.settings.event_sources = {"shop-cms": EventSource(secret=SOURCE_SECRET, brands=["fernhill"])}
    body = json.dumps({"events": [event("s1", "impression", a)]}).encode()
    headers = signed_headers(secret=SOURCE_SECRET, msg_id="batch-1", body=body)
    answer = client.post("/events?source=shop-cms", content=body, headers=headers)
    assert answer.status_code == 200 and answer.json()["accepted"] == ["s1"]
    forged = client.post("/events?source=shop-cms", content=body.replace(b"s1", b"s2"), headers=headers)
    assert forged.status_code == 401 and "signature" in forged.json()["message"]
    unknown = client.post("/events?source=nobody", content=body, headers=headers)
    assert unknown.status_code == 401
    with Session(deps.engine) as s:
        assert s.get(PerformanceEvent, "s1").source == "source:shop-cms"


def test_events_shift_the_weights_and_the_choice_toward_the_better_variant(client, cms, slot, deps):
    slot_id, (a, b, c) = slot
    batch = (traffic(a, prefix="a", impressions=400, clicks=8) + traffic(b, prefix="b", impressions=400, clicks=40)
             + traffic(c, prefix="c", impressions=400, clicks=10))
    assert len(client.post("/events", json={"events": batch}, headers=cms).json()["accepted"]) == len(batch)
    before = client.get(f"/slots/{slot_id}/weights", headers=cms).json()["weights"]
    assert before[b] < 0.5  # nothing aggregated yet: the pre-scores' priors only
    run_aggregation(deps)
    weights = client.get(f"/slots/{slot_id}/weights", headers=cms).json()["weights"]
    assert max(weights, key=weights.get) == b and weights[b] > 0.9 and sum(weights.values()) == pytest.approx(1)
    assert min(weights.values()) >= deps.settings.bandit_min_share - 1e-9
    choices = [client.get(f"/slots/{slot_id}/choice?seed={n}", headers=cms).json()["variant_id"] for n in range(40)]
    assert choices.count(b) >= 30
    assert client.get(f"/slots/{slot_id}/choice?seed=5", headers=cms).json()["variant_id"] == choices[5]
    figures = client.get(f"/slots/{slot_id}", headers=cms).json()
    arm_b = next(x for x in figures["arms"] if x["variant_id"] == b)
    assert (arm_b["impressions"], arm_b["clicks"]) == (400, 40)
    assert arm_b["interval"][0] < 0.1 < arm_b["interval"][1] and arm_b["p_best"] > 0.95
    assert figures["history"][-1]["weights"] == pytest.approx(weights) and figures["lift_over_even"] is not None


def test_a_slot_of_another_brand_or_an_unknown_slot_is_not_found(client, slot, deps, cms):
    slot_id, _ids = slot
    outsider = bearer(deps, "elsewhere-cms", ["analytics"], brands=["elsewhere"])
    assert client.get(f"/slots/{slot_id}/choice", headers=outsider).status_code == 404
    assert client.get("/slots/nothing-here/choice", headers=cms).status_code == 404
    assert client.get(f"/slots/{slot_id.split(':')[0]}:email/weights", headers=cms).status_code == 404


def test_the_desk_shows_a_slots_figures_and_its_weights_chart(client, cms, slot, deps):
    from app.auth import sessions, users
    from app.db import session_scope

    slot_id, (a, b, _c) = slot
    batch = traffic(a, prefix="a", impressions=200, clicks=2) + traffic(b, prefix="b", impressions=200, clicks=20)
    client.post("/events", json={"events": batch}, headers=cms)
    run_aggregation(deps)
    with session_scope(deps.engine) as s:
        user = users.create_user(s, username="mia", roles=["marketer"], brands=["fernhill"], password=None, actor="t")
        cookie = sessions.start_session(s, user=user)
    client.cookies.set(sessions.COOKIE, cookie)
    page = client.get(f"/ui/slots/{slot_id}")
    assert page.status_code == 200
    assert "Headline 2" in page.text and "<polyline" in page.text
    # b: 20 clicks of 200 with a prior worth 20 impressions at 1.8 % (pre-score below the median): 20.36 / 220.
    assert "9.25 %" in page.text
    brand = client.get("/ui/brands/fernhill/performance")
    assert brand.status_code == 200 and "what worked" in brand.text


def test_an_aggregation_that_dies_half_way_counts_nothing_and_the_next_run_counts_everything_once(cms, client,
                                                                                                  slot, deps):
    from sqlalchemy import event as sa_event

    slot_id, (a, _b, _c) = slot
    client.post("/events", json={"events": traffic(a, prefix="k", impressions=40, clicks=4)}, headers=cms)

    def die_when_marking_events(_conn, _cursor, statement, *_args):
        if statement.lstrip().upper().startswith("UPDATE PERFORMANCEEVENT"):
            raise RuntimeError("worker killed")

    sa_event.listen(deps.engine, "before_cursor_execute", die_when_marking_events)
    with pytest.raises(RuntimeError):
        run_aggregation(deps)
    sa_event.remove(deps.engine, "before_cursor_execute", die_when_marking_events)
    assert stats(deps, slot_id).get(a, (0, 0)) == (0, 0)  # the sums were rolled back with the marks
    assert run_aggregation(deps).events == 44
    assert run_aggregation(deps).events == 0
    assert stats(deps, slot_id)[a] == (40, 4)


def test_a_named_placement_is_a_slot_of_its_own_over_the_same_variants(client, cms, slot, deps):
    slot_id, (a, b, c) = slot
    hero = f"{slot_id}:hero"
    placed = [{**e, "placement": "hero"} for e in traffic(c, prefix="h", impressions=300, clicks=30)]
    answer = client.post("/events", json={"events": placed + traffic(a, prefix="d", impressions=300, clicks=30)},
                         headers=cms).json()
    assert len(answer["accepted"]) == 660
    run_aggregation(deps)
    assert stats(deps, hero) == {c: (300, 30)} and stats(deps, slot_id) == {a: (300, 30)}
    hero_weights = client.get(f"/slots/{hero}/weights", headers=cms).json()["weights"]
    default_weights = client.get(f"/slots/{slot_id}/weights", headers=cms).json()["weights"]
    assert set(hero_weights) == {a, b, c} and max(hero_weights, key=hero_weights.get) == c
    assert max(default_weights, key=default_weights.get) == a
    moved = client.post("/events", json={"events": [{**placed[0], "placement": "footer"}]}, headers=cms).json()
    assert "already received" in moved["refused"][0]["reason"]  # same id, counted in another slot
    assert client.get(f"/slots/{slot_id}:Not a Placement/weights", headers=cms).status_code == 404
