"""Import a company's own brand folder into the factory's canonical layout, ``<brand_kb_dir>/<slug>/``.

``factory kb ingest <folder> --brand <slug>`` runs :func:`import_brand` first, then ingests the canonical
folder. The canonical folder is what the guardrail checks read (:mod:`app.brand`), so it belongs to the
importer: edit the company's folder and import again, never the canonical copy. A folder that already is
``<brand_kb_dir>/<slug>`` is used in place and nothing is imported.

How files are recognised
------------------------
Names are compared by word: a name is split at ``-``, ``_``, ``.``, spaces and camelCase, case is ignored
(``Brand Voice.md``, ``tone_of_voice.md`` and ``styleGuide.md`` have the word "voice", "tone" or "style";
``milestones.md`` has no word "tone"). Hidden files and folders (``.git``, ``.DS_Store``) are ignored, and
empty files are skipped. Rules, first match wins:

0. **A language folder** (``de/``, ``en/``: the brand's texts in that language, laid out as the canonical folder,
   see :mod:`app.brand`) is copied as it is, like the Vale rules ``style.yaml`` names.
1. **Canonical YAML**, copied as they are: ``brand.yaml``, ``claims.yaml``, ``banned_terms.yaml``,
   ``style.yaml`` and ``policy.yaml`` at the top of the folder, and ``products/*.yaml``. Any other YAML is
   skipped. Without a ``brand.yaml`` one is generated: the name from the slug, channels linkedin,
   instagram, email, blog and x, no disclaimers.
2. **Term lists**, a ``.txt`` or ``.csv`` (:mod:`app.retrieval.term_lists` gives the naming rule and the
   line format). The name says which way a list goes, and the report says which way each went:

   - words to avoid (``banned``, ``blocklist``, ``avoid``, ``reject``, ``do-not-use``...): merged with a
     ``banned_terms.yaml`` into ``banned_terms.yaml``; a term listed twice keeps its first entry;
   - vocabulary (``terms``, ``glossary``, ``accept``, ``vocabulary``...): the brand's own names and
     spellings, merged into ``style.yaml`` as ``proper_nouns`` (``variant -> preferred`` as
     ``terminology``): a wrong casing is a style finding, never a ban.
3. **Approved claims**: a file whose name has the word ``claim`` or ``claims`` (but not ``policy``,
   ``guide``, ``guidelines`` or ``faq``, which make it a document).

   - CSV: a header row ``id,claim[,evidence][,products][,disclaimer_id]`` (``text`` may name the claim
     column). ``id`` may be left empty: claims without one get ``C-001``, ``C-002``... (ids already used are
     skipped). ``products`` are product ids separated by ``;``; none means all products.
   - Markdown or text: one claim per bullet line, ``- [C-7] The claim.`` or ``- The claim.`` (``*``, ``+``
     and ``1.`` bullets too); indented lines continue the bullet above; headings and other lines are
     ignored, so an introduction may stay.

   They are merged with a ``claims.yaml`` (whose ``forbidden_claim_patterns`` are kept) into
   ``claims.yaml``.
4. **Documents** (``.md``, ``.markdown``, ``.txt``), by the nearest folder named ``voice``, ``style``,
   ``tone``, ``policy``, ``policies`` or ``guides`` around them, else by their own name:

   - the style guide (a word ``style``, ``voice`` or ``tone``) -> ``voice/<name>.md``, doc type voice;
   - a policy (a word ``policy`` or ``policies``) -> ``policy/<name>.md``, doc type policy;
   - any other document -> ``guides/<name>.md``: documents of unknown kind become general brand knowledge.

   ``<name>`` is the path below that hinting folder (or the whole path), each part lower-cased to
   letters, digits and dashes, joined by ``--``: ``Sales/FAQ 2024.md`` -> ``guides/sales--faq-2024.md``.
   Two documents that end up with the same name get ``-2``, ``-3``... in path order.
5. Anything else (PDF, Word, images, spreadsheets) is skipped, and listed in the report with the reason.

Bad input raises :class:`~app.errors.InvalidInput` saying what to fix, before anything is written: a
missing folder, a folder with nothing readable, a file that is not UTF-8, a CSV without its ``term`` or
``claim`` column, a term list line that is a sentence, a claims file without a claim, a canonical YAML that
does not match the schema :mod:`app.brand` reads. A brand folder that exists but was not made by an import
(no ``.imported-from`` file in it) is never overwritten.

Writing: every output is built and checked with the real readers (:func:`app.brand.load_brand`,
:func:`app.guardrails.policy.load_policy`) first; then only files whose bytes differ are replaced, each
atomically, and files no longer produced by the source are removed. Importing an unchanged folder again
writes nothing, so the incremental ingest that follows writes nothing either.
"""

