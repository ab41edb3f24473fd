"""Benchmark: p50/p95 of every list route at 1,000 / 10,000 / 100,000 briefs, with ``/health`` as the floor.

``python -m app.bench.list_routes [--sizes 1000,10000,100000] [--databases sqlite,postgresql]
[--repeats 40]`` (``make bench-lists``). For each database and size it makes a fresh database (a SQLite
file in a temporary folder; a new PostgreSQL database on ``--pg-admin``, dropped afterwards), migrates it,
seeds the history with bulk inserts (:mod:`app.bench.list_seed`; seeding is not measured), then starts
``factory api`` (uvicorn, one process, as the README runs it) on that database and requests every route
once per round, ``--repeats`` rounds after three warm-up rounds, with httpx, sequentially (one request at
a time; rounds interleave the routes so a change of the machine's load hits them alike). The caller is a token
of a reviewer + compliance officer limited to two of the four seeded brands (the brand scope is part of
every query), so the queue holds half the waiting variants. Deep pages are measured both ways: by
``offset`` half-way into the list (the compatible path, which skips rows) and by ``cursor`` (the
``next_cursor`` of the row half-way, found once before timing), the keyset path that should cost what
the first page costs.

It prints one Markdown table: p50 / p95 in milliseconds per route and size, p50 over the ``/health``
p50 of the same run (the floor: the HTTP stack and authentication of this machine, no list), and the
server process's CPU time per request (from ``/proc/<pid>/stat``, 10 ms ticks averaged over the rounds),
which a busy machine inflates far less than wall time. A route whose
ratio stays flat as the database grows does one page of work. It asserts nothing; the load average is
printed with each run, because on a shared 2-core machine it moves the figures more than the database.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from app.auth import tokens, users
from app.bench.list_seed import seed
from app.db import make_engine, session_scope, upgrade

PG_ADMIN = "host=127.0.0.1 port=5432 user=postgres dbname=test"
PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
FACTORY = "from app.cli.main import main; main()"  # `factory` of this checkout (PYTHONPATH), not the venv's
BRANDS = ["fernhill", "northwind"]  # two of the four seeded brands

# (label, path). "half-way": the page in the middle of the caller's list, read by offset ({*_deep}: half the
# total) or by cursor ({*_cursor}: the next_cursor of the row half-way, the fast path); {first} / {middle}: the
# queue's first item and the one half-way down it.
ROUTES = [
    ("/health (floor)", "/health"),
    ("/review/queue?limit=50 (age)", "/review/queue?limit=50"),
    ("/review/queue?limit=50&sort=risk", "/review/queue?limit=50&sort=risk"),
    ("/review/queue?limit=50&sort=score", "/review/queue?limit=50&sort=score"),
    ("/review/queue, half-way by offset", "/review/queue?limit=50&offset={queue_deep}"),
    ("/review/queue, half-way by cursor (age)", "/review/queue?limit=50&cursor={queue_cursor}"),
    ("/review/queue, half-way by cursor (risk)", "/review/queue?limit=50&sort=risk&cursor={risk_cursor}"),
    ("/compliance/blocked?limit=50", "/compliance/blocked?limit=50"),
    ("/compliance/blocked, half-way by cursor", "/compliance/blocked?limit=50&cursor={blocked_cursor}"),
    ("/briefs?limit=50", "/briefs?limit=50"),
    ("/briefs?brand=fernhill&state=in_review", "/briefs?limit=50&brand=fernhill&state=in_review"),
    ("/briefs, half-way by offset", "/briefs?limit=50&offset={briefs_deep}"),
    ("/briefs, half-way by cursor", "/briefs?limit=50&cursor={briefs_cursor}"),
    ("/briefs?brand=fernhill&state=published, half-way by cursor",
     "/briefs?limit=50&brand=fernhill&state=published&cursor={filtered_cursor}"),
    ("/deliveries?limit=50", "/deliveries?limit=50"),
    ("/deliveries, half-way by offset", "/deliveries?limit=50&offset={deliveries_deep}"),
    ("/deliveries, half-way by cursor", "/deliveries?limit=50&cursor={deliveries_cursor}"),
    ("/ui/review/{first} (desk, 50 in the queue column)", "/ui/review/{first}"),
    ("/ui/review/{middle} (desk, half-way down the queue)", "/ui/review/{middle}?sort=risk"),
    ("/ui/compliance", "/ui/compliance"),
    ("/ui/briefs", "/ui/briefs"),
    ("/ui/publishing", "/ui/publishing"),
    ("/ui/publishing, half-way by cursor", "/ui/publishing?cursor={deliveries_cursor}"),
]


@dataclass
class Run:
    database: str
    size: int
    load: str
    timings: dict[str, tuple[float, float, float]]  # label -> (p50 ms, p95 ms, server CPU ms per request)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--sizes", default="1000,10000,100000", help="briefs to seed, comma-separated")
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--repeats", type=int, default=40, help="requests per route (after 3 warm-ups)")
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args(argv)
    runs = []
    for database in args.databases.split(","):
        for size in (int(s) for s in args.sizes.split(",")):
            with fresh_database(database) as (url, data_dir):
                started = time.perf_counter()
                counts = seed_database(url, size)
                print(f"{database} {size}: seeded {counts.variants} variants, {counts.findings} findings, "
                      f"{counts.deliveries} deliveries in {time.perf_counter() - started:.0f} s", file=sys.stderr)
                runs.append(measure(database, size, url, data_dir, port=args.port, repeats=args.repeats))
                print(f"  measured (load {runs[-1].load})\n{table(runs)}", file=sys.stderr, flush=True)
    print(table(runs))
    return 0


@contextmanager
def fresh_database(database: str) -> Iterator[tuple[str, Path]]:
    """(database URL, data folder) of an empty database, removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="bench-lists-") as tmp:
        if database == "sqlite":
            yield f"sqlite:///{tmp}/factory.db", Path(tmp)
            return
        import psycopg

        name = f"cf_bench_lists_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{name}"')
            try:
                yield PG_URL.format(name=name), Path(tmp)
            finally:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def seed_database(url: str, size: int):  # type: ignore[no-untyped-def]
    engine = make_engine(url)
    upgrade(engine)
    counts = seed(engine, briefs=size)
    if engine.dialect.name == "postgresql":  # what autovacuum does on a live server: statistics, visibility map
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM ANALYZE")
    engine.dispose()
    return counts


