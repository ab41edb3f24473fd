"""``make bench-embedders``: cross-lingual recall@5 and speed of each embedder on the demo brand.

The set is ``evals/retrieval/bilingual.yaml``: German questions answered by fernhill's English chunks and
English questions answered by its German ones (``brand_kb/fernhill/de/``), each naming the chunks that
answer it by ``ref`` (a fact, product or approved-claim id, the same in both languages). Every chunk of the
brand folder is embedded as ingestion would (:func:`app.retrieval.chunking.chunk_file`), and a question is a
hit when one of its chunks is among the 5 nearest by cosine:

- ``de->en``: German questions, searched among the English chunks only;
- ``en->de``: English questions, among the German chunks only;
- ``mixed``: every question, among all chunks (what a brief on a bilingual KB meets).

Speed: seconds to load (and verify) the model, milliseconds per chunk embedded in one batch (the
ingestion path) and per question embedded alone (the retrieval path), and the process's peak RSS growth.
Each embedder runs in a process of its own (so load time and memory are its own), one after the other,
on one thread for the multilingual ones (their defaults here) and torch's default for MiniLM. Prints a Markdown
table; the README has one.

Usage: ``python -m app.bench.embedders [--embedders a,b] [--brand-dir brand_kb/fernhill]``.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import yaml

from app.retrieval.chunking import LANGUAGE_FOLDERS, Chunk, chunk_file
from app.retrieval.embedder import EMBEDDERS, Embedder, embed_queries, make_embedder
from app.retrieval.ingest import kb_files
from app.settings import PROJECT_ROOT

TOP_K = 5
SET_PATH = PROJECT_ROOT / "evals" / "retrieval" / "bilingual.yaml"


@dataclass(frozen=True)
class Question:
    text: str
    language: str
    refs: frozenset[str]


@dataclass(frozen=True)
class Result:
    embedder: str
    dimension: int
    recall: dict[str, tuple[int, int]]  # direction -> (hits, questions)
    load_s: float
    ms_per_chunk: float
    ms_per_question: float
    rss_mb: float


def load_questions(path: Path = SET_PATH) -> list[Question]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [Question(text=str(item["q"]), language=language, refs=frozenset(str(r) for r in item["refs"]))
            for language in ("de", "en") for item in data.get(language, [])]


def brand_chunks(folder: Path) -> list[tuple[Chunk, str]]:
    """Every chunk of the brand folder, with its language read from its folder (``de/...``; else English)."""
    found = []
    for path in kb_files(folder):
        relative = path.relative_to(folder)
        language = relative.parts[0] if relative.parts[0] in LANGUAGE_FOLDERS else "en"
        found += [(chunk, language) for chunk in chunk_file(path, relative)]
    return found


def recall_at_k(hits_by_question: list[list[int]], relevant: list[set[int]]) -> tuple[int, int]:
    """(questions with a relevant chunk among their ranked hits, questions that have a relevant chunk)."""
    counted = [(ranked, wanted) for ranked, wanted in zip(hits_by_question, relevant, strict=True) if wanted]
    return sum(bool(set(ranked) & wanted) for ranked, wanted in counted), len(counted)


def run(name: str, folder: Path, questions: list[Question], *, embedder: Embedder | None = None) -> Result:
    import numpy as np

    chunks = brand_chunks(folder)
    rss_before = _rss_mb()
    started = time.perf_counter()
    model = embedder or make_embedder(name)
    model.embed(["warm-up"])
    load_s = time.perf_counter() - started
    started = time.perf_counter()
    matrix = np.asarray(model.embed([c.text for c, _ in chunks]), dtype=np.float32)
    ms_per_chunk = 1000 * (time.perf_counter() - started) / len(chunks)
    started = time.perf_counter()
    queries = np.asarray([embed_queries(model, [q.text])[0] for q in questions], dtype=np.float32)
    ms_per_question = 1000 * (time.perf_counter() - started) / len(questions)
    scores = queries @ matrix.T
    recall = {}
    for direction, asked, searched in (("de->en", "de", "en"), ("en->de", "en", "de"), ("mixed", None, None)):
        pool = [i for i, (_, lang) in enumerate(chunks) if searched is None or lang == searched]
        picked = [i for i, q in enumerate(questions) if asked is None or q.language == asked]
        ranked = [[pool[j] for j in np.argsort(-scores[i, pool])[:TOP_K]] for i in picked]
        relevant = [{j for j in pool if chunks[j][0].ref in questions[i].refs} for i in picked]
        recall[direction] = recall_at_k(ranked, relevant)
    return Result(embedder=name, dimension=int(matrix.shape[1]), recall=recall, load_s=load_s,
                  ms_per_chunk=ms_per_chunk, ms_per_question=ms_per_question, rss_mb=_rss_mb() - rss_before)


def table(results: list[Result], chunk_count: int) -> str:
    lines = [f"| embedder | dim | recall@{TOP_K} de->en | recall@{TOP_K} en->de | recall@{TOP_K} mixed | load s | "
             f"ms/chunk (batch of {chunk_count}) | ms/question | peak RSS growth MB |",
             "|---|---|---|---|---|---|---|---|---|"]
    for r in results:
        cells = [f"{h}/{n} ({h / n:.0%})" for h, n in (r.recall[d] for d in ("de->en", "en->de", "mixed"))]
        lines.append(f"| {r.embedder} | {r.dimension} | {' | '.join(cells)} | {r.load_s:.2f} | {r.ms_per_chunk:.1f} "
                     f"| {r.ms_per_question:.1f} | {r.rss_mb:.0f} |")
    return "\n".join(lines)


def _in_subprocess(name: str, folder: Path) -> Result:
    out = subprocess.run([sys.executable, "-m", "app.bench.embedders", "--one", name, "--brand-dir", str(folder)],
                         check=True, capture_output=True, text=True).stdout
    data = json.loads(out.strip().splitlines()[-1])
    data["recall"] = {k: tuple(v) for k, v in data["recall"].items()}
    return Result(**data)


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--embedders", default=",".join(EMBEDDERS))
    parser.add_argument("--brand-dir", type=Path, default=PROJECT_ROOT / "brand_kb" / "fernhill")
    parser.add_argument("--one", help="run one embedder here and print its result as JSON (used by the table)")
    args = parser.parse_args(argv)
    if args.one:
        print(json.dumps(asdict(run(args.one, args.brand_dir, load_questions()))))
        return
    results = [_in_subprocess(name.strip(), args.brand_dir) for name in args.embedders.split(",") if name.strip()]
    print(table(results, len(brand_chunks(args.brand_dir))))


if __name__ == "__main__":
    main()
