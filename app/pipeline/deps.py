"""What the stages need, built once per process by :func:`app.wiring.build_deps`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy.engine import Engine

from app.guardrails.engine import GuardrailEngine
from app.guardrails.judge.contract import Judge
from app.llm.base import LLM
from app.prompting.registry import PromptRegistry
from app.publishing.publisher import Publisher
from app.retrieval.embedder import Embedder
from app.retrieval.store import VectorStore
from app.settings import Settings

if TYPE_CHECKING:  # the issuer reads stage helpers, which import this module
    from app.provenance.issuer import ProvenanceIssuer

Enqueue = Callable[..., Any]


@dataclass
class Deps:
    settings: Settings
    engine: Engine
    prompts: PromptRegistry
    store: VectorStore
    embedder: Embedder
    guardrails: GuardrailEngine
    publisher_factory: Callable[[], Publisher]
    llm_factory: Callable[[], LLM]
    enqueue: Enqueue
    # The guardrails' judge when judge_mode is not "off" (KB ingestion screens chunks with it).
    judge: Judge | None = None
    # Signs each published variant's provenance (app/provenance/); built from the settings when not given.
    provenance: ProvenanceIssuer | None = None
    _llm: LLM | None = None

    @property
    def llm(self) -> LLM:
        # Built on first use: a worker that only publishes never starts the local model.
        if self._llm is None:
            self._llm = self.llm_factory()
        return self._llm