def bench_token(url: str) -> str:
    engine = make_engine(url)
    with session_scope(engine) as session:
        user = users.create_user(session, username="bench", roles=["reviewer", "compliance"], brands=BRANDS,
                                 password=None, actor="bench")
        _token, secret = tokens.create_token(session, user=user, roles=None, brands=None, expires_days=1,
                                             actor="bench")
    engine.dispose()
    return secret


def measure(database: str, size: int, url: str, data_dir: Path, *, port: int, repeats: int) -> Run:
    headers = {"Authorization": f"Bearer {bench_token(url)}"}
    env = {**os.environ, "CF_DATABASE_URL": url, "CF_DATA_DIR": str(data_dir)}
    server = subprocess.Popen([sys.executable, "-c", FACTORY, "api", "--port", str(port)], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", headers=headers, timeout=60) as client:
            _wait_ready(client)
            fill = _placeholders(client, url)
            timings = _time_rounds(client, [(label, path.format(**fill)) for label, path in ROUTES], repeats,
                                   server.pid)
    finally:
        server.terminate()
        server.wait(timeout=30)
    return Run(database, size, " ".join(f"{x:.2f}" for x in os.getloadavg()), timings)


def _wait_ready(client: httpx.Client) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if client.get("/health").status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise RuntimeError("factory api did not answer /health within 60 s")


def _placeholders(client: httpx.Client, url: str) -> dict[str, object]:
    """Ids and cursors the routes name: offsets and cursors half-way into each list (found once, by offset).

    The list sizes are counted in the database: the API's ``total`` stops at 1,000.
    """
    sizes = _list_sizes(url)

    def half_way(path: str, size: int) -> tuple[int, str, str]:
        row = client.get(f"{path}limit=1&offset={size // 2}").json()
        return size // 2, row["next_cursor"], row["items"][0]["id"]

    queue_deep, age_cursor, _ = half_way("/review/queue?", sizes["queue"])
    _, risk_cursor, middle = half_way("/review/queue?sort=risk&", sizes["queue"])
    briefs_deep, briefs_cursor, _ = half_way("/briefs?", sizes["briefs"])
    deliveries_deep, deliveries_cursor, _ = half_way("/deliveries?", sizes["deliveries"])
    return {"first": client.get("/review/queue?limit=1").json()["items"][0]["id"], "middle": middle,
            "queue_deep": queue_deep, "queue_cursor": age_cursor, "risk_cursor": risk_cursor,
            "blocked_cursor": half_way("/compliance/blocked?", sizes["blocked"])[1],
            "briefs_deep": briefs_deep, "briefs_cursor": briefs_cursor,
            "filtered_cursor": half_way("/briefs?brand=fernhill&state=published&", sizes["fernhill_published"])[1],
            "deliveries_deep": deliveries_deep, "deliveries_cursor": deliveries_cursor}


def _list_sizes(url: str) -> dict[str, int]:
    """Rows of each measured list in the bench caller's brands, counted in the database."""
    brands = ", ".join(f"'{b}'" for b in BRANDS)
    queries = {
        "queue": f"SELECT count(*) FROM variant WHERE state IN ('blocked', 'in_review') AND brand IN ({brands})",
        "blocked": f"SELECT count(*) FROM variant WHERE state = 'blocked' AND brand IN ({brands})",
        "briefs": f"SELECT count(*) FROM brief WHERE brand IN ({brands})",
        "fernhill_published": "SELECT count(*) FROM brief WHERE brand = 'fernhill' AND state = 'published'",
        "deliveries": f"SELECT count(*) FROM delivery WHERE brand IN ({brands})",
    }
    engine = make_engine(url)
    with engine.connect() as conn:
        sizes = {name: int(conn.exec_driver_sql(sql).scalar_one()) for name, sql in queries.items()}
    engine.dispose()
    return sizes


def _time_rounds(client: httpx.Client, routes: list[tuple[str, str]], repeats: int,
                 pid: int) -> dict[str, tuple[float, float, float]]:
    """label -> (p50 ms, p95 ms, mean server CPU ms) over ``repeats`` rounds of sequential GETs (each 200)."""
    samples: dict[str, list[float]] = {label: [] for label, _ in routes}
    cpu = dict.fromkeys(samples, 0.0)
    for round_no in range(repeats + 3):
        for label, path in routes:
            cpu_before, started = _cpu_seconds(pid), time.perf_counter()
            response = client.get(path)
            elapsed, cpu_used = time.perf_counter() - started, _cpu_seconds(pid) - cpu_before
            if response.status_code != 200:
                raise RuntimeError(f"GET {path} answered {response.status_code}: {response.text[:200]}")
            if round_no >= 3:
                samples[label].append(elapsed * 1000)
                cpu[label] += cpu_used * 1000
    out = {}
    for label, values in samples.items():
        cuts = statistics.quantiles(values, n=20, method="inclusive")
        out[label] = (statistics.median(values), cuts[18], cpu[label] / len(values))
    return out


def _cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of process ``pid`` so far (Linux)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def table(runs: list[Run]) -> str:
    """Markdown: one row per route, one column per (database, size): p50 / p95 ms (p50 over the floor's
    p50; server CPU ms per request)."""
    head = "| route | " + " | ".join(f"{r.database} {r.size:,}" for r in runs) + " |"
    lines = [head, "|---|" + "---|" * len(runs)]
    for label, _path in ROUTES:
        cells = []
        for r in runs:
            p50, p95, cpu = r.timings[label]
            floor = r.timings[ROUTES[0][0]][0]
            ratio = "" if label == ROUTES[0][0] else f"{p50 / floor:.0f}x; "
            cells.append(f"{p50:.0f} / {p95:.0f} ({ratio}cpu {cpu:.0f})")
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    lines.append("| load average (1/5/15 min) | " + " | ".join(r.load for r in runs) + " |")
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())
