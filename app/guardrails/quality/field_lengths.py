"""Empty fields and fields below a per-channel minimum, for a variant's headline, body and call to action.

Rules (only for a variant, a text of three or more lines; the finding spans the field):

- ``field:empty``: the field has no word (letters or digits) at all: blank, or only punctuation or emoji.
- ``field:too_short``: the field has fewer words than its minimum for the channel.

Minimums come from the brand's ``style.yaml`` ``channels.<channel>`` keys ``headline_min_words``,
``body_min_words`` and ``cta_min_words``, over :data:`DEFAULT_MINIMUMS`. The defaults catch stubs and
fragments, not short copy: a one-word headline (``Unwind.``) or call to action (``Subscribe``) is fine, and
a body needs four words (``Management, Product`` and ``Detailed Description: [Body]`` are stubs). Of 189
paragraphs of the 18F guide read as bodies, 2 (1.1%) are under four words, 18 (9.5%) under eight
(``evals/quality/calibrate.py``), so a brand sets its channels' floors itself: Fernhill's are 5 to 10,
for drafts the prompts ask to be two to four sentences long.
"""

from __future__ import annotations

from app.brand import BrandProfile
from app.guardrails.quality.findings import Finding
from app.guardrails.quality.layout import is_variant, parts, words

DEFAULT_MINIMUMS = {"headline_min_words": 1, "body_min_words": 4, "cta_min_words": 1}
_NAMES = {"headline": "headline", "body": "body", "cta": "call to action"}


def minimums(brand: BrandProfile, channel: str | None) -> dict[str, int]:
    """The brand's minimums for ``channel`` over the defaults (style.yaml is validated by the style check)."""
    from app.guardrails.style import style_guide  # the style check parses and validates style.yaml

    configured = style_guide(brand).channels.get(channel or "", {})
    return {key: int(configured.get(key, default)) for key, default in DEFAULT_MINIMUMS.items()}


def field_findings(text: str, least: dict[str, int]) -> list[Finding]:
    if not is_variant(text):
        return []
    found = []
    for part in parts(text):
        count = len(words(text, part.start, part.end))
        name, wanted = _NAMES[part.name], least.get(f"{part.name}_min_words", 1)
        if count == 0:
            found.append(Finding(rule="field:empty", spans=(part.span,), evidence=part.name,
                                 reason=f"the {name} is empty: write it"))
        elif count < wanted:
            found.append(Finding(rule="field:too_short", spans=(part.span,), evidence=text[part.start:part.end],
                                 reason=f"the {name} has {count} word(s); this channel needs at least {wanted}"))
    return found
