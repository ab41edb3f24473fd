"""``make bench``: the stack's costs against their baselines, side by side in one run, written to the README.

``python -m app.bench.stack_overview [--sizes 1000,5000,20000] [--briefs 4] [--model M] [--no-write]``

1. retrieval: the store side of one ``retrieve()`` at each size, today against opening the store per
   operation (app/bench/retrieval_speed.py), and the query's embedding;
2. ingestion against raw encoding of the same chunks (app/bench/ingest_speed.py);
3. one LLM call through the stack against the same call raw (app/bench/llm_overhead.py);
4. briefs/hour with one and two workers, and the overhead R cold and warm (app/bench/worker_throughput.py).

The machine's load average is printed before and after: figures from a loaded machine are slower in
absolute terms; the ratios compare things measured minutes apart in the same run. Measures; asserts nothing.
"""

from __future__ import annotations

import argparse
import logging
import os
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from app.bench import ingest_speed, llm_overhead, retrieval_speed, worker_throughput
from app.settings import PROJECT_ROOT, Settings
from app.wiring import build_embedder, build_llm

START, END = "<!-- bench:start -->", "<!-- bench:end -->"


def query_embedding_ms(settings: Settings, runs: int = 30) -> float:
    embedder = build_embedder(settings)
    embedder.embed(["warm up"])
    times = []
    for n in range(runs):
        started = time.perf_counter()
        embedder.embed([f"Quiet Hours evening tea for people who wind down {n}"])
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def llm_ratio(settings: Settings) -> dict[str, Any]:
    llm = build_llm(settings)
    facts = (settings.brand_kb_dir / "fernhill" / "guides" / "faq.md").read_text()[:1500]
    try:
        return llm_overhead.measure(llm, facts)  # type: ignore[arg-type]
    finally:
        llm.server.stop()  # type: ignore[attr-defined]


def render(rows: list[dict[str, Any]], embed_ms: float, ingest: dict[str, Any], llm: dict[str, Any] | None,
           workers: tuple[dict[int, Any], float, float] | None, load: tuple[float, float]) -> str:
    lines = [f"Load average {load[0]:.1f} before, {load[1]:.1f} after (2 cores shared with other work).", "",
             "| measure | baseline | now | ratio | target |", "|---|---:|---:|---:|---|"]
    for row in rows:
        base, own, via = row["per-op open"], row["owner"], row["via owner"]
        lines.append(f"| retrieval at {row['chunks']:,} chunks/brand, p50 / p95 ms | per-op open "
                     f"{base[0]:.0f} / {base[1]:.0f} | {own[0]:.1f} / {own[1]:.1f} (via owner {via[0]:.1f} / "
                     f"{via[1]:.1f}) | {base[0] / max(own[0], 1e-3):,.0f}x | p95 <= 10 ms |")
    lines.append(f"| query embedding, p50 ms | | {embed_ms:.1f} | | |")
    lines.append(f"| ingestion, chunks/s ({ingest['chunks']} chunks) | raw encode {ingest['raw_per_s']:.1f} | "
                 f"{ingest['ingest_per_s']:.1f} | {ingest['ratio']:.2f} | >= 0.8 |")
    if llm is not None:
        lines.append(f"| one LLM call, s ({llm['completion_tokens'][0]} tokens out, same tokens: "
                     f"{'yes' if llm['same_tokens'] else 'no'}) | raw {llm['raw_s']:.2f} | "
                     f"stack {llm['stack_s']:.2f} | "
                     f"{llm['ratio']:.2f} | >= 0.95 |")
    if workers is not None:
        runs, cold, warm = workers
        one, two = runs[1], runs[2]
        lines.append(f"| briefs/hour ({one.briefs} briefs) | 1 worker {one.per_hour:.0f} | "
                     f"2 workers {two.per_hour:.0f} | "
                     f"{two.per_hour / one.per_hour:.2f} | >= 1.0 |")
        lines.append(f"| overhead R = (wall - LLM) / LLM | warm {warm:.2f} | cold {cold:.2f} | "
                     f"{cold - warm:+.2f} | cold within 0.1 of warm |")
    return "\n".join(lines)


def write_readme(table: str, readme: Path = PROJECT_ROOT / "README.md") -> None:
    text = readme.read_text()
    block = f"{START}\n{table}\n{END}"
    if START in text and END in text:
        text = text[:text.index(START)] + block + text[text.index(END) + len(END):]
    else:
        text += f"\n## Speed (`make bench`)\n\n{block}\n"
    readme.write_text(text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,5000,20000")
    parser.add_argument("--briefs", type=int, default=4)
    parser.add_argument("--model", default="smollm2-135m-instruct", help="the local model for the LLM rows")
    parser.add_argument("--no-llm", action="store_true", help="skip the rows that run a model")
    parser.add_argument("--no-write", action="store_true", help="print only; leave README.md alone")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="cf-bench-") as tmp:
        settings = Settings(_env_file=None, data_dir=Path(tmp) / "var",  # type: ignore[call-arg]
                            llm_local_model=args.model)
        print("retrieval ...", flush=True)
        rows = retrieval_speed.measure(tuple(int(s) for s in args.sizes.split(",")))
        embed_ms = query_embedding_ms(settings)
        print("ingestion ...", flush=True)
        ingest = ingest_speed.measure(build_embedder(settings), copies=2)
        llm = workers = None
        if not args.no_llm:
            print("LLM call ...", flush=True)
            llm = llm_ratio(settings)
            print("workers ...", flush=True)
            workers = worker_throughput.run(Path(tmp) / "workers", model=args.model, briefs=args.briefs)
    table = render(rows, embed_ms, ingest, llm, workers, (load_before, os.getloadavg()[0]))
    print(retrieval_speed.table(rows))
    print()
    print(table)
    if not args.no_write:
        write_readme(table + "\n\nRetrieval in detail (kept open = one Qdrant client kept open, Qdrant's own "
                     "filtered scan):\n\n" + retrieval_speed.table(rows))


if __name__ == "__main__":
    main()
