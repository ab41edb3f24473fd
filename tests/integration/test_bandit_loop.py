"""The measurement loop on real components: PostgreSQL, Redis, a real worker process, a real CMS receiver.

Three approved and cleared variants of one brief are published by the worker to a receiver on loopback;
signed event batches arrive (some twice, shuffled out of order) through ``POST /events``; the worker
aggregates them; ``choice`` moves to the variant with the highest simulated click-through; the stopping rule
declares it the winner (audited); withdrawing an approved claim takes the variants citing it out of
``choice`` at once and the receiver gets a signed ``content.retracted`` for each.
"""

from __future__ import annotations

import base64
import json
import time
import uuid
from collections import Counter

import numpy as np
import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, func, select

from app.api.main import create_app
from app.db import upgrade
from app.models import AuditEntry, Variant
from app.performance.models import Slot, VariantStats
from app.publishing.signing import signed_headers
from app.settings import Settings
from app.states import VariantState
from app.wiring import build_deps
from app.worker_process import WorkerProcess
from tests.fakes import HashingEmbedder
from tests.integration.servers import FlakyCMS, fresh_postgres_database, require_redis
from tests.unit.helpers import bearer
from tests.unit.performance_helpers import event, seeded_slot

pytestmark = pytest.mark.integration

SECRET = "whsec_" + base64.b64encode(b"factory -> cms key for the loop.").decode()
SOURCE_SECRET = "whsec_" + base64.b64encode(b"cms -> factory key for events...").decode()
RATES = (0.03, 0.12, 0.04)  # simulated click-through of variants a, b, c
IMPRESSIONS = 400


def wait(predicate, worker: WorkerProcess, what: str, timeout_s: float = 180) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if predicate():
            return
        assert worker.alive(), worker.log_tail()
        time.sleep(0.25)
    raise AssertionError(f"timed out waiting for {what}\n{worker.log_tail()}")


def signed_post(client: TestClient, batch: list[dict]) -> dict:
    body = json.dumps({"events": batch}).encode()
    headers = signed_headers(secret=SOURCE_SECRET, msg_id=f"batch-{uuid.uuid4().hex[:8]}", body=body)
    response = client.post("/events?source=shop", content=body, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


def simulated_events(ids: list[str]) -> list[dict]:
    rng = np.random.default_rng(2026)
    events = []
    for variant_id, rate in zip(ids, RATES, strict=True):
        for n in range(IMPRESSIONS):
            events.append(event(f"{variant_id[:6]}-i{n}", "impression", variant_id, minutes_ago=30 - n / 20))
            if rng.random() < rate:
                events.append(event(f"{variant_id[:6]}-c{n}", "click", variant_id, minutes_ago=29 - n / 20))
    rng.shuffle(events)  # out of order: clicks may arrive before their impressions
    return events


def test_events_in_choice_shifts_winner_declared_and_a_withdrawn_claim_retracts_at_once(tmp_path):
    with fresh_postgres_database() as db_url, FlakyCMS(SECRET, failures=1) as cms:
        env = {"CF_DATA_DIR": str(tmp_path / "var"), "CF_DATABASE_URL": db_url, "CF_BROKER_URL": require_redis(),
               "CF_QUEUE_NAME": f"factory-bandit-{uuid.uuid4().hex[:8]}", "CF_WEBHOOK_URL": cms.url,
               "CF_WEBHOOK_SECRET": SECRET, "CF_WEBHOOK_RETRY_SCHEDULE_H": json.dumps([0.0003] * 4),
               "CF_EVENT_SOURCES": json.dumps({"shop": {"secret": SOURCE_SECRET, "brands": ["fernhill"]}}),
               "CF_BANDIT_MIN_IMPRESSIONS": str(IMPRESSIONS), "CF_JUDGE_MODE": "off",
               "CF_LLM_LOCAL_MODEL": "smollm2-135m-instruct"}
        settings = Settings(_env_file=None, **{k[3:].lower(): v for k, v in env.items()})  # type: ignore[call-arg]
        deps = build_deps(settings, embedder=HashingEmbedder())
        upgrade(deps.engine)
        client = TestClient(create_app(deps=deps))
        slot, ids = seeded_slot(deps, [["C-001"], ["quiet-hours.certification"], ["C-001"]], publish_to=cms.url)
        a, b, c = ids
        with WorkerProcess(env, log_path=tmp_path / "worker.log") as worker:
            for variant_id in ids:
                deps.enqueue("publish", variant_id)
            def published() -> bool:  # the receiver stores a delivery a moment before the worker records it
                with Session(deps.engine) as s:
                    return all(s.get(Variant, v).state is VariantState.published for v in ids)
            wait(published, worker, "three publications")
            assert len(cms.accepted) == 3

            events = simulated_events(ids)
            batches = [events[n:n + 250] for n in range(0, len(events), 250)]
            answers = [signed_post(client, batch) for batch in batches]
            replayed = [signed_post(client, batches[0]), signed_post(client, batches[-1])]  # sent twice
            assert sum(len(x["accepted"]) for x in answers) == len(events)
            assert all(x["accepted"] == [] and x["refused"] == [] for x in replayed)

            def aggregated() -> int:
                with Session(deps.engine) as s:
                    return s.exec(select(func.sum(VariantStats.impressions))).one() or 0
            wait(lambda: aggregated() == 3 * IMPRESSIONS, worker, "aggregates of every impression")

            cms_token = bearer(deps, "cms", ["analytics"])
            picks = Counter(client.get(f"/slots/{slot}/choice?seed={n}", headers=cms_token).json()["variant_id"]
                            for n in range(60))
            assert picks.most_common(1)[0][0] == b and picks[b] >= 40, picks

            def winner() -> str | None:
                with Session(deps.engine) as s:
                    return s.get(Slot, slot).winner_variant_id
            wait(lambda: winner() is not None, worker, "the stopping rule")
            assert winner() == b
            with Session(deps.engine) as s:
                [declared] = s.exec(select(AuditEntry).where(AuditEntry.action == "slot.winner_declared")).all()
            assert declared.details["variant_id"] == b and declared.details["probability"] >= 0.95

            officer = bearer(deps, "cai", ["compliance"])
            withdrawn = client.post("/brands/fernhill/claims/C-001/withdraw", json={"reason": "certificate lapsed"},
                                    headers=officer).json()
            assert {r["variant_id"] for r in withdrawn["retracted"]} == {a, c}
            weights = client.get(f"/slots/{slot}/weights", headers=cms_token).json()["weights"]
            assert weights == {b: 1.0}
            notices = {r["id"] for r in withdrawn["retracted"]}
            wait(lambda: notices <= set(cms.accepted), worker, "content.retracted at the receiver")
            assert {cms.accepted[n]["type"] for n in notices} == {"content.retracted"}
            assert {cms.accepted[n]["variant_id"] for n in notices} == {a, c}
            assert cms.bad_signatures == 0
        deps.engine.dispose()
