"""Turn brand KB files into chunks with metadata.

Markdown splits on headings, then on paragraphs to at most ``max_chars``; each chunk keeps its
heading path. YAML product files give one chunk per fact plus the summary; ``claims.yaml`` one chunk
per approved claim; ``banned_terms.yaml`` one chunk per term. Any other file is general knowledge.
A brand's texts in another language live in a folder named for it (``de/claims.yaml``,
``de/products/quiet-hours.yaml``): the same kinds, laid out as the brand's own.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from app.errors import InvalidInput
from app.language import LANGUAGE_FOLDERS

_HEADING = re.compile(r"^(#{1,6})\s+(.*)$")
SUPPORTED_SUFFIXES = {".md", ".markdown", ".txt", ".yaml", ".yml"}
_FOLDER_DOC_TYPES = {"voice": "voice", "products": "product", "policy": "policy", "guides": "general"}
_FILE_DOC_TYPES = {"claims": "claims", "banned_terms": "banned_terms", "brand": "brand"}


@dataclass(frozen=True)
class Chunk:
    text: str
    doc_type: str
    source_path: str
    content_hash: str
    index: int
    product: str | None = None
    ref: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def doc_type_for(relative: Path) -> str:
    """The document kind, from the file name or its top folder (below a language folder such as ``de/``);
    unknown kinds are ``general``."""
    if len(relative.parts) > 1 and relative.parts[0] in LANGUAGE_FOLDERS:
        relative = Path(*relative.parts[1:])
    if relative.stem in _FILE_DOC_TYPES:
        return _FILE_DOC_TYPES[relative.stem]
    top = relative.parts[0] if len(relative.parts) > 1 else ""
    return _FOLDER_DOC_TYPES.get(top, "general")


def with_language(chunk: Chunk) -> Chunk:
    """The chunk with ``extra["language"]``: its folder's for a file in a language folder (``de/...``: declared by
    the brand; a German claim's chunk starts "Approved claim C-012: Eine Tasse Morning Ember...", which a detector
    may read as English), else the language lingua reads in it (:func:`app.language.detect_language`), else None
    (too short to tell)."""
    from app.language import detect_language

    top = Path(chunk.source_path).parts[0] if len(Path(chunk.source_path).parts) > 1 else ""
    language = top if top in LANGUAGE_FOLDERS else detect_language(chunk.text)
    return replace(chunk, extra={**chunk.extra, "language": language})


def file_hash(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


def chunk_file(path: Path, relative: Path, *, max_chars: int = 900) -> list[Chunk]:
    """All chunks of one file; raises InvalidInput for a file that cannot be read as its kind."""
    raw = path.read_bytes()
    digest = file_hash(raw)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InvalidInput(f"{relative}: not UTF-8 text; save it as UTF-8 and ingest again") from exc
    kind = doc_type_for(relative)
    if path.suffix in {".yaml", ".yml"}:
        pieces = _yaml_pieces(text, kind, relative)
    else:
        pieces = [(p, None, None) for p in _markdown_pieces(text, max_chars)]
    return [
        Chunk(text=body, doc_type=kind, source_path=str(relative), content_hash=digest, index=i,
              product=product, ref=ref)
        for i, (body, product, ref) in enumerate(pieces) if body.strip()
    ]


def _markdown_pieces(text: str, max_chars: int) -> list[str]:
    sections: list[tuple[list[str], list[str]]] = [([], [])]
    trail: list[str] = []
    for line in text.splitlines():
        match = _HEADING.match(line)
        if match:
            depth = len(match.group(1))
            trail = [*trail[: depth - 1], match.group(2).strip()]
            sections.append((list(trail), []))
        else:
            sections[-1][1].append(line)
    pieces: list[str] = []
    for headings, lines in sections:
        body = "\n".join(lines).strip()
        if not body:
            continue
        prefix = " > ".join(headings)
        for part in _split_paragraphs(body, max_chars):
            pieces.append(f"{prefix}\n{part}" if prefix else part)
    return pieces


def _split_paragraphs(body: str, max_chars: int) -> list[str]:
    parts: list[str] = []
    current = ""
    for para in re.split(r"\n\s*\n", body):
        if current and len(current) + len(para) > max_chars:
            parts.append(current.strip())
            current = ""
        current += para + "\n\n"
    if current.strip():
        parts.append(current.strip())
    return parts


def _yaml_pieces(text: str, kind: str, relative: Path) -> list[tuple[str, str | None, str | None]]:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise InvalidInput(f"{relative}: not valid YAML ({exc}); fix the file and ingest again") from exc
    if kind == "product" and isinstance(data, dict):
        return _product_pieces(data)
    if kind == "claims" and isinstance(data, dict):
        return [
            (f"Approved claim {c.get('id')}: {c.get('text')}", None, str(c.get("id")))
            for c in data.get("approved_claims", []) or []
        ]
    if kind == "banned_terms" and isinstance(data, dict):
        return [
            (f"Banned term: {t.get('term')}. Reason: {t.get('reason', '')}"
             + (f" Use instead: {t['replacement']}" if t.get("replacement") else ""), None, None)
            for t in data.get("terms", []) or []
        ]
    return [(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), None, None)]


def _product_pieces(data: dict[str, Any]) -> list[tuple[str, str | None, str | None]]:
    pid = str(data.get("id", ""))
    name = str(data.get("name", pid))
    pieces: list[tuple[str, str | None, str | None]] = [
        (f"{name} ({data.get('category', 'product')}): {data.get('summary', '')}", pid, pid)
    ]
    for fact in data.get("facts", []) or []:
        pieces.append((f"{name} fact: {fact.get('text')}", pid, str(fact.get("id"))))
    return pieces
