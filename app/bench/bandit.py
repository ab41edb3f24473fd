"""Benchmark: the bandit against fixed splits in simulation, and event ingestion throughput.

``python -m app.bench.bandit [--horizons 10000,100000,1000000] [--seeds 3] [--events 20000]`` (``make
bench-bandit``) prints two Markdown tables in one run:

1. per scenario and horizon (:mod:`app.bench.bandit_simulation`), the mean cumulative regret (clicks lost) of
   Thompson sampling, an even A/B split and epsilon-greedy, and the impressions until the stopping rule
   declares a winner (how many seeds declared, how many correctly); 200 allocation rounds per run;
2. events per second stored through ``POST /events`` (in-process ASGI client: JSON, validation,
   authentication, one transaction per batch of 1,000) against a plain loop of single-row INSERTs committed
   every 1,000 rows on the same database, and the aggregation step's events per second.

Seeded: the same arguments print the same simulation figures. It measures; it asserts nothing.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import text

from app.bench.bandit_simulation import POLICIES, SCENARIOS, simulate
from app.settings import Settings

ROUNDS = 200


def simulation_table(horizons: list[int], seeds: int, settings: Settings) -> str:
    lines = ["| scenario | impressions | regret: Thompson | regret: even split | regret: epsilon-greedy 0.1 | "
             "winner declared at (Thompson) | winner declared at (even split) |",
             "|---|---:|---:|---:|---:|---|---|"]
    for scenario in SCENARIOS:
        for horizon in horizons:
            regret, declared = {}, {}
            for policy in POLICIES:
                outcomes = [simulate(scenario, policy, horizon=horizon, batches=ROUNDS, seed=seed, settings=settings)
                            for seed in range(seeds)]
                regret[policy] = statistics.mean(o.regret for o in outcomes)
                declared[policy] = _declared(outcomes)
            lines.append(f"| {scenario.name} | {horizon:,} | {regret['thompson']:,.0f} | {regret['even']:,.0f} | "
                         f"{regret['epsilon_greedy']:,.0f} | {declared['thompson']} | {declared['even']} |")
    return "\n".join(lines)


def _declared(outcomes: list) -> str:  # type: ignore[type-arg]
    done = [o for o in outcomes if o.declared_at is not None]
    if not done:
        return f"not within the horizon (0/{len(outcomes)})"
    correct = sum(1 for o in done if o.declared_correct)
    return (f"median {statistics.median(o.declared_at for o in done):,.0f} "
            f"({len(done)}/{len(outcomes)} declared, {correct} correct)")


def ingestion_table(n_events: int, database_url: str | None) -> str:
    from fastapi.testclient import TestClient

    from app.api.main import create_app
    from app.performance.aggregate import run_aggregation
    from app.wiring import build_deps

    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(data_dir=Path(tmp), environment="test", judge_mode="off", database_url=database_url,
                            _env_file=None)  # type: ignore[call-arg]
        deps = build_deps(settings, enqueue=lambda *_a, **_k: None)
        client = TestClient(create_app(deps=deps))
        variant_id, headers = _published_variant(deps)
        run = f"{time.time_ns():x}"
        batches = [[{"id": f"api-{run}-{n}", "type": "impression", "variant_id": variant_id,
                     "timestamp": datetime.now(UTC).isoformat()} for n in range(start, min(start + 1000, n_events))]
                   for start in range(0, n_events, 1000)]
        started = time.perf_counter()
        for batch in batches:
            response = client.post("/events", json={"events": batch}, headers=headers)
            assert response.status_code == 200 and len(response.json()["accepted"]) == len(batch), response.text
        api_s = time.perf_counter() - started
        insert_s = _insert_loop(deps.engine, variant_id, n_events, run)
        started = time.perf_counter()
        aggregated = run_aggregation(deps).events
        aggregate_s = time.perf_counter() - started
        backend = deps.engine.dialect.name
        _clean(deps.engine, run)
        deps.engine.dispose()
    return "\n".join([
        f"| path ({backend}, {n_events:,} events) | seconds | events/s |", "|---|---:|---:|",
        f"| POST /events, batches of 1,000 | {api_s:.2f} | {n_events / api_s:,.0f} |",
        f"| plain INSERT loop, commit every 1,000 | {insert_s:.2f} | {n_events / insert_s:,.0f} |",
        f"| aggregation step (worker), {aggregated:,} events | {aggregate_s:.2f} | {aggregated / aggregate_s:,.0f} |",
    ])


def _published_variant(deps) -> tuple[str, dict[str, str]]:  # type: ignore[no-untyped-def]
    from app.auth import tokens, users
    from app.db import session_scope
    from app.models import Brief, Delivery, Idea, Variant
    from app.states import DeliveryState, VariantState

    with session_scope(deps.engine) as s:
        brief = Brief(brand="fernhill", channels=["web"], audience="a", goal="clicks", key_message="k",
                      submitted_by="bench")
        idea = Idea(brief_id=brief.id, ordinal=1, title="t", angle="a")
        variant = Variant(brief_id=brief.id, idea_id=idea.id, channel="web", ordinal=1, brand="fernhill",
                          headline="h", body="b", cta="c", content_hash="x", approved_hash="x",
                          state=VariantState.published)
        s.add_all([brief, idea, variant])
        s.flush()
        s.add(Delivery(variant_id=variant.id, brief_id=brief.id, brand="fernhill", target="bench",
                       state=DeliveryState.delivered))
        user = users.create_user(s, username=f"bench-{variant.id[:8]}", roles=["analytics"], brands=["fernhill"],
                                 password=None, actor="bench")
        _token, secret = tokens.create_token(s, user=user, roles=None, brands=None, expires_days=1, actor="bench")
        return variant.id, {"Authorization": f"Bearer {secret}"}


def _insert_loop(engine, variant_id: str, n_events: int, run: str) -> float:  # type: ignore[no-untyped-def]
    statement = text("INSERT INTO performanceevent (id, kind, brand, slot, variant_id, occurred_at, segment, source, "
                     "received_at, aggregated) VALUES (:id, 'impression', 'fernhill', :slot, :variant_id, :at, "
                     "'{}', 'bench', :at, true)")
    started = time.perf_counter()
    conn = engine.connect()
    try:
        for n in range(n_events):
            conn.execute(statement, {"id": f"raw-{run}-{n}", "slot": "bench:web", "variant_id": variant_id,
                                     "at": datetime.now(UTC)})
            if n % 1000 == 999:
                conn.commit()
        conn.commit()
    finally:
        conn.close()
    return time.perf_counter() - started


def _clean(engine, run: str) -> None:  # type: ignore[no-untyped-def]
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM performanceevent WHERE id LIKE :p OR id LIKE :q"),
                     {"p": f"api-{run}-%", "q": f"raw-{run}-%"})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--horizons", default="10000,100000,1000000", help="Impressions per simulated run.")
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--events", type=int, default=20_000, help="Events for the ingestion comparison.")
    parser.add_argument("--database-url", default=None, help="Measure ingestion here (default: a SQLite file).")
    args = parser.parse_args()
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    horizons = [int(h) for h in args.horizons.split(",")]
    print(f"Simulated regret (clicks lost; mean of {args.seeds} seeds, {ROUNDS} allocation rounds per run; "
          f"stopping rule P(best) >= {settings.bandit_win_probability} with {settings.bandit_min_impressions:,} "
          "impressions per variant)\n")
    print(simulation_table(horizons, args.seeds, settings))
    print("\nEvent ingestion\n")
    print(ingestion_table(args.events, args.database_url))


if __name__ == "__main__":
    main()
