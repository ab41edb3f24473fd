"""One compiled pattern per brand that finds every banned term, matched against the text's skeleton.

Each term becomes a regular expression over TR39 skeletons (:func:`app.guardrails.normalise.skeleton`),
so look-alike letters (Cyrillic, Greek, fullwidth, digits for letters) cannot hide it:

- Whole words only: a term that starts or ends with a letter or digit does not match inside another word
  ("ale" is not found in "sale"); combining accents count as part of a word ("cure" is not "curé").
- Plural and possessive endings: ``s``, ``es``, ``'s``, ``s'`` ("Kettlewicks", "Kettlewick's").
- A space or hyphen in a term matches a space, a hyphen or nothing ("weight loss", "weight-loss",
  "weightloss"); "&", "+" and "and" match each other ("Leaf and Lantern" for "Leaf & Lantern").
- Names (a term written with a capital, or whose reason says it is a competitor) also match with one
  space or hyphen between any two letters ("Kettle-wick", "Kettle wick" for "Kettlewick").
- German spellings: "ß" and "ss" are one (case folding makes "ß", "ẞ" and "SS" all "ss"), and an umlaut
  matches its two-letter spelling both ways ("Wundermittel für Müdigkeit" is found as "fuer", "Entgiftungskur"
  as "ENTGIFTUNGSKUR"; a term written "Schoenheit" finds "Schönheit"), as German writers and keyboards
  without umlauts spell them.

Matching is case-insensitive (skeletons are case-folded). All terms are one alternation, longest first,
behind one word-start test, so a text is scanned once: linear in its length for a given brand.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from app.brand import BannedTerm, BrandProfile
from app.guardrails.normalise import skeleton, skeleton_with_offsets

_MARKS = r"\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
_WORD_CHAR = rf"[\w{_MARKS}]"
_LEFT = rf"(?<!{_WORD_CHAR})"
_RIGHT = rf"(?!{_WORD_CHAR})"
_SEPARATOR = r"(?:[^\S\n]*-[^\S\n]*|\s+|)"
_NAME_JOIN = r"[\s-]?"
_AND = r"\s*(?:&|\+|and|'n'?)\s*"
_INFLECTION = r"(?:'s|s'|es|s)?"
_TOKENS = re.compile(r"\s+|[-\u2010\u2011]|&|\+|\w+|[^\w\s]", re.UNICODE)


@dataclass(frozen=True)
class TermMatch:
    term: BannedTerm
    start: int
    end: int


class BannedTermsPattern:
    """The brand's terms as one pattern; :meth:`find` returns matches in text order, in text offsets."""

    def __init__(self, terms: list[BannedTerm]) -> None:
        usable = [t for t in terms if t.term.strip()]
        ordered = sorted(range(len(usable)), key=lambda i: -len(skeleton(usable[i].term)))
        self.terms = usable
        word_start = [f"(?P<t{i}>{term_regex(usable[i])})" for i in ordered if usable[i].term.strip()[0].isalnum()]
        other = [f"(?P<t{i}>{term_regex(usable[i])})" for i in ordered if not usable[i].term.strip()[0].isalnum()]
        branches = ([f"{_LEFT}(?:{'|'.join(word_start)})"] if word_start else []) + other
        self.pattern = re.compile("|".join(branches)) if branches else None

    def find(self, text: str) -> list[TermMatch]:
        if self.pattern is None:
            return []
        skel, offsets = skeleton_with_offsets(text)
        return [TermMatch(self.terms[int(str(m.lastgroup)[1:])], offsets[m.start()], offsets[m.end() - 1] + 1)
                for m in self.pattern.finditer(skel) if m.end() > m.start()]


def brand_pattern(brand: BrandProfile) -> BannedTermsPattern:
    """The brand's pattern, built once per loaded profile."""
    return brand.derive("banned_terms.pattern", lambda b: BannedTermsPattern(b.banned_terms))


def is_name(term: BannedTerm) -> bool:
    """A proper name (written with a capital) or a term the brand calls a competitor."""
    return term.term.strip()[:1].isupper() or "competitor" in term.reason.lower()


def term_regex(term: BannedTerm) -> str:
    """The regular expression (over skeletons) for one term, without the left word boundary."""
    text = term.term.strip()
    kinds = [_kind(tok) for tok in _TOKENS.findall(text)]
    # A space next to "&"/"and" belongs to the "and": "Leaf & Lantern" is name, and, name.
    kinds = [k for i, k in enumerate(kinds) if not (k[0] == "sep" and _next_to_and(kinds, i))]
    parts: list[str] = []
    for kind, token in kinds:
        if kind == "sep":
            if not parts or parts[-1] != _SEPARATOR:
                parts.append(_SEPARATOR)
        elif kind == "and":
            parts.append(_AND)
        elif kind == "word" and is_name(term):
            parts.append(_NAME_JOIN.join(_letters(skeleton(token))))
        else:
            parts.append("".join(_letters(skeleton(token))))
    tail = _INFLECTION if text[-1].isalpha() else ""
    right = _RIGHT if text[-1].isalnum() else ""
    return "".join(parts) + tail + right


_UMLAUT_BASES = "aou"
_DIAERESIS = "\u0308"


def _letters(skel: str) -> list[str]:
    """Regex units of a skeleton, one per letter with its marks; an umlaut (``a`` + U+0308 in a skeleton)
    and its spelling ``ae`` are one unit that matches either."""
    units: list[str] = []
    i = 0
    while i < len(skel):
        pair = skel[i:i + 2]
        if pair[:1] in _UMLAUT_BASES and len(pair) == 2 and pair[1] in (_DIAERESIS, "e"):
            base = re.escape(pair[0])
            units.append(f"(?:{base}{_DIAERESIS}|{base}e)")
            i += 2
            continue
        end = i + 1
        while end < len(skel) and unicodedata.combining(skel[end]):
            end += 1
        units.append(re.escape(skel[i:end]))
        i = end
    return units


def _kind(token: str) -> tuple[str, str]:
    if token.isspace() or token in "-\u2010\u2011":
        return "sep", token
    if token in ("&", "+") or token.lower() == "and":
        return "and", token
    return ("word" if token[0].isalnum() else "mark"), token


def _next_to_and(kinds: list[tuple[str, str]], i: int) -> bool:
    return any(0 <= j < len(kinds) and kinds[j][0] == "and" for j in (i - 1, i + 1))
