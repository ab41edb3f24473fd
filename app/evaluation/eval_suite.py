"""Eval suites: ``evals/suites/<suite>.yaml``, a brand's briefs with expectations and regression limits.

Format::

    name: core                      # the suite's name (defaults to the file name)
    brand: fernhill                 # every case's brief is for this brand
    description: ...
    thresholds:                     # largest allowed change of a metric, candidate minus baseline
      guardrail_pass_rate: -0.05    # a higher-is-better metric may drop by at most 0.05
      latency_ms: 2000              # a lower-is-better metric may rise by at most 2000
    cases:
      - id: qh-evening-linkedin     # unique in the suite: [a-z0-9-_]
        tags: [adversarial]
        brief: {product: quiet-hours, channels: [linkedin], audience: ..., goal: ..., key_message: ...}
        expect:
          must_mention: [Quiet Hours]          # each must appear (case-insensitive)
          must_not_mention: [sleep, detox]     # none may appear (whole words, case-insensitive)
          max_length: 900                      # characters of headline + body + CTA
          claims_must_stay_supported: true     # every extracted claim grounded, claims check passing
          tone: [no exclamation marks]         # see TONES
        note: why the case exists

A brief holds the :class:`~app.schemas.BriefCreate` fields except ``brand``. Loading validates every
brief, tone and threshold; a mistake raises InvalidInput naming the case and the field, before any
model is called. :func:`append_case` adds a case at the end of the file, keeping its comments.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from app.errors import InvalidInput
from app.evaluation.scorers import TONES, metric_direction
from app.file_locks import exclusive, write_atomically
from app.schemas import NAME_PATTERN, BriefCreate

_CASE_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,127}$")
_SUITE_NAME = re.compile(NAME_PATTERN)


class Expectations(BaseModel):
    model_config = ConfigDict(extra="forbid")

    must_mention: list[str] = Field(default_factory=list)
    must_not_mention: list[str] = Field(default_factory=list)
    max_length: int | None = Field(default=None, gt=0)
    claims_must_stay_supported: bool = False
    tone: list[str] = Field(default_factory=list)

    @field_validator("must_mention", "must_not_mention", mode="before")
    @classmethod
    def _phrases(cls, value: Any) -> Any:
        # YAML reads `[35]` as a number; a phrase to look for is text either way.
        return [str(v) for v in value] if isinstance(value, list) else value

    @field_validator("tone", mode="before")
    @classmethod
    def _tone_list(cls, value: Any) -> Any:
        return [value] if isinstance(value, str) else value

    @field_validator("tone")
    @classmethod
    def _known_tones(cls, value: list[str]) -> list[str]:
        unknown = [t for t in value if t.strip().lower() not in TONES]
        if unknown:
            raise ValueError(f"unknown tone checks {unknown}; known: {sorted(TONES)}")
        return [t.strip().lower() for t in value]


class EvalCase(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str
    brief: dict[str, Any]
    expect: Expectations = Field(default_factory=Expectations)
    tags: list[str] = Field(default_factory=list)
    note: str = ""

    @field_validator("id")
    @classmethod
    def _slug(cls, value: str) -> str:
        if not _CASE_ID.match(value):
            raise ValueError(f"case id {value!r} must be lower-case letters, digits, '-' or '_'")
        return value

    def brief_for(self, brand: str, language: str | None = None) -> BriefCreate:
        """The case's brief for ``brand``, in the case's language, else ``language`` (the suite's)."""
        return BriefCreate.model_validate({"language": language, **self.brief, "brand": brand})


class EvalSuite(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str
    brand: str
    # The language of its briefs ("de": German briefs, run on the German prompts, see runs.localised_ref);
    # None: the brand's default language.
    language: str | None = None
    description: str = ""
    thresholds: dict[str, float] = Field(default_factory=dict)
    cases: list[EvalCase] = Field(min_length=1)

    @field_validator("thresholds")
    @classmethod
    def _known_metrics(cls, value: dict[str, float]) -> dict[str, float]:
        for metric in value:
            metric_direction(metric)  # raises ValueError naming the known metrics
        return value

    @model_validator(mode="after")
    def _valid_cases(self) -> EvalSuite:
        seen: set[str] = set()
        for case in self.cases:
            if case.id in seen:
                raise ValueError(f"case id {case.id!r} appears twice")
            seen.add(case.id)
            if "brand" in case.brief and case.brief["brand"] != self.brand:
                raise ValueError(f"case {case.id}: brief brand {case.brief['brand']!r} is not {self.brand!r}")
            try:
                case.brief_for(self.brand)
            except ValidationError as exc:
                raise ValueError(f"case {case.id}: invalid brief: {exc}") from exc
        return self

    def case(self, case_id: str) -> EvalCase:
        for case in self.cases:
            if case.id == case_id:
                return case
        raise InvalidInput(f"suite {self.name} has no case {case_id!r}")


def suite_names(suites_dir: Path) -> list[str]:
    """The suites of a folder: the ``*.yaml`` stems that are valid names (what people pick from)."""
    stems = (p.stem for p in suites_dir.glob("*.yaml")) if suites_dir.is_dir() else ()
    return sorted(s for s in stems if _SUITE_NAME.match(s))


def named_suite(suites_dir: Path, name: str) -> Path:
    """The file of suite ``name`` in ``suites_dir``; InvalidInput naming the suites when there is none.

    For callers over the network: ``name`` is matched against the folder's listing, never used as a
    path, and the error names suites, not the server's folders.
    """
    suites = suite_names(suites_dir)
    if name not in suites:
        raise InvalidInput(f"no eval suite named {name!r}; suites: {', '.join(suites) or 'none'}")
    return suites_dir / f"{name}.yaml"


def suite_path(suite: str, suites_dir: Path) -> Path:
    """``suite`` as a file path, or as a name under ``suites_dir``."""
    given = Path(suite)
    if given.suffix in {".yaml", ".yml"} or given.exists():
        return given
    return suites_dir / f"{suite}.yaml"


def load_suite(path: Path) -> EvalSuite:
    if not path.exists():
        known = sorted(p.stem for p in path.parent.glob("*.yaml")) if path.parent.is_dir() else []
        raise InvalidInput(f"no eval suite at {path}; suites there: {known}")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise InvalidInput(f"{path}: not valid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise InvalidInput(f"{path}: a suite is a mapping with name, brand, thresholds and cases")
    data.setdefault("name", path.stem)
    try:
        return EvalSuite.model_validate(data)
    except ValidationError as exc:
        raise InvalidInput(f"{path}: {exc}") from exc


def append_case(path: Path, case: EvalCase) -> EvalSuite:
    """Add ``case`` to the suite file and return the suite as reloaded (validated) from disk.

    When ``cases:`` is the file's last top-level key the case is appended as text, so comments and
    formatting stay; otherwise the file is rewritten from its data. Appends to one file are serialised
    (:func:`app.file_locks.exclusive`), so two reviewers adding cases at once both land.
    """
    with exclusive(path):
        return _append_case(path, case)


def _append_case(path: Path, case: EvalCase) -> EvalSuite:
    suite = load_suite(path)
    if any(c.id == case.id for c in suite.cases):
        raise InvalidInput(f"suite {suite.name} already has a case {case.id!r}")
    try:  # validate before touching the file: a bad case must not break the suite
        EvalSuite.model_validate({**suite.model_dump(), "cases": [*suite.model_dump()["cases"], case.model_dump()]})
    except ValidationError as exc:
        raise InvalidInput(f"case {case.id} cannot join suite {suite.name}: {exc}") from exc
    text = path.read_text(encoding="utf-8")
    item = case.model_dump(exclude_defaults=True)
    indent = _cases_indent(text)
    if indent is None:
        data = yaml.safe_load(text)
        data["cases"].append(item)
        write_atomically(path, yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=110))
    else:
        block = yaml.safe_dump([item], sort_keys=False, allow_unicode=True, width=110)
        lines = [(" " * indent + line) if line else line for line in block.splitlines()]
        write_atomically(path, text.rstrip("\n") + "\n" + "\n".join(lines) + "\n")
    try:
        return load_suite(path)
    except InvalidInput:
        write_atomically(path, text)  # the appended text did not parse as intended: undo it
        raise


def _cases_indent(text: str) -> int | None:
    """Indentation of the items under ``cases:`` when it is the last top-level key, else None."""
    top_level = [line for line in text.splitlines() if line and not line[0].isspace() and line[0] not in "#-"]
    if not top_level or not top_level[-1].startswith("cases:") or top_level[-1].strip() != "cases:":
        return None
    after = text.split("\ncases:", 1)[-1]
    for line in after.splitlines():
        stripped = line.lstrip(" ")
        if stripped.startswith("- "):
            return len(line) - len(stripped)
    return 2