from __future__ import annotations

import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, Literal

import yaml

from app.brand import BrandProfile, load_brand
from app.errors import InvalidInput
from app.guardrails.policy import load_policy
from app.guardrails.style import parse_style_guide
from app.language import LANGUAGE_FOLDERS
from app.retrieval.term_lists import Term, csv_rows, list_direction, looks_like_regex, read_terms

Kind = Literal[
    "brand", "claims_yaml", "banned_terms", "style", "policy_yaml", "product",
    "terms", "vocabulary", "claims", "voice", "policy", "general", "skip",
]

MARKER = ".imported-from"
DEFAULT_CHANNELS = ("linkedin", "instagram", "email", "blog", "x")
DOC_SUFFIXES = {".md", ".markdown", ".txt"}

_SLUG = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_CANONICAL_YAML: dict[str, Kind] = {
    "brand": "brand", "claims": "claims_yaml", "banned_terms": "banned_terms", "style": "style",
    "policy": "policy_yaml",
}
_CLAIM_WORDS = {"claim", "claims"}
_NOT_CLAIMS_WORDS = {"policy", "policies", "guide", "guides", "guideline", "guidelines", "faq"}
_VOICE_WORDS = {"style", "voice", "tone", "styleguide"}
_POLICY_WORDS = {"policy", "policies"}
_FOLDER_HINTS: dict[str, Kind] = {
    "voice": "voice", "style": "voice", "tone": "voice", "policy": "policy", "policies": "policy",
    "guides": "general",
}
_DOC_FOLDERS: dict[Kind, str] = {"voice": "voice", "policy": "policy", "general": "guides"}
_BULLET = re.compile(r"^\s{0,3}(?:[-*+]|\d+[.)])\s+(?:\[(?P<id>[^\]]*)\]\s*)?(?P<text>.*)$")


@dataclass
class ImportReport:
    """What an import recognised and changed; paths are relative to the source or the canonical folder."""

    brand: str
    source: Path
    target: Path
    in_place: bool = False
    terms: int = 0
    vocabulary: int = 0
    claims: int = 0
    term_lists: list[str] = field(default_factory=list)
    vocabulary_lists: list[str] = field(default_factory=list)
    vale_not_run: list[str] = field(default_factory=list)  # style.yaml's Vale rules that cannot run, and why
    claim_lists: list[str] = field(default_factory=list)
    copied: list[str] = field(default_factory=list)
    generated: list[str] = field(default_factory=list)
    style_docs: list[str] = field(default_factory=list)
    policy_docs: list[str] = field(default_factory=list)
    general_docs: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    written: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)

    def summary(self) -> list[str]:
        """Lines for a person: what was recognised, skipped and changed."""
        if self.in_place:
            return [f"{self.brand}: {self.target} is the brand's folder; used in place"]
        lines = [
            f"{self.brand}: imported {self.source} into {self.target}",
            f"  banned terms: {self.terms}" + _from(self.term_lists),
            f"  vocabulary (proper nouns and spellings, style findings, never banned): {self.vocabulary}"
            + _from(self.vocabulary_lists),
            *[f"    {name}: words to avoid -> banned_terms.yaml" for name in self.term_lists],
            *[f"    {name}: accepted vocabulary -> style.yaml" for name in self.vocabulary_lists],
            f"  claims: {self.claims}" + _from(self.claim_lists),
            f"  style docs: {len(self.style_docs)}" + _listing(self.style_docs),
            f"  policy docs: {len(self.policy_docs)}" + _listing(self.policy_docs),
            f"  general docs: {len(self.general_docs)}" + _listing(self.general_docs),
            f"  copied as they are: {', '.join(self.copied) or 'none'}",
        ]
        if self.generated:
            lines.append(f"  generated: {', '.join(self.generated)}")
        lines.append(f"  skipped: {len(self.skipped)}")
        lines += [f"    {path}: {reason}" for path, reason in self.skipped]
        lines += [f"  warning: {w}" for w in self.warnings]
        lines += [f"  not run: {line}" for line in self.vale_not_run]
        lines.append(f"  canonical folder: {len(self.written)} written, {len(self.removed)} removed")
        return lines


