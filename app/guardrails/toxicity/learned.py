"""A learned grade for English sentences that name a group: logistic regression on MiniLM embeddings.

The rules name the kinds of demeaning generalisation they know; this scorer ranks the rest. It is trained by
``evals/toxicity/train_scorer.py`` on this project's own 150 sentences (the weights and their data are in
``implicit_hate_scorer.json``) and scored 0.98 ROC AUC on 60 sentences written later and never trained on
(``evals/toxicity/implicit_hate_heldout2.jsonl``); the rules alone scored 0.88 there. Its training sentences
are short and of one style (benign ones are mostly shop copy), so it is not trusted to block: its grade is
capped at :data:`CAP`, under the default threshold. It ranks sentences (the "rules + learned" ROC AUC in
``evals/toxicity/README.md``) and, when a judge is on, spares the judge the sentences about a group that it
rates as benign (:data:`~.scoring.ASK_LEARNED`). With the judge off the check does not compute it.

Cost: one embedding per sentence that names a group (the embedder loads on first use, about 2 s once; then
tens of ms a sentence on a loaded machine), only with a judge on. Sentences that name no group are never
embedded.
"""

from __future__ import annotations

import json
import math
import threading
from pathlib import Path

from app.retrieval.embedder import Embedder

WEIGHTS_PATH = Path(__file__).with_name("implicit_hate_scorer.json")
CAP = 0.55


class ImplicitHateScorer:
    """``score(sentences)`` -> probabilities (0..1) that each demeans a group; needs an :class:`Embedder`."""

    def __init__(self, embedder: Embedder, weights_path: Path = WEIGHTS_PATH) -> None:
        self.embedder = embedder
        self.weights_path = weights_path
        self._weights: tuple[list[float], float] | None = None
        self._lock = threading.Lock()

    def score(self, sentences: list[str]) -> list[float]:
        if not sentences:
            return []
        weights, intercept = self._load()
        return [_sigmoid(intercept + sum(w * x for w, x in zip(weights, vector, strict=True)))
                for vector in self.embedder.embed(sentences)]

    def _load(self) -> tuple[list[float], float]:
        with self._lock:
            if self._weights is None:
                data = json.loads(self.weights_path.read_text(encoding="utf-8"))
                self._weights = ([float(w) for w in data["weights"]], float(data["intercept"]))
            return self._weights


def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z)) if z >= 0 else math.exp(z) / (1.0 + math.exp(z))
