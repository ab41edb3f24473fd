"""A linear classifier as a second injection stage: measured on 2026-11-30, not kept (see README.md).

Word 1-2-gram TF-IDF and logistic regression (scikit-learn, present in the venv as a dependency of
sentence-transformers; not a dependency of the project). Trained on the planted dev rounds 1-7 (both labels) plus
every other paragraph of the 18F guide, every other German marketing string and every other NotInject prompt as
negatives; threshold chosen by 5-fold cross-validation on that training data (the lowest with at most 0.5 % of
the real-copy negatives flagged); then measured once on the held-out planted set and on the untouched halves, the
Vale fixture lines and the demo KB. Run: ``PYTHONPATH=. .venv/bin/python evals/injection/linear_probe.py``.
"""

from __future__ import annotations

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import cross_val_predict

from app.evaluation.guardrail_metrics import (
    DEFAULT_BRAND_GUIDES,
    clean_copy_paragraphs,
    german_marketing_strings,
    injection_datasets,
    markdown_paragraphs,
    vale_clean_lines,
)
from app.guardrails.injection import scan_injection


def main() -> None:
    sets = injection_datasets()
    f18 = clean_copy_paragraphs()["18f_content_guide"]
    german = [r["text"] for r in german_marketing_strings()]
    notinject = sets["notinject_benign"][0]
    kb = [p for f in sorted(DEFAULT_BRAND_GUIDES.parent.glob("**/*.md"))
          for p in markdown_paragraphs(f.read_text(encoding="utf-8"))]
    pos, neg = sets["planted_dev"][0], sets["planted_dev_benign"][0]
    real_train = f18[::2] + german[::2] + notinject[::2]
    texts = pos + neg + real_train
    labels = np.array([1] * len(pos) + [0] * (len(neg) + len(real_train)))
    vec = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True)
    features = vec.fit_transform(texts)
    model = LogisticRegression(C=4, max_iter=3000, class_weight="balanced")
    cv = cross_val_predict(model, features, labels, cv=5, method="predict_proba")[:, 1]
    real = np.arange(len(texts)) >= len(pos) + len(neg)
    threshold = next(t for t in np.arange(0.5, 1.0, 0.05) if np.mean(cv[real] >= t) <= 0.005)
    model.fit(features, labels)

    def flagged(batch: list[str]) -> np.ndarray:
        return np.asarray(model.predict_proba(vec.transform(batch))[:, 1] >= threshold)

    held = sets["planted_heldout"][0]
    rules = np.array([scan_injection(t).is_injection for t in held])
    print(f"threshold {threshold:.2f} (cv recall {np.mean(cv[labels == 1] >= threshold):.3f}, "
          f"cv false alarms on dev benign {np.mean(cv[len(pos):len(pos) + len(neg)] >= threshold):.3f})")
    print(f"planted_heldout recall: classifier {flagged(held).sum()}/{len(held)}, "
          f"rules or classifier {(flagged(held) | rules).sum()}/{len(held)}")
    for name, batch in (("planted_heldout_benign", sets["planted_heldout_benign"][0]), ("18f other half", f18[1::2]),
                        ("german other half", german[1::2]), ("notinject other half", notinject[1::2]),
                        ("vale fixture lines", vale_clean_lines(clean_only=False)), ("fernhill kb paragraphs", kb)):
        print(f"false alarms {name}: {flagged(batch).sum()}/{len(batch)}")


if __name__ == "__main__":
    main()