def import_brand(source: Path, kb_dir: Path, slug: str) -> ImportReport:
    """Make ``kb_dir/slug`` the canonical form of the company folder ``source``; see the module docstring.

    Raises InvalidInput (nothing written) for a bad slug, a bad folder or a bad file.
    """
    target = kb_dir / slug
    report = ImportReport(brand=slug, source=source, target=target)
    if source.resolve() == target.resolve():
        report.in_place = True
        return report
    _check_slug(slug)
    _check_folders(source, target)
    plan = _collect(source, report)
    files = _render(plan, slug, report)
    _validate(files, slug, report)
    _guard_target(target)
    _sync(target, files, str(source.resolve()), report)
    return report


def classify(relative: PurePosixPath | Path) -> tuple[Kind, str]:
    """The kind of a source file from its path relative to the company folder, and a reason when skipped."""
    suffix = relative.suffix.lower()
    words = _words(relative.stem)
    if suffix in {".yaml", ".yml"}:
        return _classify_yaml(relative)
    direction = list_direction(words) if suffix in {".csv", ".txt"} else None
    if suffix == ".csv":
        if words & _CLAIM_WORDS:
            return "claims", ""
        if direction is not None:
            return ("terms" if direction == "avoid" else "vocabulary"), ""
        return "skip", ("a CSV is read only as a term list (*banned*, *avoid*, *reject*; *terms*, *glossary*, "
                        "*accept*) or claims (*claims*)")
    if suffix not in DOC_SUFFIXES:
        kind = f"{suffix} files" if suffix else "files without an extension"
        return "skip", f"{kind} are not read; save the text as Markdown (.md) or plain text (.txt)"
    if suffix == ".txt" and direction is not None:
        return ("terms" if direction == "avoid" else "vocabulary"), ""
    return _classify_document(relative, words), ""


def _classify_yaml(relative: PurePosixPath | Path) -> tuple[Kind, str]:
    stem = relative.stem.lower()
    if len(relative.parts) == 1 and stem in _CANONICAL_YAML:
        return _CANONICAL_YAML[stem], ""
    if len(relative.parts) > 1 and relative.parts[-2].lower() == "products":
        return "product", ""
    return "skip", ("YAML is read only as brand.yaml, claims.yaml, banned_terms.yaml, style.yaml, "
                    "policy.yaml at the top of the folder, or products/*.yaml")


def _classify_document(relative: PurePosixPath | Path, words: set[str]) -> Kind:
    hinted = _folder_hint(relative)
    if hinted is not None:
        return hinted[0]
    if words & _CLAIM_WORDS and not words & _NOT_CLAIMS_WORDS:
        return "claims"
    if words & _VOICE_WORDS:
        return "voice"
    if words & _POLICY_WORDS:
        return "policy"
    return "general"


def _folder_hint(relative: PurePosixPath | Path) -> tuple[Kind, int] | None:
    """The kind named by the nearest enclosing folder, and that folder's index in the path."""
    for index in range(len(relative.parts) - 2, -1, -1):
        kind = _FOLDER_HINTS.get(relative.parts[index].lower())
        if kind is not None:
            return kind, index
    return None


