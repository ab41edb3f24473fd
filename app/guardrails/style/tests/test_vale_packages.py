"""Third-party Vale packages (write-good, proselint, Joblint) run on their own fixtures.

Each scenario of a package's ``features/rules.feature`` names a fixture folder and the exact alerts Vale
gives on it (file, line, rule). The rules are loaded from the package's YAML as a brand would list them,
the fixture files are linted, and the findings must be exactly the expected ones. Scenarios this loader
does not reproduce are marked xfail with the reason, so the count stays honest; the per-package match
rate is :func:`app.evaluation.style_metrics.vale_fixture_metrics` (``factory`` guardrail report).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from app.evaluation.style_metrics import DEFAULT_DATASETS, expected_outputs, scenario_findings

PACKAGES = DEFAULT_DATASETS / "style_rules"
# (package, fixture) -> why this loader's output differs from the feature file.
KNOWN_DIFFERENCES = {
    ("write-good", "Weasel"): "the feature file expects no alert for 'fairly' in 'a number of fairly new "
                              "features', but 'fairly' is one of Weasel.yml's tokens; we report it",
}


def _scenarios() -> list[object]:
    if not PACKAGES.is_dir():
        return []
    params: list[object] = []
    for package in sorted(p for p in PACKAGES.iterdir() if (p / "features" / "rules.feature").is_file()):
        for fixture, _ in expected_outputs(package / "features" / "rules.feature"):
            why = KNOWN_DIFFERENCES.get((package.name, fixture))
            marks = [pytest.mark.xfail(reason=why, strict=True)] if why else []
            params.append(pytest.param(package, fixture, marks=marks, id=f"{package.name}-{fixture}"))
    return params


@pytest.mark.skipif(not PACKAGES.is_dir(), reason=f"shared Vale packages not found at {PACKAGES}")
@pytest.mark.parametrize(("package", "fixture"), _scenarios())
def test_vale_package_reproduces_its_own_fixture(package: Path, fixture: str) -> None:
    expected, found, rules = scenario_findings(package, fixture)
    assert rules.rules, f"no rules loaded for {package.name}/{fixture}"
    assert not rules.skipped, rules.skipped
    assert Counter(found) == Counter(expected), {"missed": sorted((Counter(expected) - Counter(found)).elements()),
                                                 "extra": sorted((Counter(found) - Counter(expected)).elements())}
