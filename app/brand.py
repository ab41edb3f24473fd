"""A brand's structured knowledge, read from its KB folder: banned terms, approved claims, facts.

The checks use this directly (the folder is the source of truth); retrieval uses the same files
through the vector store. Missing optional files mean "none"; a missing folder is UnknownBrand.

Files read: ``brand.yaml`` (name, channels, ``required_disclaimers`` with ``id``, ``text`` and
``applies_to``: a keyword or a list of them), ``banned_terms.yaml``, ``claims.yaml``
(``approved_claims``, each with optional scope fields: see :class:`ApprovedClaim`; and
``forbidden_claim_patterns``), ``products/*.yaml`` (id, name, category,
facts) and ``style.yaml`` (kept raw here; :mod:`app.guardrails.style` documents and parses it).

Texts in another language live in a folder named for it (``de/``): ``de/brand.yaml`` (``required_disclaimers``),
``de/claims.yaml`` (``approved_claims``) and ``de/products/*.yaml`` (facts), each entry with the id of the
entry it translates. Only the text is read from them: an approved claim's products, evidence, scope and
disclaimer stay the English claim's. :meth:`BrandProfile.localised` gives the profile the checks use on copy in
that language.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, TypeVar, cast

import yaml

from app.errors import InvalidInput, UnknownBrand
from app.language import LANGUAGE_FOLDERS

T = TypeVar("T")


@dataclass(frozen=True)
class BannedTerm:
    term: str
    reason: str
    replacement: str | None = None


@dataclass(frozen=True)
class ApprovedClaim:
    """An approved claim and, optionally, the scope it was approved for (``claims.yaml``, all optional):

    ``subject`` what it is about ("Kelpra powder"; default: the products it names, else the words before its
    verb), ``parts`` the parts it covers ("box", "pouch"; default: the parts its text names), ``territory``
    where it holds ("EU", "UK"; default: the territories its text names), ``conditions`` what it depends on
    ("orders over €35", "as part of a balanced diet"; default: found in its text) and ``strength`` the
    verb or intensity as approved ("supports"; default: found in its text). Empty means "infer from the
    text" (:mod:`app.guardrails.claims.scope`).
    """

    id: str
    text: str
    products: tuple[str, ...] = ()
    evidence: str = ""
    disclaimer_id: str | None = None
    subject: str = ""
    parts: tuple[str, ...] = ()
    territory: tuple[str, ...] = ()
    conditions: tuple[str, ...] = ()
    strength: str = ""


@dataclass(frozen=True)
class ProductFact:
    id: str
    product: str
    text: str
    key: str = ""
    value: str = ""
    unit: str = ""


@dataclass(frozen=True)
class ForbiddenClaimPattern:
    id: str
    pattern: str
    reason: str = ""


@dataclass(frozen=True)
class RequiredDisclaimer:
    id: str
    text: str
    applies_to: tuple[str, ...] = ()


@dataclass(frozen=True)
class Translation:
    """A brand's texts in one other language, keyed by the id of the entry each translates."""

    language: str
    claims: dict[str, str] = field(default_factory=dict)
    disclaimers: dict[str, RequiredDisclaimer] = field(default_factory=dict)
    facts: dict[str, str] = field(default_factory=dict)


@dataclass
class BrandProfile:
    slug: str
    name: str
    folder: Path
    channels: list[str] = field(default_factory=list)
    description: str = ""
    # ISO 639-1 code of the language the brand writes in by default (brand.yaml ``default_language``).
    default_language: str = "en"
    banned_terms: list[BannedTerm] = field(default_factory=list)
    claims: list[ApprovedClaim] = field(default_factory=list)
    products: dict[str, str] = field(default_factory=dict)
    facts: list[ProductFact] = field(default_factory=list)
    disclaimers: dict[str, str] = field(default_factory=dict)
    required_disclaimers: list[RequiredDisclaimer] = field(default_factory=list)
    forbidden_claim_patterns: list[ForbiddenClaimPattern] = field(default_factory=list)
    product_categories: dict[str, str] = field(default_factory=dict)
    style: dict[str, Any] = field(default_factory=dict)
    # Texts in other languages, by ISO 639-1 code: {"de": Translation(...)} (the module docstring).
    translations: dict[str, Translation] = field(default_factory=dict)
    # What checks derive from this profile (compiled patterns, indexes), built once per loaded profile.
    derived: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    def localised(self, language: str) -> BrandProfile:
        """The profile as the checks read it for copy in ``language``: its approved claims, disclaimers and
        facts in that language where the brand has them (same ids), the rest as they are. ``self`` for the
        brand's default language or a language it has no texts in. Built once per profile and language."""
        translation = self.translations.get(language)
        if language == self.default_language or translation is None:
            return self
        return self.derive(f"localised:{language}", lambda p: _localised(p, translation))

    def derive(self, key: str, build: Callable[[BrandProfile], T]) -> T:
        """``build(self)``, computed on first use and kept with this profile (a reloaded profile rebuilds)."""
        if key not in self.derived:
            self.derived[key] = build(self)
        return cast(T, self.derived[key])


def brand_folder(kb_dir: Path, slug: str) -> Path:
    folder = kb_dir / slug
    if not slug or "/" in slug or slug.startswith(".") or not folder.is_dir():
        known = sorted(p.name for p in kb_dir.iterdir() if p.is_dir()) if kb_dir.is_dir() else []
        raise UnknownBrand(
            f"unknown brand {slug!r}; known brands: {known}. Add brand_kb/{slug}/ and ingest it."
        )
    return folder


