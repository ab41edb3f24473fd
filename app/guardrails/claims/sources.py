"""The brand's sources for the claims check, indexed once per loaded :class:`~app.brand.BrandProfile`.

Sources: approved claims (whole, with their :class:`~app.guardrails.claims.scope.Scope` from the structured
fields or their text), product facts and required disclaimers (one source per sentence, so a disclaimer
about EU and UK shipping gives one EU and one UK statement), and the brand's policy documents
(``policy/*.md``: statements about charges, used only to find contradictions and as judge evidence, never
as support, because a policy also quotes what must not be said).

Retrieval (:meth:`BrandIndex.ranked`) is an inverted index of keywords: the cost of a look-up depends on
the sentence and the brand's size, not on the length of the checked text.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Literal

from app.brand import BrandProfile, ForbiddenClaimPattern
from app.guardrails.claims.candidates import extract_claims
from app.guardrails.claims.claim import NUMERIC_KINDS, Claim
from app.guardrails.claims.scope import Scope, approved_scope, scope_of
from app.guardrails.claims.words import keywords, lowered, normalised
from app.guardrails.sentences import split_sentences

SourceKind = Literal["claim", "fact", "disclaimer", "policy"]


@dataclass(frozen=True)
class Source:
    id: str
    kind: SourceKind
    text: str
    keywords: frozenset[str]
    normalised: str
    numbers: tuple[Claim, ...]
    product: str | None = None
    products: frozenset[str] = frozenset()
    disclaimer_id: str | None = None
    key: str = ""  # a fact's key: price, caffeine, steep_time...
    names: frozenset[str] = frozenset()  # products its text names ("cold-brewed Morning Ember has 30 mg")
    scope: Scope = field(default_factory=Scope)
    all_keywords: frozenset[str] = frozenset()  # keywords before the brand's common words are dropped

    def values_in(self, unit: str | None) -> frozenset[float]:
        """The values this source states in ``unit`` (any unit for None)."""
        return self._values.get(unit, frozenset()) if unit is not None else self._values.get("*", frozenset())

    def states(self, claim: Claim) -> bool:
        values = claim.values
        return bool(values) and set(values) <= self.values_in(claim.unit)

    @cached_property
    def _values(self) -> dict[str, frozenset[float]]:
        by_unit: dict[str, set[float]] = {"*": set()}
        for n in self.numbers:
            by_unit["*"].update(n.values)
            if n.unit is not None:
                by_unit.setdefault(n.unit, set()).update(n.values)
        return {unit: frozenset(values) for unit, values in by_unit.items()}

    def describe(self) -> str:
        """One line for a judge's evidence: id, kind, scope and text."""
        s = self.scope
        about = ", ".join(sorted(s.products)) or s.subject_text or "all"
        bits = [f"subject: {about}"]
        bits += [f"{name}: {', '.join(sorted(v))}" for name, v in
                 (("parts", s.parts), ("territory", s.territories)) if v]
        if s.conditions:
            bits.append("conditions: " + "; ".join(c.text for c in s.conditions))
        if s.verbs:
            bits.append("strength: " + ", ".join(v for v, _ in s.verbs))
        return f"[{self.id}] ({self.kind}; {'; '.join(bits)}) {self.text}"


@dataclass
class BrandIndex:
    sources: list[Source]
    product_ids: frozenset[str]
    product_pattern: re.Pattern[str] | None
    product_by_name: dict[str, str]
    competitors: tuple[str, ...]
    forbidden: list[ForbiddenClaimPattern]
    forbidden_pattern: re.Pattern[str] | None
    brand_words: frozenset[str] = frozenset()
    postings: dict[str, list[int]] = field(default_factory=dict)
    _scoped: dict[tuple[frozenset[str], bool], list[Source]] = field(default_factory=dict)
    _naming: dict[str, list[Source]] = field(default_factory=dict)
    _stating: dict[tuple[str | None, tuple[float, ...]], frozenset[int]] = field(default_factory=dict)

    def product_mentions(self, lower: str) -> list[tuple[int, int, str]]:
        """``(start, end, product id)`` for each product name in ``lower`` (lower-cased text)."""
        found = self.product_pattern.finditer(lower) if self.product_pattern else ()
        return [(m.start(), m.end(), self.product_by_name[name_key(m.group(0))]) for m in found]

    def sources_for(self, products: frozenset[str], approved_only: bool = False) -> list[Source]:
        """Approved claims for all products or one in ``products``, facts of those products (every fact
        when none), disclaimers; never policy statements."""
        key = (products, approved_only)
        if key not in self._scoped:
            self._scoped[key] = [s for s in self.sources if _in_scope(s, products, approved_only)]
        return self._scoped[key]

    def naming(self, product: str) -> list[Source]:
        """Sources whose text names ``product`` ("cold-brewed Morning Ember: 30 mg")."""
        if product not in self._naming:
            self._naming[product] = [s for s in self.sources if product in s.names]
        return self._naming[product]

    def stating(self, claim: Claim) -> frozenset[int]:
        """``id()`` of every source stating all of ``claim``'s values in its unit."""
        key = (claim.unit, claim.values)
        if key not in self._stating:
            self._stating[key] = frozenset(id(s) for s in self.sources if s.states(claim))
        return self._stating[key]

    def ranked(self, words: frozenset[str], kinds: frozenset[str]) -> list[Source]:
        """Sources of ``kinds`` sharing a keyword with ``words``, most shared first (then file order)."""
        shared: Counter[int] = Counter()
        for word in words:
            for i in self.postings.get(word, ()):
                shared[i] += 1
        order = sorted(shared, key=lambda i: (-shared[i], i))
        return [self.sources[i] for i in order if self.sources[i].kind in kinds]

    def forbidden_in(self, lower: str) -> list[tuple[int, int, ForbiddenClaimPattern]]:
        found = self.forbidden_pattern.finditer(lower) if self.forbidden_pattern else ()
        return [(m.start(), m.end(), self.forbidden[int(str(m.lastgroup)[1:])]) for m in found]


