"""Template placeholders and slot markers: text that stands for copy someone still has to write.

Rules (each finding spans the marker itself):

- ``placeholder:bracketed_slot``: anything in square brackets on one line (``[Title]``, ``[City Name]``,
  ``[...]``, ``[the product description]``), except a Markdown link label (``[text](url)``, ``[text][ref]``),
  a numbered reference (``[1]``) and ``[sic]``. Square brackets have no other use in marketing copy.
- ``placeholder:template_variable``: curly-brace template syntax (``{name}``, ``{{x}}``, ``{% if %}``,
  ``${var}``) and printf fields (``%(name)s``, ``%s``).
- ``placeholder:angle_slot``: ``<insert ...>``, ``<product name>``, ``<<NAME>>``; not an HTML tag
  (``<br>``, ``</p>``, a tag with attributes), a link (``<https://...>``, ``<example.com/path>``) or an
  e-mail address.
- ``placeholder:unbalanced_bracket``: a square or curly bracket opened and never closed on its line, or
  closed by the wrong kind (``[Museum of Fine)``): a slot the model started and broke.
- ``placeholder:filler``: dummy text (``Lorem ipsum``, ``dolor sit amet``), editors' markers in capitals
  (``TBD``, ``TBC``, ``TBA``, ``TODO``, ``FIXME``, ``XX``/``XXX``, ``PLACEHOLDER``, ``INSERT``), masked
  figures (``€XX``, ``X%``), blanks to fill (``____``), form slots in title case (``Company Name``,
  ``Your Logo``, ``Brand X``) and "... goes here" / "your name here".

Each kind is a shape, not a list of the examples: any word may stand inside the brackets.
"""

from __future__ import annotations

import re

from app.guardrails.quality.findings import Finding

_SQUARE = re.compile(r"\[([^\[\]\n]{0,80})\](?![(\[])")
_NOT_A_SLOT = re.compile(r"\s*(?:\d{1,3}|sic!?)\s*", re.IGNORECASE)
_CURLY = re.compile(r"\$?\{+[^{}\n]{0,80}\}+|%\(\w{1,40}\)[sdfi]|(?<![\w%])%[sd](?!\w)")
_ANGLE = re.compile(r"<{1,2}(?=\S)([^<>\n]{1,80})(?<=\S)>{1,2}")
_HTML_TAGS = frozenset({
    "a", "abbr", "b", "blockquote", "br", "cite", "code", "del", "div", "em", "h1", "h2", "h3", "h4", "h5", "h6",
    "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "s", "small", "span", "strong", "sub",
    "sup", "u", "ul",
})
_HTML_TAG = re.compile(r"/?([a-zA-Z][a-zA-Z0-9]*)(?:\s+[\w-]+\s*=.*)?\s*/?")
_AUTOLINK = re.compile(r"(?:https?://|mailto:|www\.)|[\w.+-]+@[\w-]+\.|[\w-]+(?:\.[\w-]+)+/", re.IGNORECASE)
_FILLER = re.compile(
    r"\b(?i:lorem(?:\s+ipsum)?|dolor\s+sit\s+amet|consectetur\s+adipiscing)\b"
    r"|\b(?:TBD|TBC|TBA|TODO|FIXME|X{2,}|PLACEHOLDER|INSERT)\b"
    r"|(?<![\w])[€$£]\s?X+(?:[.,]X+)?(?![\w])|\bX+(?:[.,]X+)?\s?%"
    r"|_{3,}"
    r"|\b(?:Your|Company|Product|Brand|Business|City|Customer|Client|Event|Store|Shop|Venue|Recipient|Author)"
    r"\s+(?:Name|Logo|Address|Link|URL|Website)\b"
    r"|\b(?:Product|Brand|Company|Competitor|Customer|Person)\s+[XYZ]\b"
    r"|\b(?i:[a-z]+(?:\s+[a-z]+)?\s+goes\s+here|(?:your|company|product|brand)\s+(?:name|logo|link|url)\s+here)\b"
)
_OPENERS, _CLOSERS = "([{", ")]}"


def placeholder_findings(text: str) -> list[Finding]:
    """Every slot marker in ``text`` (see the module docstring), in text order."""
    found = [*_squares(text), *_curlies(text), *_angles(text), *_unbalanced(text), *_fillers(text)]
    return sorted(found, key=lambda f: f.spans[0])


def _squares(text: str) -> list[Finding]:
    return [_finding("bracketed_slot", m.span(), m.group(0), "is a template slot in square brackets")
            for m in _SQUARE.finditer(text) if not _NOT_A_SLOT.fullmatch(m.group(1))]


def _curlies(text: str) -> list[Finding]:
    return [_finding("template_variable", m.span(), m.group(0), "is template syntax, not copy")
            for m in _CURLY.finditer(text)]


def _angles(text: str) -> list[Finding]:
    found = []
    for m in _ANGLE.finditer(text):
        inner = m.group(1)
        tag = _HTML_TAG.fullmatch(inner)
        if (tag and (tag.group(1).lower() in _HTML_TAGS or "=" in inner)) or _AUTOLINK.match(inner):
            continue
        found.append(_finding("angle_slot", m.span(), m.group(0), "is a slot in angle brackets"))
    return found


def _unbalanced(text: str) -> list[Finding]:
    """Square or curly brackets left open on their line, closed by the wrong kind, or closed unopened."""
    found: list[Finding] = []
    stack: list[tuple[str, int]] = []
    for i, ch in enumerate(text):
        if ch == "\n":
            found += [_broken(text, pos, i) for c, pos in stack if c in "[{"]
            stack.clear()
        elif ch in _OPENERS:
            stack.append((ch, i))
        elif ch in _CLOSERS:
            wanted = _OPENERS[_CLOSERS.index(ch)]
            if stack and stack[-1][0] == wanted:
                stack.pop()
            elif stack and stack[-1][0] in "[{":
                found.append(_broken(text, stack.pop()[1], i + 1))
            elif ch in "]}":
                found.append(_broken(text, i, i + 1))
    found += [_broken(text, pos, len(text)) for c, pos in stack if c in "[{"]
    return found


def _broken(text: str, start: int, end: int) -> Finding:
    """From the bad bracket to ``end`` (its line's end when -1), trailing whitespace trimmed."""
    end = len(text) if end < 0 else end
    end = max(start + len(text[start:end].rstrip()), start + 1)
    return _finding("unbalanced_bracket", (start, end), text[start:end],
                    "opens or closes a bracket that is never matched: a broken template slot")


def _fillers(text: str) -> list[Finding]:
    return [_finding("filler", m.span(), m.group(0), "is dummy text or a marker for copy still to come")
            for m in _FILLER.finditer(text)]


def _finding(kind: str, span: tuple[int, int], shown: str, what: str) -> Finding:
    return Finding(rule=f"placeholder:{kind}", spans=(span,), evidence=shown,
                   reason=f"{shown!r} {what}: write the copy it stands for, or cut it")
