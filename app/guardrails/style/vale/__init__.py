"""Vale-style YAML rules as factory checks, so a brand reuses the style rules it already has.

:mod:`.loading` loads rule files (and reports, with file and reason, every rule it cannot run);
:mod:`.blocks` splits text into Vale's scoped blocks; the rule types live in :mod:`.tokens`,
:mod:`.counts`, :mod:`.pairs` and :mod:`.casing`. :class:`ValeCheck` runs a rule set as a check
(rule ``vale:<Package>.<Rule>``); :func:`prose_view` blanks code spans and fenced blocks of
Markdown/reStructuredText, keeping offsets, as Vale skips code.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from app.guardrails.base import CheckContext, CheckResult
from app.guardrails.style.vale.blocks import Block, document_blocks, post_blocks
from app.guardrails.style.vale.loading import LEVELS, RuleSet, UnsupportedRule, ValeRule, load_rule, load_rules
from app.guardrails.style.vale.shared import Finder, Hit

__all__ = ["LEVELS", "Block", "Finder", "Hit", "RuleSet", "UnsupportedRule", "ValeCheck", "ValeRule",
           "alert_results", "document_blocks", "load_rule", "load_rules", "post_blocks", "prose_view"]


class ValeCheck:
    """Runs Vale rules on factory copy (``headline\\nbody\\ncta``); one failed result per alert."""

    def __init__(self, rules: Iterable[ValeRule], name: str = "vale") -> None:
        self.rules = list(rules)
        self.name = name

    def run(self, text: str, ctx: CheckContext) -> list[CheckResult]:
        blocks = post_blocks(text)
        return [result for rule in self.rules for result in alert_results(rule, text, self.name, blocks)]


def alert_results(rule: ValeRule, text: str, check: str, blocks: list[Block] | None = None) -> list[CheckResult]:
    """``rule``'s alerts on ``text`` as failed results; ``blocks`` default to the post layout."""
    return [
        CheckResult(check=check, rule=f"vale:{rule.name}", passed=False, severity=rule.severity,
                    spans=((start, end),), reason=message, evidence=text[start:end], suggestion=fix)
        for start, end, message, fix in rule.find(text, post_blocks(text) if blocks is None else blocks)
    ]


def prose_view(text: str, markup: str = "txt") -> str:
    """``text`` with code blanked out (same length, same lines) for Markdown and reStructuredText."""
    if markup not in ("md", "markdown", "rst"):
        return text
    text = _FENCE.sub(lambda m: _blank(m.group(0)), text)
    return _CODE_SPAN.sub(lambda m: _blank(m.group(0)), text)


_FENCE = re.compile(r"^[ \t]*(```|~~~).*?^[ \t]*\1[^\n]*$", re.MULTILINE | re.DOTALL)
_CODE_SPAN = re.compile(r"(`+)(?!`).+?(?<!`)\1(?!`)")


def _blank(code: str) -> str:
    return re.sub(r"[^\n]", "*", code)
