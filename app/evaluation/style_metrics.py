"""Style measurements on third-party data: the Vale rule loader against the packages' own fixtures.

:func:`vale_fixture_metrics` reads each package under ``<datasets>/style_rules/`` (write-good,
proselint, Joblint): its ``features/rules.feature`` scenarios (``When I test "<fixture>"`` and the exact
expected output lines ``file:line:column:Package.Rule:message``) and, per fixture folder, its
``.vale.ini`` (``StylesPath``, ``MinAlertLevel``, ``Vocab``, ``[glob]`` sections with ``BasedOnStyles``
and ``Package.Rule = YES/NO/<level>``; Vale's built-in style ``Vale`` when named), exactly as Vale would.
It lints each matching file with :mod:`app.guardrails.style.vale` (code blanked by ``prose_view``) and
compares findings by (file, line, rule), counting duplicates:

``{package: {"expected", "reproduced", "extra", "missed": [...], "extras": [...], "rules_loaded",
"skipped": [{"rule", "why"}]}}`` (skipped: rules reported at load). Columns are not compared. Nothing is
special-cased per fixture; :func:`scenario_findings` gives one scenario for a test.
"""

from __future__ import annotations

import re
from collections import Counter
from fnmatch import fnmatch
from pathlib import Path
from typing import Any

from app.guardrails.style.vale import RuleSet, ValeRule, builtin_rules, load_rules, prose_view

DEFAULT_DATASETS = Path(__file__).resolve().parents[2].parent / "shared" / "datasets"

Finding = tuple[str, int, str]  # file name, line, Package.Rule
_SCENARIO = re.compile(
    r'When I test "(?P<fixture>[^"]+)"\s+Then the output should contain exactly:\s+"""(?P<out>.*?)"""',
    re.DOTALL,
)


def vale_fixture_metrics(datasets_dir: Path = DEFAULT_DATASETS) -> dict[str, dict[str, Any]]:
    """Per Vale package: expected findings, how many the loader reproduces, and how many extra it reports."""
    root = datasets_dir / "style_rules"
    packages = sorted(p for p in root.iterdir() if (p / "features" / "rules.feature").is_file())
    if not packages:
        raise FileNotFoundError(f"no Vale packages with features/rules.feature under {root}")
    return {package.name: package_metrics(package) for package in packages}


def package_metrics(package: Path) -> dict[str, Any]:
    expected: Counter[Finding] = Counter()
    found: Counter[Finding] = Counter()
    loaded: dict[str, ValeRule] = {}
    skipped: dict[str, str] = {}
    for fixture, output in expected_outputs(package / "features" / "rules.feature"):
        expected.update(output)
        rules = _fixture_rules(package / "fixtures" / fixture)
        loaded.update({r.name: r for r in rules.rules})
        skipped.update({s["rule"]: s["why"] for s in rules.skipped})
        found.update(lint_fixture(package / "fixtures" / fixture, rules.rules))
    reproduced = expected & found
    return {
        "expected": sum(expected.values()), "reproduced": sum(reproduced.values()),
        "extra": sum((found - expected).values()),
        "missed": [_shown(f) for f in sorted((expected - found).elements())],
        "extras": [_shown(f) for f in sorted((found - expected).elements())],
        "rules_loaded": len(loaded), "skipped": [{"rule": k, "why": v} for k, v in sorted(skipped.items())],
    }


def scenario_findings(package: Path, fixture: str) -> tuple[list[Finding], list[Finding], RuleSet]:
    """One scenario of ``package``'s feature file: (expected findings, findings here, the rules loaded)."""
    expected = dict(expected_outputs(package / "features" / "rules.feature"))[fixture]
    rules = _fixture_rules(package / "fixtures" / fixture)
    return expected, lint_fixture(package / "fixtures" / fixture, rules.rules), rules


def expected_outputs(feature: Path) -> list[tuple[str, list[Finding]]]:
    """``(fixture folder, expected findings)`` per scenario of a Vale ``rules.feature``."""
    scenarios = []
    for m in _SCENARIO.finditer(feature.read_text(encoding="utf-8")):
        findings = []
        for line in m.group("out").strip().splitlines():
            parts = line.strip().split(":", 4)
            if len(parts) == 5:
                findings.append((parts[0], int(parts[1]), parts[3]))
        scenarios.append((m.group("fixture"), findings))
    return scenarios


_LEVELS = {"suggestion": 0, "warning": 1, "error": 2}


