"""The Unicode script of a character (Scripts.txt, as shipped by ``confusable-homoglyphs``).

Python's ``unicodedata`` has no script property; ``confusable_homoglyphs.categories.alias`` looks it up
in the library's copy of Unicode's Scripts.txt by binary search. Results are cached per character.
"""

from __future__ import annotations

from functools import lru_cache

# Script names as Scripts.txt spells them, upper case.
COMMON, INHERITED, LATIN = "COMMON", "INHERITED", "LATIN"


@lru_cache(maxsize=65536)
def script_of(ch: str) -> str:
    """``"LATIN"``, ``"CYRILLIC"``, ``"GREEK"``, ``"COMMON"`` (digits, punctuation, emoji), ``"INHERITED"``
    (combining marks), ... for one character; ``"Unknown"`` for unassigned code points."""
    from confusable_homoglyphs.categories import alias

    return str(alias(ch))
