"""Bringing a brand's knowledge in: ingestion with prompt-injection quarantine, audited."""

from __future__ import annotations

from functools import partial
from pathlib import Path

from app import audit
from app.db import session_scope
from app.guardrails.judge.contract import Judge
from app.guardrails.screening import quarantine_injected
from app.pipeline.deps import Deps
from app.retrieval.chunking import with_language
from app.retrieval.ingest import IngestReport, ingest_folder


def ingest_brand(deps: Deps, folder: Path, *, brand: str, actor: str = "system:cli",
                 judge: Judge | None = None) -> IngestReport:
    """Ingest ``folder`` as ``brand``; chunks that read as instructions are stored quarantined, and each chunk's
    language is detected and stored with it (``language`` in its payload). Every chunk is judged by ``judge``, or
    by ``deps.judge`` when none is given (None for both: the injection rules decide)."""
    screen = partial(quarantine_injected, judge=judge or deps.judge)
    report = ingest_folder(folder, brand=brand, store=deps.store, embedder=deps.embedder,
                           chunk_filter=lambda chunk: with_language(screen(chunk)))
    if report.wrote_anything:
        with session_scope(deps.engine) as session:
            audit.record(session, action="kb.ingested", actor=actor, subject_type="brand", subject_id=brand,
                         folder=str(folder), added=report.added, replaced=report.replaced,
                         removed=report.removed, quarantined=report.quarantined,
                         chunks_written=report.chunks_written)
    return report