def lint_fixture(folder: Path, rules: list[ValeRule]) -> list[Finding]:
    """Findings of ``rules`` on the files of ``folder`` that its ``.vale.ini`` sections select, at or above
    its ``MinAlertLevel`` (Vale's default: warning); ``Package.Rule = <level>`` overrides a rule's level."""
    settings, sections = read_vale_ini(config_file(folder))
    least = _LEVELS.get(settings.get("minalertlevel", "warning"), 1)
    findings: list[Finding] = []
    config = config_file(folder).name
    for file in sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith(".") and p.name != config):
        chosen = _rules_for(file.name, sections)
        text = prose_view(file.read_text(encoding="utf-8"), file.suffix.lstrip("."))
        for rule in rules:
            setting = chosen.get(rule.name, chosen.get(rule.name.split(".")[0]))
            if setting is None or setting == "NO":
                continue
            if _LEVELS.get(setting if setting in _LEVELS else rule.level, 0) < least:
                continue
            lines = [text.count("\n", 0, start) + 1 for start, *_ in rule.find(text)]
            findings += [(file.name, line, rule.name) for line in lines]
    return findings


def _fixture_rules(folder: Path) -> RuleSet:
    """The rules of every style the fixture's ``.vale.ini`` names, from its ``StylesPath``, with the
    ``Vocab`` it names (``<StylesPath>/config/vocabularies/<name>/accept.txt``) as accepted words."""
    settings, sections = read_vale_ini(config_file(folder))
    styles_path = (folder / settings.get("stylespath", ".")).resolve()
    styles = {name.split(".")[0] for names in sections.values() for name in names}
    vocabularies = [styles_path / "config" / "vocabularies" / v.strip()
                    for v in settings.get("vocab", "").split(",") if v.strip()]
    accepted = [word for folder in vocabularies for word in _word_list(folder / "accept.txt")]
    rejected = [word for folder in vocabularies for word in _word_list(folder / "reject.txt")]
    rules = load_rules([styles_path / style for style in sorted(styles) if (styles_path / style).is_dir()],
                       accepted=accepted)
    if "Vale" in styles:
        rules.rules += builtin_rules(accepted, rejected)
    return rules


def config_file(folder: Path) -> Path:
    """The fixture's Vale configuration: ``.vale.ini``, or the other names Vale reads (``_vale.ini``,
    ``.vale``, ``_vale``)."""
    names = (".vale.ini", "_vale.ini", ".vale", "_vale")
    return next((folder / n for n in names if (folder / n).is_file()), folder / names[0])


def _word_list(path: Path) -> list[str]:
    if not path.is_file():
        return []
    lines = (line.strip() for line in path.read_text(encoding="utf-8").splitlines())
    return [line for line in lines if line and not line.startswith("# ")]


def read_vale_ini(path: Path) -> tuple[dict[str, str], dict[str, dict[str, str]]]:
    """Global settings and, per file glob, the styles and rules it sets: ``{name: "YES"|"NO"|level}``."""
    settings: dict[str, str] = {}
    sections: dict[str, dict[str, str]] = {}
    current: dict[str, str] | None = None
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip() if not raw.lstrip().startswith("[") else raw.strip()
        if line.startswith("[") and line.endswith("]"):
            current = sections.setdefault(line[1:-1], {})
        elif "=" in line:
            key, value = (part.strip() for part in line.split("=", 1))
            if current is None:
                settings[key.lower()] = value
            elif key.lower() == "basedonstyles":
                current.update({s.strip(): "YES" for s in value.split(",") if s.strip()})
            elif "." in key:
                current[key] = value if value in _LEVELS else value.upper()
    return settings, sections


def _rules_for(file_name: str, sections: dict[str, dict[str, str]]) -> dict[str, str]:
    chosen: dict[str, str] = {}
    for glob, names in sections.items():
        if any(fnmatch(file_name, g) for g in _expand(glob)):
            chosen.update(names)
    return chosen


def _expand(glob: str) -> list[str]:
    """``*.{md,rst}`` -> ``["*.md", "*.rst"]`` (Vale's brace syntax; fnmatch has none)."""
    m = re.search(r"\{([^{}]*)\}", glob)
    if m is None:
        return [glob]
    options = m.group(1).split(",")
    return [g for option in options for g in _expand(glob[:m.start()] + option + glob[m.end():])]


def _shown(finding: Finding) -> str:
    return f"{finding[0]}:{finding[1]}:{finding[2]}"
