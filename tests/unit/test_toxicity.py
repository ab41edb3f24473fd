"""The toxicity check's English models: the real shipped model (alt-profanity-check) inside the check, and
Detoxify's real loader. The rules by kind are specified in ``app/guardrails/toxicity/tests/``.

The Detoxify tests build a tiny BERT checkpoint in a temporary folder (1 layer, hidden size 32, a
15-word vocabulary), in the layout Detoxify's ``load_checkpoint`` reads, so its own code loads it with
no network: the published checkpoints cannot be downloaded here.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import torch
from transformers import BertConfig, BertForSequenceClassification, BertTokenizer

from app.brand import BrandProfile
from app.guardrails.base import CheckContext, Severity, run_checks
from app.guardrails.toxicity import (
    DEFAULT_THRESHOLD,
    DetoxifyBackend,
    ProfanityCheckBackend,
    ToxicityCheck,
    localise_detoxify_checkpoint,
)
from app.settings import PROJECT_ROOT

BRAND = BrandProfile(slug="fernhill", name="Fernhill", folder=PROJECT_ROOT / "brand_kb" / "fernhill")
CTX = CheckContext(brand=BRAND)
VOCAB = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "you", "are", "an", "idiot", "great", "tea", "the",
         "love", "this", "cup"]
# Detoxify's "original" class names, plus an identity output like the "unbiased" model's.
CLASSES = ["toxic", "severe_toxic", "obscene", "threat", "insult", "identity_hate", "male"]


@pytest.fixture(scope="module")
def profanity() -> ProfanityCheckBackend:
    return ProfanityCheckBackend()


def test_toxic_sentence_is_flagged_with_its_span(profanity: ProfanityCheckBackend) -> None:
    toxic = "Anyone who drinks supermarket tea is a fucking idiot."
    text = f"Our spring blend is out today. {toxic} Order by Friday."

    results = ToxicityCheck(profanity).run(text, CTX)

    assert len(results) == 1
    finding = results[0]
    assert (finding.check, finding.rule, finding.passed, finding.severity) == (
        "toxicity", "toxicity:sentence", False, Severity.block)
    assert finding.spans == ((text.index(toxic), text.index(toxic) + len(toxic)),)
    assert finding.evidence == toxic
    assert finding.suggestion == "rewrite or remove this sentence"
    assert "reads as toxic to the English model" in finding.reason and "profanity_check" in finding.reason


def test_clean_marketing_copy_passes(profanity: ProfanityCheckBackend) -> None:
    copy = [
        "Morning Ember is a bold breakfast blend: malty, smooth and ready in four minutes.",
        "This oolong is a killer match for dark chocolate. Steep it twice; the second cup is the best.",
        "Cold brew, no fuss. Ten grams of Green Ridge, one litre of water, a night in the fridge.",
        "Every pouch is home-compostable, and the Tea Club ships plastic-free.",
        (PROJECT_ROOT / "brand_kb/fernhill/guides/faq.md").read_text(encoding="utf-8"),
    ]
    check = ToxicityCheck(profanity)

    for text in copy:
        results = run_checks([check], text, CTX)
        assert [r.passed for r in results] == [True], (text[:60], results)


def test_the_model_alone_reads_words_but_the_check_hides_hate_aimed_at_things(
        profanity: ProfanityCheckBackend) -> None:
    # A bag-of-words model: "hate" scores high even when the copy hates waste. The check masks hostile
    # verbs aimed at things before the model reads the sentence.
    assert profanity.score(["We hate waste."])[0] >= DEFAULT_THRESHOLD
    assert ToxicityCheck(profanity).run("We hate waste.", CTX) == []


class WordCountBackend:
    """A transparent stand-in for a model whose evidence adds up: 0.3 per listed word, capped at 1."""

    def __init__(self, words: set[str]) -> None:
        self.words = words

    def score(self, texts: list[str]) -> list[float]:
        return [min(1.0, 0.3 * sum(w.strip(".,").lower() in self.words for w in t.split())) for t in texts]


def test_abuse_spread_over_sentences_is_flagged_on_the_whole_text() -> None:
    backend = WordCountBackend({"awful", "dreadful"})
    text = "Your tea is awful and weak today. Your service was dreadful and slow too. Please stop now."
    check = ToxicityCheck(backend, threshold=0.5)

    results = check.run(text, CTX)

    assert [r.rule for r in results] == ["toxicity:text"]
    assert results[0].spans == ((0, len(text)),)


def test_fast_scorer_gives_exactly_the_shipped_models_probabilities(profanity: ProfanityCheckBackend) -> None:
    from profanity_check import predict_prob

    texts = ["A calm cup after work.", "You are an idiot and your tea is shit.", "Buy now!!!", "", "ok",
             "We hate waste, so our pouches are compostable."]

    assert profanity.score(texts) == pytest.approx([float(p) for p in predict_prob(texts)], abs=1e-12)


def test_threshold_must_be_a_probability(profanity: ProfanityCheckBackend) -> None:
    for bad in (0.0, 1.0, 1.5, -0.1):
        with pytest.raises(ValueError, match="threshold"):
            ToxicityCheck(profanity, threshold=bad)
    assert 0 < DEFAULT_THRESHOLD < 1


def test_empty_text_has_no_findings(profanity: ProfanityCheckBackend) -> None:
    assert ToxicityCheck(profanity).run("  \n ", CTX) == []


def build_tiny_checkpoint(folder: Path, model_type: str | None = None,
                          ) -> tuple[Path, BertForSequenceClassification]:
    """A Detoxify checkpoint in ``folder`` plus the transformers config/tokenizer folder it needs."""
    hf_folder = folder / "hf"
    hf_folder.mkdir(parents=True, exist_ok=True)
    (hf_folder / "vocab.txt").write_text("\n".join(VOCAB) + "\n", encoding="utf-8")
    config = BertConfig(vocab_size=len(VOCAB), hidden_size=32, num_hidden_layers=1, num_attention_heads=2,
                        intermediate_size=64, max_position_embeddings=64)
    config.num_labels = len(CLASSES)
    config.save_pretrained(hf_folder)
    BertTokenizer(str(hf_folder / "vocab.txt")).save_pretrained(hf_folder)
    torch.manual_seed(0)
    model = BertForSequenceClassification(config)
    with torch.no_grad():  # the identity output fires, the toxicity outputs stay low
        model.classifier.bias.copy_(torch.tensor([-3.0, -4.0, -4.0, -4.0, -2.0, -4.0, 5.0]))
    checkpoint = {
        "config": {
            "arch": {"args": {"model_type": model_type or str(hf_folder),
                              "model_name": "BertForSequenceClassification",
                              "tokenizer_name": "BertTokenizer", "num_classes": len(CLASSES)}},
            "dataset": {"args": {"classes": CLASSES}},
        },
        "state_dict": model.state_dict(),
    }
    path = folder / "tiny-detoxify.ckpt"
    torch.save(checkpoint, path)
    return path, model.eval()


def expected_scores(model: BertForSequenceClassification, folder: Path, texts: list[str]) -> list[float]:
    tokenizer = BertTokenizer.from_pretrained(str(folder / "hf"))
    with torch.no_grad():
        probabilities = torch.sigmoid(model(**tokenizer(texts, return_tensors="pt", padding=True))[0])
    return probabilities[:, :6].max(dim=1).values.tolist()  # the six toxicity outputs, not "male"


def test_detoxify_backend_loads_a_checkpoint_from_a_configured_path(tmp_path: Path) -> None:
    path, model = build_tiny_checkpoint(tmp_path)
    texts = ["you are an idiot", "great tea", "love this cup"]

    backend = DetoxifyBackend(path)
    scores = backend.score(texts)

    # The weights came from the file (not a fresh initialisation), and the identity output is ignored.
    assert scores == pytest.approx(expected_scores(model, tmp_path, texts), abs=1e-5)
    assert all(0.0 < s < 0.5 for s in scores)
    assert backend.score(["great tea"]) == pytest.approx(scores[1:2], abs=1e-5)  # a batch of one


def test_detoxify_backend_runs_inside_the_check(tmp_path: Path) -> None:
    path, _ = build_tiny_checkpoint(tmp_path)
    assert ToxicityCheck(DetoxifyBackend(path), threshold=0.9).run("great tea. love this cup.", CTX) == []


def test_published_checkpoint_layout_loads_once_localised(tmp_path: Path) -> None:
    # Published checkpoints name a hub model ("bert-base-uncased"); detoxify 0.5.4 resolves that name
    # even when huggingface_config_path is given, so it is rewritten to the local folder once.
    published, model = build_tiny_checkpoint(tmp_path, model_type="bert-base-uncased")
    local = localise_detoxify_checkpoint(published, tmp_path / "local.ckpt", tmp_path / "hf")

    backend = DetoxifyBackend(local, huggingface_config_path=tmp_path / "hf")

    assert backend.score(["you are an idiot"]) == pytest.approx(
        expected_scores(model, tmp_path, ["you are an idiot"]), abs=1e-5)


@pytest.mark.slow
def test_published_checkpoint_layout_fails_offline_with_a_clear_error(tmp_path: Path) -> None:
    published, _ = build_tiny_checkpoint(tmp_path, model_type="bert-base-uncased")
    script = (
        "from pathlib import Path\nfrom app.guardrails.toxicity import DetoxifyBackend\n"
        f"DetoxifyBackend(Path({str(published)!r}), huggingface_config_path=Path({str(tmp_path / 'hf')!r}))"
        ".score(['x'])\n"
    )
    # A fresh process with the hub switched off: this test must never download bert-base-uncased.
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env,
                         cwd=PROJECT_ROOT, timeout=300, check=False)

    assert run.returncode != 0
    assert "config.arch.args.model_type must be a local folder" in run.stderr


def test_missing_checkpoint_is_an_error_not_a_pass(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="Detoxify checkpoint not found"):
        DetoxifyBackend(tmp_path / "absent.ckpt").score(["hello"])
