"""Time the style check at 150, 1,500 and 15,000 words: ``python -m app.guardrails.style.timing``.

The copy is a headline, body paragraphs of ordinary marketing sentences (with terms, proper nouns, numbers
and a few findings for every family) and a call to action. Two guides: Fernhill's style.yaml as it is, and
the same plus every Vale rule of the shared write-good, proselint and Joblint packages (when
``../shared/datasets`` is there), so the Vale path is timed too. Prints the median of ``--repeats`` runs
per size and the ratio to the smallest size per word: a linear check keeps that ratio near 1. Not a test:
timings depend on the load (on the shared 2-core machine at load 13, CPU contention and garbage collection
made the larger sizes look up to 3x slower per word; with the collector off, 174 and 1,513 words took 6.8
and 6.7 microseconds per word; no step of the check is worse than linear in the text).
"""

from __future__ import annotations

import argparse
import statistics
import time
from dataclasses import replace
from pathlib import Path

from app.brand import BrandProfile, load_brand
from app.evaluation.style_metrics import DEFAULT_DATASETS
from app.guardrails.base import CheckContext
from app.guardrails.style.check import StyleCheck, style_guide
from app.guardrails.style.guide import StyleGuide
from app.guardrails.style.vale import load_rules
from app.settings import PROJECT_ROOT

SIZES = (150, 1_500, 15_000)
SENTENCES = (
    "Our Green Ridge sencha is picked in early May and rolled by hand at the Mangalam Estate.",
    "Brew 3 g in 200 ml of water at 75 °C for two minutes, then pour.",
    "The flavor is grassy and sweet, with a clear finish that lasts.",
    "Members of The Tea Club get a new tin every month and free delivery over €35.",
    "It is a very amazing cup, and there is a number of reasons to try it.",
    "Über 40 Gärten liefern unsere Blätter, from Yamabuki Tea Garden to Zelena Dolina.",
    "Order by Thursday and your parcel ships the next morning in recycled card.",
)


def copy_of(words: int) -> str:
    """``headline\\nbody\\ncta`` with about ``words`` words; a paragraph every four sentences."""
    body: list[str] = []
    count = 0
    index = 0
    while count < words:
        sentence = SENTENCES[index % len(SENTENCES)]
        body.append(sentence + (" " if (index + 1) % 4 else "\n\n"))
        count += len(sentence.split())
        index += 1
    return "Green Ridge is back for spring\n" + "".join(body).strip() + "\nShop the new harvest"


def timing_guide(brand: BrandProfile, datasets: Path = DEFAULT_DATASETS) -> StyleGuide:
    """Fernhill's guide with the shared Vale packages' rules added (as a brand listing them would)."""
    guide = style_guide(brand)
    packages = datasets / "style_rules"
    folders = [p / p.name for p in sorted(packages.iterdir())] if packages.is_dir() else []
    return replace(guide, vale=guide.vale + tuple(load_rules(f for f in folders if f.is_dir()).rules))


def measure(guide: StyleGuide, brand: BrandProfile, repeats: int = 5) -> list[tuple[int, float, int]]:
    """``(words, median ms, findings)`` per size, for the style check with ``guide``."""
    check = StyleCheck(guide)
    ctx = CheckContext(brand=brand, channel="blog")
    rows = []
    for words in SIZES:
        text = copy_of(words)
        times, findings = [], 0
        for _ in range(repeats):
            start = time.perf_counter()
            findings = len(check.run(text, ctx))
            times.append((time.perf_counter() - start) * 1000)
        rows.append((len(text.split()), statistics.median(times), findings))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    repeats = parser.parse_args().repeats
    brand = load_brand(PROJECT_ROOT / "brand_kb", "fernhill")
    with_vale = timing_guide(brand)
    for title, guide in (("Fernhill style.yaml", style_guide(brand)),
                         (f"Fernhill style.yaml + {len(with_vale.vale)} Vale rules", with_vale)):
        rows = measure(guide, brand, repeats)
        base = rows[0][1] / rows[0][0]
        print(title)
        print(f"{'words':>8} {'ms (median)':>12} {'ms/word vs smallest':>20} {'findings':>9}")
        for words, ms, findings in rows:
            print(f"{words:>8} {ms:>12.1f} {ms / words / base:>20.2f} {findings:>9}")


if __name__ == "__main__":
    main()
