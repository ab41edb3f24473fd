"""Toxicity models: a :class:`ToxicityBackend` maps texts to probabilities of being toxic (0..1), in order.

These are English models. :class:`~app.guardrails.toxicity.check.ToxicityCheck` gives them only
sentences it has read as English, with idioms, mentioned and negated insults and identity terms masked
(see ``masking``). A backend that cannot load or score raises: the check could not run, which is not a pass.

- :class:`ProfanityCheckBackend` (default): ``alt-profanity-check``, a TF-IDF + linear SVM model
  shipped inside the package (no download), about 40,000-90,000 texts/s in a batch; one call costs
  about 7 ms of fixed sklearn overhead through ``predict_prob``, about 1.5 ms per paragraph with the
  matrix-product scorer used here, so the check scores all pieces of a text in one call.
- :class:`DetoxifyBackend`: Detoxify's own loading code on a checkpoint file at a configured path.
  Detoxify's checkpoints download from GitHub on first use, which cannot happen here, so this backend
  never lets Detoxify download: it always passes ``checkpoint=``.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Any, Protocol

# Detoxify's outputs that are kinds of toxicity. The "unbiased" model also outputs identity mentions
# (male, female, christian, ...), which say who a text is about, not whether it is toxic: excluded.
DETOXIFY_TOXICITY_LABELS = frozenset({
    "toxicity", "severe_toxicity", "obscene", "threat", "insult", "identity_attack", "sexual_explicit",
})


class ToxicityBackend(Protocol):
    def score(self, texts: list[str]) -> list[float]:
        """Probability that each text is toxic, 0..1, in input order."""
        ...


class ProfanityCheckBackend:
    """alt-profanity-check's shipped model. Imported on first use: loading it takes about a second.

    The model is a TF-IDF vectorizer and scikit-learn's ``CalibratedClassifierCV``: five linear SVMs,
    each with a sigmoid calibrator, probabilities averaged. ``predict_prob`` spends about 7 ms per call
    in scikit-learn's per-estimator validation, more than the whole rest of the guardrails. So the
    backend evaluates the same ensemble as one matrix product (:class:`_LinearSigmoidEnsemble`), which
    gives identical probabilities (tested against ``predict_prob``) in about a fifth of the time. A model
    of any other shape falls back to ``predict_prob``.
    """

    name = "profanity_check"

    def __init__(self) -> None:
        self._scorer: Any = None
        self._lock = threading.Lock()

    def score(self, texts: list[str]) -> list[float]:
        if not texts:
            return []
        return [float(p) for p in self._load()(texts)]

    def _load(self) -> Any:
        with self._lock:
            if self._scorer is None:
                from profanity_check import predict_prob, profanity_check

                ensemble = _LinearSigmoidEnsemble.of(profanity_check.vectorizer, profanity_check.model)
                self._scorer = ensemble or predict_prob
            return self._scorer


class _LinearSigmoidEnsemble:
    """``mean_k sigmoid(a_k * (x . w_k + c_k) + b_k)`` over a calibrated ensemble of linear models."""

    def __init__(self, vectorizer: Any, weights: Any, intercepts: Any, a: Any, b: Any) -> None:
        self.vectorizer, self.weights, self.intercepts, self.a, self.b = vectorizer, weights, intercepts, a, b

    @classmethod
    def of(cls, vectorizer: Any, model: Any) -> _LinearSigmoidEnsemble | None:
        """The ensemble of ``model``, or None when it is not a binary sigmoid-calibrated linear ensemble."""
        import numpy as np

        members = getattr(model, "calibrated_classifiers_", None)
        if getattr(model, "method", None) != "sigmoid" or not members:
            return None
        if any(len(m.calibrators) != 1 or not hasattr(m.estimator, "coef_") for m in members):
            return None
        weights = np.vstack([m.estimator.coef_.ravel() for m in members]).T
        intercepts = np.array([float(m.estimator.intercept_[0]) for m in members])
        a = np.array([float(m.calibrators[0].a_) for m in members])
        b = np.array([float(m.calibrators[0].b_) for m in members])
        return cls(vectorizer, weights, intercepts, a, b)

    def __call__(self, texts: list[str]) -> Any:
        import numpy as np

        decision = self.vectorizer.transform(texts) @ self.weights + self.intercepts
        return (1.0 / (1.0 + np.exp(self.a * decision + self.b))).mean(axis=1)


class DetoxifyBackend:
    """A Detoxify model loaded by Detoxify's own code from ``checkpoint_path``, on first use.

    The score of a text is the maximum over the toxicity-type outputs present
    (:data:`DETOXIFY_TOXICITY_LABELS`: ``toxicity``, ``severe_toxicity``, ``obscene``, ``threat``,
    ``insult``, ``identity_attack``, ``sexual_explicit``), so an insult or a threat that the model
    rates below its general ``toxicity`` output still counts.

    What the checkpoint must hold (detoxify 0.5.4, ``load_checkpoint``): a ``torch.save`` dict with
    ``state_dict`` and ``config``, where ``config["arch"]["args"]`` has ``model_type`` (what
    transformers' ``from_pretrained`` resolves the config from), ``model_name`` (a transformers
    class, e.g. ``BertForSequenceClassification``), ``tokenizer_name`` (e.g. ``BertTokenizer``) and
    ``num_classes``; and ``config["dataset"]["args"]["classes"]`` names the outputs.

    Offline loading: ``huggingface_config_path`` (a folder with the transformers config and tokenizer
    files) is passed to Detoxify's parameter of that name, which loads the model config and tokenizer
    from it with ``local_files_only``. But detoxify 0.5.4 first calls
    ``config_class.from_pretrained(arch.args.model_type)`` regardless, so ``model_type`` must itself
    resolve offline: a local folder, or a hub id already in the local Hugging Face cache. The published
    checkpoints say ``bert-base-uncased`` / ``roberta-base`` / ``albert-base-v2``; re-save them once
    with :func:`localise_detoxify_checkpoint` to point ``model_type`` at the local folder. When
    ``huggingface_config_path`` is given, transformers takes the model config from that folder, so its
    ``config.json`` must have ``num_labels`` equal to the checkpoint's ``num_classes``. ``model_type``
    (``original``...) is passed on, but Detoxify only uses it to pick a download URL when no
    checkpoint is given, which never happens here.
    """

    name = "detoxify"

    def __init__(
        self, checkpoint_path: Path, model_type: str = "original", device: str = "cpu",
        huggingface_config_path: Path | None = None, batch_size: int = 32,
    ) -> None:
        self.checkpoint_path = Path(checkpoint_path)
        self.model_type = model_type
        self.device = device
        self.huggingface_config_path = huggingface_config_path
        self.batch_size = batch_size
        self._model: Any = None
        self._lock = threading.Lock()

    def score(self, texts: list[str]) -> list[float]:
        model = self._load()
        scores: list[float] = []
        for i in range(0, len(texts), self.batch_size):
            scores.extend(_max_toxicity(model.predict(texts[i:i + self.batch_size])))
        return scores

    def _load(self) -> Any:
        with self._lock:
            if self._model is None:
                self._model = self._build()
            return self._model

    def _build(self) -> Any:
        if not self.checkpoint_path.is_file():
            raise FileNotFoundError(f"Detoxify checkpoint not found at {self.checkpoint_path}")
        # No hub at run time (as for the embedder): a hub id in the checkpoint fails at once instead of
        # downloading. Effective only if huggingface_hub was not imported earlier without it.
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        from detoxify import Detoxify

        hf_path = str(self.huggingface_config_path) if self.huggingface_config_path else None
        try:
            return Detoxify(self.model_type, checkpoint=str(self.checkpoint_path), device=self.device,
                            huggingface_config_path=hf_path)
        except OSError as exc:
            raise OSError(
                f"Detoxify could not load {self.checkpoint_path} offline: its config.arch.args.model_type "
                "must be a local folder or a hub id in the local Hugging Face cache (detoxify resolves it "
                "even when huggingface_config_path is set); see localise_detoxify_checkpoint()"
            ) from exc


def _max_toxicity(predictions: dict[str, Any]) -> list[float]:
    columns = [_as_list(v) for k, v in predictions.items() if k in DETOXIFY_TOXICITY_LABELS]
    if not columns:
        raise ValueError(f"Detoxify model has no toxicity outputs: {sorted(predictions)}")
    return [max(values) for values in zip(*columns, strict=True)]


def _as_list(value: float | list[float]) -> list[float]:
    # Detoxify squeezes a batch of one into a bare float.
    return [float(v) for v in value] if isinstance(value, list) else [float(value)]


def localise_detoxify_checkpoint(source: Path, target: Path, huggingface_config_path: Path) -> Path:
    """Re-save a Detoxify checkpoint with ``arch.args.model_type`` set to a local transformers folder.

    Needed once per published checkpoint to load it without the hub (see :class:`DetoxifyBackend`).
    Loads the file with ``weights_only=False``, as Detoxify itself does: use trusted checkpoints only.
    """
    import torch

    checkpoint = torch.load(source, map_location="cpu", weights_only=False)
    checkpoint["config"]["arch"]["args"]["model_type"] = str(huggingface_config_path)
    torch.save(checkpoint, target)
    return target


def backend_name(backend: ToxicityBackend) -> str:
    """The backend's ``name`` attribute, or its class name."""
    return str(getattr(backend, "name", type(backend).__name__))
