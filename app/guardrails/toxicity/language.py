"""Which language a sentence is in, so each is read by rules (and a model) made for it.

Detected with lingua (``lingua-language-detector``) over :data:`LANGUAGES` (the quality check's set, so one
fast detector): English sentences go to the English model and rules, German ones to the German rules,
others are not scored (:data:`SUPPORTED`). A sentence shorter than :data:`MIN_WORDS` words is too short to
tell ("Buy now!", "Danke!"): it takes the text's language, which is the brief's ``language`` when given,
else the detector's reading of the whole text.
"""

from __future__ import annotations

import re
import threading
from typing import Any

from app.guardrails.quality.language import LANGUAGES

SUPPORTED = ("en", "de")
MIN_WORDS = 3

_DETECTOR: list[Any] = []
_LOCK = threading.Lock()
_WORD = re.compile(r"[^\W\d_]{2,}")


def text_language(text: str, given: str | None = None) -> str:
    """The brief's language when given (``"en"``, ``"de"``...), else the detected one ("en" if unsure)."""
    if given:
        return given.strip().lower()
    return detect(text) or "en"


def sentence_language(sentence: str, fallback: str) -> str:
    """The detected language of ``sentence``, or ``fallback`` when it has fewer than MIN_WORDS words."""
    if len(_WORD.findall(sentence)) < MIN_WORDS:
        return fallback
    return detect(sentence) or fallback


def detect(text: str) -> str | None:
    """ISO 639-1 code of the most likely language among :data:`LANGUAGES`, or None when lingua cannot say."""
    language = _detector().detect_language_of(text)
    return None if language is None else str(language.iso_code_639_1.name).lower()


def _detector() -> Any:
    from lingua import IsoCode639_1, Language, LanguageDetectorBuilder

    with _LOCK:
        if not _DETECTOR:
            languages = [Language.from_iso_code_639_1(IsoCode639_1.from_str(code)) for code in LANGUAGES]
            _DETECTOR.append(LanguageDetectorBuilder.from_languages(*languages).with_preloaded_language_models()
                             .build())
        return _DETECTOR[0]
