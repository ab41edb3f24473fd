"""A brand's guardrail policy, from ``brand_kb/<brand>/policy.yaml``.

Schema (every key optional; defaults below)::

    checks:                      # which checks run, and how their findings are treated
      <check name>:              # banned_terms | toxicity | claims | style | injection | quality
        enabled: true
        severity: block          # block | warn: forces every finding of the check to this severity;
                                 # unset (the default) keeps each rule's own severity
        action: block            # block | warn | auto_fix | reask
        threshold: 0.5           # checks that score (toxicity; quality: least key-message similarity)
        options: {}              # passed to the check's constructor
    reask_max_attempts: 2        # bounded re-asks of the LLM with the reasons
    cut_after_reask: true        # then cut the sentences that still carry a blocked wording, if the rest passes
    validators:                  # extra guardrails-ai validators, by configuration
      - class: "package.module:ValidatorClass"
        kwargs: {}
        severity: warn

Actions: ``block`` stops the draft at the gate; ``warn`` shows it to the reviewer, who may override it
with a reason; ``auto_fix`` applies the finding's suggested replacement and checks again; ``reask``
asks the LLM again with the reasons (at most ``reask_max_attempts`` times), then, with
``cut_after_reask``, cuts the body sentences and headline parts that still carry a blocked wording when
what remains passes every check (:mod:`app.pipeline.wording_cuts`), and otherwise blocks.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml

from app.errors import InvalidInput

Action = Literal["block", "warn", "auto_fix", "reask"]
KNOWN_CHECKS = ("banned_terms", "toxicity", "claims", "style", "injection", "quality")
_ACTIONS = {"block", "warn", "auto_fix", "reask"}
_DEFAULTS: dict[str, dict[str, Any]] = {
    # No severities here: each rule's own severity stands (a missing disclaimer warns, an unsupported
    # claim blocks) unless a brand's policy.yaml forces one for a whole check.
    "banned_terms": {"action": "auto_fix"},
    "toxicity": {"action": "reask"},
    "claims": {"action": "reask"},
    "style": {"action": "auto_fix"},
    "injection": {"action": "block"},
    # Placeholders, meta-text, loops and stubs cannot be fixed by substitution, and a re-ask of the model that
    # wrote them rarely helps: the draft stops at the gate (app/guardrails/quality/check.py).
    "quality": {"action": "block"},
}


@dataclass(frozen=True)
class CheckPolicy:
    name: str
    enabled: bool = True
    severity: str | None = None
    action: Action = "block"
    threshold: float | None = None
    options: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ValidatorSpec:
    class_path: str
    kwargs: dict[str, Any] = field(default_factory=dict)
    severity: str = "warn"


@dataclass(frozen=True)
class Policy:
    checks: dict[str, CheckPolicy]
    reask_max_attempts: int = 2
    validators: tuple[ValidatorSpec, ...] = ()
    cut_after_reask: bool = True

    def enabled(self) -> list[CheckPolicy]:
        return [c for c in self.checks.values() if c.enabled]

    def action_for(self, check: str) -> Action:
        policy = self.checks.get(check)
        return policy.action if policy else "block"


def load_policy(brand_folder: Path) -> Policy:
    """The folder's policy.yaml merged over the defaults; raises InvalidInput naming a bad key."""
    path = brand_folder / "policy.yaml"
    data: dict[str, Any] = {}
    if path.exists():
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as exc:
            raise InvalidInput(f"{path}: not valid YAML: {exc}") from exc
    configured = data.get("checks", {}) or {}
    unknown = sorted(set(configured) - set(KNOWN_CHECKS))
    if unknown:
        raise InvalidInput(f"{path}: unknown checks {unknown}; known: {list(KNOWN_CHECKS)}")
    checks = {name: _check_policy(name, {**_DEFAULTS[name], **(configured.get(name) or {})}, path)
              for name in KNOWN_CHECKS}
    validators = tuple(
        ValidatorSpec(class_path=str(v["class"]), kwargs=dict(v.get("kwargs", {}) or {}),
                      severity=str(v.get("severity", "warn")))
        for v in data.get("validators", []) or []
    )
    return Policy(checks=checks, reask_max_attempts=int(data.get("reask_max_attempts", 2)), validators=validators,
                  cut_after_reask=bool(data.get("cut_after_reask", True)))


def _check_policy(name: str, raw: dict[str, Any], path: Path) -> CheckPolicy:
    action = str(raw.get("action", "block"))
    if action not in _ACTIONS:
        raise InvalidInput(f"{path}: checks.{name}.action must be one of {sorted(_ACTIONS)}, not {action!r}")
    severity = raw.get("severity")
    if severity not in (None, "block", "warn"):
        raise InvalidInput(f"{path}: checks.{name}.severity must be block or warn, not {severity!r}")
    threshold = raw.get("threshold")
    return CheckPolicy(
        name=name, enabled=bool(raw.get("enabled", True)), severity=severity,
        action=action,  # type: ignore[arg-type]
        threshold=float(threshold) if threshold is not None else None,
        options=dict(raw.get("options", {}) or {}),
    )
