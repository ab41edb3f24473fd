"""Vale's regular expressions (Go's regexp2 syntax) compiled for Python.

:func:`compile_vale` checks the pattern with Python's :mod:`re` first and, when the :mod:`regex` module is
installed, compiles what ``re`` accepts with ``regex`` in its re-compatible version 0 (same meaning, much
faster on long alternations). What ``re`` refuses (``\\p{L}`` classes, ``(?<name>...)``
groups, inline flags such as ``(?i)`` in the middle of a pattern, which Go scopes from that point on) is
compiled with the third-party :mod:`regex` module in its version-1 mode (scoped inline flags, as Go) when
that module is installed; it comes with ``transformers``, which the factory already depends on. Without it,
a ``(?i)`` anywhere makes the whole pattern case-insensitive (the old approximation). A pattern neither
can compile raises :class:`UnsupportedPattern` with Python's message: the loader reports the rule, it is
never dropped silently.

Word boundaries and ``\\w`` are Unicode in both engines, so "Über" is one word, not "ber".
"""

from __future__ import annotations

import re
from typing import Any, cast

try:  # optional: richer syntax when installed
    import regex as _regex
except ImportError:  # pragma: no cover - depends on the environment
    _regex = None

Pattern = re.Pattern[str]  # regex.Pattern has the same methods the rules use (finditer, search, fullmatch)


class UnsupportedPattern(ValueError):
    """Raised by :func:`compile_vale` when no available engine compiles the pattern; says why."""


def compile_vale(pattern: str, ignorecase: bool = False, multiline: bool = True) -> Pattern:
    """``pattern`` compiled with Vale's flags (``(?m)`` always, ``(?i)`` with ``ignorecase``)."""
    flags = (re.MULTILINE if multiline else 0) | (re.IGNORECASE if ignorecase else 0)
    try:
        compiled = re.compile(pattern, flags)
    except re.error as first:
        if _regex is not None:
            try:
                extended = _regex.compile(pattern, flags | _regex.VERSION1)
                return cast(Pattern, extended)
            except _regex.error as exc:
                raise UnsupportedPattern(f"regex neither re nor regex can compile: {pattern!r}: {exc}") from exc
        hoisted = _hoist_case_flag(pattern)
        if hoisted != pattern:
            try:
                return re.compile(hoisted, flags | re.IGNORECASE)
            except re.error:
                pass
        raise UnsupportedPattern(f"regex Python's re cannot compile ({first}) and the regex module is not "
                                 f"installed: {pattern!r}") from first
    if _regex is None:
        return compiled
    # Same syntax and meaning as re (version 0), and about 15 times faster on the long alternations of
    # word-list rules (proselint.Needless, 350 swap keys, 1,500 words: 457 ms with re, 30 ms with regex).
    try:
        return cast(Pattern, _regex.compile(pattern, flags))
    except _regex.error:  # pragma: no cover - regex's version 0 accepts what re accepts
        return compiled


def regex_available() -> bool:
    """Whether the :mod:`regex` fallback is installed."""
    return _regex is not None


def _hoist_case_flag(pattern: str) -> str:
    return pattern.replace("(?i)", "")


_PATTERN_SIGNS = frozenset("()[]{}?*+\\^$|")


def is_literal(value: str) -> bool:
    """Text meant for the copy ("email", "MPL 2.0", "e.g."), not a pattern: no regex syntax but dots."""
    return bool(value) and not any(ch in _PATTERN_SIGNS for ch in value)


def is_literal_alternatives(value: str) -> bool:
    """``"a|b"``: alternatives that are each literal text: a swap value offering several replacements."""
    return all(is_literal(part) for part in value.split("|"))


def without_captures(pattern: str) -> str:
    """Capture groups made non-capturing, as Vale does for swap keys (their groups index the replacement)."""
    return re.sub(r"(?<!\\)\((?!\?)", "(?:", pattern)


def matches_whole(pattern: str, observed: str, ignorecase: bool) -> bool:
    """Vale's ``matchToken``: ``observed`` already is what the swap value asks for.

    Literal text (or ``a|b`` of literals) compares exactly, so case counts: "Mutual TLS" is not "mutual
    TLS", "mpl 2.0" is not "MPL 2.0" (Vale issue #873). A value with regex syntax must match the whole
    observed text, case-insensitively under ``ignorecase``: the maintainer's reading in Vale issue #264
    (a rule with ``ignorecase: true`` and the value ``(?:group|team) members?`` accepts "Team Members").
    """
    if is_literal_alternatives(pattern):
        return observed in pattern.split("|")
    try:
        compiled: Any = compile_vale(f"(?:{pattern})", ignorecase=ignorecase, multiline=False)
    except UnsupportedPattern:
        return pattern == observed
    return compiled.fullmatch(observed) is not None
