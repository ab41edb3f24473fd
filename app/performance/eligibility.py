"""Which variants of a slot are arms: only copy whose approval and compliance clearance still hold.

A published variant is an arm unless:

- it was retracted (a ``Retraction`` row: a claim withdrawn, its approval revoked, compliance retracted);
- its text no longer has the hash the reviewer approved (``approval_invalid``);
- a source it cites is gone: the compliance gate's ``claims:supported`` finding lists the approved claims
  and product facts the copy relies on (its ``evidence``, e.g. ``C-001, quiet-hours.price``); a cited id
  that was withdrawn (``ClaimWithdrawal``) or is no longer in the brand's ``claims.yaml`` or product files
  (``claim_withdrawn``).

The last two are found when an arm is read; :func:`app.performance.slots.evaluate` then retracts the
variant, so the CMS is told (``content.retracted``) even when the claim was removed by editing the file.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from sqlmodel import Session, col, select

from app.brand import load_brand
from app.models import CheckFinding, Variant
from app.performance.models import ClaimWithdrawal, Retraction
from app.pipeline.stages import content_hash


@dataclass(frozen=True)
class ArmStatus:
    """Whether ``variant`` may be shown; when not, ``kind`` and ``why`` say why and ``retracted`` whether a
    retraction is already recorded."""

    variant: Variant
    live: bool
    kind: str | None = None
    why: str | None = None
    claim_ids: tuple[str, ...] = ()
    retracted: bool = False
    cited: tuple[str, ...] = field(default=())


_SOURCES_CACHE: dict[tuple[str, str], tuple[tuple[int, ...], frozenset[str]]] = {}


def brand_source_ids(kb_dir: Path, brand: str) -> frozenset[str]:
    """Ids of the brand's approved claims and product facts, re-read when a file of the brand changes."""
    folder = kb_dir / brand
    files = [folder / "claims.yaml", *sorted((folder / "products").glob("*.y*ml"))]
    stamp = tuple(p.stat().st_mtime_ns if p.exists() else 0 for p in files)
    cached = _SOURCES_CACHE.get((str(kb_dir), brand))
    if cached is not None and cached[0] == stamp:
        return cached[1]
    profile = load_brand(kb_dir, brand)
    ids = frozenset([c.id for c in profile.claims] + [f.id for f in profile.facts])
    _SOURCES_CACHE[(str(kb_dir), brand)] = (stamp, ids)
    return ids


def cited_sources(session: Session, variant_ids: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """The source ids each variant's copy was cleared on (its compliance ``claims:supported`` finding)."""
    ids = list(variant_ids)
    if not ids:
        return {}
    rows = session.exec(select(CheckFinding.variant_id, CheckFinding.evidence).where(
        col(CheckFinding.variant_id).in_(ids), CheckFinding.gate == "compliance",
        CheckFinding.rule == "claims:supported")).all()
    out: dict[str, tuple[str, ...]] = {}
    for variant_id, evidence in rows:
        cited = [part.strip() for part in evidence.split(",") if part.strip()]
        out[variant_id] = tuple(dict.fromkeys([*out.get(variant_id, ()), *cited]))
    return out


def statuses(session: Session, variants: list[Variant], *, kb_dir: Path) -> list[ArmStatus]:
    """One :class:`ArmStatus` per variant (same order)."""
    ids = [v.id for v in variants]
    retractions = {r.variant_id: r for r in session.exec(
        select(Retraction).where(col(Retraction.variant_id).in_(ids))).all()} if ids else {}
    cited = cited_sources(session, ids)
    brands = {v.brand for v in variants}
    withdrawn = {(w.brand, w.claim_id) for w in session.exec(
        select(ClaimWithdrawal).where(col(ClaimWithdrawal.brand).in_(brands))).all()} if brands else set()
    sources = {b: brand_source_ids(kb_dir, b) for b in brands}
    out = []
    for variant in variants:
        refs = cited.get(variant.id, ())
        retraction = retractions.get(variant.id)
        if retraction is not None:
            out.append(ArmStatus(variant, False, retraction.kind, retraction.reason, tuple(retraction.claim_ids),
                                 retracted=True, cited=refs))
            continue
        gone = tuple(r for r in refs if (variant.brand, r) in withdrawn or r not in sources[variant.brand])
        if gone:
            out.append(ArmStatus(variant, False, "claim_withdrawn",
                                 f"cites {', '.join(gone)}, no longer approved for {variant.brand}", gone, cited=refs))
        elif variant.approved_hash != content_hash(variant):
            out.append(ArmStatus(variant, False, "approval_invalid",
                                 "the text differs from the approved text", cited=refs))
        else:
            out.append(ArmStatus(variant, True, cited=refs))
    return out
