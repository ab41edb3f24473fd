"""Grounding: the KB chunks a brief or an idea is written from."""

from __future__ import annotations

from dataclasses import dataclass, field

from app.guardrails.screening import drop_injected
from app.models import Brief
from app.pipeline.deps import Deps
from app.retrieval.embedder import embed_queries
from app.retrieval.store import Hit


@dataclass
class Retrieval:
    hits: list[Hit]
    dropped: list[Hit] = field(default_factory=list)


def retrieve(brief: Brief, deps: Deps, *, focus: str = "") -> Retrieval:
    """Top chunks for the brief (and ``focus``), plus the product's own facts and claims.

    Quarantined chunks are never returned by the store; any hit that still reads as instructions is
    dropped here and reported, so it never reaches a prompt.
    """
    query = " ".join(filter(None, [brief.product or "", brief.key_message, brief.goal, focus]))
    vector = embed_queries(deps.embedder, [query])[0]
    k = deps.settings.retrieval_top_k
    hits = deps.store.search(brief.brand, vector, top_k=k)
    if brief.product:
        hits += deps.store.search(brief.brand, vector, top_k=3, product=brief.product)
    hits += deps.store.search(brief.brand, vector, top_k=2, doc_types=["claims"])
    unique: dict[str, Hit] = {}
    for hit in hits:
        unique.setdefault(hit.id, hit)
    clean, dropped = drop_injected(list(unique.values()))
    return Retrieval(hits=clean, dropped=dropped)


def as_knowledge_block(hits: list[Hit]) -> str:
    """Retrieved text as delimited data with ids, never as instructions."""
    return "\n".join(
        f'<source id="{h.id[:8]}" kind="{h.doc_type}">\n{h.text.replace("</source>", "")}\n</source>'
        for h in hits
    )
