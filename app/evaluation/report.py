"""Reports of an eval run: ``evals/runs/<run_id>/report.md``, ``report.html``, ``summary.json`` and charts.

Everything is computed from the stored per-case results (:class:`EvalCaseResult`), never from memory,
so ``factory eval report <run_id>`` rebuilds the same report at any time. The header names each
side's prompt version and model (with the model file's SHA-256 when local). For each metric: both
sides' means over the cases where both have a value, the delta with its 95% bootstrap interval, the
suite's threshold and whether it regressed (see :mod:`app.evaluation.stats`); a metric of
:data:`ALWAYS_SHOWN` without such a value is a row of ``n/a`` (the quality metrics when the brand runs
no quality check). For each case: the key metrics of both sides, what failed, and a unified diff of
the two sides' copy.
"""

from __future__ import annotations

import difflib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from app.errors import FactoryError, NotFound
from app.evaluation.eval_charts import write_charts
from app.evaluation.eval_models import describe
from app.evaluation.eval_suite import load_suite
from app.evaluation.models import EvalCaseResult, EvalRun
from app.evaluation.scorers import metric_direction
from app.evaluation.stats import MetricSummary, ordered_metrics, regressions, summarize

CASE_METRICS = ("structure_valid", "guardrail_pass_rate", "expectation_pass_rate", "grounding", "diversity",
                "quality_pass_rate", "key_message_similarity", "placeholder_rate", "length_chars", "latency_ms",
                "tokens")
ALWAYS_SHOWN = ("quality_pass_rate", "key_message_similarity", "placeholder_rate")
_ARROWS = {1: "higher", -1: "lower", 0: "-"}
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


@dataclass
class CaseView:
    case_id: str
    tags: list[str] = field(default_factory=list)
    note: str = ""
    outputs: dict[str, dict[str, Any]] = field(default_factory=dict)
    metrics: dict[str, dict[str, Any]] = field(default_factory=dict)

    def failures(self, side: str) -> list[str]:
        out = self.outputs.get(side, {})
        found = [f"{f['check']}:{f['rule']}" for v in out.get("variants", []) for f in v.get("failed_checks", [])]
        found += [f"expect:{k}" for v in out.get("variants", []) for k, ok in v.get("expect", {}).items() if not ok]
        return sorted(set(found)) + [f"error: {e}" for e in out.get("errors", [])]

    def diff(self) -> list[str]:
        return list(difflib.unified_diff(_copy_lines(self.outputs.get("baseline", {})),
                                         _copy_lines(self.outputs.get("candidate", {})),
                                         fromfile="baseline", tofile="candidate", lineterm="", n=2))


@dataclass
class ReportData:
    run: EvalRun
    summaries: list[MetricSummary]
    cases: list[CaseView]
    charts: list[str] = field(default_factory=list)

    @property
    def regressed(self) -> list[str]:
        return [s.metric for s in regressions(self.summaries)]

    @property
    def unmeasured(self) -> list[str]:
        """The metrics of :data:`ALWAYS_SHOWN` that no case measured on both sides."""
        have = {s.metric for s in self.summaries}
        return [m for m in ALWAYS_SHOWN if m not in have]

    def models(self) -> dict[str, str]:
        """Each side's model as one line (runs stored before sides had models: the run's one model)."""
        records = self.run.config.get("models") or {}
        return {side: describe(records[side]) if side in records else f"{self.run.model} (not recorded)"
                for side in ("candidate", "baseline")}

    @property
    def generation_s(self) -> float:
        return sum(float(o.get("wall_ms", 0)) for c in self.cases for o in c.outputs.values()) / 1000


def build(engine: Engine, run_id: str) -> ReportData:
    with Session(engine) as session:
        run = session.get(EvalRun, run_id)
        if run is None:
            raise NotFound(f"no eval run {run_id!r}; `factory eval list` shows the runs")
        rows = session.exec(select(EvalCaseResult).where(EvalCaseResult.run_id == run_id)
                            .order_by(col(EvalCaseResult.id))).all()
    meta = _case_meta(run)
    views = {cid: CaseView(case_id=cid, **meta.get(cid, {})) for cid in run.config["case_ids"]}
    sides: dict[str, dict[str, dict[str, Any]]] = {"candidate": {}, "baseline": {}}
    for row in rows:
        views[row.case_id].outputs[row.side] = row.output
        views[row.case_id].metrics[row.side] = row.metrics
        sides[row.side][row.case_id] = row.metrics
    summaries = summarize(sides["candidate"], sides["baseline"], run.config.get("thresholds", {}))
    return ReportData(run=run, summaries=summaries, cases=list(views.values()))


