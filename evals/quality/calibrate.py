"""Print the sweeps behind the quality check's thresholds, on real text (../shared/datasets).

Run from the project root (about a minute; the key-message sweep loads the embedder)::

    .venv/bin/python evals/quality/calibrate.py

- key message: for thresholds 0.00-0.20, the share of 18F paragraphs (15+ words) below it against their own
  page's key message (title and first sentence of the lead: must pass) and against other pages' (a stand-in
  for off-message copy);
- language: for the words minimum and the margin, false alarms on the German web strings checked as German
  and on the 18F and Vale units checked as English, and the share caught of each checked as the other
  language;
- body minimum: how many 18F paragraphs, read as a variant's body, fall under each minimum.

The figures chosen from these sweeps are in the rule modules' docstrings and in GUARDRAILS.md.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from app.evaluation import guardrail_metrics as gm
from app.guardrails.quality import language
from app.guardrails.quality.layout import words


def key_message_sweep(units: list[gm.ProseUnit]) -> None:
    from app.retrieval.embedder import SentenceTransformerEmbedder

    pairs = gm.key_message_pairs(SentenceTransformerEmbedder(), units)
    own, other = pairs["own"], pairs["other"]
    print(f"key message: {len(own)} own-page pairs, {len(other)} other-page pairs")
    for threshold in (0.0, 0.03, 0.05, 0.08, 0.10, 0.12, 0.15, 0.20):
        below_own = sum(s < threshold for s in own) / len(own)
        below_other = sum(s < threshold for s in other) / len(other)
        print(f"  {threshold:.2f}: own below {below_own:.3f}, other below {below_other:.3f}")


def language_sweep(units: list[gm.ProseUnit]) -> None:
    german = [r["text"] for r in gm.german_marketing_strings()]
    english = [u.text for u in units] + gm.vale_clean_lines()
    print(f"language: {len(german)} German strings, {len(english)} English units")
    for least in (4, 5, 6, 8):
        for margin in (0.2, 0.3, 0.5, 0.7):
            language.MIN_WORDS, language.MIN_LINE_WORDS, language.MARGIN = least, max(least, 6), margin
            false_de = sum(bool(language.language_findings(t, "de")) for t in german)
            false_en = sum(bool(language.language_findings(t, "en")) for t in english)
            caught_de = sum(bool(language.language_findings(t, "en")) for t in german)
            caught_en = sum(bool(language.language_findings(t, "de")) for t in english)
            print(f"  {least} words, margin {margin}: false alarms de {false_de}, en {false_en}; "
                  f"caught de-as-en {caught_de}, en-as-de {caught_en}")


def body_minimum_sweep(units: list[gm.ProseUnit]) -> None:
    bodies = [u.text for u in units if gm.prose_variant(u)]
    print(f"body minimum: {len(bodies)} 18F paragraphs read as bodies")
    for least in (3, 4, 5, 6, 8, 10):
        under = sum(len(words(b)) < least for b in bodies)
        print(f"  under {least} words: {under} ({under / len(bodies):.1%})")


if __name__ == "__main__":
    prose = gm.style_guide_prose()
    body_minimum_sweep(prose)
    language_sweep(prose)
    key_message_sweep(prose)
