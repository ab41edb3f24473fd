"""The guardrails measured on German data: the "Measured in German" table of GUARDRAILS.md.

:func:`german_measure` returns :class:`~app.evaluation.guardrail_report.Row` values, per check, from
``german/`` in the shared data sets (see its SOURCES.md):

- **false alarms on real German copy**: every check on the 656 thunderbird.net marketing strings (MPL-2.0),
  checked as German for the demo brand: texts blocked and texts with any finding;
- **toxicity**: precision, recall and ROC AUC on the GermEval 2018 sample (150 offensive tweets, 150 not),
  the German rules on all of it and, with the learned German grade, on the third it was not trained on;
- **claims**: misleading German claims blocked (court rulings, the HCVO register, consumer centres) and the
  lawful ones blocked (unsupported for a brand that did not approve them), and the blocks on the thunderbird
  strings with the German rules beside their English source strings with the English rules (the same copy);
- **banned terms**: Wikimedia Deutschland's insult list as a brand's banned terms: its allow-list of names
  and words that contain a bad word (Scunthorpe probes), every term with an umlaut or "ß" written in its
  two-letter spelling and in capitals, and the thunderbird strings it would flag;
- **style**: words counted as a reader counts them, and Vale's ``$sentence`` capitalisation on short German
  strings (headings and buttons) read as German and, for comparison, with English rules.

Nothing here is asserted; the tests that pin behaviour sit beside each check.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from app.brand import BannedTerm, BrandProfile
from app.guardrails.base import Check, CheckContext

if TYPE_CHECKING:
    from app.evaluation.guardrail_report import Row

_GERMAN = Path("german")
_ASCII_WORD = re.compile(r"[A-Za-z]+")  # how the style rules read words before they knew any other letters
_HEADING_WORDS = 8


def german_measure(datasets_dir: Path, profile: BrandProfile) -> list[Row]:
    """Every German row, in the order of the table."""
    from app.evaluation.guardrail_metrics import german_marketing_strings

    copy = [r["text"] for r in german_marketing_strings(datasets_dir)]
    sources = [r["source_en"] for r in german_marketing_strings(datasets_dir)]
    return [*_false_alarm_rows(copy, profile), *_toxicity_rows(datasets_dir, copy), *_claims_rows(datasets_dir, profile,
            copy, sources), *_banned_terms_rows(datasets_dir, copy), *_style_rows(copy, sources, profile)]


def _false_alarm_rows(copy: list[str], profile: BrandProfile) -> list[Row]:
    from app.evaluation.guardrail_report import Row, _all_checks, _pct
    from app.guardrails.quality import QualityCheck

    ctx = CheckContext(brand=profile, language="de")
    rows = []
    checks: list[Check] = [*_all_checks(), QualityCheck()]
    for check in checks:
        blocks = alarms = 0
        for text in copy:
            results = check.run(text, ctx)
            blocks += any(r.blocks for r in results)
            alarms += any(not r.passed for r in results)
        aim = "< 1%" if check.name == "claims" else ""
        rows.append(Row(f"German copy: {check.name}", "texts blocked / with any finding (brief language de)",
                        "thunderbird_de_marketing_strings", len(copy),
                        f"{_pct(blocks, len(copy))} / {_pct(alarms, len(copy))}", aim))
    return rows


def _toxicity_rows(datasets_dir: Path, copy: list[str]) -> list[Row]:
    """The German rules on the whole GermEval sample; rules and rules + learned grade on its held-out third
    (the learned grade was fitted on the other two thirds); judge candidates on real German copy."""
    from app.evaluation.guardrail_metrics import _rows, scored_metrics
    from app.evaluation.guardrail_report import Row, _ratio
    from app.guardrails.toxicity import DEFAULT_THRESHOLD, ProfanityCheckBackend, text_scores
    from app.guardrails.toxicity.german_learned import GermanAbuseScorer, is_held_out
    from app.guardrails.toxicity.scoring import score_text

    rows = _rows(datasets_dir / _GERMAN / "toxicity" / "germeval2018_train_sample_300.csv")
    backend, german, threshold = ProfanityCheckBackend(), GermanAbuseScorer(), DEFAULT_THRESHOLD
    out = []
    for data, chosen in (("germeval2018_train_sample_300 (150 offensive)", rows),
                         ("its held-out third (never trained on)", [r for r in rows if is_held_out(r["orig_line"])])):
        texts, labels = [r["text"] for r in chosen], [int(r["is_toxic"]) for r in chosen]
        stages = [("German rules", None)] + ([("German rules + learned grade", german)] if len(chosen) < len(rows)
                                             else [])
        for stage, scorer in stages:
            m = scored_metrics(labels, text_scores(backend, texts, threshold, german=scorer), threshold)
            out.append(Row("German: toxicity", f"{stage}: precision / recall at {threshold}; ROC AUC", data,
                           int(m["n"]), f"{m['precision']:.3f} / {m['recall']:.3f}; {m['auc']:.3f}"))
    asked = sum(any(s.unsure for s in score_text(backend, t, threshold, "de", german=german).sentences)
                for t in copy)
    out.append(Row("German: toxicity", "texts a judge would be asked about (rules + learned grade)",
                   "thunderbird_de_marketing_strings", len(copy), _ratio(asked, len(copy))))
    return out


def _claims_rows(datasets_dir: Path, profile: BrandProfile, copy: list[str], sources: list[str]) -> list[Row]:
    from app.evaluation.claims_metrics import german_claims_metrics
    from app.evaluation.guardrail_report import Row, _pct, _ratio
    from app.guardrails.claims import ClaimsCheck

    m = german_claims_metrics(datasets_dir, profile)
    data = "german_claims_dev (transcribed rulings and HCVO wording)"
    rows = [Row("German: claims", "misleading claims blocked (rules only)", data, m["misleading"],
                _ratio(m["blocked"], m["misleading"])),
            Row("German: claims", "misleading claims found as claims", data, m["misleading"],
                _ratio(m["found_as_claims"], m["misleading"])),
            Row("German: claims", "lawful wording blocked (not approved by the demo brand)", data, m["controls"],
                f"{m['controls_blocked']}/{m['controls']}")]
    check = ClaimsCheck()
    for label, texts, language in (("thunderbird de strings, German rules", copy, "de"),
                                   ("the same strings' English sources, English rules", sources, "en")):
        ctx = CheckContext(brand=profile, language=language)
        blocked = sum(any(r.blocks for r in check.run(t, ctx)) for t in texts)
        rows.append(Row("German: claims", "real copy blocked (rules only; mostly 'kostenlos'/'free' offers)",
                        label, len(texts), _pct(blocked, len(texts))))
    return rows


def _banned_terms_rows(datasets_dir: Path, copy: list[str]) -> list[Row]:
    from app.evaluation.guardrail_report import Row, _pct, _ratio
    from app.guardrails.banned_terms import BannedTermsCheck

    folder = datasets_dir / _GERMAN / "banned_words"
    bad = _lines(folder / "wmde_bad_words_de.txt")
    allowed = _lines(folder / "wmde_white_words_de.txt")
    brand = BrandProfile(slug="wmde", name="WMDE list", folder=folder,
                         banned_terms=[BannedTerm(term, "insult (WMDE list)") for term in bad])
    check, ctx = BannedTermsCheck(), CheckContext(brand=brand, language="de")

    def flagged(text: str) -> bool:
        return any(not r.passed for r in check.run(text, ctx))

    spelled = [t for t in bad if re.search("[äöüß]", t)]
    variants = [v for t in spelled for v in (_two_letter(t), t.upper(), _two_letter(t).upper())]
    data = "wmde_bad_words_de as banned terms"
    # The allow-list holds words with a bad word inside (Warschau, Staatsexamen) and names that are one
    # (surnames, a tick): whole-word matching can pass only the first kind.
    terms = {t.casefold() for t in bad}
    inside = [w for w in allowed if w.casefold() not in terms]
    named = [w for w in allowed if w.casefold() in terms]
    return [
        Row("German: banned_terms", "allow-list words with a term inside flagged (Scunthorpe probes)", data,
            len(inside), _ratio(sum(map(flagged, inside)), len(inside))),
        Row("German: banned_terms", "allow-list names equal to a term flagged (a list cannot tell them)", data,
            len(named), _ratio(sum(map(flagged, named)), len(named))),
        Row("German: banned_terms", "terms with ä/ö/ü/ß found as ae/oe/ue/ss and in capitals", data, len(variants),
            _ratio(sum(flagged(f"Das ist {v} hier.") for v in variants), len(variants))),
        Row("German: banned_terms", "real German copy flagged", "thunderbird_de_marketing_strings", len(copy),
            _pct(sum(map(flagged, copy)), len(copy))),
    ]


def _style_rows(copy: list[str], sources: list[str], profile: BrandProfile) -> list[Row]:
    from app.evaluation.guardrail_report import Row, _pct, _ratio
    from app.guardrails.style import StyleCheck, word_spans
    from app.guardrails.style.vale.casing import WORD, german_sentence_cased, sentence_cased

    counted = sum(len(word_spans(t)) == len(_reader_words(t)) for t in copy)
    ascii_counted = sum(len(_ASCII_WORD.findall(t)) == len(_reader_words(t)) for t in copy)
    headings = [t for t in copy if len(t.split()) <= _HEADING_WORDS and not t.rstrip().endswith((".", "?", "!"))]
    words = [WORD.findall(h) for h in headings]
    german = sum(not german_sentence_cased(w, None, 0.8) for w in words)
    english = sum(not sentence_cased(w, None, (), 0.8) for w in words)
    check = StyleCheck()
    findings = {language: sum(any(not r.passed for r in check.run(t, CheckContext(brand=profile, language=language)))
                              for t in texts) for language, texts in (("de", copy), ("en", sources))}
    return [
        Row("German: style", "texts with any finding (warnings): German strings (their English sources)",
            "thunderbird_de_marketing_strings, demo brand's style", len(copy),
            f"{_pct(findings['de'], len(copy))} ({_pct(findings['en'], len(sources))})"),
        Row("German: style", "word count equals a reader's count (ASCII reading before)",
            "thunderbird_de_marketing_strings", len(copy), f"{_ratio(counted, len(copy))} "
            f"({_ratio(ascii_counted, len(copy))})"),
        Row("German: style", "Vale $sentence alerts, German sentence case (English reading)",
            f"thunderbird de strings of <= {_HEADING_WORDS} words (headings, buttons)", len(headings),
            f"{_ratio(german, len(headings))} ({_ratio(english, len(headings))})"),
    ]


def _reader_words(text: str) -> list[str]:
    """Whitespace-separated tokens that start with a letter once punctuation is stripped: a reader's words."""
    tokens = (t.strip("\"'()[]{}.,;:!?\u201e\u201c\u201d\u2013\u2014\u2026/") for t in text.split())
    return [t for t in tokens if t[:1].isalpha()]


def _two_letter(term: str) -> str:
    return term.replace("ä", "ae").replace("ö", "oe").replace("ü", "ue").replace("ß", "ss")


def _lines(path: Path) -> list[str]:
    return [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
