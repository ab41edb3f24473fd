"""Re-measuring one area of GUARDRAILS.md's measured table leaves the other areas' rows as they were."""

from __future__ import annotations

import pytest

from app.evaluation.guardrail_report import Row, remeasure_area

TABLE = """# Guardrails

| check | what it finds | default | on failure |
|---|---|---|---|
| injection | text that instructs the model | block | block |

<!-- measured:start -->
Measured 2026-11-30 at commit `abc1234` with `make eval-guardrails` on `/data`.

| area | measure | data | n | figure | aim |
|---|---|---|---:|---|---|
| toxicity | ROC AUC | davidson | 300 | 0.97 |  |
| injection | recall (rules only) | planted_heldout | 30 | 16/30 = 0.533 | ≥ 0.95 |
| injection | false alarms (rules only) | notinject_benign | 339 | 0/339 = 0.000 | ≤ 0.02 |
| style (Vale rules) | rules run | Joblint | 17 | 17 (0) |  |
<!-- measured:end -->
"""


def test_only_the_area_s_rows_are_replaced_in_place_and_the_re_measurement_is_stamped() -> None:
    rows = [Row("injection", "recall (rules only)", "planted_heldout", 30, "23/30 = 0.767", "≥ 0.95")]

    out = remeasure_area(TABLE, "injection", rows, command="python -m x --area injection")

    lines = out.split("\n")
    assert "| injection | recall (rules only) | planted_heldout | 30 | 23/30 = 0.767 | ≥ 0.95 |" in lines
    assert not any("16/30" in line or "notinject_benign" in line for line in lines)
    assert "| injection | text that instructs the model | block | block |" in lines  # outside the block: kept
    table = lines[lines.index("<!-- measured:start -->"):]
    body = [line for line in table if line.startswith("| ") and not line.startswith("| area")]
    assert [b.split(" | ")[0] for b in body] == ["| toxicity", "| injection", "| style (Vale rules)"]
    stamp = lines.index(next(line for line in lines if line.startswith("Measured ")))  # the block's first line
    assert lines[stamp + 1].startswith("Rows `injection` re-measured ")
    assert lines[stamp + 1].endswith("with `python -m x --area injection`.")


def test_a_second_re_measurement_replaces_the_area_s_stamp_instead_of_adding_one() -> None:
    rows = [Row("injection", "recall (rules only)", "planted_heldout", 30, "23/30 = 0.767")]

    twice = remeasure_area(remeasure_area(TABLE, "injection", rows, command="c"), "injection", rows, command="c")

    assert twice.count("Rows `injection` re-measured") == 1


def test_an_area_missing_from_the_table_is_an_error_not_a_silent_append() -> None:
    with pytest.raises(ValueError, match="claims"):
        remeasure_area(TABLE, "claims", [], command="c")


def test_a_file_without_a_measured_block_is_an_error() -> None:
    with pytest.raises(ValueError, match="measured block"):
        remeasure_area("| injection | a | b |", "injection", [], command="c")
