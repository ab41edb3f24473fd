"""A synthetic desk history for the list benchmark and the queue-order tests, written with bulk inserts.

``seed(engine, briefs=N)`` writes N briefs spread over brands, each with one idea and four variants
(two channels x two variants), the findings of their gates, one ``kb.retrieved`` audit entry, and a
delivery with one attempt for every published variant. The newest ``waiting_share`` of the briefs are
still in review (their variants in review, one in ten blocked by the compliance gate); the others are
published (two variants published, two rejected). So the queue grows with the history, as a desk's
does, while most rows are history.

Findings are drawn at random (seeded): each variant gets three draft findings (quality passes; claims
and tone pass, warn or block), and variants that reached the compliance gate two more (blocked
variants one failing block). ``Variant.risk`` is written with :func:`app.pipeline.risk.risk`, as the
pipeline writes it. Nothing goes through the API: this is data for reading, not a test of writing.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Table
from sqlalchemy.engine import Connection, Engine

from app.models import AuditEntry, Brief, CheckFinding, Delivery, DeliveryAttempt, Idea, Variant
from app.pipeline.risk import risk

BRANDS = ("fernhill", "northwind", "bluebay", "quarry")
CHANNELS = ("email", "linkedin")
BATCH = 5_000


@dataclass
class Finding:
    gate: str
    check: str
    passed: bool
    severity: str


@dataclass
class Counts:
    briefs: int = 0
    variants: int = 0
    waiting: int = 0
    findings: int = 0
    deliveries: int = 0
    by_table: dict[str, int] = field(default_factory=dict)


def seed(engine: Engine, *, briefs: int, brands: Sequence[str] = BRANDS, waiting_share: float = 0.05,
         random_seed: int = 7, start: datetime | None = None) -> Counts:
    """Write ``briefs`` briefs of history (see the module docstring) in batches; returns what was written.

    ``start`` is the first brief's creation time (default: one five-minute step per brief before now).
    The schema must exist (``app.db.upgrade``).
    """
    rng = random.Random(random_seed)
    first = start or datetime.now(UTC) - timedelta(minutes=5 * briefs)
    counts = Counts()
    waiting_from = briefs - max(1, round(briefs * waiting_share)) if waiting_share > 0 else briefs
    with engine.begin() as conn:
        for chunk_start in range(0, briefs, BATCH):
            rows: dict[Table, list[dict[str, Any]]] = {}
            for i in range(chunk_start, min(briefs, chunk_start + BATCH)):
                for table, row in history_rows(rng, i, brands[i % len(brands)], first + timedelta(minutes=5 * i),
                                              waiting=i >= waiting_from):
                    rows.setdefault(table, []).append(row)
            _insert(conn, rows, counts)
    counts.briefs = counts.by_table.get("brief", 0)
    counts.variants = counts.by_table.get("variant", 0)
    counts.findings = counts.by_table.get("checkfinding", 0)
    counts.deliveries = counts.by_table.get("delivery", 0)
    return counts


def _insert(conn: Connection, rows: dict[Table, list[dict[str, Any]]], counts: Counts) -> None:
    # Parents before children (foreign keys are enforced on SQLite too).
    for model in (Brief, Idea, Variant, CheckFinding, Delivery, DeliveryAttempt, AuditEntry):
        table: Table = model.__table__  # type: ignore[attr-defined,union-attr]
        batch = rows.get(table, [])
        if batch:
            conn.execute(table.insert(), batch)
            counts.by_table[table.name] = counts.by_table.get(table.name, 0) + len(batch)


def history_rows(rng: random.Random, i: int, brand: str, at: datetime,
                 *, waiting: bool) -> Iterator[tuple[Table, dict[str, Any]]]:
    """(table, row) pairs of brief number ``i``: the brief, its idea, retrieval, variants and their rows."""
    brief_id, idea_id = f"b{i:09d}", f"i{i:09d}"
    yield Brief.__table__, {  # type: ignore[attr-defined]
        "id": brief_id, "brand": brand, "product": None, "channels": list(CHANNELS),
        "audience": "site managers", "goal": "book a demo", "key_message": f"message {i}", "constraints": "",
        "n_ideas": 1, "n_variants": 2, "state": "in_review" if waiting else "published", "error": None,
        "submitted_by": "mia", "prompt_pins": {"draft": "draft@1"}, "created_at": at, "updated_at": at,
    }
    yield Idea.__table__, {  # type: ignore[attr-defined]
        "id": idea_id, "brief_id": brief_id, "ordinal": 1, "title": f"idea {i}", "angle": "savings",
        "grounding_chunk_ids": ["c1", "c2"], "created_at": at,
    }
    yield AuditEntry.__table__, {  # type: ignore[attr-defined]
        "brief_id": brief_id, "subject_type": "retrieval", "subject_id": idea_id, "action": "kb.retrieved",
        "actor": "system", "details": {"chunks": [{"id": "c1", "score": 0.8, "source": "products.md"},
                                                  {"id": "c2", "score": 0.7, "source": "voice.md"}]},
        "created_at": at,
    }
    for n, (channel, ordinal) in enumerate((c, o) for c in CHANNELS for o in (1, 2)):
        yield from _variant_rows(rng, brief_id, idea_id, brand, channel, ordinal,
                                 at + timedelta(seconds=n + 1), state=_variant_state(rng, waiting, n))


def _variant_state(rng: random.Random, waiting: bool, n: int) -> str:
    if waiting:
        return "blocked" if rng.random() < 0.1 else "in_review"
    return "published" if n < 2 else "rejected"


def _variant_rows(rng: random.Random, brief_id: str, idea_id: str, brand: str, channel: str, ordinal: int,
                  at: datetime, *, state: str) -> Iterator[tuple[Table, dict[str, Any]]]:
    variant_id = f"v{brief_id[1:]}{channel[0]}{ordinal}"
    findings = [Finding("draft", "quality", True, "block"),
                Finding("draft", "claims", *_verdict(rng)), Finding("draft", "tone", *_verdict(rng, block=0.0))]
    if state in {"blocked", "published"}:
        findings += [Finding("compliance", "approval", True, "block"),
                     Finding("compliance", "claims", *((False, "block") if state == "blocked" else (True, "block")))]
    scored = rng.random() < 0.9
    yield Variant.__table__, {  # type: ignore[attr-defined]
        "id": variant_id, "brief_id": brief_id, "brand": brand, "idea_id": idea_id, "channel": channel,
        "ordinal": ordinal, "revision": 1, "parent_id": None, "feedback": None,
        "headline": f"Headline {variant_id}", "body": "Body text of the draft, a few sentences long.",
        "cta": "Book a demo", "content_hash": variant_id.ljust(64, "0"), "state": state,
        "grounding_chunk_ids": ["c1"], "prompt_ref": "draft@1", "review_comment": None,
        "approved_by": "rob" if state == "published" else None, "approved_hash": None,
        "score": round(rng.random(), 4) if scored else None, "score_components": {},
        "risk": risk(findings), "created_at": at, "updated_at": at,
    }
    for f in findings:
        yield CheckFinding.__table__, {  # type: ignore[attr-defined]
            "variant_id": variant_id, "gate": f.gate, "check": f.check, "rule": "r", "passed": f.passed,
            "severity": f.severity, "spans": [], "reason": "" if f.passed else f"{f.check} failed",
            "evidence": "", "suggestion": None, "created_at": at,
        }
    if state == "published":
        delivery_id = f"msg_{variant_id}"
        yield Delivery.__table__, {  # type: ignore[attr-defined]
            "id": delivery_id, "variant_id": variant_id, "brief_id": brief_id, "brand": brand,
            "target": "http://127.0.0.1:9/hook", "state": "delivered", "attempts": 1, "last_status": 200,
            "last_error": None, "next_attempt_at": None, "delivered_at": at, "payload": {}, "created_at": at,
        }
        yield DeliveryAttempt.__table__, {  # type: ignore[attr-defined]
            "delivery_id": delivery_id, "attempt_no": 1, "status_code": 200, "error": None, "duration_ms": 12.0,
            "created_at": at,
        }


def _verdict(rng: random.Random, *, warn: float = 0.3, block: float = 0.15) -> tuple[bool, str]:
    """(passed, severity) of one check: fails with a warning or a block at these rates."""
    x = rng.random()
    if x < block:
        return False, "block"
    if x < block + warn:
        return False, "warn"
    return True, "warn"
