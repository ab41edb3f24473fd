"""Which language a text or a sentence is in, so each check reads it with rules (and models) made for it.

The one place the guardrails tell languages apart (toxicity, claims, style and banned terms read it): a
check takes the brief's language from ``CheckContext.language`` when given (:func:`text_language`) and asks
:func:`classify` per sentence or block. :data:`SUPPORTED` are the languages with rules of their own (English
and German); others are left to each check. :func:`is_german` is the test the German rules use.
:func:`classify` decides, in this order:

1. a clear vote (a lead of :data:`CLEAR_VOTE` or more) of common function words, German against English;
2. lingua (``lingua-language-detector``, over the quality check's :data:`LANGUAGES`) when the sentence has
   at least :data:`LONG_WORDS` words and lingua is at least :data:`SURE_CONFIDENCE` sure;
3. else the function-word vote, if any side leads (German "du", "ist", "die", "nicht"... against English
   "the", "you", "is", "to"...): lingua alone misreads short informal English (on the davidson tweets "you're a
   retard" read as Italian, "George michael such a fag" as German) and short German ("Du bist ein
   Idiot." at 0.22 German), while the vote reads both right;
4. a tie goes to lingua's reading when the sentence has :data:`TIE_WORDS` words or more and lingua is at
   least :data:`TIE_CONFIDENCE` sure and leads the next language by :data:`TIE_MARGIN`; else the sentence
   takes the text's language (the brief's ``language`` when given, else the whole text classified the same
   way, else English).
"""

from __future__ import annotations

import re
import threading
from typing import Any

from app.guardrails.quality.language import LANGUAGES

SUPPORTED = ("en", "de")
CLEAR_VOTE = 2
TIE_WORDS = 3
LONG_WORDS = 5
SURE_CONFIDENCE = 0.7
TIE_CONFIDENCE = 0.5
TIE_MARGIN = 0.3

_DETECTOR: list[Any] = []
_LOCK = threading.Lock()


_ENGLISH = frozenset((
    "the", "a", "an", "is", "are", "was", "were", "you", "your", "you're", "and", "to", "of", "i", "it", "it's",
    "that", "this", "for", "on", "my", "with", "be", "not", "have", "has", "do", "does", "don't", "we", "our",
    "they", "their", "he", "she", "his", "her", "at", "by", "from", "or", "but", "if", "what", "who", "just",
    "can", "me", "no", "get", "got", "like", "about", "up", "out", "such", "ain't", "im", "i'm", "u", "ur",
))
_GERMAN = frozenset((
    "der", "die", "das", "und", "ist", "nicht", "ein", "eine", "einen", "einem", "einer", "ich", "du", "bist",
    "ihr", "seid", "wir", "sind", "sie", "den", "dem", "des", "mit", "für", "auf", "sich", "es", "zu", "im",
    "von", "auch", "noch", "doch", "halt", "nur", "schon", "aber", "oder", "wie", "wer", "kein", "keine",
    "mal", "hier", "jetzt", "dass", "wenn", "dann", "euch", "dich", "dir", "mich", "mir", "uns", "unsere",
    "ihre", "haben", "hat", "wird", "werden", "kann", "können", "alle", "gibt", "diese", "dieser", "nach",
    "bei", "über", "sehr", "zum", "zur", "vom", "beim", "eure", "euer", "deine", "dein", "unser", "ihren",
))
_TOKEN = re.compile(r"[^\W\d_][\w']*")


def text_language(text: str, given: str | None = None) -> str:
    """The brief's language when given (BCP 47: ``"en"``, ``"de"``, ``"de-AT"`` -> ``"de"``), else the
    classified one, else "en"."""
    if given:
        return given.strip().lower().split("-")[0]
    return classify(text) or "en"


def is_german(text: str, given: str | None = None) -> bool:
    """True when ``text`` is German: the brief's ``given`` language when it names one (``"de"``, ``"de-AT"``),
    else :func:`classify` (a text that cannot be told is not German)."""
    if given:
        return given.strip().lower().split("-")[0] == "de"
    return classify(text) == "de"


def sentence_language(sentence: str, fallback: str) -> str:
    """The classified language of ``sentence``, or ``fallback`` when it cannot be told."""
    return classify(sentence) or fallback


def classify(text: str) -> str | None:
    """ISO 639-1 code of ``text``'s language (see the module docstring), or None when it cannot be told."""
    words = [w.lower() for w in _TOKEN.findall(text)]
    if not words:
        return None
    english = sum(w in _ENGLISH for w in words)
    german = sum(w in _GERMAN for w in words)
    if abs(english - german) >= CLEAR_VOTE:
        return "en" if english > german else "de"
    ranked = _confidences(text) if len(words) >= LONG_WORDS else []
    if ranked and ranked[0][1] >= SURE_CONFIDENCE:
        return ranked[0][0]
    if english != german:
        return "en" if english > german else "de"
    if len(words) < TIE_WORDS:
        return None
    ranked = ranked or _confidences(text)
    if ranked and ranked[0][1] >= TIE_CONFIDENCE and ranked[0][1] - (ranked[1][1] if len(ranked) > 1 else 0) \
            >= TIE_MARGIN:
        return ranked[0][0]
    return None


def _confidences(text: str) -> list[tuple[str, float]]:
    values = _detector().compute_language_confidence_values(text)
    return [(str(v.language.iso_code_639_1.name).lower(), float(v.value)) for v in values]


def _detector() -> Any:
    from lingua import IsoCode639_1, Language, LanguageDetectorBuilder

    with _LOCK:
        if not _DETECTOR:
            languages = [Language.from_iso_code_639_1(IsoCode639_1.from_str(code)) for code in LANGUAGES]
            _DETECTOR.append(LanguageDetectorBuilder.from_languages(*languages).with_preloaded_language_models()
                             .build())
        return _DETECTOR[0]