def _words(name: str) -> set[str]:
    # camelCase is a word boundary too ("styleGuide", "BannedTerms").
    spaced = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", name)
    return {w for w in re.split(r"[^a-z0-9]+", spaced.lower()) if w}


# ---------------------------------------------------------------------------------------------------
# Collecting: read and parse every source file; nothing is written here.


@dataclass
class _Claim:
    id: str | None
    text: str
    products: list[str]
    evidence: str
    disclaimer_id: str | None
    origin: str


@dataclass
class _Plan:
    """Everything read from the source: finished files by canonical path, plus terms and claims to merge."""

    files: dict[str, bytes] = field(default_factory=dict)
    canonical: dict[str, tuple[str, str]] = field(default_factory=dict)  # kind -> (source path, text)
    terms: list[Term] = field(default_factory=list)
    vocabulary: list[Term] = field(default_factory=list)
    claims: list[_Claim] = field(default_factory=list)
    recognised: int = 0


def _collect(source: Path, report: ImportReport) -> _Plan:
    paths = _source_files(source)
    if not paths:
        raise InvalidInput(f"{source} is empty; put the brand's term list, approved claims and documents in it")
    plan = _Plan()
    rule_paths = _vale_rule_paths(source)
    for path in paths:
        relative = PurePosixPath(path.relative_to(source).as_posix())
        raw = path.read_bytes()
        translated = len(relative.parts) > 1 and relative.parts[0] in LANGUAGE_FOLDERS
        if translated or any(relative == p or p in relative.parents for p in rule_paths):
            # style.yaml names a rule by its path; a language folder is laid out as the canonical folder is
            # (app.brand reads de/claims.yaml...): keep path and bytes
            plan.files[str(relative)] = raw
            report.copied.append(str(relative))
            plan.recognised += 1
            continue
        kind, reason = classify(relative)
        if kind != "skip" and not raw.strip():
            kind, reason = "skip", "empty file"
        if kind == "skip":
            report.skipped.append((str(relative), reason))
            continue
        _take(plan, kind, relative, _decode(raw, relative), report)
        plan.recognised += 1
    if not plan.recognised:
        raise InvalidInput(
            f"{source} holds nothing the factory can read (skipped: {[p for p, _ in report.skipped]}); add "
            "Markdown or text documents, a term list (terms.txt) or approved claims (claims.csv)"
        )
    return plan


def _vale_rule_paths(source: Path) -> list[PurePosixPath]:
    """The ``vale_rules`` entries of the source's style.yaml, as paths relative to the source."""
    style = source / "style.yaml"
    if not style.is_file():
        return []
    data = _yaml_mapping(_decode(style.read_bytes(), PurePosixPath("style.yaml")), "style.yaml")
    rules = data.get("vale_rules") or []
    if not isinstance(rules, list):
        raise InvalidInput("style.yaml: vale_rules must be a list of paths relative to the brand folder")
    paths = [PurePosixPath(str(r)) for r in rules]
    outside = [str(p) for p in paths if p.is_absolute() or ".." in p.parts]
    if outside:
        raise InvalidInput(f"style.yaml: vale_rules {outside} point outside the brand folder; move the rules in")
    return paths  # PurePosixPath already reads "./vale" as "vale"


def _source_files(source: Path) -> list[Path]:
    return sorted(
        p for p in source.rglob("*")
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(source).parts)
    )


def _decode(raw: bytes, relative: PurePosixPath) -> str:
    try:
        return raw.decode("utf-8-sig")  # -sig: spreadsheet programs put a byte-order mark before CSVs
    except UnicodeDecodeError as exc:
        raise InvalidInput(
            f"{relative}: not UTF-8 text; save it as UTF-8 (in a spreadsheet: 'CSV UTF-8') and import again"
        ) from exc


