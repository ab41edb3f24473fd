"""What normalisation found, as findings: hidden characters and look-alike letters, in original offsets."""

from __future__ import annotations

import unicodedata

from app.guardrails.normalise.normalised import NormalisedText

_KIND_WORDS = {
    "tag": "invisible Unicode tag character{s} (U+E0000 block)",
    "zero_width": "zero-width character{s}",
    "bidi_control": "bidirectional control character{s}",
    "other_format": "invisible format character{s}",
}
_QUOTE_LIMIT = 120


def unicode_findings(n: NormalisedText) -> list[tuple[int, int, str, str]]:
    """(start, end, rule, reason) in ORIGINAL offsets, one per hidden run (rule ``hidden_characters``) and
    one per folded word (rule ``lookalike_letters``), in text order."""
    found: list[tuple[int, int, str, str]] = []
    for run in n.hidden:
        found.append((run.start, run.end, "hidden_characters", _hidden_reason(n.original, run.start, run.end,
                                                                               run.kind, run.decoded)))
    for fold in n.folds:
        word = n.original[fold.start:fold.end]
        others = " and ".join(s.title() for s in fold.scripts if s != "LATIN")
        how = (f"mixes Latin letters with {others} look-alikes" if "LATIN" in fold.scripts
               else f"is a {others} word among Latin ones, every letter a Latin look-alike")
        found.append((fold.start, fold.end, "lookalike_letters", f"the word {word!r} {how}; it reads {fold.reading!r}"))
    return sorted(found)


def _hidden_reason(original: str, start: int, end: int, kind: str, decoded: str) -> str:
    count = end - start
    names = sorted({_name(c) for c in original[start:end]})
    kind_words = _KIND_WORDS.get(kind, kind).format(s="" if count == 1 else "s")
    what = f"{count} {kind_words} ({', '.join(names[:3])}{', ...' if len(names) > 3 else ''})"
    if kind == "bidi_control":
        what += ", which change the order in which the text displays,"
    if kind == "tag" and decoded:
        shown = decoded if len(decoded) <= _QUOTE_LIMIT else decoded[:_QUOTE_LIMIT] + "..."
        return f"{what} spell hidden text: {shown!r}"
    visible = original[max(0, start - 12):start] + original[end:end + 12]
    return f"{what} hidden at characters {start}-{end} near {visible.strip()!r}"


def _name(ch: str) -> str:
    return f"U+{ord(ch):04X} {unicodedata.name(ch, 'UNNAMED')}"
