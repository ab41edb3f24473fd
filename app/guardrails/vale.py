"""Where the Vale rule loader used to live; it is now :mod:`app.guardrails.style.vale` (kept for imports)."""

from app.guardrails.style.vale import (
    LEVELS,
    RuleSet,
    UnsupportedRule,
    ValeCheck,
    ValeRule,
    alert_results,
    load_rule,
    load_rules,
    prose_view,
)

__all__ = ["LEVELS", "RuleSet", "UnsupportedRule", "ValeCheck", "ValeRule", "alert_results", "load_rule",
           "load_rules", "prose_view"]