def _take(plan: _Plan, kind: Kind, relative: PurePosixPath, text: str, report: ImportReport) -> None:
    if kind in {"brand", "claims_yaml", "banned_terms", "style", "policy_yaml"}:
        _yaml_mapping(text, relative)
        plan.canonical[kind] = (str(relative), text)
    elif kind == "product":
        _take_product(plan, relative, text, report)
    elif kind == "terms":
        plan.terms += read_terms(text, relative, avoid=True)
        report.term_lists.append(str(relative))
    elif kind == "vocabulary":
        for term in read_terms(text, relative, avoid=False):
            if looks_like_regex(term.term):
                report.warnings.append(f"{relative}: {term.term!r} is a pattern, not a word; vocabulary is read "
                                       "as words, so it was left out (write the word as it should appear)")
            else:
                plan.vocabulary.append(term)
        report.vocabulary_lists.append(str(relative))
    elif kind == "claims":
        plan.claims += _read_claims(text, relative)
        report.claim_lists.append(str(relative))
    else:
        _take_document(plan, kind, relative, text, report)


def _take_product(plan: _Plan, relative: PurePosixPath, text: str, report: ImportReport) -> None:
    if not _yaml_mapping(text, relative).get("id"):
        raise InvalidInput(f"{relative}: a product file needs an 'id' (see brand_kb/fernhill/products/)")
    name = _unique(plan.files, "products", _slugify(relative.stem), ".yaml")
    plan.files[name] = text.encode("utf-8")
    report.copied.append(name)


def _take_document(plan: _Plan, kind: Kind, relative: PurePosixPath, text: str, report: ImportReport) -> None:
    hinted = _folder_hint(relative)
    below = relative.parts[hinted[1] + 1:] if hinted else relative.parts
    stem_parts = [*below[:-1], PurePosixPath(below[-1]).stem]
    name = "--".join(_slugify(p) for p in stem_parts)
    folder = _DOC_FOLDERS[kind]
    target = _unique(plan.files, folder, name, ".md")
    plan.files[target] = text.encode("utf-8")
    {"voice": report.style_docs, "policy": report.policy_docs}.get(kind, report.general_docs).append(target)


