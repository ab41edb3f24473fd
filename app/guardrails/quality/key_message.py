"""Copy whose meaning is far from the brief's key message, by embedding cosine similarity.

Rule ``off_message`` (the finding spans the whole text): the cosine similarity between the embeddings of
the copy (its parts joined into one line) and of the key message is below the threshold. It runs only when
the brief gives a key message and the check has an embedder.

The embedder is the repository's :class:`~app.retrieval.embedder.SentenceTransformerEmbedder`
(all-MiniLM-L6-v2, normalised vectors, so the dot product is the cosine). The engine makes one per engine
and it loads its model on first use; the key message's vector is cached, so a check embeds one text.

:data:`DEFAULT_MIN_SIMILARITY` (0.08) was calibrated on real prose, not on our drafts
(``evals/quality/README.md`` has the commands and the full sweep): each paragraph of 15 words or more of
the 18F content guide (181) against its own page's key message, written as the page title and the first
sentence of its lead paragraph (must pass), and against every other page's (3,982 pairs; a stand-in for
off-message copy). At 0.08, 1 of 181 own-page paragraphs (0.6%) falls below, and 24% of the other-page
pairs do; the guide's pages share one subject (writing), so that share understates how often copy about
something else entirely is caught. On the drafts collected from SmolLM2-135M the figures are in
``GUARDRAILS.md``.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

from app.guardrails.quality.findings import Finding
from app.retrieval.embedder import Embedder

DEFAULT_MIN_SIMILARITY = 0.08
_CACHED_MESSAGES = 256


class KeyMessageSimilarity:
    """Cosine similarity of copy to a key message, with the key messages' vectors cached (thread-safe)."""

    def __init__(self, embedder: Embedder, threshold: float = DEFAULT_MIN_SIMILARITY) -> None:
        self.embedder = embedder
        self.threshold = threshold
        self._vectors: OrderedDict[str, list[float]] = OrderedDict()
        self._lock = threading.Lock()

    def similarity(self, text: str, key_message: str) -> float:
        target = self._message_vector(key_message)
        [vector] = self.embedder.embed([" ".join(text.split())])
        return sum(a * b for a, b in zip(vector, target, strict=True))

    def findings(self, text: str, key_message: str) -> list[Finding]:
        if not text.strip() or not key_message.strip():
            return []
        score = self.similarity(text, key_message)
        if score >= self.threshold:
            return []
        return [Finding(rule="off_message", spans=((0, len(text)),), evidence=f"cosine {score:.2f}",
                        reason=f"the copy is far from the key message {key_message!r} (similarity {score:.2f}, "
                               f"at least {self.threshold:.2f} expected): say the key message")]

    def _message_vector(self, key_message: str) -> list[float]:
        key = " ".join(key_message.split())
        with self._lock:
            if key in self._vectors:
                self._vectors.move_to_end(key)
                return self._vectors[key]
        [vector] = self.embedder.embed([key])
        with self._lock:
            self._vectors[key] = vector
            while len(self._vectors) > _CACHED_MESSAGES:
                self._vectors.popitem(last=False)
        return vector
