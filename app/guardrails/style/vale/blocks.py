"""Text split into Vale's blocks, each with the scope Vale would give it, and Vale's scope matching.

Vale lints a document block by block; a rule runs only on blocks its ``scope`` selects (default ``text``).
A block's scope is a dotted list of sections; a rule scope such as ``heading`` or ``heading.h1`` selects
a block whose sections include all of its own, ``~heading`` excludes them, and ``a & b`` needs both
(Vale's ``internal/check/scope.go``; a negated scope never selects ``raw`` or ``summary``). Vale reports
an alert once per position and rule however many blocks hold it; :meth:`ValeRule.find` does the same.
What this module produces:

- a heading (Markdown ``#`` line; the first line of a factory post): ``text.heading.h<n>``, and the
  post's headline also ``title``, as a post's headline is its title;
- a list item (``-``, ``*``, ``+`` or ``1.``): ``text.list``; a block quote (``>``): ``text.blockquote``;
- prose (a paragraph; the body paragraphs and, on its own, the call to action of a post, its last line
  when it has three or more): one ``paragraph`` block, one
  ``sentence`` block per sentence and one ``text`` block, as Vale's ``lintProse`` does;
- the whole document once more as ``summary`` and as ``raw``.

Tables, figures and image ``alt`` text do not occur in factory copy, so rules scoped to them find no
block. Offsets are into the text given; every character is in a bounded number of blocks, so splitting is
linear in the text length.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from app.guardrails.sentences import split_sentences

_HEADING = re.compile(r"[ \t]{0,3}(#{1,6})[ \t]+(.*?)[ \t#]*$")
_LIST_ITEM = re.compile(r"[ \t]*(?:[-*+]|\d+[.)])[ \t]+(.*\S)")
_QUOTE = re.compile(r"[ \t]{0,3}>[ \t]?(.*\S)")
_SETEXT = re.compile(r"[ \t]*(=+|-+)[ \t]*$")


@dataclass(frozen=True)
class Block:
    """``text[start:end]`` seen as one Vale block of ``scope`` (dotted sections)."""

    scope: str
    start: int
    end: int


def document_blocks(text: str) -> list[Block]:
    """The blocks of a Markdown, reStructuredText or plain text document."""
    return [*_line_blocks(text, 0, len(text)), *_whole(text)]


def post_blocks(text: str) -> list[Block]:
    """The blocks of factory copy ``headline\\nbody\\ncta``: the headline is a heading and the title."""
    first = text.find("\n")
    head_end = len(text) if first < 0 else first
    blocks: list[Block] = []
    lead = len(text[:head_end]) - len(text[:head_end].lstrip())
    tail = len(text[:head_end].rstrip())
    if tail > lead:
        blocks.append(Block("text.heading.h1.title", lead, tail))
    last = text.rfind("\n")
    if first >= 0 and last > first:  # body, then the call to action as a paragraph of its own
        blocks += _line_blocks(text, first + 1, last)
        blocks += _prose(text, [(last + 1, len(text))] if text[last + 1:].strip() else [])
    elif first >= 0:
        blocks += _line_blocks(text, first + 1, len(text))
    return blocks + _whole(text)


def _whole(text: str) -> list[Block]:
    return [Block("summary", 0, len(text)), Block("raw", 0, len(text))] if text.strip() else []


def _line_blocks(text: str, start: int, end: int) -> list[Block]:
    blocks: list[Block] = []
    paragraph: list[tuple[int, int]] = []  # lines of the prose paragraph being read
    lines = list(_lines(text, start, end))
    underline = False  # the line is the ==== or ---- under a heading
    for index, (a, b) in enumerate(lines):
        line = text[a:b]
        special = None if underline else _special(line, a, lines[index + 1:index + 2], text)
        if special is None and line.strip() and not underline:
            paragraph.append((a, b))
            continue
        blocks += _prose(text, paragraph)
        paragraph = []
        underline = special is not None and special.scope.startswith("text.heading") and _underlined(
            lines[index + 1:index + 2], text)
        if special is not None:
            blocks.append(special)
    return blocks + _prose(text, paragraph)


def _underlined(following: list[tuple[int, int]], text: str) -> bool:
    return bool(following) and _SETEXT.match(text[slice(*following[0])]) is not None


def _lines(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    position = start
    while position <= end:
        newline = text.find("\n", position, end)
        stop = end if newline < 0 else newline
        yield position, stop
        if newline < 0:
            return
        position = newline + 1


def _special(line: str, offset: int, following: list[tuple[int, int]], text: str) -> Block | None:
    heading = _HEADING.match(line)
    if heading:
        return Block(f"text.heading.h{len(heading.group(1))}", offset + heading.start(2), offset + heading.end(2))
    if following and line.strip() and _SETEXT.match(text[slice(*following[0])]) and not _LIST_ITEM.match(line):
        level = 1 if text[slice(*following[0])].strip().startswith("=") else 2
        return Block(f"text.heading.h{level}", offset + len(line) - len(line.lstrip()), offset + len(line.rstrip()))
    item = _LIST_ITEM.match(line)
    if item:
        return Block("text.list", offset + item.start(1), offset + item.end(1))
    quote = _QUOTE.match(line)
    if quote:
        return Block("text.blockquote", offset + quote.start(1), offset + quote.end(1))
    return None


def _prose(text: str, lines: list[tuple[int, int]]) -> list[Block]:
    if not lines:
        return []
    start, end = lines[0][0], lines[-1][1]
    start += len(text[start:end]) - len(text[start:end].lstrip())
    end = start + len(text[start:end].rstrip())
    sentences = [Block("sentence", start + s, start + e) for s, e, _ in split_sentences(text[start:end])]
    return [Block("paragraph", start, end), *sentences, Block("text", start, end)]


def scope_matches(rule_scopes: tuple[str, ...], block_scope: str) -> bool:
    """Vale's ``Scope.Matches``: any of the rule's scopes selects the block."""
    sections = set(block_scope.split("."))
    return any(_selects(option, sections) for option in rule_scopes)


def _selects(option: str, sections: set[str]) -> bool:
    for part in option.split("&"):
        part = part.strip()
        negated = part.startswith("~")
        wanted = set(part.lstrip("~").split("."))
        if negated and (wanted <= sections or sections & {"raw", "summary"}):
            return False  # as Vale, a negated scope never selects the whole-document blocks
        if not negated and not wanted <= sections:
            return False
    return True


KNOWN_SCOPES = frozenset({
    "text", "heading", "heading.h1", "heading.h2", "heading.h3", "heading.h4", "heading.h5", "heading.h6",
    "table", "table.header", "table.cell", "table.caption", "figure.caption", "list", "paragraph", "sentence",
    "alt", "title", "blockquote", "summary", "raw",
})  # Vale's allowedScopes (internal/check/scope.go)
RETIRED_SCOPES = frozenset({"code", "link", "strong", "emphasis"})  # Vale: "no longer supported; use raw"


def scope_problem(scopes: tuple[str, ...]) -> str | None:
    """Why Vale refuses one of ``scopes`` at load, or None when all are valid."""
    for scope in scopes:
        if "&" in scope:
            continue
        base = scope.lstrip("~").split(".")[0]
        if base in RETIRED_SCOPES:
            return f"scope {base!r} is no longer supported by Vale; use 'raw' instead"
        if scope.lstrip("~") not in KNOWN_SCOPES and base not in KNOWN_SCOPES:
            return f"{scope!r} is not a valid scope; must be one of {sorted(KNOWN_SCOPES)}"
    return None