def brand_index(brand: BrandProfile) -> BrandIndex:
    """The index of ``brand``'s sources, built once per loaded profile."""
    return brand.derive("claims.index", build_index)


def build_index(brand: BrandProfile) -> BrandIndex:
    names = {name_key(n): pid for pid, n in brand.products.items() if n}
    pattern = _names_pattern(brand.products)
    brand_words = frozenset(re.findall(r"[\w']+", brand.name.lower()))
    sources = []
    for c in brand.claims:
        named = _named(c.text, pattern, names)
        source = _source(c.id, "claim", c.text, products=c.products, disclaimer_id=c.disclaimer_id)
        sources.append(replace(source, names=named, scope=approved_scope(c, named, brand_words)))
    for f in brand.facts:
        sources += [replace(s, key=f.key) for s in _sentence_sources(f.id, "fact", f.text, pattern, names,
                                                                    brand_words, product=f.product)]
    for d_id, text in brand.disclaimers.items():
        # Every sentence of a disclaimer is about the products the disclaimer names ("The Tea Club ...").
        parts = _sentence_sources(d_id, "disclaimer", text, pattern, names, brand_words)
        named = frozenset().union(*(s.names for s in parts)) if parts else frozenset()
        sources += [replace(s, names=named) for s in parts]
    for doc_id, text in _policy_statements(brand):
        sources += _sentence_sources(doc_id, "policy", text, pattern, names, brand_words)
    common = _common_words([s for s in sources if s.kind != "policy"])
    sources = [replace(s, keywords=s.keywords - common, all_keywords=s.keywords) for s in sources]
    postings: dict[str, list[int]] = {}
    for i, s in enumerate(sources):
        for word in s.all_keywords:
            postings.setdefault(word, []).append(i)
    return BrandIndex(
        sources=sources, product_ids=frozenset(brand.products), product_pattern=pattern,
        product_by_name=names, competitors=_competitors(brand), forbidden=list(brand.forbidden_claim_patterns),
        forbidden_pattern=_forbidden_pattern(brand), brand_words=brand_words, postings=postings,
    )


def _source(sid: str, kind: SourceKind, text: str, *, products: tuple[str, ...] = (),
            product: str | None = None, disclaimer_id: str | None = None) -> Source:
    numbers = tuple(c for c in extract_claims(text) if c.kind in NUMERIC_KINDS)
    scope = frozenset() if "all" in products else frozenset(products)
    return Source(sid, kind, " ".join(text.split()), keywords(text), normalised(text), numbers, product,
                  scope, disclaimer_id)


def _sentence_sources(sid: str, kind: SourceKind, text: str, pattern: re.Pattern[str] | None,
                      names: dict[str, str], brand_words: frozenset[str], product: str | None = None
                      ) -> list[Source]:
    out = []
    for _, _, sentence in split_sentences(text) or [(0, len(text), text)]:
        named = _named(sentence, pattern, names)
        about = frozenset({product}) if product else named
        # "Free to EU addresses; UK delivery is €4.00": each clause has its own territory.
        for clause in _CLAUSES.split(sentence):
            source = _source(sid, kind, clause, product=product)
            out.append(replace(source, names=named, scope=scope_of(clause, about, brand_words)))
    return out


_CLAUSES = re.compile(r";\s+")


_HEADING = re.compile(r"^#{1,6}\s+(.*)$")
_LABEL = re.compile(r"^([\w][\w .&'-]{0,30}):\s+")
_CHARGE_TOPIC = re.compile(r"ship|deliver|postage|return|refund|subscri|price|fee|charge|cost", re.IGNORECASE)


