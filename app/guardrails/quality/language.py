"""Copy not in the brief's language, detected with lingua (``lingua-language-detector``).

Rule ``language`` (the finding spans the text or the stretch in another language). It runs only when a
language is given (ISO 639-1, e.g. ``"en"``, ``"de"``). The detector knows only :data:`LANGUAGES` (plus the
expected one): a small set keeps it fast and stops rare languages from winning on short text.

The text is judged line by line, then as a whole (the first judgement against it is the finding), and a
judgement counts only when:

- the stretch has at least :data:`MIN_WORDS` words (whole text) or :data:`MIN_LINE_WORDS` (a line), and
- the most likely language beats the expected one's confidence by :data:`MARGIN` or more.

So a short line, a brand name or a loan word does not raise it, while a draft that drifts into another
language for a whole line does. Calibration (``evals/quality/README.md`` has the commands): at 6 words and a
0.5 margin it blocks none of 656 real German web strings checked as German (at 4 or 5 words, English job
titles on the German pages, such as "Senior Site Reliability Engineer", were blocked) and none of 542
real English units (18F guide, Vale fixtures) checked as English; the same German strings checked as
English are caught 506 times of 512 that have 6 words or more (77% of all 656), and the English units
checked as German 436 of 449. Margins from 0.2 to 0.5 blocked no real text either; 0.5 also lets an
English sentence with a German greeting pass ("Danke schön from all of us at Fernhill.").
"""

from __future__ import annotations

import threading
from typing import Any

from app.errors import InvalidInput
from app.guardrails.quality.findings import Finding
from app.guardrails.quality.layout import lines, words

LANGUAGES = ("en", "de", "fr", "es", "it", "nl", "pt")
MIN_WORDS = 6
MIN_LINE_WORDS = 6
MARGIN = 0.5

_DETECTORS: dict[frozenset[str], Any] = {}
_LOCK = threading.Lock()


def language_findings(text: str, expected: str) -> list[Finding]:
    code = expected.strip().lower()
    detector = _detector(code)
    stretches = [(line.start, line.end, MIN_LINE_WORDS) for line in lines(text)] if "\n" in text else []
    stretches.append((0, len(text), MIN_WORDS))
    for start, end, least in stretches:
        if len(words(text, start, end)) < least:
            continue
        found = _judge(detector, text, start, end, code)
        if found is not None:
            return [found]  # one finding is enough: the rest of the text is judged by the same reader
    return []


def _judge(detector: Any, text: str, start: int, end: int, expected: str) -> Finding | None:
    values = {v.language.iso_code_639_1.name.lower(): v.value
              for v in detector.compute_language_confidence_values(text[start:end])}
    if not values:
        return None
    best = max(values, key=lambda code: values[code])
    lead = values[best] - values.get(expected, 0.0)
    if best == expected or lead < MARGIN:
        return None
    return Finding(rule="language", spans=((start, end),), evidence=f"{best} {values[best]:.2f} vs "
                   f"{expected} {values.get(expected, 0.0):.2f}",
                   reason=f"this reads as {best!r}, not the brief's language {expected!r}: write it in {expected!r}")


def _detector(expected: str) -> Any:
    """A lingua detector for :data:`LANGUAGES` and ``expected``, built once per process per set."""
    from lingua import IsoCode639_1, Language, LanguageDetectorBuilder

    wanted = frozenset({*LANGUAGES, expected})
    with _LOCK:
        if wanted not in _DETECTORS:
            try:
                languages = [Language.from_iso_code_639_1(IsoCode639_1.from_str(code)) for code in sorted(wanted)]
            except ValueError as exc:
                raise InvalidInput(f"unknown language {expected!r}: give an ISO 639-1 code such as 'en' or 'de'") \
                    from exc
            _DETECTORS[wanted] = LanguageDetectorBuilder.from_languages(*languages) \
                .with_preloaded_language_models().build()
        return _DETECTORS[wanted]
