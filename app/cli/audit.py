"""``factory audit``: a brief's trail, and the tamper-evident chain: verify it, checkpoint it, make its key."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from sqlalchemy.engine import Engine

from app.audit.checkpoints import CheckpointPolicy, checkpoint_now
from app.audit.keys import load_public_key, public_pem, signer_for, write_new_key
from app.audit.verify import verify as verify_chain
from app.cli import context, render
from app.db import upgrade
from app.errors import FactoryError
from app.provenance import evidence as evidence_pack
from app.provenance.issuer import ProvenanceIssuer
from app.settings import Settings
from app.wiring import build_engine

audit_app = typer.Typer(help="The audit log: a brief's trail; verify, checkpoint and sign the hash chain.",
                        no_args_is_help=True)


@audit_app.command("trail")
def trail(brief_id: str) -> None:
    """Print a brief's audit trail, oldest first."""
    try:
        render.print_trail(context.deps(), brief_id)
    except FactoryError as exc:
        raise context.fail(exc) from exc


@audit_app.command("verify")
def verify(
    public_key: Path | None = typer.Option(None, "--public-key", help="PEM file of the public (or private) key "
                                           "to check signatures with; default: the configured signing key."),
    folder: Path | None = typer.Option(None, "--checkpoints", help="Folder of exported checkpoints; default "
                                       "CF_AUDIT_CHECKPOINT_DIR."),
    as_json: bool = typer.Option(False, "--json", help="Print the whole report as JSON."),
) -> None:
    """Walk the chain and every checkpoint; exit 1 and name the first break if the log was tampered with."""
    settings = context.settings()
    try:
        key = load_public_key(public_key) if public_key else signer_for(settings).public_key
        report = verify_chain(_engine(), public_key=key,
                              folder=folder or settings.resolved_audit_checkpoint_dir)
    except FactoryError as exc:
        raise context.fail(exc) from exc
    if as_json:
        typer.echo(json.dumps(report.to_dict(), indent=2))
    else:
        for warning in report.warnings:
            typer.secho(f"warning: {warning}", fg=typer.colors.YELLOW, err=True)
        if report.first is None:
            typer.echo(f"audit log intact: {report.entries} entries, {report.checkpoints} checkpoints "
                       f"({report.exported} exported), head {report.head_hash[:16]}…")
        else:
            typer.secho(f"audit log BROKEN [{report.first.kind}]: {report.first.message}", fg=typer.colors.RED)
            for later in report.breaks[1:]:
                typer.echo(f"  also [{later.kind}]: {later.message}")
    if not report.ok:
        raise typer.Exit(code=1)


@audit_app.command("checkpoint")
def checkpoint() -> None:
    """Sign a checkpoint of the chain's head now, and export every checkpoint the folder lacks."""
    settings = context.settings()
    try:
        made, written = checkpoint_now(_engine(), CheckpointPolicy.from_settings(settings))
    except FactoryError as exc:
        raise context.fail(exc) from exc
    if made is None:
        typer.echo("nothing new since the last checkpoint (or an empty log)")
    else:
        typer.echo(f"checkpoint {made.number}: {made.count} entries, head {made.head_hash[:16]}…")
    typer.echo(f"{written} checkpoint file(s) written to {settings.resolved_audit_checkpoint_dir}")


def _engine() -> Engine:
    """The database alone: these commands must run beside a worker that holds the embedded vector store."""
    engine = build_engine(context.settings())
    upgrade(engine)
    return engine


@audit_app.command("keygen")
def keygen(out: Path = typer.Option(..., "--out", help="Where to write the private key (PEM, mode 0600); "
                                    "never overwritten.")) -> None:
    """Make an Ed25519 signing key for checkpoints; prints the public key for verifiers."""
    try:
        signer = write_new_key(out)
    except FileExistsError:
        typer.secho(f"error: {out} exists; keys are never overwritten", fg=typer.colors.RED, err=True)
        raise typer.Exit(code=2) from None
    typer.echo(f"wrote {out}; set CF_AUDIT_SIGNING_KEY={out.resolve()} (key id {signer.key_id})")
    typer.echo(public_pem(signer.public_key), nl=False)


@audit_app.command("evidence")
def evidence(variant_id: str,
             out: Path | None = typer.Option(None, "--out", help="Folder to write, or a file ending in .zip; "
                                             "default ./evidence-<variant>. Never overwritten.")) -> None:
    """Write the evidence pack of a published variant: its signed manifest and copy, the brief's audit excerpt,
    and the chain segment and signed checkpoints that prove the manifest was logged (app/provenance/evidence.py)."""
    settings = context.settings()
    target = out or Path(f"evidence-{variant_id}")
    try:
        engine = _engine()
        issuer = ProvenanceIssuer.from_settings(settings)
        try:
            summary = _write_evidence(engine, variant_id, target, issuer, settings)
        except FactoryError as exc:
            if "no checkpoint covers" not in exc.message:
                raise
            checkpoint_now(engine, CheckpointPolicy.from_settings(settings))  # sign one, as `audit checkpoint` does
            typer.echo("signed a checkpoint covering the manifest's audit entry")
            summary = _write_evidence(engine, variant_id, target, issuer, settings)
    except FileExistsError as exc:
        typer.secho(f"error: {exc}", fg=typer.colors.RED, err=True)
        raise typer.Exit(code=2) from None
    except FactoryError as exc:
        raise context.fail(exc) from exc
    typer.echo(f"wrote {summary.path}: {len(summary.files)} files; chain segment of {summary.segment_entries} "
               f"entries up to checkpoint {summary.checkpoint_number}")
    for problem in summary.problems:
        typer.secho(f"problem: {problem}", fg=typer.colors.RED)
    if summary.problems:
        raise typer.Exit(code=1)
    typer.echo("checked: manifest signature, copy hash, audit entry, chain segment and checkpoints all verify")


def _write_evidence(engine: Engine, variant_id: str, target: Path, issuer: ProvenanceIssuer,
                    settings: Settings) -> evidence_pack.PackSummary:
    return evidence_pack.write_pack(engine, variant_id, target, public_key=issuer.signer.public_key,
                                    chain_pem=issuer.chain_pem, audit_key=signer_for(settings).public_key)


@audit_app.command("evidence-check")
def evidence_check(folder: Path,
                   public_key: Path = typer.Option(..., "--public-key", help="PEM of the provenance public key"),
                   audit_key: Path | None = typer.Option(None, "--audit-key", help="PEM of the checkpoints' key, "
                                                         "when it differs")) -> None:
    """Check an unpacked evidence pack with only the public key(s); exit 1 naming every problem."""
    problems = evidence_pack.check_pack(folder, public_key.read_bytes(),
                                        audit_key=audit_key.read_bytes() if audit_key else None)
    for problem in problems:
        typer.secho(f"problem: {problem}", fg=typer.colors.RED)
    if problems:
        raise typer.Exit(code=1)
    typer.echo("evidence pack verifies: manifest, copy, audit entry, chain segment and checkpoints")
