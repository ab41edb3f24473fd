"""The checks as guardrails-ai validators, run through one ``Guard`` per brand.

Each factory check is wrapped in a :class:`CheckValidator`; a brand may add any guardrails-ai
validator by configuration (``validators:`` in its policy.yaml). Validators run with
``on_fail=noop`` so that every check runs; what a failure means (block, warn, fix, re-ask) is the
policy's decision, not the validator's.

Telemetry: guardrails-ai sends usage metrics and traces to a remote host by default. The factory
turns both off before any Guard or validator is built (:func:`disable_telemetry`); no brand text
leaves the machine.
"""

from __future__ import annotations

import importlib
import os
from typing import Any

from app.guardrails.base import Check, CheckContext, CheckResult, Severity, passed
from app.guardrails.policy import ValidatorSpec

_TELEMETRY_OFF = False


def disable_telemetry() -> None:
    """Switch off guardrails-ai's hub metrics and OpenTelemetry tracing for this process, and run its
    validators in turn on the calling thread."""
    global _TELEMETRY_OFF
    if _TELEMETRY_OFF:
        return
    from guardrails.settings import settings

    # The checks are CPU-bound Python: guardrails-ai's default async service hands each one to a thread
    # and waits on an event loop, which measured 19.6 ms per 150-word draft against 11 ms run in turn.
    os.environ.setdefault("GUARDRAILS_RUN_SYNC", "true")
    settings.rc.enable_metrics = False
    settings.disable_tracing = True
    _TELEMETRY_OFF = True


def build_guard(checks: list[Check], extra: tuple[ValidatorSpec, ...] = ()) -> Any:
    """A Guard running ``checks`` (as CheckValidators) and the configured extra validators."""
    disable_telemetry()
    from guardrails import Guard, OnFailAction

    validators = [_validator_class()(check=c, on_fail=OnFailAction.NOOP) for c in checks]
    for spec in extra:
        validators.append(_load(spec.class_path)(**spec.kwargs, on_fail=OnFailAction.NOOP))
    guard = Guard(name="content-factory").use(*validators)
    guard.configure(allow_metrics_collection=False)
    return guard


def run_guard(guard: Any, text: str, ctx: CheckContext, extra: tuple[ValidatorSpec, ...] = ()) -> list[CheckResult]:
    """Every finding of every validator in ``guard`` on ``text``."""
    sink: list[CheckResult] = []
    outcome = guard.validate(text, metadata={"factory_ctx": ctx, "factory_sink": sink})
    severities = {spec.class_path.rsplit(":", 1)[-1]: spec.severity for spec in extra}
    for summary in outcome.validation_summaries or []:
        name = str(summary.validator_name)
        if name in severities:
            sink.extend(_external_results(summary, severities[name]))
    return sink


_VALIDATOR_CLASS: Any = None


def _validator_class() -> Any:
    """CheckValidator, defined on first use so that importing this module loads no guardrails code."""
    global _VALIDATOR_CLASS
    if _VALIDATOR_CLASS is not None:
        return _VALIDATOR_CLASS
    from guardrails.classes.validation.validation_result import ErrorSpan, FailResult, PassResult
    from guardrails.validator_base import Validator, register_validator

    @register_validator(name="content-factory/check", data_type="string")
    class CheckValidator(Validator):  # type: ignore[misc]
        """Runs one factory check; its full results go to the caller through ``metadata``."""

        def __init__(self, check: Check, on_fail: Any = None, **kwargs: Any) -> None:
            super().__init__(on_fail=on_fail, **kwargs)
            self.check = check

        def _validate(self, value: Any, metadata: dict[str, Any]) -> Any:
            results = self.check.run(str(value), metadata["factory_ctx"]) or [passed(self.check.name)]
            metadata["factory_sink"].extend(results)
            failed = [r for r in results if not r.passed]
            if not failed:
                return PassResult()
            spans = [ErrorSpan(start=s, end=e, reason=r.reason) for r in failed for s, e in r.spans]
            return FailResult(error_message="; ".join(r.reason for r in failed), error_spans=spans or None)

    _VALIDATOR_CLASS = CheckValidator
    return CheckValidator


def _load(class_path: str) -> Any:
    module, _, name = class_path.partition(":")
    return getattr(importlib.import_module(module), name)


def _external_results(summary: Any, severity: str) -> list[CheckResult]:
    if str(summary.validator_status) != "fail":
        return [passed(str(summary.validator_name))]
    spans = tuple((int(s.start), int(s.end)) for s in (summary.error_spans or []))
    return [CheckResult(
        check=str(summary.validator_name), rule=f"validator:{summary.validator_name}", passed=False,
        severity=Severity(severity), spans=spans, reason=str(summary.failure_reason or "validator failed"),
    )]
