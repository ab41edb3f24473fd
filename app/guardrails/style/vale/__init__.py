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
from app.guardrails.style.vale.loading import (
    LEVELS,
    Document,
    RuleSet,
    UnsupportedRule,
    ValeRule,
    builtin_rules,
    load_rule,
    load_rules,
)
from app.guardrails.style.vale.shared import Finder, Hit

__all__ = ["LEVELS", "Block", "Document", "Finder", "Hit", "RuleSet", "UnsupportedRule", "ValeCheck", "ValeRule",
           "alert_results", "builtin_rules", "document_blocks", "load_rule", "load_rules", "post_blocks", "prose_view",
           "vale_results"]


class ValeCheck:
    """Runs Vale rules on factory copy (``headline\nbody\ncta``); one failed result per alert."""

    def __init__(self, rules: Iterable[ValeRule], name: str = "vale") -> None:
        self.rules = list(rules)
        self.name = name

    def run(self, text: str, ctx: CheckContext) -> list[CheckResult]:
        return vale_results(self.rules, text, self.name)


def vale_results(rules: Iterable[ValeRule], text: str, check: str) -> list[CheckResult]:
    """Every rule's alerts on factory copy as failed results; the text is split into blocks once."""
    doc = Document.of(text, post_blocks(text))
    return [result for rule in rules for result in _results(rule, doc, check)]


def alert_results(rule: ValeRule, text: str, check: str) -> list[CheckResult]:
    """One rule's alerts on factory copy as failed results."""
    return _results(rule, Document.of(text, post_blocks(text)), check)


def _results(rule: ValeRule, doc: Document, check: str) -> list[CheckResult]:
    return [
        CheckResult(check=check, rule=f"vale:{rule.name}", passed=False, severity=rule.severity,
                    spans=((start, end),), reason=message, evidence=doc.text[start:end], suggestion=fix)
        for start, end, message, fix in rule.find_in(doc)
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
