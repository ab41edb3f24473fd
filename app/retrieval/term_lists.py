"""A brand's term lists: which way a list goes (words to avoid, or vocabulary to accept), and its entries.

Which way, from the file's name (its words, split at ``-``, ``_``, ``.``, spaces and camelCase):

- **words to avoid** -> banned terms: a name with ``banned``, ``blocklist``, ``blacklist``, ``denylist``,
  ``avoid``, ``reject`` (Vale's ``reject.txt``), ``forbidden``, ``prohibited``, or ``do not use`` /
  ``dont use`` (``do-not-use.txt``);
- **vocabulary** -> the style guide (never a ban): a name with ``term(s)``, ``glossary``, ``accept``
  (Vale's ``accept.txt``), ``vocab``/``vocabulary`` or ``names``. A company's glossary or ``terms.txt``
  lists its own product names and spellings: each plain entry becomes a proper noun (other casings are a
  capitalisation finding, "acme cloud" for "Acme Cloud"), and ``variant -> preferred`` a terminology rule.
  Vale vocabulary entries that are regexes (``[Oo]bservability``) are not read, and are reported.
- legal text (``terms-and-conditions``, ``terms of service``, ``terms-of-use``, ``privacy``) is a document.

Entries: plain text, one term per line (a leading ``- `` bullet is dropped); ``term -> replacement``; a line
starting with ``#`` and a space is a comment (``#1`` or ``#detox`` are terms); `` # text`` after a term is its
reason. CSV: a header row with a ``term`` column, and optionally ``replacement`` and ``reason``.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Literal

from app.errors import InvalidInput

MAX_TERM_CHARS = 80
MAX_TERM_WORDS = 8
Direction = Literal["avoid", "vocabulary"]

_AVOID_WORDS = {"banned", "ban", "blocklist", "blacklist", "denylist", "avoid", "reject", "rejected", "forbidden",
                "prohibited"}
_AVOID_PHRASES = ({"do", "not", "use"}, {"dont", "use"}, {"don", "t", "use"})
_VOCABULARY_WORDS = {"term", "terms", "glossary", "accept", "accepted", "vocab", "vocabulary", "names"}
_LEGAL_WORDS = {"conditions", "condition", "service", "services", "privacy"}
_INLINE_COMMENT = re.compile(r"\s+#\s+")
_ARROW = re.compile(r"\s*(?:->|→)\s*")
_REGEX_SIGNS = re.compile(r"[\[\]()\\*+?{}|^$]")


def list_direction(words: set[str]) -> Direction | None:
    """Which way a ``.txt``/``.csv`` named with ``words`` goes, or None when it is not a term list."""
    if bool(words & _LEGAL_WORDS) or {"of", "use"} <= words:
        return None
    if words & _AVOID_WORDS or any(phrase <= words for phrase in _AVOID_PHRASES):
        return "avoid"
    if words & _VOCABULARY_WORDS:
        return "vocabulary"
    return None


def looks_like_regex(term: str) -> bool:
    """Whether a vocabulary entry is a Vale regex rather than a word."""
    return _REGEX_SIGNS.search(term) is not None


@dataclass(frozen=True)
class Term:
    term: str
    replacement: str | None
    reason: str
    origin: str



def read_terms(text: str, relative: PurePosixPath, avoid: bool = True) -> list[Term]:
    """The terms of a ``.txt`` or ``.csv`` list; ``avoid`` says whether it lists words not to use (for
    the default reason). Raises InvalidInput naming the file and line of a bad entry."""
    if relative.suffix.lower() == ".csv":
        terms = [_csv_term(row, line, relative, avoid) for line, row in csv_rows(text, relative, "term", ())]
    else:
        terms = [t for n, line in enumerate(text.splitlines(), 1) if (t := _text_term(line, n, relative, avoid))]
    if not terms:
        raise InvalidInput(f"{relative}: no terms found; write one term per line (or a 'term' column in a CSV)")
    return terms


def _text_term(line: str, number: int, relative: PurePosixPath, avoid: bool) -> Term | None:
    stripped = line.strip()
    # "# note" is a comment; "#1" and "#detox" are terms a brand may well ban.
    if not stripped or (stripped.startswith("#") and stripped[1:2] in ("", " ", "\t", "#")):
        return None
    body, comment = _split_comment(re.sub(r"^[-*+•]\s+", "", stripped))  # lists are often bulleted
    term, replacement = _split_arrow(body)
    if not term:
        raise InvalidInput(f"{relative} line {number}: no term before '->'; write 'term -> replacement'")
    if len(term) > MAX_TERM_CHARS or len(term.split()) > MAX_TERM_WORDS:
        raise InvalidInput(
            f"{relative} line {number}: {term[:40]!r}... reads as a sentence, not a term; write one term per "
            "line, optionally 'term -> replacement', and put notes after ' # '"
        )
    return Term(term, replacement, comment or _default_reason(relative, avoid), str(relative))


def _split_comment(line: str) -> tuple[str, str]:
    """``term # reason`` -> (``term``, ``reason``); the ``#`` needs a space on both sides to start a note."""
    parts = _INLINE_COMMENT.split(line, maxsplit=1)
    return parts[0], parts[1].strip() if len(parts) > 1 else ""


def _split_arrow(body: str) -> tuple[str, str | None]:
    parts = _ARROW.split(body, maxsplit=1)
    term = " ".join(parts[0].split())
    replacement = " ".join(parts[1].split()) if len(parts) > 1 else ""
    return term, replacement or None


def _csv_term(row: dict[str, str], line: int, relative: PurePosixPath, avoid: bool) -> Term:
    term = " ".join(row.get("term", "").split())
    if not term:
        raise InvalidInput(f"{relative} line {line}: the 'term' cell is empty; fill it or delete the row")
    replacement = " ".join(row.get("replacement", "").split()) or None
    reason = " ".join(row.get("reason", "").split()) or _default_reason(relative, avoid)
    return Term(term, replacement, reason, str(relative))


def _default_reason(relative: PurePosixPath, avoid: bool) -> str:
    if avoid:
        return f"On the brand's list of terms not to use ({relative.name})."
    return f"The brand's own spelling, from its vocabulary ({relative.name})."



def csv_rows(text: str, relative: PurePosixPath, required: str,
              aliases: tuple[str, ...]) -> list[tuple[int, dict[str, str]]]:
    """Rows as ``(line number, {column: cell})``, columns lower-cased with ``_`` for spaces; fully empty
    rows dropped. Raises InvalidInput when the header lacks ``required`` (or one of its ``aliases``)."""
    header = text.splitlines()[0] if text.strip() else ""
    # Spreadsheets in many locales export with ';' or tabs; the header line says which.
    delimiter = max([",", ";", "\t"], key=header.count)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    columns = [re.sub(r"\s+", "_", c.strip().lower()) for c in next(reader, [])]
    columns = [required if c in aliases else c for c in columns]
    if required not in columns:
        example = "term,replacement,reason" if required == "term" else "id,claim,evidence,products,disclaimer_id"
        raise InvalidInput(
            f"{relative}: no '{required}' column (columns found: {columns}); the first row must be a header "
            f"such as '{example}'"
        )
    rows = []
    for cells in reader:
        if any(c.strip() for c in cells):
            rows.append((reader.line_num, dict(zip(columns, cells, strict=False))))
    return rows
