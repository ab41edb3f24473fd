"""``/metrics/kpis`` at growing history sizes: p50/p95 of the route, in process, on a seeded SQLite database.

The history is :func:`app.bench.list_seed.seed` (one brief every five minutes back from now, four variants each,
their findings, deliveries and audit entries), so a 30-day period holds about 8,640 briefs whatever the size and
the 365-day period all of them up to 105,120. Run: ``python -m app.bench.kpi_route --sizes 1000,100000``; prints a
Markdown table. Timings are wall-clock per request through FastAPI's TestClient (no network), after 2 warm-ups.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from fastapi.testclient import TestClient

from app.api.main import create_app
from app.bench.list_routes import bench_token, seed_database
from app.settings import Settings
from app.wiring import build_deps


def measure(size: int, repeats: int) -> list[tuple[int, int, float, float]]:
    """[(size, days, p50 ms, p95 ms)] for a 30-day and a 365-day period."""
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-kpis-") as tmp:
        url = f"sqlite:///{tmp}/factory.db"
        seed_database(url, size)
        headers = {"Authorization": f"Bearer {bench_token(url)}"}
        settings = Settings(database_url=url, data_dir=Path(tmp), _env_file=None)  # type: ignore[call-arg]
        client = TestClient(create_app(deps=build_deps(settings)))
        for days in (30, 365):
            for _ in range(2):
                client.get("/metrics/kpis", params={"days": days}, headers=headers).raise_for_status()
            times = []
            for _ in range(repeats):
                started = time.perf_counter()
                client.get("/metrics/kpis", params={"days": days}, headers=headers).raise_for_status()
                times.append((time.perf_counter() - started) * 1000)
            ordered = sorted(times)
            rows.append((size, days, statistics.median(ordered), ordered[max(int(0.95 * len(ordered)) - 1, 0)]))
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--sizes", default="1000,100000")
    parser.add_argument("--repeats", type=int, default=20)
    args = parser.parse_args(argv)
    print("| briefs | period | p50 ms | p95 ms |\n|---|---|---|---|")
    for size in (int(s) for s in args.sizes.split(",")):
        for n, days, p50, p95 in measure(size, args.repeats):
            print(f"| {n:,} | {days} d | {p50:.0f} | {p95:.0f} |", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
