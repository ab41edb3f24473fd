"""Copy cut off mid-sentence: the model ran out of tokens, or stopped inside a slot.

Rule ``cut_off`` (the finding spans the unfinished last sentence), per part of the text
(:mod:`~app.guardrails.quality.layout`):

- Any part (headline, body, call to action or a free text) is cut off when it ends with an opening
  bracket or a joining mark (``(``, ``[``, ``,``, ``;``, ``&``, a dash), leaves a parenthesis open,
  or ends with a word that cannot end a phrase: an article, a possessive determiner, a coordinating
  conjunction or ``of``/``than`` (``Try it with the``, ``Fresh leaves and``). Headlines and calls to action
  need no full stop, and a preposition may end them (``Worth getting up for``). Those words are English:
  with a brief in another language only the punctuation signs count.
- A variant's body or call to action is cut off when it ends with a colon: nothing follows it. (A headline
  or a free text may end with one: it introduces what comes next, a body or a list.)
- A variant's body must also end with terminal punctuation (``.``, ``!``, ``?``, ``…``, optionally
  followed by closing quotes or brackets). A body whose last line is a list item, or that ends with
  hashtags, @mentions, a link or emoji, needs none.
- A free text (not a variant) needs no terminal punctuation: it may be a heading, a slogan, a list item or
  a post that ends on its call to action ("... is back. Shop the range"), and it may end with a colon that
  introduces what follows it on a page. (Requiring a full stop after an earlier sentence had ended with
  one blocked 2 of 656 real German web strings of that shape, and is left out.)
"""

from __future__ import annotations

import re

from app.guardrails.quality.findings import Finding
from app.guardrails.quality.layout import Part, parts, words
from app.guardrails.sentences import split_sentences

# Words that never end a finished phrase: articles, possessive determiners, coordinating conjunctions,
# and "of"/"than", which always want an object.
DANGLING = frozenset({
    "a", "an", "the", "your", "our", "their", "my", "its", "his", "and", "or", "but", "nor", "of", "than",
    "whose", "very", "such",
})
_TERMINAL = re.compile("[.!?\u2026]+[\"'\u2019\u201d\u00bb)\\]*_]*$")
_JOINING_END = re.compile("[(\\[{<,;&+/\u2013\u2014-]$")
_TRAILING_EXTRAS = re.compile(
    r"(?:\s*(?:#[^\W_][\w-]*|@\w+|https?://\S+|www\.\S+|[\U0001F000-\U0001FAFF\u2600-\u27BF\u2B50\u2B55"
    r"\uFE0F\u200D]+))+$"
)
_LIST_ITEM = re.compile(r"^\s*(?:[-*\u2022\u2013]|\d{1,2}[.)])\s")


def cut_off_findings(text: str, language: str | None = None) -> list[Finding]:
    """Parts of ``text`` that stop short. The words that cannot end a phrase are English ones: for a brief
    in another language (``language`` not ``en``) only the punctuation signs count (German ends sentences on
    "an", "auf", "ab": separable verb particles)."""
    dangling = DANGLING if (language or "en").lower().startswith("en") else frozenset()
    found = []
    for part in parts(text):
        if part.start == part.end:
            continue  # an empty part is the field rule's finding
        why = _why_cut(text, part, dangling)
        if why:
            span = _last_sentence(text, part)
            shown = text[span[0]:span[1]]
            found.append(Finding(rule="cut_off", spans=(span,), evidence=shown,
                                 reason=f"the {_label(part)} {why}: it reads as cut off mid-sentence; finish it"))
    return found


def _why_cut(text: str, part: Part, dangling: frozenset[str]) -> str:
    piece = text[part.start:part.end]
    last_words = words(piece)
    if _JOINING_END.search(piece) or (piece.endswith(":") and part.name in ("body", "cta")):
        return f"ends with {piece[-1]!r}"
    if piece.count("(") > piece.count(")"):
        return "leaves a parenthesis open"
    if last_words and last_words[-1].end() == len(piece) and last_words[-1].group(0).lower() in dangling:
        return f"ends with {last_words[-1].group(0)!r}"
    if part.name == "body" and _needs_full_stop(piece):
        return "ends without a full stop"
    return ""


def _needs_full_stop(piece: str) -> bool:
    last_line = piece[piece.rfind("\n") + 1:]
    if _LIST_ITEM.match(last_line) or _TRAILING_EXTRAS.search(piece) or piece.endswith(":"):
        return False
    return not _TERMINAL.search(piece)


def _last_sentence(text: str, part: Part) -> tuple[int, int]:
    sentences = split_sentences(text[part.start:part.end])
    start = part.start + sentences[-1][0] if sentences else part.start
    return (start, part.end)


def _label(part: Part) -> str:
    return {"cta": "call to action", "text": "text"}.get(part.name, part.name)
