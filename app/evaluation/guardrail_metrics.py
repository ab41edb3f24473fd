"""Guardrail metrics on the shared third-party data sets: pure functions that return dicts, no printing.

The data sets live outside the repository (``../shared/datasets`` beside the checkout, see its
SOURCES.md); every function takes the folder so callers can point elsewhere. A missing file raises
FileNotFoundError: a measurement that could not run is not a zero.

- :func:`toxicity_metrics`: per toxicity data set, n, positives, precision, recall, F1 at a threshold
  and ROC AUC of the score :class:`~app.guardrails.toxicity.ToxicityCheck` acts on (max over the
  sentences and the whole text). Positives: davidson ``is_toxic`` (hate or offensive), jigsaw any of
  its six labels.
- :func:`injection_metrics`: recall of :func:`~app.guardrails.injection.scan_injection` on the
  llm-guard injections and jailbreak templates; false-alarm rate on NotInject and on llm-guard's
  benign prompts.
- :func:`false_alarm_rate`: share of texts on which a check reports any failed result.
- :func:`clean_copy_paragraphs`: real marketing/editorial copy (the demo brand's guides and the 18F
  content guide) split into paragraphs, for false-alarm rates.

The figures measured with these functions, and the thresholds chosen from them, are in the
docstrings of ``app.guardrails.toxicity`` and ``app.guardrails.injection``.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Sequence
from pathlib import Path

from app.guardrails.base import Check, CheckContext
from app.guardrails.injection import InjectionVerdict, scan_injection
from app.guardrails.toxicity import ToxicityBackend, text_scores

DEFAULT_DATASETS = Path(__file__).resolve().parents[2].parent / "shared" / "datasets"
DEFAULT_BRAND_GUIDES = Path(__file__).resolve().parents[2] / "brand_kb" / "fernhill" / "guides"

JIGSAW_LABELS = ("toxic", "severe_toxic", "obscene", "threat", "insult", "identity_hate")


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def toxicity_datasets(datasets_dir: Path = DEFAULT_DATASETS) -> dict[str, tuple[list[str], list[int]]]:
    """``{name: (texts, labels)}`` for the toxicity data sets, label 1 = toxic."""
    folder = datasets_dir / "toxicity"
    davidson = _rows(folder / "davidson_sample_300.csv")
    jigsaw = _rows(folder / "jigsaw_max_test_examples.csv")
    return {
        "davidson_sample_300": ([r["tweet"] for r in davidson], [int(r["is_toxic"]) for r in davidson]),
        "jigsaw_max_test_examples": (
            [r["comment_text"] for r in jigsaw],
            [int(any(r[label] == "1" for label in JIGSAW_LABELS)) for r in jigsaw],
        ),
    }


def toxicity_metrics(backend: ToxicityBackend, threshold: float,
                     datasets_dir: Path = DEFAULT_DATASETS) -> dict[str, dict[str, float]]:
    """Per data set: n, positives, precision, recall, f1 at ``threshold``, and ROC AUC."""
    results = {}
    for name, (texts, labels) in toxicity_datasets(datasets_dir).items():
        scores = text_scores(backend, texts)
        results[name] = {
            "n": len(texts), "positives": sum(labels), "threshold": threshold,
            **classification_metrics(labels, [s >= threshold for s in scores]),
            "auc": roc_auc(labels, scores),
        }
    return results


def classification_metrics(labels: Sequence[int], predicted: Sequence[bool]) -> dict[str, float]:
    tp = sum(1 for y, p in zip(labels, predicted, strict=True) if y and p)
    fp = sum(1 for y, p in zip(labels, predicted, strict=True) if not y and p)
    fn = sum(1 for y, p in zip(labels, predicted, strict=True) if y and not p)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}


def roc_auc(labels: Sequence[int], scores: Sequence[float]) -> float:
    """ROC AUC as the Mann-Whitney rank statistic (ties get average ranks)."""
    order = sorted(range(len(scores)), key=lambda i: scores[i])
    ranks = [0.0] * len(scores)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and scores[order[j + 1]] == scores[order[i]]:
            j += 1
        for k in range(i, j + 1):
            ranks[order[k]] = (i + j) / 2 + 1  # average 1-based rank of the tie group
        i = j + 1
    positives = sum(1 for y in labels if y)
    negatives = len(labels) - positives
    if not positives or not negatives:
        raise ValueError("ROC AUC needs both classes")
    rank_sum = sum(r for r, y in zip(ranks, labels, strict=True) if y)
    return (rank_sum - positives * (positives + 1) / 2) / (positives * negatives)


def injection_datasets(datasets_dir: Path = DEFAULT_DATASETS) -> dict[str, tuple[list[str], int]]:
    """``{name: (texts, expected is_injection)}``; llm-guard's tests are split by their label."""
    folder = datasets_dir / "prompt_injection"
    tests = _rows(folder / "llm_guard_prompt_injection_tests.csv")
    return {
        "llm_guard_injections": ([r["text"] for r in tests if r["is_injection"] == "1"], 1),
        "llm_guard_jailbreaks": ([r["text"] for r in _rows(folder / "llm_guard_jailbreak_templates.csv")], 1),
        "notinject_benign": ([r["text"] for r in _rows(folder / "notinject_benign_trigger_words.csv")], 0),
        "llm_guard_benign": ([r["text"] for r in tests if r["is_injection"] == "0"], 0),
    }


def injection_metrics(
    datasets_dir: Path = DEFAULT_DATASETS, scan: Callable[[str], InjectionVerdict] = scan_injection,
) -> dict[str, dict[str, float]]:
    """Recall on each attack set, false-alarm rate on each benign set, with n."""
    results: dict[str, dict[str, float]] = {}
    for name, (texts, expected) in injection_datasets(datasets_dir).items():
        flagged = sum(1 for text in texts if scan(text).is_injection)
        metric = "recall" if expected else "false_alarm_rate"
        results[name] = {"n": len(texts), "flagged": flagged, metric: flagged / len(texts)}
    return results


def false_alarm_rate(check: Check, texts: Sequence[str], ctx: CheckContext) -> float:
    """Share of ``texts`` (all meant to be clean) on which ``check`` reports a failed result."""
    if not texts:
        raise ValueError("no texts to measure false alarms on")
    alarms = sum(1 for text in texts if any(not r.passed for r in check.run(text, ctx)))
    return alarms / len(texts)


_FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.DOTALL)
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")


def clean_copy_paragraphs(datasets_dir: Path = DEFAULT_DATASETS,
                          brand_guides: Path = DEFAULT_BRAND_GUIDES) -> dict[str, list[str]]:
    """Paragraphs (3+ words, front matter dropped) of the brand guides and of the 18F content guide."""
    sources = {
        "fernhill_guides": sorted(brand_guides.glob("*.md")),
        "18f_content_guide": sorted(p for p in (datasets_dir / "style_guides" / "18f").glob("*.md")
                                    if p.name != "LICENSE.md"),
    }
    paragraphs: dict[str, list[str]] = {}
    for name, files in sources.items():
        if not files:
            raise FileNotFoundError(f"no Markdown files for {name}")
        paragraphs[name] = [p for f in files for p in markdown_paragraphs(f.read_text(encoding="utf-8"))]
    return paragraphs


def markdown_paragraphs(markdown: str) -> list[str]:
    body = _FRONT_MATTER.sub("", markdown)
    return [p.strip() for p in _PARAGRAPH_BREAK.split(body) if len(p.split()) >= 3]
