"""Grounding: the KB chunks a brief or an idea is written from."""

from __future__ import annotations

from app.models import Brief
from app.pipeline.deps import Deps
from app.retrieval.store import Hit


def retrieve(brief: Brief, deps: Deps, *, focus: str = "") -> list[Hit]:
    """Top chunks for the brief (and ``focus``), plus the product's own facts and claims."""
    query = " ".join(filter(None, [brief.product or "", brief.key_message, brief.goal, focus]))
    vector = deps.embedder.embed([query])[0]
    k = deps.settings.retrieval_top_k
    hits = deps.store.search(brief.brand, vector, top_k=k)
    if brief.product:
        hits += deps.store.search(brief.brand, vector, top_k=3, product=brief.product)
    hits += deps.store.search(brief.brand, vector, top_k=2, doc_types=["claims"])
    unique: dict[str, Hit] = {}
    for hit in hits:
        unique.setdefault(hit.id, hit)
    return list(unique.values())


def as_knowledge_block(hits: list[Hit]) -> str:
    """Retrieved text as delimited data with ids, never as instructions."""
    return "\n".join(
        f'<source id="{h.id[:8]}" kind="{h.doc_type}">\n{h.text.replace("</source>", "")}\n</source>'
        for h in hits
    )
