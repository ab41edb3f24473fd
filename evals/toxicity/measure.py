"""Print the toxicity check's figures (judge off): the rows ``factory eval guardrails`` writes for toxicity,
the GermEval sample split in two halves, and a threshold sweep on each data set.

Run from the project root (about a minute; more on a loaded machine)::

    .venv/bin/python evals/toxicity/measure.py

GermEval halves: even rows (0, 2, ...) were looked at while the German lexicon was extended; odd rows were
not, so the odd half is the fairer figure. The implicit-hate sets are this project's own sentences
(``implicit_hate_dev.jsonl`` was used to write the rules, ``implicit_hate_heldout.jsonl`` was written after
the rules were frozen at commit 709836f). Figures and the load average go in ``evals/toxicity/README.md``.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from app.brand import load_brand
from app.evaluation import guardrail_metrics as gm
from app.evaluation.guardrail_report import _toxicity_rows
from app.guardrails.toxicity import ProfanityCheckBackend, text_scores
from app.settings import PROJECT_ROOT

THRESHOLDS = (0.4, 0.5, 0.6, 0.7, 0.8)


def main() -> None:
    print(f"load average at start: {os.getloadavg()[0]:.1f}")
    print("| measure | data | n | figure | aim |\n|---|---|---|---|---|")
    for row in _toxicity_rows(gm.DEFAULT_DATASETS, load_brand(PROJECT_ROOT / "brand_kb", "fernhill")):
        print(f"| {row.measure} | {row.data} | {row.n} | {row.figure} | {row.aim} |")
    backend = ProfanityCheckBackend()
    texts, labels = gm.german_toxicity_dataset()
    scores = text_scores(backend, texts)
    for half, name in ((0, "even rows (looked at)"), (1, "odd rows (not looked at)")):
        y = labels[half::2]
        s = scores[half::2]
        m = gm.scored_metrics(y, s, 0.6)
        print(f"germeval {name}: n {len(y)}, AUC {m['auc']:.3f}, P/R at 0.6 {m['precision']:.3f} / {m['recall']:.3f}")
    sets = {**gm.toxicity_datasets(), "germeval2018_sample_300": (texts, labels),
            "implicit_hate_heldout": gm.implicit_hate_set("implicit_hate_heldout")}
    print("\n| data | " + " | ".join(f"P / R at {t}" for t in THRESHOLDS) + " |")
    print("|---|" + "---|" * len(THRESHOLDS))
    for name, (x, y) in sets.items():
        s = scores if name.startswith("germeval") else text_scores(backend, x)
        cells = [gm.classification_metrics(y, [v >= t for v in s]) for t in THRESHOLDS]
        print(f"| {name} | " + " | ".join(f"{c['precision']:.2f} / {c['recall']:.2f}" for c in cells) + " |")
    print(f"load average at end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
