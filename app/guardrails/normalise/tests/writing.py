"""Ways to write text that looks like one thing and is another, for the tests: each takes plain text."""

from __future__ import annotations

_CYRILLIC = str.maketrans("aceopxyABEHKMOPT", "\u0430\u0441\u0435\u043e\u0440\u0445\u0443\u0410\u0412\u0415\u041d"
                          "\u041a\u041c\u041e\u0420\u0422")
_GREEK = str.maketrans("oivABEHIKMNOPTXYZ", "\u03bf\u03b9\u03bd\u0391\u0392\u0395\u0397\u0399\u039a\u039c\u039d"
                       "\u039f\u03a1\u03a4\u03a7\u03a5\u0396")


def with_cyrillic(text: str, letters: str) -> str:
    """``text`` with each of ``letters`` (Latin) replaced by the Cyrillic letter that looks the same."""
    return text.translate({k: v for k, v in _CYRILLIC.items() if chr(k) in letters})


def with_greek(text: str, letters: str) -> str:
    """``text`` with each of ``letters`` (Latin) replaced by the Greek letter that looks the same."""
    return text.translate({k: v for k, v in _GREEK.items() if chr(k) in letters})


def as_tags(text: str) -> str:
    """``text`` spelled in invisible Unicode tag characters (U+E0020-U+E007E)."""
    return "".join(chr(0xE0000 + ord(c)) for c in text)


ZWSP = "\u200b"
ZWJ = "\u200d"
RLO, PDF = "\u202e", "\u202c"