def _policy_statements(brand: BrandProfile) -> list[tuple[str, str]]:
    """``(document id, statement)`` for each line of ``policy/*.md`` that states a price or "free" about a
    charge topic; the topic may come from the section heading ("## Shipping" / "- UK: a flat €6.90")."""
    folder = brand.folder / "policy"
    statements = []
    for path in sorted(folder.glob("*.md")) if folder.is_dir() else []:
        heading = ""
        for line in path.read_text(encoding="utf-8").splitlines():
            found = _HEADING.match(line.strip())
            if found:
                heading = found.group(1)
                continue
            text = re.sub(r"[*_`]", "", line).strip(" -\t")
            if not text or text.startswith("|") or not re.search(r"[€£$]\s?\d|\bfree\b", text, re.IGNORECASE):
                continue
            # "- UK: a flat €6.90 per order. There is no free threshold.": the label speaks for each sentence.
            label = _LABEL.match(text)
            body = text[label.end():] if label else text
            for _, _, sentence in split_sentences(body):
                if label:
                    sentence = f"{label.group(1)}: {sentence}"
                if not _CHARGE_TOPIC.search(sentence) and _CHARGE_TOPIC.search(heading):
                    sentence = f"{heading}: {sentence}"
                statements.append((f"policy/{path.name}", sentence))
    return statements


def _named(text: str, pattern: re.Pattern[str] | None, names: dict[str, str]) -> frozenset[str]:
    found = pattern.finditer(lowered(text)) if pattern else ()
    return frozenset(names[name_key(m.group(0))] for m in found)


def _common_words(sources: list[Source]) -> frozenset[str]:
    # A word in more than a quarter of the sources ("tea", "fernhill") says nothing about which one matches.
    # With few sources the share means nothing (in 3 sources every shared word is "common"), so a word
    # must also occur in at least 3 of them.
    counts = Counter(w for s in sources for w in s.keywords)
    return frozenset(w for w, n in counts.items() if n > len(sources) / 4 and n >= 3)


def _in_scope(source: Source, products: frozenset[str], approved_only: bool) -> bool:
    if source.kind == "policy":
        return False
    if source.kind == "fact":
        return not approved_only and (not products or source.product in products)
    if source.kind == "claim":
        return not source.products or not products or bool(source.products & products)
    return not approved_only


def name_key(name: str) -> str:
    key = " ".join(name.lower().split())
    return key[4:] if key.startswith("the ") else key


def _names_pattern(products: dict[str, str]) -> re.Pattern[str] | None:
    names = sorted({name_key(n) for n in products.values() if n}, key=len, reverse=True)
    if not names:
        return None
    alternatives = "|".join(re.escape(n).replace(r"\ ", r"\s+") for n in names)
    return re.compile(rf"(?<![\w-])(?:the\s+)?(?:{alternatives})(?![\w-])")


def phrase_pattern(phrase: str, *, left: bool = True) -> str:
    """A lower-case regex for ``phrase`` as whole words, any whitespace between them (``left=False``: the
    caller tests the start of the word)."""
    text = phrase.strip().lower()
    escaped = re.escape(text).replace(r"\ ", r"\s+")
    start = ""
    if left and text[:1].isalnum():
        # The first letter, then the word-start test behind it: a pattern that starts with a literal lets
        # the regex engine jump to each occurrence instead of trying every position.
        escaped = text[0] + rf"(?<![\w-]{text[0]})" + escaped[1:]
    right = r"(?![\w-])" if phrase.strip()[-1:].isalnum() else ""
    return start + escaped + right


def _forbidden_pattern(brand: BrandProfile) -> re.Pattern[str] | None:
    # One scan for all patterns; group f<i> says which one matched. The word-start test is made once per
    # position, before the alternation, not once per pattern (21 patterns: 10 times faster here).
    groups = [f"(?P<f{i}>{phrase_pattern(f.pattern, left=False)})"
              for i, f in enumerate(brand.forbidden_claim_patterns)]
    return re.compile(r"(?<![\w-])(?=\w)(?:" + "|".join(groups) + ")") if groups else None


def _competitors(brand: BrandProfile) -> tuple[str, ...]:
    """Banned terms whose reason says competitor, and the names in "better than X" forbidden patterns."""
    names = [t.term for t in brand.banned_terms if "competitor" in t.reason.lower()]
    for pattern in brand.forbidden_claim_patterns:
        named = re.search(r"\bthan\s+((?:[A-Z][\w&'-]*\s?)+)", pattern.pattern)
        if named:
            names.append(named.group(1).strip())
    return tuple(dict.fromkeys(names))
