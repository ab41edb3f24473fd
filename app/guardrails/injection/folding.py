"""Text folding for matching: case, width, quotes, leetspeak, spaced-out letters; offsets kept."""

from __future__ import annotations

import re
import unicodedata

# Curly quotes and primes made straight, so "I\u2019ve" matches "i've". One character each: offsets hold.
_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201b": "'", "\u2032": "'",
                         "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u2033": '"'})
# Leetspeak, applied only inside words with two or more letters ("1gn0re", not "100 g" or "9.50").
_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s"})
_LEET_WORD = re.compile(r"(?<!\S)\S*[013457@$]\S*")
_TRAILING_NUMBER = re.compile(r"[^\W\d_]+\d+\W*$")
_ADDRESS = re.compile(r"[\w.+-]@[\w-]+\.\w|://|www\.")
_NON_ASCII = re.compile(r"[^\x00-\x7f]+")
_SPACED_LETTERS = re.compile(r"(?<![a-z])(?:[a-z][ .\-_*]){3,}[a-z](?![a-z])")


def normalise(text: str) -> tuple[str, list[int]]:
    """Normalised text and, per normalised character, the offset of the original it came from."""
    folded, index = _unicode_fold(text)
    folded = _LEET_WORD.sub(_deleet, folded)
    return _join_spaced_letters(folded, index)


def _deleet(word: re.Match[str]) -> str:
    token = word.group()
    if _TRAILING_NUMBER.match(token) or _ADDRESS.search(token):
        return token  # "base64", "mp3", "win10", "jo@shop.example": a name or an address, not leetspeak
    return token.translate(_LEET) if sum(c.isalpha() for c in token) >= 2 else token


def _unicode_fold(text: str) -> tuple[str, list[int]]:
    text = text.translate(_QUOTES)
    if text.isascii():
        return text.lower(), list(range(len(text)))
    pieces: list[str] = []
    index: list[int] = []
    done = 0
    for run in _NON_ASCII.finditer(text):
        pieces.append(text[done:run.start()].lower())
        index.extend(range(done, run.start()))
        for i in range(run.start(), run.end()):
            if unicodedata.category(text[i]) == "Cf":
                continue  # zero-width spaces, joiners, soft hyphens: used to split trigger words
            piece = unicodedata.normalize("NFKC", text[i]).lower()
            pieces.append(piece)
            index.extend([i] * len(piece))
        done = run.end()
    pieces.append(text[done:].lower())
    index.extend(range(done, len(text)))
    return "".join(pieces), index


def _join_spaced_letters(norm: str, index: list[int]) -> tuple[str, list[int]]:
    if not _SPACED_LETTERS.search(norm):
        return norm, index
    keep = [True] * len(norm)
    for m in _SPACED_LETTERS.finditer(norm):
        for j in range(m.start() + 1, m.end(), 2):
            keep[j] = False  # the separator after each letter
    pairs = [(c, i) for c, i, k in zip(norm, index, keep, strict=True) if k]
    return "".join(c for c, _ in pairs), [i for _, i in pairs]