def write_report(engine: Engine, run_id: str, out_root: Path) -> Path:
    """Write the run's report files into ``out_root/<run_id>/``; returns that folder."""
    data = build(engine, run_id)
    folder = out_root / run_id
    folder.mkdir(parents=True, exist_ok=True)
    data.charts = write_charts(data.summaries, folder)
    (folder / "report.md").write_text(render_markdown(data), encoding="utf-8")
    (folder / "report.html").write_text(render_html(data), encoding="utf-8")
    (folder / "summary.json").write_text(json.dumps(summary_json(data), indent=2), encoding="utf-8")
    return folder


def summary_json(data: ReportData) -> dict[str, Any]:
    run = data.run
    return {"run_id": run.id, "suite": run.suite, "candidate": run.prompt_ref, "baseline": run.baseline_ref,
            "model": run.model, "models": run.config.get("models"), "status": run.status, "cases": len(data.cases),
            "regressions": data.regressed, "unmeasured": data.unmeasured,
            "metrics": [s.as_dict() for s in data.summaries]}


def fmt(value: float | None) -> str:
    """Numbers as the tables show them: three decimals (the test recomputes them to that precision)."""
    return "n/a" if value is None else f"{value:.3f}"


def summary_rows(data: ReportData) -> list[list[str]]:
    """One row per metric in :func:`~app.evaluation.stats.ordered_metrics` order, ``n/a`` rows included."""
    by_metric = {s.metric: s for s in data.summaries}
    return [_row(by_metric[m]) if m in by_metric else _unmeasured_row(m)
            for m in ordered_metrics(set(by_metric) | set(data.unmeasured))]


def _row(s: MetricSummary) -> list[str]:
    return [s.metric, _ARROWS[s.direction], str(s.n), fmt(s.baseline), fmt(s.candidate), f"{s.delta:+.3f}",
            f"[{s.delta_ci[0]:+.3f}, {s.delta_ci[1]:+.3f}]", "" if s.threshold is None else f"{s.threshold:+g}",
            "REGRESSION" if s.regressed else ("ok" if s.threshold is not None else "")]


def _unmeasured_row(metric: str) -> list[str]:
    return [metric, _ARROWS[metric_direction(metric)], "0", "n/a", "n/a", "n/a", "", "", ""]


SUMMARY_HEADER = ["metric", "better", "n", "baseline", "candidate", "delta", "95% CI of delta", "threshold",
                  "verdict"]


def render_markdown(data: ReportData) -> str:
    run = data.run
    lines = [f"# Eval run {run.id}: suite `{run.suite}`", "", *_facts(data), "", f"**{_verdict(data)}**", "",
             "## Summary", "", _md_table(SUMMARY_HEADER, summary_rows(data)), ""]
    lines += [f"![{name}]({name})" for name in data.charts] + ["", "## Cases", ""]
    for case in data.cases:
        lines += [f"### {case.case_id}" + (f" ({', '.join(case.tags)})" if case.tags else ""), ""]
        if case.note:
            lines += [f"_{case.note}_", ""]
        rows = [[m, fmt(case.metrics.get("baseline", {}).get(m)), fmt(case.metrics.get("candidate", {}).get(m))]
                for m in CASE_METRICS]
        lines += [_md_table(["metric", "baseline", "candidate"], rows), ""]
        for side in ("baseline", "candidate"):
            lines.append(f"- {side} failures: {', '.join(case.failures(side)) or 'none'}")
        lines += ["", "```diff", *(case.diff() or ["(identical copy)"]), "```", ""]
    return "\n".join(lines)


def render_html(data: ReportData) -> str:
    return _TEMPLATE.render(data=data, facts=_facts(data), verdict=_verdict(data), header=SUMMARY_HEADER,
                            rows=summary_rows(data), case_metrics=CASE_METRICS, fmt=fmt)


