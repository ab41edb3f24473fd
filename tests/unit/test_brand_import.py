"""Importing a company's own brand folder into the canonical KB layout that the checks and ingestion read."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from app.brand import load_brand
from app.cli import context
from app.cli.main import cli
from app.db import upgrade
from app.errors import InvalidInput
from app.guardrails.engine import GuardrailEngine
from app.pipeline.deps import Deps
from app.retrieval.brand_import import MARKER, import_brand
from app.retrieval.chunking import doc_type_for
from app.retrieval.ingest import ingest_folder
from app.settings import PROJECT_ROOT, Settings
from app.wiring import build_deps, build_store
from tests.fakes import FakeLLM, HashingEmbedder, RecordingEnqueue

DEMO = PROJECT_ROOT / "brand_kb" / "fernhill"

TERMS_TXT = """\
# Words Acme never uses in marketing copy.
# One per line; "->" gives the word to use instead.

cheap -> good value  # invites price comparison
- miracle
#1
world-class -> well made
"""

CLAIMS_CSV = """\
id,claim,evidence,products,disclaimer_id
C-010,Every Acme order ships in boxes made from 100% recycled cardboard.,Supplier declaration LB-2,,
,Acme kettles are assembled by hand in Leeds.,Factory SOP-4,kettle-one;kettle-two,
,Acme offers a two-year warranty on every kettle.,Warranty terms v3,,D-WARRANTY
,Kettle One holds 1.7 litres of water.,Product spec K1-2023,kettle-one,
,Our limescale filter is removable and dishwasher safe.,Test report TR-88,,
C-020,Free delivery on UK orders over £40.,Shop settings,,
"""

STYLE_GUIDE = """\
# Acme brand voice

We sound like a helpful engineer: plain, precise, friendly.

## Words