def _slugify(part: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", part.lower()).strip("-") or "doc"


def _unique(files: dict[str, bytes], folder: str, name: str, suffix: str) -> str:
    """``folder/name.suffix``, or with ``-2``, ``-3``... when taken (sources are visited in path order)."""
    candidate, n = f"{folder}/{name}{suffix}", 1
    while candidate in files:
        n += 1
        candidate = f"{folder}/{name}-{n}{suffix}"
    return candidate


def _yaml_mapping(text: str, relative: PurePosixPath | str) -> dict[str, Any]:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise InvalidInput(f"{relative}: not valid YAML ({exc}); fix the file and import again") from exc
    if not isinstance(data, dict):
        raise InvalidInput(f"{relative}: expected a YAML mapping (key: value lines) at the top level")
    return data


# Claims ---------------------------------------------------------------------------------------------


def _read_claims(text: str, relative: PurePosixPath) -> list[_Claim]:
    if relative.suffix.lower() == ".csv":
        claims = [_csv_claim(row, line, relative)
                  for line, row in csv_rows(text, relative, "claim", ("text",))]
    else:
        claims = _bullet_claims(text, relative)
    if not claims:
        raise InvalidInput(
            f"{relative}: no claims found; write one claim per line starting with '- ' (optionally '- [C-7] ') "
            "or use a CSV with the header 'id,claim,evidence,products,disclaimer_id'"
        )
    return claims


def _csv_claim(row: dict[str, str], line: int, relative: PurePosixPath) -> _Claim:
    text = " ".join(row.get("claim", "").split())
    if not text:
        raise InvalidInput(f"{relative} line {line}: the 'claim' cell is empty; fill it or delete the row")
    products = [p.strip() for p in re.split(r"[;,]", row.get("products", "")) if p.strip()]
    return _Claim(
        id=row.get("id", "").strip() or None, text=text, products=products or ["all"],
        evidence=" ".join(row.get("evidence", "").split()),
        disclaimer_id=row.get("disclaimer_id", "").strip() or None, origin=str(relative),
    )


def _bullet_claims(text: str, relative: PurePosixPath) -> list[_Claim]:
    claims: list[_Claim] = []
    current: list[str] | None = None  # the lines of the bullet being read; None between bullets
    ids: list[str | None] = []
    for line in text.splitlines():
        match = _BULLET.match(line)
        if match:
            current = [match.group("text")]
            ids.append((match.group("id") or "").strip() or None)
            claims.append(_Claim(None, "", ["all"], "", None, str(relative)))
        elif current is not None and line[:1].isspace() and line.strip():
            current.append(line)  # an indented line continues the bullet
        else:
            current = None
        if current is not None:
            claims[-1].text = " ".join(" ".join(current).split())
    for claim, cid in zip(claims, ids, strict=True):
        claim.id = cid
        if not claim.text:
            raise InvalidInput(f"{relative}: a bullet {('[' + cid + '] ') if cid else ''}has no claim text")
    return claims


# ---------------------------------------------------------------------------------------------------
# Rendering: the canonical files, as bytes.

_HEADER = "# Generated by `factory kb ingest` from {sources}; edit those files and import again, not this one.\n"


def _render(plan: _Plan, slug: str, report: ImportReport) -> dict[str, bytes]:
    files = dict(plan.files)
    files["brand.yaml"] = _brand_file(plan, slug, report)
    if "policy_yaml" in plan.canonical:
        files["policy.yaml"] = plan.canonical["policy_yaml"][1].encode("utf-8")
        report.copied.append("policy.yaml")
    style = _style_file(plan, report)
    if style is not None:
        files["style.yaml"] = style
    for name, build in (("banned_terms.yaml", _banned_terms_file), ("claims.yaml", _claims_file)):
        content = build(plan, report)
        if content is not None:
            files[name] = content
    return files


def _brand_file(plan: _Plan, slug: str, report: ImportReport) -> bytes:
    if "brand" in plan.canonical:
        report.copied.append("brand.yaml")
        return plan.canonical["brand"][1].encode("utf-8")
    report.generated.append("brand.yaml (none given: name from the slug, default channels, no disclaimers)")
    data = {"name": re.sub(r"[-_]+", " ", slug).title(), "slug": slug, "description": "",
            "channels": list(DEFAULT_CHANNELS), "required_disclaimers": []}
    header = "# Generated by `factory kb ingest`: the company folder has no brand.yaml; add one there to change this.\n"
    return (header + _dump(data)).encode("utf-8")


def _style_file(plan: _Plan, report: ImportReport) -> bytes | None:
    """style.yaml as given, with the vocabulary lists merged in as proper nouns and terminology."""
    given = plan.canonical.get("style")
    if not plan.vocabulary:
        if given is not None:
            report.copied.append("style.yaml")
        return given[1].encode("utf-8") if given else None
    data = _yaml_mapping(given[1], given[0]) if given else {}
    nouns = [str(n) for n in data.get("proper_nouns") or []]
    known = {n.lower() for n in nouns}
    terminology = list(data.get("terminology") or [])
    for term in plan.vocabulary:
        if term.replacement is not None:
            terminology.append({"use": term.replacement, "instead_of": [term.term], "reason": term.reason})
        elif term.term.lower() in known:
            report.warnings.append(f"vocabulary {term.term!r} ({term.origin}) is listed already; kept the first")
        else:
            known.add(term.term.lower())
            nouns.append(term.term)
    data = {**data, "proper_nouns": nouns, **({"terminology": terminology} if terminology else {})}
    report.vocabulary = len(plan.vocabulary)
    report.generated.append("style.yaml")
    sources = ([given[0]] if given else []) + sorted({t.origin for t in plan.vocabulary})
    return (_HEADER.format(sources=", ".join(sources)) + _dump(data)).encode("utf-8")


def _banned_terms_file(plan: _Plan, report: ImportReport) -> bytes | None:
    given = plan.canonical.get("banned_terms")
    if given is None and not plan.terms:
        return None
    entries = list(_yaml_mapping(given[1], given[0]).get("terms", []) or []) if given else []
    _check_entries(entries, given[0] if given else "", ("term",))
    if given is not None and not plan.terms:
        report.terms = len(entries)
        report.copied.append("banned_terms.yaml")
        return given[1].encode("utf-8")
    seen = {str(e["term"]).lower(): given[0] if given else "" for e in entries}
    for term in plan.terms:
        if term.term.lower() in seen:
            report.warnings.append(f"term {term.term!r} is listed again in {term.origin}; kept the first entry "
                                   f"({seen[term.term.lower()]})")
            continue
        seen[term.term.lower()] = term.origin
        entries.append({"term": term.term, "replacement": term.replacement, "reason": term.reason})
    report.terms = len(entries)
    report.generated.append("banned_terms.yaml")
    sources = ([given[0]] if given else []) + sorted({t.origin for t in plan.terms})
    return (_HEADER.format(sources=", ".join(sources)) + _dump({"terms": entries})).encode("utf-8")


def _claims_file(plan: _Plan, report: ImportReport) -> bytes | None:
    given = plan.canonical.get("claims_yaml")
    if given is None and not plan.claims:
        return None
    data = _yaml_mapping(given[1], given[0]) if given else {}
    existing = list(data.get("approved_claims", []) or [])
    _check_entries(existing, given[0] if given else "", ("id", "text"))
    _check_entries(list(data.get("forbidden_claim_patterns", []) or []), given[0] if given else "",
                   ("id", "pattern"))
    if given is not None and not plan.claims:
        report.claims = len(existing)
        report.copied.append("claims.yaml")
        return given[1].encode("utf-8")
    claims = existing + _numbered(plan.claims, {str(c["id"]): given[0] for c in existing} if given else {})
    report.claims = len(claims)
    report.generated.append("claims.yaml")
    out: dict[str, Any] = {"approved_claims": claims}
    if data.get("forbidden_claim_patterns"):
        out["forbidden_claim_patterns"] = data["forbidden_claim_patterns"]
    sources = ([given[0]] if given else []) + sorted({c.origin for c in plan.claims})
    return (_HEADER.format(sources=", ".join(sources)) + _dump(out)).encode("utf-8")


def _numbered(claims: list[_Claim], used: dict[str, str]) -> list[dict[str, Any]]:
    """The claims as claims.yaml entries; explicit ids must be unique, the rest get the next free C-NNN."""
    used = dict(used)
    for claim in claims:
        if claim.id is None:
            continue
        if claim.id in used:
            raise InvalidInput(f"claim id {claim.id!r} is used twice ({used[claim.id]}, {claim.origin}); "
                               "give each claim its own id")
        used[claim.id] = claim.origin
    counter = 0
    entries = []
    for claim in claims:
        cid = claim.id
        while cid is None or (claim.id is None and cid in used):
            counter += 1
            cid = f"C-{counter:03d}"
        used.setdefault(cid, claim.origin)
        entries.append({"id": cid, "text": claim.text, "products": claim.products, "evidence": claim.evidence,
                        "disclaimer_id": claim.disclaimer_id})
    return entries


def _check_entries(entries: list[Any], origin: str, keys: tuple[str, ...]) -> None:
    for n, entry in enumerate(entries, 1):
        if not isinstance(entry, dict) or any(not entry.get(k) for k in keys):
            raise InvalidInput(f"{origin}: entry {n} needs {' and '.join(keys)} (see brand_kb/fernhill/{origin})")


def _dump(data: dict[str, Any]) -> str:
    # Fixed options, so the same input always gives the same bytes.
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100, default_flow_style=False)


