"""The languages the factory writes in, and which of them a text is in.

A language is named by its BCP 47 primary subtag, lower case: ``en`` or ``de`` (:data:`SUPPORTED`). A brief
may give a longer tag (``de-DE``, ``en-GB``): :func:`normalise_language` keeps the primary subtag and refuses
a language the factory has no prompts and checks for.

:func:`detect_language` reads the language of a KB chunk (at ingestion) with lingua
(``lingua-language-detector``), built for the supported languages only: two language models instead of
lingua's 75 keep the detector small and fast, and a text can only be labelled with a language the factory
knows. Measured on this machine (2026-11-30, load average about 2, ``python -m app.language``): building
it took 0.31 s and 129 MB of peak resident memory; one of the demo brand's 221 KB chunks (median 173
characters) took 0.15 ms. Chunks in a brand's language folder (``de/``) take that folder's language instead
(:func:`app.retrieval.chunking.with_language`). The
draft at the gate is judged by the quality check's language rule (:mod:`app.guardrails.quality.language`),
which knows more languages, since a draft that drifted into French must not be read as German.
"""

from __future__ import annotations

import threading
from typing import Any

from app.errors import InvalidInput

SUPPORTED = ("en", "de")
NAMES = {"en": "English", "de": "German"}
# A brand's texts in a language other than its default live in a folder named for it (brand_kb/<slug>/de/).
LANGUAGE_FOLDERS = frozenset(SUPPORTED)
# Fewer words than this say too little for a detector to be trusted (a product name, a price line).
MIN_DETECT_WORDS = 3

_DETECTOR: list[Any] = []
_LOCK = threading.Lock()


def normalise_language(tag: str) -> str:
    """``"de-DE"`` -> ``"de"``. Raises InvalidInput for an empty tag or a language not in :data:`SUPPORTED`."""
    primary = tag.strip().replace("_", "-").split("-")[0].lower()
    if primary not in SUPPORTED:
        raise InvalidInput(
            f"language {tag!r} is not supported; use one of {', '.join(SUPPORTED)} "
            f"({', '.join(NAMES[c] for c in SUPPORTED)})")
    return primary


def detect_language(text: str) -> str | None:
    """The supported language ``text`` is written in, or None when it is too short (fewer than
    :data:`MIN_DETECT_WORDS` words) or lingua cannot tell."""
    if len(text.split()) < MIN_DETECT_WORDS:
        return None
    found = _detector().detect_language_of(text)
    return None if found is None else str(found.iso_code_639_1.name.lower())


def _detector() -> Any:
    from lingua import IsoCode639_1, Language, LanguageDetectorBuilder

    with _LOCK:
        if not _DETECTOR:
            languages = [Language.from_iso_code_639_1(getattr(IsoCode639_1, code.upper())) for code in SUPPORTED]
            _DETECTOR.append(LanguageDetectorBuilder.from_languages(*languages).with_preloaded_language_models()
                             .build())
        return _DETECTOR[0]


def _measure() -> None:
    """Build time, memory and per-chunk latency of the detector on the demo brand's KB chunks."""
    import resource
    import statistics
    import time

    from app.retrieval.chunking import chunk_file
    from app.retrieval.ingest import kb_files
    from app.settings import PROJECT_ROOT

    folder = PROJECT_ROOT / "brand_kb" / "fernhill"
    texts = [c.text for p in kb_files(folder) for c in chunk_file(p, p.relative_to(folder))]
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    started = time.perf_counter()
    _detector()
    built = time.perf_counter() - started
    grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 - before
    started = time.perf_counter()
    found = [detect_language(t) for t in texts]
    per_chunk = 1000 * (time.perf_counter() - started) / len(texts)
    print(f"built in {built:.2f} s, peak RSS +{grown:.0f} MB; {len(texts)} chunks (median "
          f"{statistics.median(len(t) for t in texts):.0f} chars) at {per_chunk:.2f} ms each; "
          f"labels: { {code: found.count(code) for code in {*found}} }")


if __name__ == "__main__":
    _measure()
