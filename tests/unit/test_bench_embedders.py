"""The cross-lingual retrieval benchmark's set and scoring (make bench-embedders), without a model."""

from __future__ import annotations

from app.bench.embedders import brand_chunks, load_questions, recall_at_k
from app.settings import PROJECT_ROOT

FERNHILL = PROJECT_ROOT / "brand_kb" / "fernhill"


def test_every_question_is_answered_by_a_chunk_in_the_other_language():
    chunks = brand_chunks(FERNHILL)
    refs = {language: {c.ref for c, lang in chunks if lang == language} for language in ("en", "de")}
    questions = load_questions()
    assert {q.language for q in questions} == {"de", "en"}
    for q in questions:
        other = "en" if q.language == "de" else "de"
        assert q.refs & refs[other], f"{q.text!r}: none of {sorted(q.refs)} is a {other} chunk of the demo brand"


def test_recall_counts_a_question_once_any_of_its_chunks_is_ranked_and_skips_unanswerable_ones():
    ranked = [[3, 1], [7, 8], [2, 9]]
    relevant = [{1, 4}, {5}, set()]
    assert recall_at_k(ranked, relevant) == (1, 2)