Say what the product does, with numbers.
"""


def write(folder: Path, files: dict[str, str | bytes]) -> Path:
    """A company folder holding ``files`` (relative path -> content)."""
    for name, content in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return folder


@pytest.fixture
def company(tmp_path: Path) -> Path:
    """A realistic company folder: term list, claims spreadsheet, style guide, loose documents, a PDF and a logo."""
    return write(tmp_path / "Acme brand pack", {
        "Banned terms.txt": TERMS_TXT,
        "approved-claims.csv": CLAIMS_CSV,
        "Brand Voice Guide.md": STYLE_GUIDE,
        "About us.md": "# About Acme\n\nAcme has made kettles in Leeds since 1998.\n",
        "Sales/FAQ 2024.md": "# FAQ\n\n## Do you ship abroad?\n\nYes, to the EU and the UK.\n",
        "Sales/notes.txt": "Customers ask about the warranty most.\n",
        "Legal/returns-policy.md": "# Returns\n\nReturns are accepted within 30 days.\n",
        "Brand book 2024.pdf": b"%PDF-1.4 binary",
        "logo.png": b"\x89PNG\r\n\x1a\n",
        ".DS_Store": b"\x00\x01",
    })


@pytest.fixture
def kb_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "kb"
    folder.mkdir()
    return folder


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {p.relative_to(folder).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_term_list_with_replacements_becomes_banned_terms_that_the_check_enforces(company, kb_dir, tmp_path):
    report = import_brand(company, kb_dir, "acme")

    assert report.terms == 4 and report.term_lists == ["Banned terms.txt"]
    terms = {t.term: t for t in load_brand(kb_dir, "acme").banned_terms}
    assert set(terms) == {"cheap", "miracle", "#1", "world-class"}  # "#1" is a term, "# Words..." a comment
    assert terms["cheap"].replacement == "good value" and terms["cheap"].reason == "invites price comparison"
    assert terms["miracle"].replacement is None and "Banned terms.txt" in terms["miracle"].reason
    settings = Settings(data_dir=tmp_path / "var", brand_kb_dir=kb_dir, environment="test",
                        _env_file=None)  # type: ignore[call-arg]
    results = GuardrailEngine(settings).evaluate("A cheap kettle that works.", brand="acme")
    finding = next(r for r in results if r.rule == "banned_term:cheap")
    assert not finding.passed and finding.suggestion == "good value"


def test_imported_brand_flags_banned_terms_and_passes_supported_claims_end_to_end(company, kb_dir, tmp_path):
    import_brand(company, kb_dir, "acme")
    settings = Settings(data_dir=tmp_path / "var", brand_kb_dir=kb_dir, environment="test",
                        _env_file=None)  # type: ignore[call-arg]
    engine = GuardrailEngine(settings)

    results = engine.evaluate("Acme ships every order in boxes made from 100% recycled cardboard.", brand="acme")
    supported = next(r for r in results if r.rule == "claims:supported")
    assert "C-010" in supported.evidence
    assert not any(r.check in ("claims", "banned_terms") and not r.passed for r in results)

    flagged = engine.evaluate("The miracle kettle: the #1 choice.", brand="acme")
    assert {"banned_term:miracle", "banned_term:#1"} <= {r.rule for r in flagged if not r.passed}


def test_claims_csv_becomes_approved_claims_with_generated_ids(company, kb_dir):
    report = import_brand(company, kb_dir, "acme")

    claims = yaml.safe_load((kb_dir / "acme" / "claims.yaml").read_text())["approved_claims"]
    assert report.claims == 6
    assert [c["id"] for c in claims] == ["C-010", "C-001", "C-002", "C-003", "C-004", "C-020"]
    assert claims[0] == {"id": "C-010", "text": "Every Acme order ships in boxes made from 100% recycled cardboard.",
                         "products": ["all"], "evidence": "Supplier declaration LB-2", "disclaimer_id": None}
    assert claims[1]["products"] == ["kettle-one", "kettle-two"]
    assert claims[2]["disclaimer_id"] == "D-WARRANTY"
    # The generated brand.yaml defines no disclaimers: the dangling reference is reported, not fatal.
    assert any("D-WARRANTY" in w for w in report.warnings)


def test_claims_in_markdown_bullets_become_approved_claims(kb_dir, tmp_path):
    folder = write(tmp_path / "co", {"claims.md": (
        "# Approved claims\n\nUse these as written.\n\n"
        "- [C-7] Acme kettles boil a litre in\n  under three minutes.\n"
        "* Every kettle is tested before it leaves Leeds.\n"
        "1. C-001 is free, so this one takes it.\n"
    )})

    import_brand(folder, kb_dir, "acme")

    claims = load_brand(kb_dir, "acme").claims
    assert [(c.id, c.text) for c in claims] == [
        ("C-7", "Acme kettles boil a litre in under three minutes."),
        ("C-001", "Every kettle is tested before it leaves Leeds."),
        ("C-002", "C-001 is free, so this one takes it."),
    ]


def test_style_guide_becomes_voice_and_unknown_documents_become_general_knowledge(company, kb_dir):
    report = import_brand(company, kb_dir, "acme")

    target = kb_dir / "acme"
    assert report.style_docs == ["voice/brand-voice-guide.md"]
    assert sorted(report.general_docs) == ["guides/about-us.md", "guides/sales--faq-2024.md",
                                           "guides/sales--notes.md"]
    assert report.policy_docs == ["policy/legal--returns-policy.md"]
    assert (target / "voice" / "brand-voice-guide.md").read_text() == STYLE_GUIDE
    kinds = {p: doc_type_for(Path(p)) for p in report.style_docs + report.general_docs + report.policy_docs}
    assert kinds["voice/brand-voice-guide.md"] == "voice"
    assert {kinds[p] for p in report.general_docs} == {"general"}
    assert kinds["policy/legal--returns-policy.md"] == "policy"


def test_unsupported_files_are_skipped_with_a_reason(company, kb_dir):
    write(company, {"contract.docx": b"PK\x03\x04", "settings.yaml": "a: 1\n", "empty.md": ""})

    report = import_brand(company, kb_dir, "acme")

    skipped = dict(report.skipped)
    assert set(skipped) == {"Brand book 2024.pdf", "logo.png", "contract.docx", "settings.yaml", "empty.md"}
    assert ".pdf files are not read" in skipped["Brand book 2024.pdf"] and "Markdown" in skipped["logo.png"]
    assert "brand.yaml" in skipped["settings.yaml"] and skipped["empty.md"] == "empty file"
    assert not any(".pdf" in p or ".png" in p or "DS_Store" in p for p in snapshot(kb_dir / "acme"))
    assert any("skipped: 5" in line for line in report.summary())


def test_csv_without_claim_column_is_rejected_with_what_to_fix(kb_dir, tmp_path):
    folder = write(tmp_path / "co", {"claims.csv": "id;statement\nC-1;Acme is great\n", "about.md": "# Hi\n\nx\n"})

    with pytest.raises(InvalidInput, match=r"claims.csv: no 'claim' column .*'statement'.*header such as 'id,claim"):
        import_brand(folder, kb_dir, "acme")
    assert not (kb_dir / "acme").exists()


def test_csv_term_list_without_term_column_is_rejected(kb_dir, tmp_path):
    folder = write(tmp_path / "co", {"glossary.csv": "word,instead\ncheap,good value\n"})

    with pytest.raises(InvalidInput, match=r"glossary.csv: no 'term' column .*'term,replacement,reason'"):
        import_brand(folder, kb_dir, "acme")


def test_csv_term_list_reads_replacement_and_reason_columns(kb_dir, tmp_path):
    folder = write(tmp_path / "co", {"BannedTerms.csv": (
        "\ufeffTerm;Replacement;Reason\n"  # what a spreadsheet in many locales exports: a BOM and semicolons
        "detox;;Health claim\n;;\nnumber one;a favourite;Unverifiable ranking\n"
    )})

    import_brand(folder, kb_dir, "acme")

    data = yaml.safe_load((kb_dir / "acme" / "banned_terms.yaml").read_text())
    assert data == {"terms": [
        {"term": "detox", "replacement": None, "reason": "Health claim"},
        {"term": "number one", "replacement": "a favourite", "reason": "Unverifiable ranking"},
    ]}


def test_a_sentence_in_a_term_list_is_rejected_with_the_line(kb_dir, tmp_path):
    folder = write(tmp_path / "co", {"terms.txt": "cheap\nPlease never describe our kettles as cheap or flimsy.\n"})

    with pytest.raises(InvalidInput, match=r"terms.txt line 2: .*reads as a sentence"):
        import_brand(folder, kb_dir, "acme")


def test_terms_and_conditions_are_a_document_not_a_term_list(kb_dir, tmp_path):
    folder = write(tmp_path / "co", {"terms-and-conditions.txt": "1. Orders are binding once paid.\n"})

    report = import_brand(folder, kb_dir, "acme")

    assert report.terms == 0 and report.general_docs == ["guides/terms-and-conditions.md"]


def test_non_utf8_file_is_rejected_and_nothing_is_written(company, kb_dir):
    import_brand(company, kb_dir, "acme")
    before = snapshot(kb_dir / "acme")
    write(company, {"About us.md": "Caf\xe9 culture".encode("latin-1"), "new.md": "# New\n\ntext\n"})

    with pytest.raises(InvalidInput, match=r"About us.md: not UTF-8 text; save it as UTF-8"):
        import_brand(company, kb_dir, "acme")
    assert snapshot(kb_dir / "acme") == before


def test_empty_folder_is_rejected(kb_dir, tmp_path):
    (tmp_path / "empty").mkdir()
    with pytest.raises(InvalidInput, match="is empty; put the brand's term list"):
        import_brand(tmp_path / "empty", kb_dir, "acme")
    only_pdf = write(tmp_path / "pdfs", {"brand.pdf": b"%PDF"})
    with pytest.raises(InvalidInput, match=r"nothing the factory can read .*brand.pdf"):
        import_brand(only_pdf, kb_dir, "acme")


def test_duplicate_claim_ids_are_rejected(kb_dir, tmp_path):
    folder = write(tmp_path / "co", {"claims.csv": "id,claim\nC-1,One thing.\n", "more-claims.md": "- [C-1] Two.\n"})

    with pytest.raises(InvalidInput, match=r"claim id 'C-1' is used twice \(claims.csv, more-claims.md\)"):
        import_brand(folder, kb_dir, "acme")


def test_without_brand_yaml_one_is_generated(kb_dir, tmp_path):
    folder = write(tmp_path / "co", {"about.md": "# About\n\nWe make things.\n"})

    report = import_brand(folder, kb_dir, "acme-foods")

    profile = load_brand(kb_dir, "acme-foods")
    assert profile.name == "Acme Foods" and profile.channels == ["linkedin", "instagram", "email", "blog", "x"]
    assert profile.required_disclaimers == [] and report.generated[0].startswith("brand.yaml")


def test_a_folder_already_in_canonical_form_is_copied_unchanged(kb_dir, tmp_path):
    source = tmp_path / "fernhill-export"
    shutil.copytree(DEMO, source)

    report = import_brand(source, kb_dir, "fern-copy")

    copied = {p.relative_to(kb_dir / "fern-copy").as_posix(): p.read_bytes()
              for p in (kb_dir / "fern-copy").rglob("*") if p.is_file() and p.name != MARKER}
    original = {p.relative_to(DEMO).as_posix(): p.read_bytes() for p in DEMO.rglob("*") if p.is_file()}
    assert copied == original
    assert report.terms == len(load_brand(DEMO.parent, "fernhill").banned_terms) and not report.generated


def test_vale_rules_named_by_style_yaml_are_copied_and_a_missing_one_is_rejected(kb_dir, tmp_path):
    rule = "extends: existence\nmessage: \"Avoid '%s'\"\nlevel: warning\ntokens: [synergy]\n"
    folder = write(tmp_path / "co", {"style.yaml": "vale_rules: [vale]\n", "vale/Acme/Jargon.yml": rule,
                                     "about.md": "# About\n\nWe make kettles.\n"})

    report = import_brand(folder, kb_dir, "acme")

    assert "vale/Acme/Jargon.yml" in report.copied
    assert (kb_dir / "acme" / "vale" / "Acme" / "Jargon.yml").read_text() == rule
    (folder / "style.yaml").write_text("vale_rules: [rules/missing]\n")
    with pytest.raises(InvalidInput, match="vale_rules names rules/missing, which is not in the folder"):
        import_brand(folder, kb_dir, "acme")


def test_reimport_of_unchanged_folder_changes_nothing(company, kb_dir, settings):
    target = kb_dir / "acme"
    import_brand(company, kb_dir, "acme")
    store, embedder = build_store(settings, HashingEmbedder()), HashingEmbedder()
    assert ingest_folder(target, brand="acme", store=store, embedder=embedder).chunks_written > 0
    before = snapshot(target)

    again = import_brand(company, kb_dir, "acme")

    assert again.written == [] and again.removed == []
    assert snapshot(target) == before  # same bytes, and not even rewritten
    assert not ingest_folder(target, brand="acme", store=store, embedder=embedder).wrote_anything


def test_a_file_removed_from_the_source_disappears_from_the_canonical_folder(company, kb_dir):
    import_brand(company, kb_dir, "acme")
    (company / "Sales" / "FAQ 2024.md").unlink()
    (company / "Banned terms.txt").unlink()

    report = import_brand(company, kb_dir, "acme")

    assert sorted(report.removed) == ["banned_terms.yaml", "guides/sales--faq-2024.md"]
    assert not (kb_dir / "acme" / "guides" / "sales--faq-2024.md").exists()
    assert load_brand(kb_dir, "acme").banned_terms == []


def test_the_brand_folder_itself_is_used_in_place(tmp_path):
    kb = tmp_path / "kb"
    shutil.copytree(DEMO, kb / "fernhill")
    before = snapshot(kb / "fernhill")

    report = import_brand(kb / "fernhill", kb, "fernhill")

    assert report.in_place and "in place" in report.summary()[0]
    assert snapshot(kb / "fernhill") == before


def test_a_brand_that_was_not_imported_is_never_overwritten(company, tmp_path):
    kb = tmp_path / "kb"
    shutil.copytree(DEMO, kb / "fernhill")

    with pytest.raises(InvalidInput, match="was not imported"):
        import_brand(company, kb, "fernhill")
    assert (kb / "fernhill" / "claims.yaml").read_bytes() == (DEMO / "claims.yaml").read_bytes()


def test_a_bad_slug_is_rejected(company, kb_dir):
    with pytest.raises(InvalidInput, match="not a valid slug"):
        import_brand(company, kb_dir, "../Acme")


# The command line -----------------------------------------------------------------------------------


@pytest.fixture
def cli_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, kb_dir: Path) -> Iterator[list[Deps]]:
    """The CLI's settings point at this test's folders; its deps use the hashing embedder (no model)."""
    monkeypatch.setenv("CF_DATA_DIR", str(tmp_path / "var"))
    monkeypatch.setenv("CF_BRAND_KB_DIR", str(kb_dir))
    context.settings.cache_clear()
    context.deps.cache_clear()
    built: list[Deps] = []

    def deps() -> Deps:
        if not built:
            d = build_deps(context.settings(), enqueue=RecordingEnqueue(), llm_factory=FakeLLM,
                           embedder=HashingEmbedder())
            upgrade(d.engine)
            built.append(d)
        return built[0]

    monkeypatch.setattr(context, "deps", deps)
    yield built
    for d in built:
        d.engine.dispose()
    context.settings.cache_clear()


def test_cli_imports_a_company_folder_then_ingests_the_canonical_folder(company, kb_dir, cli_env):
    result = CliRunner().invoke(cli, ["kb", "ingest", str(company), "--brand", "acme"])

    assert result.exit_code == 0, result.output
    assert "terms: 4 (from Banned terms.txt)" in result.output
    assert "claims: 6 (from approved-claims.csv)" in result.output
    assert "style docs: 1 (voice/brand-voice-guide.md)" in result.output
    assert "general docs: 3" in result.output and "Brand book 2024.pdf" in result.output
    assert cli_env[0].store.count("acme") > 0
    again = CliRunner().invoke(cli, ["kb", "ingest", str(company), "--brand", "acme"])
    assert "0 written, 0 removed" in again.output and "0 added, 0 replaced" in again.output


def test_cli_requires_brand_for_a_folder_outside_the_kb(company, cli_env):
    result = CliRunner().invoke(cli, ["kb", "ingest", str(company)])

    assert result.exit_code == 2
    assert "--brand <slug>" in result.output and not cli_env


# Term lists: vocabulary to accept unless the name says words to avoid ---------------------------------


def engine_for(kb_dir: Path, tmp_path: Path) -> GuardrailEngine:
    settings = Settings(data_dir=tmp_path / "var", brand_kb_dir=kb_dir, environment="test",
                        _env_file=None)  # type: ignore[call-arg]
    return GuardrailEngine(settings)


def test_glossary_of_the_brands_own_names_is_vocabulary_never_a_ban(kb_dir, tmp_path):
    folder = write(tmp_path / "co", {
        "glossary.txt": "# Our product names, spelled our way\nNimbus Drive\nHalo Sync\ne-mail -> email\n",
        "about.md": "# About\n\nWe make storage for small teams.\n",
    })
    report = import_brand(folder, kb_dir, "nimbus")

    assert report.terms == 0 and report.vocabulary == 3 and report.vocabulary_lists == ["glossary.txt"]
    assert "    glossary.txt: accepted vocabulary -> style.yaml" in report.summary()
    assert not (kb_dir / "nimbus" / "banned_terms.yaml").exists()
    engine = engine_for(kb_dir, tmp_path)
    ok = engine.evaluate("Sync your files with Nimbus Drive.\nHalo Sync keeps your team current.\nStart now",
                         brand="nimbus")
    assert not [r for r in ok if r.blocks] and not [r for r in ok if r.check == "banned_terms" and not r.passed]
    cased = engine.evaluate("Sync your files\nwith nimbus drive and HALO SYNC.\nStart now", brand="nimbus")
    findings = {r.rule: r for r in cased if r.check == "style" and not r.passed}
    assert {"style:capitalisation:Nimbus Drive", "style:capitalisation:Halo Sync"} <= set(findings)
    assert findings["style:capitalisation:Nimbus Drive"].suggestion == "Nimbus Drive"
    assert not [r for r in cased if r.blocks]


@pytest.mark.parametrize("name", ["reject.txt", "do-not-use.txt", "words_to_avoid.txt", "blocklist.csv",
                                  "Dont use.txt"])
def test_lists_named_as_words_to_avoid_become_banned_terms(kb_dir, tmp_path, name):
    body = "term,reason\nrevolutionary,hype\n" if name.endswith(".csv") else "revolutionary\n"
    report = import_brand(write(tmp_path / "co", {name: body}), kb_dir, "demo")

    assert report.term_lists == [name] and report.vocabulary_lists == []
    assert f"    {name}: words to avoid -> banned_terms.yaml" in report.summary()
    assert [t.term for t in load_brand(kb_dir, "demo").banned_terms] == ["revolutionary"]


def test_vale_accept_and_reject_lists_go_their_own_ways(kb_dir, tmp_path):
    folder = write(tmp_path / "co", {
        "vocab/accept.txt": "Quillmate\n[Oo]bservability\n",
        "vocab/reject.txt": "synergy\n",
    })
    report = import_brand(folder, kb_dir, "quill")

    assert report.vocabulary_lists == ["vocab/accept.txt"] and report.term_lists == ["vocab/reject.txt"]
    assert any("[Oo]bservability" in w and "pattern" in w for w in report.warnings)
    style = yaml.safe_load((kb_dir / "quill" / "style.yaml").read_text(encoding="utf-8"))
    assert style["proper_nouns"] == ["Quillmate"]
    assert [t.term for t in load_brand(kb_dir, "quill").banned_terms] == ["synergy"]


def test_vocabulary_is_merged_with_the_brands_own_style_yaml(kb_dir, tmp_path):
    folder = write(tmp_path / "co", {
        "style.yaml": "proper_nouns: [Fjordkaffe]\nlimits: {exclamation_max: 1}\n",
        "Product names.txt": "Fjordkaffe\nÖlandsbryggd\n",
    })
    report = import_brand(folder, kb_dir, "fjord")

    style = yaml.safe_load((kb_dir / "fjord" / "style.yaml").read_text(encoding="utf-8"))
    assert style["proper_nouns"] == ["Fjordkaffe", "Ölandsbryggd"] and style["limits"] == {"exclamation_max": 1}
    assert any("Fjordkaffe" in w and "listed already" in w for w in report.warnings)


def test_import_report_names_vale_rules_that_cannot_run(kb_dir, tmp_path):
    folder = write(tmp_path / "co", {
        "style.yaml": "vale_rules: [styles/House]\n",
        "styles/House/Spelling.yml": "extends: spelling\nmessage: x\n",
        "styles/House/Hype.yml": "extends: existence\nmessage: x\ntokens: [synergy]\n",
        "about.md": "# About\n\nText.\n",
    })
    report = import_brand(folder, kb_dir, "house")

    [line] = report.vale_not_run
    assert "House.Spelling" in line and "styles/House/Spelling.yml" in line and "Hunspell" in line
    assert any(s.startswith("  not run: vale rule House.Spelling") for s in report.summary())
