"""A learned grade for German sentences: logistic regression on character n-grams, trained on GermEval 2018.

The German rules (:mod:`.german`) know insults by name; this grade ranks what they miss (abuse in ordinary
words, irony, hostile framing). ``evals/toxicity/train_german_scorer.py`` trains it on two thirds of the
shared GermEval 2018 sample (CC BY 4.0; a tweet is held out when the SHA-256 of its ``orig_line`` is 0
modulo 3) and measures it on the held-out third only; the weights, the split and the held-out figures are in
``german_abuse_scorer.json``. Features: the word-bounded character 3- to 5-grams of the lower-cased sentence
(:func:`char_grams`), binary, weighted by their inverse document frequency and L2-normalised, as
scikit-learn's ``TfidfVectorizer(binary=True)`` computes them, so scoring needs no scikit-learn.

Its training tweets are political and short, not marketing copy, so it is not trusted to block: as the
English learned grade, its probability is capped at :data:`~.learned.CAP` (under the default threshold). It
ranks sentences and, when a judge is on, makes the sentences it rates abusive the judge's to read. Cost: a
set of n-grams and a dictionary lookup per n-gram (tens of microseconds a sentence); the weights load once.
"""

from __future__ import annotations

import hashlib
import json
import math
import threading
from pathlib import Path

WEIGHTS_PATH = Path(__file__).with_name("german_abuse_scorer.json")
NGRAMS = (3, 4, 5)


def is_held_out(orig_line: str) -> bool:
    """Whether a GermEval tweet (by its ``orig_line``) is in the third never trained on: measure on these only."""
    return int(hashlib.sha256(orig_line.encode()).hexdigest(), 16) % 3 == 0


def char_grams(text: str) -> list[str]:
    """The distinct character n-grams (:data:`NGRAMS`) of each lower-cased word padded with a space at each
    end ("du" -> " du", "du "), sorted: the features of the model."""
    found: set[str] = set()
    for word in text.lower().split():
        padded = f" {word} "
        for n in NGRAMS:
            found.update(padded[i:i + n] for i in range(max(1, len(padded) - n + 1)))
    return sorted(found)


class GermanAbuseScorer:
    """``score(sentences)`` -> probabilities (0..1) that each German sentence is abusive."""

    def __init__(self, weights_path: Path = WEIGHTS_PATH) -> None:
        self.weights_path = weights_path
        self._model: tuple[dict[str, tuple[float, float]], float] | None = None
        self._lock = threading.Lock()

    def score(self, sentences: list[str]) -> list[float]:
        features, intercept = self._load()
        probabilities = []
        for sentence in sentences:
            present = [features[g] for g in char_grams(sentence) if g in features]
            norm = math.sqrt(sum(idf * idf for _, idf in present)) or 1.0
            z = intercept + sum(weight * idf for weight, idf in present) / norm
            probabilities.append(1.0 / (1.0 + math.exp(-z)) if z >= 0 else math.exp(z) / (1.0 + math.exp(z)))
        return probabilities

    def _load(self) -> tuple[dict[str, tuple[float, float]], float]:
        with self._lock:
            if self._model is None:
                data = json.loads(self.weights_path.read_text(encoding="utf-8"))
                features = {gram: (float(w), float(idf)) for gram, (w, idf) in data["features"].items()}
                self._model = (features, float(data["intercept"]))
            return self._model
