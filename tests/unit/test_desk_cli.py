"""The CLI as a daily tool: every review command says what it does, an empty queue says so, findings show the
words they point at, a YAML boolean never reads as a banned term's reason."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from app.brand import load_brand
from app.cli import context
from app.cli.main import cli
from app.cli.render import findings_text
from app.guardrails.banned_terms.check import BannedTermsCheck
from app.guardrails.base import CheckContext
from app.models import CheckFinding


@pytest.mark.parametrize("command", ["approve", "reject", "request-changes", "retry-delivery", "list"])
def test_every_review_command_has_help_that_says_what_it_does(command: str):
    result = CliRunner().invoke(cli, ["review", command, "--help"], terminal_width=200)
    assert result.exit_code == 0
    head = result.output.split("Options")[0].split("Arguments")[0]
    summary = " ".join(line.strip() for line in head.splitlines()[1:] if line.strip())
    assert len(summary) > 20, f"`factory review {command} --help` says nothing: {result.output!r}"


def test_review_list_with_nothing_waiting_says_so(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    monkeypatch.setenv("CF_DATA_DIR", str(tmp_path / "var"))
    context.settings.cache_clear()
    context.deps.cache_clear()
    try:
        result = CliRunner().invoke(cli, ["review", "list", "--brand", "fernhill"])
    finally:
        context.settings.cache_clear()
        context.deps.cache_clear()
    assert result.exit_code == 0 and result.output.strip() == "nothing waiting for review on brand fernhill"


def test_findings_show_the_words_at_their_spans_not_offsets():
    text = "Calm evenings\nA calm cup for every night.\nTry it"
    finding = CheckFinding(variant_id="v", gate="draft", check="banned_terms", rule="banned_term:calm",
                           passed=False, severity="block", spans=[[0, 4], [16, 20]], reason="'calm' is banned")
    shown = findings_text([finding], text)
    assert "at \u201cCalm\u201d, \u201ccalm\u201d" in shown and "[[" not in shown
    assert "at characters 0-4, 16-20" in findings_text([finding])


def test_a_banned_term_whose_yaml_reason_parsed_as_a_boolean_reads_as_no_reason(tmp_path: Path):
    kb = tmp_path / "kb"
    brand = kb / "tinybrand"
    brand.mkdir(parents=True)
    (brand / "brand.yaml").write_text("name: Tiny\nchannels: [linkedin]\n")
    # An unquoted "no" is YAML 1.1's False: nobody meant "False" as the reason.
    (brand / "banned_terms.yaml").write_text("terms:\n  - term: miracle\n    reason: no\n")
    profile = load_brand(kb, "tinybrand")
    assert profile.banned_terms[0].reason == ""
    [finding] = BannedTermsCheck().run("A miracle cup", CheckContext(brand=profile, channel="linkedin"))
    assert "False" not in finding.reason and finding.reason.startswith("'miracle' is banned by the brand.")
