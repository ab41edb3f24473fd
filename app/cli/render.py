"""Terminal output: tables of briefs, variants with their findings, and audit trails."""

from __future__ import annotations

import json
from collections.abc import Sequence

from rich.console import Console
from rich.markup import escape
from rich.table import Table
from sqlmodel import Session, col, select

from app import audit
from app.errors import NotFound
from app.models import AuditEntry, Brief, CheckFinding, Variant
from app.pipeline.deps import Deps

console = Console(width=140)


def briefs_table(rows: Sequence[Brief]) -> None:
    table = Table("id", "brand", "state", "submitted by", "created", title="Briefs")
    for b in rows:
        table.add_row(b.id, b.brand, b.state.value, b.submitted_by, f"{b.created_at:%Y-%m-%d %H:%M}")
    console.print(table)


def brief_report(deps: Deps, brief_id: str) -> None:
    with Session(deps.engine) as session:
        brief = session.get(Brief, brief_id)
        if brief is None:
            raise NotFound(f"no brief with id {brief_id!r}")
        variants = session.exec(select(Variant).where(Variant.brief_id == brief_id)
                                .order_by(col(Variant.created_at))).all()
        findings = session.exec(select(CheckFinding).where(col(CheckFinding.variant_id).in_(
            [v.id for v in variants]))).all()
    console.print(f"[bold]Brief {brief.id}[/bold] ({brief.brand}) state=[bold]{brief.state.value}[/bold]"
                  + (f" error={brief.error}" if brief.error else ""))
    variants_table(variants, findings)


def variants_table(variants: Sequence[Variant], findings: Sequence[CheckFinding]) -> None:
    table = Table("variant", "channel", "rev", "state", "copy", "checks", title="Variants", show_lines=True)
    for v in variants:
        mine = [f for f in findings if f.variant_id == v.id]
        table.add_row(v.id, v.channel, str(v.revision), v.state.value,
                      f"[bold]{v.headline}[/bold]\n{v.body}\n[italic]{v.cta}[/italic]",
                      findings_text(mine, f"{v.headline}\n{v.body}\n{v.cta}"))
    console.print(table)


def findings_text(findings: Sequence[CheckFinding], text: str = "") -> str:
    """One line per finding; a failed one with its reason and where: the quoted words of ``text`` (the checked
    text, headline, body and CTA on their own lines) at its spans, or their character offsets without it."""
    if not findings:
        return "not checked yet"
    lines = []
    for f in findings:
        mark = "[green]pass[/green]" if f.passed else (
            "[red]BLOCK[/red]" if f.severity == "block" else "[yellow]warn[/yellow]")
        detail = "" if f.passed else f": {f.reason}{where(f.spans, text)}"
        lines.append(f"{f.gate}/{f.check} {mark}{detail}")
    return "\n".join(lines)


def where(spans: Sequence[Sequence[int]], text: str) -> str:
    """' at “calm”, “soothing”' (the spanned words of ``text``), or ' at characters 165-167' without the text."""
    if not spans:
        return ""
    if text:
        return " at " + ", ".join(f"\u201c{escape(text[s:e])}\u201d" for s, e in spans[:5]) \
            + (f" and {len(spans) - 5} more" if len(spans) > 5 else "")
    return " at characters " + ", ".join(f"{s}-{e}" for s, e in spans[:5])


def audit_table(entries: Sequence[AuditEntry]) -> None:
    table = Table("#", "time (UTC)", "actor", "action", "subject", "details", title="Audit trail")
    for e in entries:
        details = json.dumps(e.details, ensure_ascii=False)
        table.add_row(str(e.id), f"{e.created_at:%H:%M:%S.%f}"[:-3], e.actor, e.action,
                      f"{e.subject_type}:{e.subject_id[:10]}", details[:160] + ("…" if len(details) > 160 else ""))
    console.print(table)


def print_trail(deps: Deps, brief_id: str) -> None:
    with Session(deps.engine) as session:
        entries = audit.trail(session, brief_id)
    if not entries:
        raise NotFound(f"no audit entries for brief {brief_id!r}")
    audit_table(entries)
