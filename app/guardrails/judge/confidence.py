"""A verdict's confidence from the endpoint's token log-probabilities.

The judge answers ``{"label": "<one of the labels>", ...}`` under a JSON-schema grammar, so the label's
first token is where the model chose between the labels. At that position the endpoint's top alternatives
(``top_logprobs``) give a probability to each label whose text starts with the alternative token; the
chosen label's share of the mass over all labels is its confidence. Labels are picked so that their first
tokens differ ("contradicted" / "unsupported" / "supported").
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from app.llm.base import TokenLogprob


def label_confidence(tokens: Sequence[TokenLogprob], labels: Sequence[str], chosen: str) -> float | None:
    """Probability (0-1) of ``chosen`` among ``labels`` at the label's first token; None when the
    endpoint gave no log-probabilities or the label's position cannot be found."""
    position = _label_position(tokens, chosen)
    if position is None:
        return None
    token = tokens[position]
    alternatives = token.top or ((token.token, token.logprob),)
    mass: dict[str, float] = {}
    for text, logprob in alternatives:
        piece = text.strip().strip('"')
        if not piece:
            continue
        matches = [label for label in labels if label.startswith(piece)]
        if len(matches) == 1:
            mass[matches[0]] = mass.get(matches[0], 0.0) + math.exp(logprob)
    total = sum(mass.values())
    if total <= 0 or chosen not in mass:
        return None
    return mass[chosen] / total


def _label_position(tokens: Sequence[TokenLogprob], chosen: str) -> int | None:
    """Index of the first token of the label's value: the token after ``"label"`` and the opening quote."""
    text = ""
    key_end: int | None = None
    for i, token in enumerate(tokens):
        text += token.token
        if key_end is None and '"label"' in text:
            key_end = len(text)
            continue
        if key_end is not None:
            tail = text[key_end:]
            piece = token.token.strip().strip('"')
            if piece and tail.count('"') >= 1 and chosen.startswith(piece):
                return i
    return None
