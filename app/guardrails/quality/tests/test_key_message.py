"""Copy far from the brief's key message blocks, by embedding similarity; the key message is embedded once."""

from __future__ import annotations

from app.guardrails.quality import QualityCheck
from app.guardrails.quality.key_message import DEFAULT_MIN_SIMILARITY
from app.guardrails.quality.tests.conftest import rules

KEY = "Quiet Hours is a calm evening blend"


def test_quality_blocks_copy_far_from_the_key_message(quality, topic_embedder):
    check = QualityCheck(embedder=topic_embedder)
    text = "Fernhill engine care\nNew tyre for your car, fitted while you wait.\nBook a slot"

    [found] = [r for r in quality(text, check, key_message=KEY) if r.rule == "quality:off_message"]

    assert found.spans == ((0, len(text)),) and "similarity 0.00" in found.reason


def test_quality_passes_copy_on_the_key_message(quality, topic_embedder):
    check = QualityCheck(embedder=topic_embedder)
    text = "Meet Quiet Hours\nA calm cup of our evening blend, naturally caffeine-free.\nTry Quiet Hours"

    assert "quality:off_message" not in rules(quality(text, check, key_message=KEY))


def test_the_key_message_is_embedded_once_and_each_draft_once(quality, topic_embedder):
    check = QualityCheck(embedder=topic_embedder)
    for n in range(3):
        quality(f"Quiet Hours, cup number {n}, for a calm evening.", check, key_message=KEY)

    assert topic_embedder.calls[0] == [KEY] and len(topic_embedder.calls) == 4


def test_the_threshold_is_a_policy_setting(quality, topic_embedder):
    strict = QualityCheck(embedder=topic_embedder, min_similarity=0.99)
    text = "Meet Quiet Hours\nA calm evening cup of tea for the end of the day.\nTry Quiet Hours"

    assert "quality:off_message" in rules(quality(text, strict, key_message=KEY))
    assert 0 < DEFAULT_MIN_SIMILARITY < 0.2


def test_without_a_key_message_or_an_embedder_similarity_is_not_checked(quality, topic_embedder):
    text = "Fernhill engine care\nNew tyre for your car, fitted while you wait.\nBook a slot"

    assert "quality:off_message" not in rules(quality(text, QualityCheck(embedder=topic_embedder)))
    assert "quality:off_message" not in rules(quality(text, QualityCheck(), key_message=KEY))
    assert topic_embedder.calls == []
