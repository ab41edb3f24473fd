"""Word-level helpers shared by the claims rules: offset-keeping lower case, keywords, numbers.

- :func:`lowered`: ``text`` lower-cased with every offset kept.
- :func:`keywords`: content words (3+ letters of any script, English and German stop words dropped, plurals
  folded) for retrieval.
- :func:`normalised`: space-separated lower-case tokens with a space at each end, for phrase containment.
- :func:`parse_number`: ``"2,316"`` -> 2316.0, ``"12,50"`` -> 12.5, ``"1.299,00"`` -> 1299.0.
"""

from __future__ import annotations

import re
from functools import lru_cache

_STOP_WORDS = frozenset({
    "the", "and", "for", "are", "but", "not", "you", "your", "yours", "our", "ours", "all", "any", "can",
    "has", "have", "had", "was", "were", "will", "with", "this", "that", "these", "those", "from", "into",
    "than", "then", "them", "they", "their", "its", "who", "what", "when", "where", "which", "how", "why",
    "out", "about", "over", "under", "more", "most", "less", "also", "just", "only", "very", "each",
    "every", "per", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "get",
    "got", "let", "may", "might", "should", "would", "could", "there", "here", "some", "such", "own",
    "same", "other", "onto", "via", "yes", "now", "off", "too", "much", "many", "like", "been", "being",
    "does", "did", "doing", "done", "she", "him", "his", "her", "hers", "himself", "herself", "itself",
    "ourselves", "themselves", "yourself", "myself", "while", "because", "until", "again", "further",
    "once", "both", "few", "nor", "don", "isn", "aren", "wasn", "weren", "won", "let's", "we're", "you're",
    "it's", "that's", "there's",
    # German function words: two German sentences share them whatever they say.
    "der", "die", "das", "den", "dem", "des", "ein", "eine", "einen", "einem", "einer", "eines", "und", "oder",
    "aber", "ist", "sind", "war", "waren", "wird", "werden", "wurde", "hat", "haben", "mit", "für", "von", "vom",
    "zum", "zur", "auf", "aus", "bei", "nach", "über", "unter", "vor", "durch", "gegen", "ohne", "sich", "sie",
    "ihr", "ihre", "ihren", "ihrem", "wir", "uns", "unser", "unsere", "unseren", "unserem", "unserer", "dein",
    "deine", "deinen", "nicht", "auch", "noch", "nur", "sehr", "mehr", "als", "wie", "dass", "wenn", "dann",
    "kann", "können", "soll", "alle", "jede", "jeden", "jeder", "diese", "dieser", "dieses", "diesen", "hier",
    "jetzt", "schon", "immer", "bis", "pro", "je", "zu", "im", "am", "es", "er", "man", "so", "um",
})
_WORD = re.compile(r"[^\W\d_]+")
_NORMAL_TOKEN = re.compile(r"(?:[^\W_]|[€£$%])+(?:[.,'][^\W_]+)*")


def lowered(text: str) -> str:
    """``text`` lower-cased with every offset kept (a character whose lower case is longer stays as it is)."""
    lower = text.lower()
    if len(lower) == len(text):
        return lower
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


def parse_number(raw: str, grouped_dots: bool = False) -> float:
    """"2,316" -> 2316.0, "12,50" -> 12.5 (a comma before one or two digits is a decimal comma); German
    grouping: "1.299,00" -> 1299.0 (dots before a decimal comma), "1.500.000" -> 1500000.0 (two or more
    dot groups), and "1.299" -> 1299.0 when ``grouped_dots`` (a price written the German way, "1.299 €")."""
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+,\d+", raw):
        return float(raw.replace(".", "").replace(",", "."))
    if re.fullmatch(r"\d{1,3}(?:\.\d{3}){2,}", raw) or (grouped_dots and re.fullmatch(r"\d{1,3}\.\d{3}", raw)):
        return float(raw.replace(".", ""))
    if "," in raw and "." not in raw and re.fullmatch(r"\d+,\d{1,2}", raw):
        return float(raw.replace(",", "."))
    return float(raw.replace(",", ""))


@lru_cache(maxsize=4096)
def keywords(text: str) -> frozenset[str]:
    """Content words of ``text`` for overlap matching: lower case, 3+ letters, no stop words, no plurals."""
    words = _WORD.findall(text.lower())
    return frozenset(fold_plural(w) for w in words if len(w) > 2 and w not in _STOP_WORDS)


def normalised(text: str) -> str:
    """``text`` as space-separated lower-case tokens, a space at each end: for whole-phrase containment."""
    return " " + " ".join(_NORMAL_TOKEN.findall(text.lower())) + " "


@lru_cache(maxsize=8192)
def fold_plural(word: str) -> str:
    """"boxes" -> "box", "defences" -> "defence", "berries" -> "berry"; other words unchanged."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith(("ches", "shes", "sses", "xes")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word