def _words(value: object) -> str:
    """A free-text YAML field as text. YAML 1.1 reads an unquoted ``no``, ``off`` or ``false`` as a boolean, which is
    never a reason anyone wrote: it reads as no reason, not as "False"."""
    if value is None or isinstance(value, bool):
        return ""
    return " ".join(str(value).split())


def load_brand(kb_dir: Path, slug: str) -> BrandProfile:
    folder = brand_folder(kb_dir, slug)
    meta = _yaml(folder / "brand.yaml")
    profile = BrandProfile(
        slug=slug, name=str(meta.get("name", slug)), folder=folder,
        channels=[str(c) for c in meta.get("channels", [])], description=str(meta.get("description", "")),
        default_language=str(meta.get("default_language") or "en").split("-")[0].lower(),
        disclaimers={str(d["id"]): str(d["text"]) for d in meta.get("required_disclaimers", []) or []},
        required_disclaimers=[_disclaimer(d) for d in meta.get("required_disclaimers", []) or []],
    )
    claims = _yaml(folder / "claims.yaml")
    profile.banned_terms = [
        BannedTerm(term=str(t["term"]), reason=_words(t.get("reason")), replacement=t.get("replacement"))
        for t in _yaml(folder / "banned_terms.yaml").get("terms", []) or []
    ]
    profile.claims = [_approved_claim(c) for c in claims.get("approved_claims", []) or []]
    profile.forbidden_claim_patterns = [
        ForbiddenClaimPattern(id=str(f["id"]), pattern=str(f["pattern"]),
                              reason=" ".join(str(f.get("reason", "")).split()))
        for f in claims.get("forbidden_claim_patterns", []) or []
    ]
    profile.style = _yaml(folder / "style.yaml")
    for path in sorted((folder / "products").glob("*.y*ml")):
        _add_product(profile, _yaml(path))
    profile.translations = {code: _translation(folder / code, code) for code in sorted(LANGUAGE_FOLDERS)
                            if code != profile.default_language and (folder / code).is_dir()}
    return profile


def _translation(folder: Path, code: str) -> Translation:
    claims = _yaml(folder / "claims.yaml").get("approved_claims", []) or []
    disclaimers = _yaml(folder / "brand.yaml").get("required_disclaimers", []) or []
    facts = {str(f["id"]): str(f.get("text", "")) for path in sorted((folder / "products").glob("*.y*ml"))
             for f in _yaml(path).get("facts", []) or []}
    return Translation(language=code, claims={str(c["id"]): " ".join(str(c["text"]).split()) for c in claims},
                       disclaimers={str(d["id"]): _disclaimer(d) for d in disclaimers}, facts=facts)


def _localised(profile: BrandProfile, translation: Translation) -> BrandProfile:
    required = [translation.disclaimers.get(d.id, d) for d in profile.required_disclaimers]
    return replace(
        profile, derived={},
        claims=[replace(c, text=translation.claims.get(c.id, c.text)) for c in profile.claims],
        required_disclaimers=required, disclaimers={d.id: d.text for d in required},
        facts=[replace(f, text=translation.facts.get(f.id, f.text)) for f in profile.facts],
    )


def _add_product(profile: BrandProfile, data: dict[str, Any]) -> None:
    pid = str(data.get("id", ""))
    profile.products[pid] = str(data.get("name", pid))
    profile.product_categories[pid] = str(data.get("category", "") or "")
    for f in data.get("facts", []) or []:
        profile.facts.append(ProductFact(
            id=str(f.get("id")), product=pid, text=str(f.get("text", "")), key=str(f.get("key", "")),
            value=str(f.get("value", "")), unit=str(f.get("unit", "")),
        ))


def _approved_claim(data: dict[str, Any]) -> ApprovedClaim:
    return ApprovedClaim(
        id=str(data["id"]), text=" ".join(str(data["text"]).split()), products=_strings(data.get("products")),
        evidence=str(data.get("evidence", "") or ""), disclaimer_id=data.get("disclaimer_id"),
        subject=str(data.get("subject", "") or ""), parts=_strings(data.get("parts")),
        territory=_strings(data.get("territory")), conditions=_strings(data.get("conditions")),
        strength=str(data.get("strength", "") or ""),
    )


def _strings(value: Any) -> tuple[str, ...]:
    """A YAML string or list of strings as a tuple ("EU" -> ("EU",); None -> ())."""
    if value is None or value == "":
        return ()
    items = [value] if isinstance(value, str) else list(value)
    return tuple(str(v) for v in items if str(v).strip())


def _disclaimer(data: dict[str, Any]) -> RequiredDisclaimer:
    applies = data.get("applies_to") or []
    keywords = [applies] if isinstance(applies, str) else list(applies)
    return RequiredDisclaimer(id=str(data["id"]), text=" ".join(str(data["text"]).split()),
                              applies_to=tuple(str(k) for k in keywords))


def _yaml(path: Path) -> dict[str, Any]:
    if not path.exists():
        return {}
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise InvalidInput(f"{path}: not valid YAML: {exc}") from exc
    return data if isinstance(data, dict) else {}
