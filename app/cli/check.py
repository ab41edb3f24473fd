"""``factory check``: run a brand's whole guardrail policy on any text.

Input: one text per line, or JSON lines with a ``text`` field (other fields are echoed back, e.g. an
``id``). Output: one JSON line per text with the verdict (``pass``, ``warn`` or ``block``) and every
finding (check, rule, severity, spans, reason, suggestion).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TextIO

import typer

from app.cli import context
from app.errors import FactoryError
from app.guardrails.base import CheckResult, Severity
from app.guardrails.engine import GuardrailEngine
from app.wiring import build_judge, build_llm


def check(
    source: str = typer.Argument("-", help="A file of texts, or - for standard input."),
    brand: str = typer.Option(..., help="Brand slug whose policy applies."),
    channel: str = typer.Option(None, help="Channel, for per-channel style rules."),
    product: str = typer.Option(None, help="Product id, for claims about it and the quality check's naming rule."),
    key_message: str = typer.Option(None, "--key-message",
                                    help="The brief's key message: the quality check flags copy far from it."),
    language: str = typer.Option(None, "--language",
                                 help="The brief's language (ISO 639-1, e.g. en, de): the quality check flags "
                                      "copy in another language."),
    as_json: bool = typer.Option(False, "--json", help="Read JSON lines with a `text` field."),
    judge: bool = typer.Option(None, "--judge/--no-judge",
                               help="Let the judge model decide the rules' candidates (default: on when "
                                    "CF_JUDGE_MODE=on). Findings decided by rules alone say so."),
) -> None:
    """Check texts against a brand's policy; prints one JSON line per text."""
    settings = context.settings()
    use_judge = settings.effective_judge_mode == "on" if judge is None else judge
    engine = GuardrailEngine(settings, judge=build_judge(settings, lambda: build_llm(settings)) if use_judge else None)
    try:
        engine.for_brand(brand)
        for record in _records(source, as_json):
            results = engine.evaluate(str(record["text"]), brand=brand, channel=channel, product=product,
                                      key_message=key_message, language=language)
            typer.echo(json.dumps({**record, **verdict(results)}, ensure_ascii=False))
    except FactoryError as exc:
        raise context.fail(exc) from exc


def verdict(results: list[CheckResult]) -> dict[str, Any]:
    failed = [r for r in results if not r.passed]
    level = "block" if any(r.severity is Severity.block for r in failed) else ("warn" if failed else "pass")
    return {
        "verdict": level,
        "checks": sorted({r.check for r in results}),
        "findings": [
            {"check": r.check, "rule": r.rule, "severity": r.severity.value, "spans": [list(s) for s in r.spans],
             "reason": r.reason, "evidence": r.evidence, "suggestion": r.suggestion}
            for r in failed
        ],
    }


def _records(source: str, as_json: bool) -> Iterator[dict[str, Any]]:
    if source == "-":
        yield from _lines(sys.stdin, as_json)
        return
    path = Path(source)
    if not path.is_file():
        raise typer.BadParameter(f"{source} is not a file; give a file of texts, or - to read standard input")
    with path.open(encoding="utf-8") as handle:
        yield from _lines(handle, as_json)


def _lines(stream: TextIO, as_json: bool) -> Iterator[dict[str, Any]]:
    for n, line in enumerate(stream, start=1):
        if line.strip():
            yield _parse(line, n, as_json)


def _parse(line: str, n: int, as_json: bool) -> dict[str, Any]:
    if not as_json:
        return {"line": n, "text": line.rstrip("\n")}
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        raise typer.BadParameter(f"line {n} is not JSON ({exc}); drop --json to check plain text lines") from exc
    if not isinstance(record, dict) or not isinstance(record.get("text"), str):
        raise typer.BadParameter(f'line {n} needs a "text" field holding a string')
    return record