def _facts(data: ReportData) -> list[str]:
    run = data.run
    wall = (run.finished_at - run.started_at).total_seconds() if run.finished_at else None
    models = data.models()
    facts = [
        f"- candidate: `{run.prompt_ref}` (asked as `{run.prompt_label}`, sha256 {run.prompt_hash[:12]}) "
        f"on model `{models['candidate']}`",
        f"- baseline: `{run.baseline_ref}` (asked as `{run.baseline_label}`, sha256 {run.baseline_hash[:12]}) "
        f"on model `{models['baseline']}`",
        f"- pins: {json.dumps(run.config.get('pins', {}))}",
        f"- cases: {len(data.cases)}; status: {run.status}; started {run.started_at:%Y-%m-%d %H:%M:%S} UTC",
        f"- wall time: {'n/a' if wall is None else f'{wall:.1f} s'}; generation and scoring: "
        f"{data.generation_s:.1f} s",
    ]
    if data.unmeasured:
        quality = {"quality_pass_rate", "placeholder_rate"} & set(data.unmeasured)
        why = "; the quality rates need the brand's quality check" if quality else ""
        facts.append(f"- n/a (no value on both sides of a case): {', '.join(data.unmeasured)}{why}")
    return facts


def _verdict(data: ReportData) -> str:
    if data.regressed:
        return "FAIL: the candidate regressed past the suite's thresholds on " + ", ".join(data.regressed)
    return "PASS: no metric regressed past the suite's thresholds"


def _md_table(header: list[str], rows: list[list[str]]) -> str:
    out = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    return "\n".join(out + ["| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |" for row in rows])


def _copy_lines(output: dict[str, Any]) -> list[str]:
    lines: list[str] = []
    for v in output.get("variants", []):
        lines.append(f"[{v['channel']} idea {v['idea']} variant {v['ordinal']}]")
        lines += [v["headline"], *_SENTENCE_END.split(v["body"]), v["cta"]]
    return lines + [f"ERROR {e}" for e in output.get("errors", [])]


def _case_meta(run: EvalRun) -> dict[str, dict[str, Any]]:
    try:
        suite = load_suite(Path(run.suite_path))
    except FactoryError:
        return {}  # the suite moved: the report still stands on the stored results
    return {c.id: {"tags": c.tags, "note": c.note} for c in suite.cases}


_TEMPLATE = jinja2.Environment(autoescape=True).from_string("""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Eval run {{ data.run.id }}</title>
<style>
body{font-family:system-ui,sans-serif;margin:2rem;max-width:70rem;color:#222}
table{border-collapse:collapse;margin:1rem 0}td,th{border:1px solid #ccc;padding:.25rem .5rem;text-align:right}
td:first-child,th:first-child{text-align:left}.REGRESSION{background:#f8d7da;font-weight:bold}.ok{color:#1e7e34}
.fail{color:#b02a37}.pass{color:#1e7e34}pre{background:#f6f8fa;padding:.75rem;overflow-x:auto;font-size:.85rem}
.add{color:#1e7e34}.del{color:#b02a37}.hunk{color:#6f42c1}
</style></head><body>
<h1>Eval run {{ data.run.id }}: suite <code>{{ data.run.suite }}</code></h1>
<ul>{% for f in facts %}<li>{{ f[2:]|replace('`', '') }}</li>{% endfor %}</ul>
<p class="{{ 'fail' if data.regressed else 'pass' }}"><strong>{{ verdict }}</strong></p>
<h2>Summary</h2>
<table><tr>{% for h in header %}<th>{{ h }}</th>{% endfor %}</tr>
{% for row in rows %}<tr>{% for cell in row %}<td class="{{ cell }}">{{ cell }}</td>{% endfor %}</tr>{% endfor %}
</table>
{% for chart in data.charts %}<p><img src="{{ chart }}" alt="{{ chart }}"></p>{% endfor %}
<h2>Cases</h2>
{% for case in data.cases %}
<h3 id="{{ case.case_id }}">{{ case.case_id }}{% if case.tags %} ({{ case.tags|join(', ') }}){% endif %}</h3>
{% if case.note %}<p><em>{{ case.note }}</em></p>{% endif %}
<table><tr><th>metric</th><th>baseline</th><th>candidate</th></tr>
{% for m in case_metrics %}<tr><td>{{ m }}</td><td>{{ fmt(case.metrics.get('baseline', {}).get(m)) }}</td>
<td>{{ fmt(case.metrics.get('candidate', {}).get(m)) }}</td></tr>{% endfor %}</table>
<p>baseline failures: {{ case.failures('baseline')|join(', ') or 'none' }}<br>
candidate failures: {{ case.failures('candidate')|join(', ') or 'none' }}</p>
<pre>{% for line in case.diff() or ['(identical copy)'] %}<span class="{{ 'hunk' if line.startswith('@@')
else ('add' if line.startswith('+') else ('del' if line.startswith('-') else '')) }}">{{ line }}</span>
{% endfor %}</pre>
{% endfor %}
</body></html>
""")