# ---------------------------------------------------------------------------------------------------
# Checking and writing.


def _check_slug(slug: str) -> None:
    if not _SLUG.match(slug):
        raise InvalidInput(f"brand {slug!r} is not a valid slug; use lower-case letters, digits and dashes, "
                           "e.g. --brand acme-foods")


def _check_folders(source: Path, target: Path) -> None:
    if not source.is_dir():
        raise InvalidInput(f"{source} is not a folder; give the folder that holds the brand's documents")
    src, dst = source.resolve(), target.resolve()
    if dst.is_relative_to(src) or src.is_relative_to(dst):
        raise InvalidInput(f"{source} and the brand folder {target} contain one another; import from a folder "
                           "outside the KB directory")


def _validate(files: dict[str, bytes], slug: str, report: ImportReport) -> None:
    """Read the planned folder with the real readers; their complaints become InvalidInput naming the file."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / slug
        for name, data in files.items():
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            (folder / name).write_bytes(data)
        try:
            profile = load_brand(Path(tmp), slug)
            load_policy(folder)
            guide = parse_style_guide(profile.style, folder)
        except InvalidInput as exc:
            raise InvalidInput(exc.message.replace(f"{folder}{os.sep}", "")) from exc
        except FileNotFoundError as exc:  # style.yaml's vale_rules name a path the source does not have
            missing = str(exc.filename).replace(f"{folder}{os.sep}", "")
            raise InvalidInput(f"style.yaml: vale_rules names {missing}, which is not in the folder; add the "
                               "rule files or remove the entry") from exc
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise InvalidInput(f"the brand's YAML files do not match the schema app/brand.py reads ({exc!r}); "
                               "compare them with brand_kb/fernhill") from exc
    report.warnings += _reference_warnings(profile)
    report.vale_not_run = [line.replace(f"{folder}{os.sep}", "") for line in guide.load_report()]


def _reference_warnings(profile: BrandProfile) -> list[str]:
    """Claims naming a disclaimer or product the brand does not define: legal, but probably a typo."""
    warnings = []
    for claim in profile.claims:
        if claim.disclaimer_id and claim.disclaimer_id not in profile.disclaimers:
            warnings.append(f"claim {claim.id} names disclaimer {claim.disclaimer_id!r}, which brand.yaml does "
                            "not define")
        unknown = [p for p in claim.products if p != "all" and p not in profile.products]
        if unknown and profile.products:
            warnings.append(f"claim {claim.id} names products {unknown} with no products/*.yaml")
    return warnings


def _guard_target(target: Path) -> None:
    if target.is_dir() and not (target / MARKER).exists() and _source_files(target):
        raise InvalidInput(
            f"{target} already holds a brand that was not imported, and an import would replace it; ingest "
            f"it in place (factory kb ingest {target}) or import under another --brand"
        )


def _sync(target: Path, files: dict[str, bytes], origin: str, report: ImportReport) -> None:
    """Make ``target`` hold exactly ``files`` (plus hidden files), touching only what differs."""
    target.mkdir(parents=True, exist_ok=True)
    for name in sorted(files):
        if _write_if_changed(target / name, files[name]):
            report.written.append(name)
    for path in _source_files(target):
        name = path.relative_to(target).as_posix()
        if name not in files:
            path.unlink()
            report.removed.append(name)
    _remove_empty_folders(target)
    marker = target / MARKER
    _write_if_changed(marker, f"{origin}\n".encode())
    if report.written or report.removed:
        # The guardrail engine rebuilds a brand when its folder's newest mtime changes; a removal alone
        # would not change it, so the marker is touched.
        os.utime(marker)


def _write_if_changed(path: Path, data: bytes) -> bool:
    if path.is_file() and path.read_bytes() == data:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.importing")
    temporary.write_bytes(data)
    os.replace(temporary, path)  # atomic: a reader sees the old file or the new one, never half of it
    return True


def _remove_empty_folders(target: Path) -> None:
    for folder in sorted((p for p in target.rglob("*") if p.is_dir()), key=lambda p: len(p.parts), reverse=True):
        if not any(folder.iterdir()):
            folder.rmdir()


def _from(sources: list[str]) -> str:
    return f" (from {', '.join(sources)})" if sources else ""


def _listing(paths: list[str]) -> str:
    return f" ({', '.join(paths)})" if paths else ""
