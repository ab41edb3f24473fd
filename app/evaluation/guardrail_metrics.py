"""Guardrail metrics on the shared third-party data sets: pure functions that return dicts, no printing.

The data sets live outside the repository (``../shared/datasets`` beside the checkout, see its
SOURCES.md); every function takes the folder so callers can point elsewhere. A missing file raises
FileNotFoundError: a measurement that could not run is not a zero.

- :func:`toxicity_metrics`: per toxicity data set, n, positives, precision, recall, F1 at a threshold
  and ROC AUC of the score :class:`~app.guardrails.toxicity.ToxicityCheck` acts on (max over the
  sentences and the whole text, rules included). Positives: davidson ``is_toxic`` (hate or offensive),
  jigsaw any of its six labels. :func:`german_toxicity_metrics` does the same on the GermEval 2018 sample
  (``is_toxic`` = OFFENSE) and on this project's own implicit-hate dev set
  (``evals/toxicity/implicit_hate_dev.jsonl``, :func:`implicit_hate_set`); :func:`judge_candidates`
  counts the sentences per text the check would send to a judge.
- :func:`injection_metrics`: recall of :func:`~app.guardrails.injection.scan_injection` on the
  llm-guard injections and jailbreak templates; false-alarm rate on NotInject and on llm-guard's
  benign prompts.
- :func:`false_alarm_rate`: share of texts on which a check reports any failed result.
- :func:`clean_copy_paragraphs`: real marketing/editorial copy (the demo brand's guides and the 18F
  content guide) split into paragraphs, for false-alarm rates.
- For the quality check, real text as it is read rather than as Markdown source: :func:`style_guide_prose`
  (the 18F guide rendered: links to their text, lists to items), :func:`prose_variant` (a paragraph as a
  headline/body/CTA variant), :func:`vale_clean_lines` (the Vale fixtures' lines with no expected finding),
  :func:`german_marketing_strings`; :func:`blocked_share` counts what a check blocks on them;
  :func:`key_message_pairs` gives the similarities behind the key-message threshold; :func:`drafts_metrics`
  measures recall and false alarms on the hand-labelled drafts of ``evals/quality/collected_drafts.jsonl``.

The figures measured with these functions, and the thresholds chosen from them, are in the
docstrings of ``app.guardrails.toxicity`` and ``app.guardrails.injection``.
"""

from __future__ import annotations

import csv
import html
import json
import re
import statistics
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from app.brand import BrandProfile
from app.guardrails.base import Check, CheckContext
from app.guardrails.injection import JUDGE_FLOOR, InjectionVerdict, scan_injection
from app.guardrails.toxicity import ToxicityBackend, text_scores
from app.guardrails.toxicity.learned import ImplicitHateScorer
from app.guardrails.toxicity.scoring import score_text
from app.retrieval.embedder import Embedder

DEFAULT_DATASETS = Path(__file__).resolve().parents[2].parent / "shared" / "datasets"
DEFAULT_BRAND_GUIDES = Path(__file__).resolve().parents[2] / "brand_kb" / "fernhill" / "guides"
DEFAULT_PLANTED = Path(__file__).resolve().parents[2] / "evals" / "injection"
DEFAULT_COLLECTED_DRAFTS = Path(__file__).resolve().parents[2] / "evals" / "quality" / "collected_drafts.jsonl"
DEFAULT_IMPLICIT_HATE = Path(__file__).resolve().parents[2] / "evals" / "toxicity"

JIGSAW_LABELS = ("toxic", "severe_toxic", "obscene", "threat", "insult", "identity_hate")


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def toxicity_datasets(datasets_dir: Path = DEFAULT_DATASETS) -> dict[str, tuple[list[str], list[int]]]:
    """``{name: (texts, labels)}`` for the toxicity data sets, label 1 = toxic."""
    folder = datasets_dir / "toxicity"
    davidson = _rows(folder / "davidson_sample_300.csv")
    jigsaw = _rows(folder / "jigsaw_max_test_examples.csv")
    return {
        "davidson_sample_300": ([r["tweet"] for r in davidson], [int(r["is_toxic"]) for r in davidson]),
        "jigsaw_max_test_examples": (
            [r["comment_text"] for r in jigsaw],
            [int(any(r[label] == "1" for label in JIGSAW_LABELS)) for r in jigsaw],
        ),
    }


def toxicity_metrics(backend: ToxicityBackend, threshold: float, datasets_dir: Path = DEFAULT_DATASETS,
                     scorer: ImplicitHateScorer | None = None) -> dict[str, dict[str, float]]:
    """Per English data set: n, positives, precision, recall, f1 at ``threshold``, and ROC AUC; with
    ``scorer``, sentences that name a group also get the learned grade, as in the check."""
    return {name: scored_metrics(labels, text_scores(backend, texts, threshold, scorer), threshold)
            for name, (texts, labels) in toxicity_datasets(datasets_dir).items()}


def german_toxicity_dataset(datasets_dir: Path = DEFAULT_DATASETS) -> tuple[list[str], list[int]]:
    """GermEval 2018 sample: (texts, labels), label 1 = OFFENSE (abuse, insult or profanity)."""
    rows = _rows(datasets_dir / "german" / "toxicity" / "germeval2018_train_sample_300.csv")
    return [r["text"] for r in rows], [int(r["is_toxic"]) for r in rows]


def implicit_hate_set(name: str = "implicit_hate_dev", folder: Path = DEFAULT_IMPLICIT_HATE,
                      ) -> tuple[list[str], list[int]]:
    """This project's hand-written implicit-hate sentences (``evals/toxicity/<name>.jsonl``): label 1 =
    demeans a group or person without slurs, 0 = benign mention of a group, idiom, negation or mention."""
    rows = [json.loads(line) for line in (folder / f"{name}.jsonl").read_text(encoding="utf-8").splitlines()
            if line.strip()]
    return [str(r["text"]) for r in rows], [int(r["label"]) for r in rows]


def german_toxicity_metrics(backend: ToxicityBackend, threshold: float, datasets_dir: Path = DEFAULT_DATASETS,
                            folder: Path = DEFAULT_IMPLICIT_HATE, scorer: ImplicitHateScorer | None = None,
                            ) -> dict[str, dict[str, float]]:
    """As :func:`toxicity_metrics` on the GermEval sample and on each of this project's implicit-hate sets."""
    sets = {"germeval2018_sample_300": german_toxicity_dataset(datasets_dir)}
    sets |= {path.stem: implicit_hate_set(path.stem, folder) for path in sorted(folder.glob("implicit_hate_*.jsonl"))}
    return {name: scored_metrics(labels, text_scores(backend, texts, threshold, scorer), threshold)
            for name, (texts, labels) in sets.items()}


def scored_metrics(labels: Sequence[int], scores: Sequence[float], threshold: float) -> dict[str, float]:
    """n, positives, threshold, precision, recall, f1 and ROC AUC of ``scores`` against ``labels``."""
    return {"n": len(labels), "positives": sum(labels), "threshold": threshold,
            **classification_metrics(labels, [s >= threshold for s in scores]), "auc": roc_auc(labels, scores)}


def judge_candidates(backend: ToxicityBackend, texts: Sequence[str], threshold: float,
                     scorer: ImplicitHateScorer | None = None) -> list[int]:
    """Per text, how many sentences the toxicity check would ask a judge about (its *unsure* ones)."""
    return [sum(s.unsure for s in score_text(backend, text, threshold, scorer=scorer).sentences) for text in texts]


def classification_metrics(labels: Sequence[int], predicted: Sequence[bool]) -> dict[str, float]:
    tp = sum(1 for y, p in zip(labels, predicted, strict=True) if y and p)
    fp = sum(1 for y, p in zip(labels, predicted, strict=True) if not y and p)
    fn = sum(1 for y, p in zip(labels, predicted, strict=True) if y and not p)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}


def roc_auc(labels: Sequence[int], scores: Sequence[float]) -> float:
    """ROC AUC as the Mann-Whitney rank statistic (ties get average ranks)."""
    order = sorted(range(len(scores)), key=lambda i: scores[i])
    ranks = [0.0] * len(scores)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and scores[order[j + 1]] == scores[order[i]]:
            j += 1
        for k in range(i, j + 1):
            ranks[order[k]] = (i + j) / 2 + 1  # average 1-based rank of the tie group
        i = j + 1
    positives = sum(1 for y in labels if y)
    negatives = len(labels) - positives
    if not positives or not negatives:
        raise ValueError("ROC AUC needs both classes")
    rank_sum = sum(r for r, y in zip(ranks, labels, strict=True) if y)
    return (rank_sum - positives * (positives + 1) / 2) / (positives * negatives)


def injection_datasets(datasets_dir: Path = DEFAULT_DATASETS,
                       planted_dir: Path = DEFAULT_PLANTED) -> dict[str, tuple[list[str], int]]:
    """``{name: (texts, expected is_injection)}``: llm-guard's tests split by their label, the jailbreak templates,
    NotInject, and this project's planted-instruction sets in ``evals/injection/`` (``planted_dev*`` were used to
    write the rules, ``planted_heldout`` was written after them and measured once), each split by label."""
    folder = datasets_dir / "prompt_injection"
    tests = _rows(folder / "llm_guard_prompt_injection_tests.csv")
    sets = {
        "llm_guard_injections": ([r["text"] for r in tests if r["is_injection"] == "1"], 1),
        "llm_guard_jailbreaks": ([r["text"] for r in _rows(folder / "llm_guard_jailbreak_templates.csv")], 1),
        "notinject_benign": ([r["text"] for r in _rows(folder / "notinject_benign_trigger_words.csv")], 0),
        "llm_guard_benign": ([r["text"] for r in tests if r["is_injection"] == "0"], 0),
    }
    dev = ["planted_dev.jsonl", *(f"planted_dev_round{n}.jsonl" for n in range(2, 9))]
    for name, files in (("planted_dev", dev), ("planted_heldout", ["planted_heldout.jsonl"])):
        rows = [json.loads(line) for f in files for line in (planted_dir / f).read_text(encoding="utf-8").splitlines()
                if line.strip()]
        sets[name] = ([r["text"] for r in rows if r["is_injection"]], 1)
        sets[f"{name}_benign"] = ([r["text"] for r in rows if not r["is_injection"]], 0)
    return sets


def injection_metrics(
    datasets_dir: Path = DEFAULT_DATASETS, scan: Callable[[str], InjectionVerdict] = scan_injection,
) -> dict[str, dict[str, float]]:
    """Recall on each attack set, false-alarm rate on each benign set, with n; ``candidates``: texts whose rules
    score reaches :data:`~app.guardrails.injection.JUDGE_FLOOR` (what a judge would be asked about on drafts)."""
    results: dict[str, dict[str, float]] = {}
    for name, (texts, expected) in injection_datasets(datasets_dir).items():
        verdicts = [scan(text) for text in texts]
        flagged = sum(1 for v in verdicts if v.is_injection)
        metric = "recall" if expected else "false_alarm_rate"
        results[name] = {"n": len(texts), "flagged": flagged, metric: flagged / len(texts),
                         "candidates": sum(1 for v in verdicts if v.score >= JUDGE_FLOOR)}
    return results


def injection_clean_copy_metrics(datasets_dir: Path = DEFAULT_DATASETS) -> dict[str, dict[str, int]]:
    """Texts flagged as injection (``flagged``) and put to a judge (``candidates``) on real copy the project did
    not write: 18F paragraphs and rendered prose units, German thunderbird.net marketing strings, every prose line
    of the Vale packages' fixtures; and on the demo brand's own KB documents (guides, policies, voice guide:
    written by this project, but the kind of text KB ingestion screens, imperatives to human writers included)."""
    kb = sorted((DEFAULT_BRAND_GUIDES.parent).glob("**/*.md"))
    sets = {
        "18f_paragraphs": clean_copy_paragraphs(datasets_dir)["18f_content_guide"],
        "18f_prose_units": [u.text for u in style_guide_prose(datasets_dir)],
        "german_marketing_strings": [r["text"] for r in german_marketing_strings(datasets_dir)],
        "vale_fixture_lines": vale_clean_lines(datasets_dir, clean_only=False),
        "fernhill_kb_paragraphs": [p for f in kb for p in markdown_paragraphs(f.read_text(encoding="utf-8"))],
    }
    out = {}
    for name, texts in sets.items():
        verdicts = [scan_injection(text) for text in texts]
        out[name] = {"n": len(texts), "flagged": sum(v.is_injection for v in verdicts),
                     "candidates": sum(v.score >= JUDGE_FLOOR for v in verdicts)}
    return out


def injection_latency(datasets_dir: Path = DEFAULT_DATASETS, *, words: int = 150,
                      texts: int = 60) -> dict[str, float]:
    """p50 / p95 ms of the rules-only scan over ``texts`` different ``words``-word texts cut from the 18F prose,
    wall clock and (``cpu_p50_ms`` / ``cpu_p95_ms``) this thread's CPU time: on a loaded machine the wall clock
    mostly measures waiting for a core."""
    prose = " ".join(u.text for u in style_guide_prose(datasets_dir)).split()
    samples, cpu = [], []
    for i in range(texts):
        text = " ".join(prose[i * words:(i + 1) * words])
        started, started_cpu = time.perf_counter(), time.thread_time()
        scan_injection(text)
        samples.append((time.perf_counter() - started) * 1000)
        cpu.append((time.thread_time() - started_cpu) * 1000)
    return {"n": texts, "words": words, "p50_ms": statistics.median(samples),
            "p95_ms": statistics.quantiles(samples, n=20)[18], "cpu_p50_ms": statistics.median(cpu),
            "cpu_p95_ms": statistics.quantiles(cpu, n=20)[18]}


def false_alarm_rate(check: Check, texts: Sequence[str], ctx: CheckContext) -> float:
    """Share of ``texts`` (all meant to be clean) on which ``check`` reports a failed result."""
    if not texts:
        raise ValueError("no texts to measure false alarms on")
    alarms = sum(1 for text in texts if any(not r.passed for r in check.run(text, ctx)))
    return alarms / len(texts)


_FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.DOTALL)
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")


def clean_copy_paragraphs(datasets_dir: Path = DEFAULT_DATASETS,
                          brand_guides: Path = DEFAULT_BRAND_GUIDES) -> dict[str, list[str]]:
    """Paragraphs (3+ words, front matter dropped) of the brand guides and of the 18F content guide."""
    sources = {
        "fernhill_guides": sorted(brand_guides.glob("*.md")),
        "18f_content_guide": sorted(p for p in (datasets_dir / "style_guides" / "18f").glob("*.md")
                                    if p.name != "LICENSE.md"),
    }
    paragraphs: dict[str, list[str]] = {}
    for name, files in sources.items():
        if not files:
            raise FileNotFoundError(f"no Markdown files for {name}")
        paragraphs[name] = [p for f in files for p in markdown_paragraphs(f.read_text(encoding="utf-8"))]
    return paragraphs


def markdown_paragraphs(markdown: str) -> list[str]:
    body = _FRONT_MATTER.sub("", markdown)
    return [p.strip() for p in _PARAGRAPH_BREAK.split(body) if len(p.split()) >= 3]


# --- Real prose as it is published, for the quality check --------------------------------------------------

_FENCE = re.compile(r"^[ \t]*```.*?^[ \t]*```[ \t]*$", re.DOTALL | re.MULTILINE)
_TITLE = re.compile(r"^title:\s*['\"]?(.*?)['\"]?\s*$", re.MULTILINE)
_LIQUID = re.compile(r"\{\{.*?\}\}|\{%.*?%\}")  # Jekyll tags render to URLs and markup, never to words
_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]*)\]\((?:[^()\s]|\([^)]*\))*\)|\[([^\]]+)\]\[[^\]]*\]")
_LINK_DEFINITION = re.compile(r"^\[[^\]]+\]:\s*\S+")
_EMPHASIS = re.compile(r"(\*\*|__|\*|_|`)(?=\S)(.+?)(?<=\S)\1")
_HTML_TAG = re.compile(r"</?[a-zA-Z][^>\n]*>|<!--.*?-->")
_LIST_MARK = re.compile(r"^\s*(?:[-*+]|\d{1,2}\.)\s+")
_CODE = "\x00code\x00"


@dataclass(frozen=True)
class ProseUnit:
    """A piece of a published page: ``kind`` paragraph, quote or item (of a list), with the page's title
    and the heading it sits under. A paragraph that ends with a colon ``introduces`` the next block (list,
    quote, code or table); ``items`` holds that list's items or that quote."""

    page: str
    title: str
    heading: str
    kind: str
    text: str
    introduces: str = ""
    items: tuple[str, ...] = ()


def published_prose(markdown: str, page: str) -> list[ProseUnit]:
    """The prose of a Markdown page as a reader sees it: front matter, code, tables, HTML blocks, link
    definitions and headings dropped, links reduced to their text, emphasis and Jekyll tags removed,
    hard-wrapped lines joined; each list item is a unit of its own. Units under three words are dropped."""
    title_match = _TITLE.search(markdown.split("\n---", 1)[0]) if markdown.startswith("---") else None
    title = title_match.group(1) if title_match else page
    body = _FENCE.sub(f"\n\n{_CODE}\n\n", _FRONT_MATTER.sub("", markdown))
    heading = title
    units: list[ProseUnit] = []
    for block in _PARAGRAPH_BREAK.split(body):
        lines = [line.strip() for line in block.strip().split("\n") if line.strip()]
        if not lines or _LINK_DEFINITION.match(lines[0]):
            continue
        if lines[0].startswith("#"):
            heading = _inline(lines[0].lstrip("#"))
            continue
        kind, texts = _block(lines)
        intro = units[-1] if units else None
        if intro and intro.kind == "paragraph" and intro.text.endswith(":") and not intro.introduces:
            units[-1] = ProseUnit(page, title, heading, intro.kind, intro.text, kind, tuple(texts))
        units += [ProseUnit(page, title, heading, kind, text) for text in texts if kind in ("paragraph", "item",
                                                                                              "quote")]
    return [u for u in units if len(u.text.split()) >= 3]


def prose_variant(unit: ProseUnit) -> str | None:
    """A paragraph as a variant of real text: its section heading as the headline, the paragraph (with
    the list or quote it introduces, one per line) as the body, the page title as the call to action.
    None for what cannot be one: a list item or quote, a paragraph before the first section heading (its
    headline would repeat the title), and a paragraph that introduces code, a table or HTML."""
    if unit.kind != "paragraph" or unit.heading == unit.title or unit.introduces in ("code", "table", "html"):
        return None
    bullet = "- " if unit.introduces == "item" else ""
    return "\n".join([unit.heading, unit.text, *(bullet + item for item in unit.items), unit.title])


def _block(lines: list[str]) -> tuple[str, list[str]]:
    """What a block of lines is (paragraph, quote, item, code, table, html) and its rendered texts."""
    if lines[0] == _CODE:
        return "code", []
    if lines[0].startswith("|"):
        return "table", []
    if lines[0].startswith("<"):
        return "html", []
    if _LIST_MARK.match(lines[0]):
        return "item", _list_items(lines)
    if all(line.startswith(">") for line in lines):
        return "quote", [_inline(" ".join(line.lstrip(">").strip() for line in lines))]
    return "paragraph", [_inline(" ".join(lines))]


def _list_items(lines: list[str]) -> list[str]:
    items: list[str] = []
    for line in lines:
        if _LIST_MARK.match(line) or not items:
            items.append(_LIST_MARK.sub("", line))
        else:
            items[-1] += " " + line
    return [_inline(item) for item in items]


def _inline(text: str) -> str:
    text = _LINK.sub(lambda m: m.group(1) if m.group(1) is not None else m.group(2),
                     _IMAGE.sub("", _LIQUID.sub("", text)))
    for _ in range(2):  # nested emphasis: **_word_**
        text = _EMPHASIS.sub(lambda m: m.group(2), text)
    return " ".join(html.unescape(_HTML_TAG.sub("", text)).split())


def style_guide_prose(datasets_dir: Path = DEFAULT_DATASETS) -> list[ProseUnit]:
    """:func:`published_prose` of every page of the 18F content guide."""
    files = sorted(p for p in (datasets_dir / "style_guides" / "18f").glob("*.md") if p.name != "LICENSE.md")
    if not files:
        raise FileNotFoundError(f"no 18F pages under {datasets_dir / 'style_guides' / '18f'}")
    return [u for f in files for u in published_prose(f.read_text(encoding="utf-8"), f.stem)]


def vale_clean_lines(datasets_dir: Path = DEFAULT_DATASETS, *, clean_only: bool = True) -> list[str]:
    """Prose lines of the Vale packages' fixtures on which their ``rules.feature`` expects no finding
    (headings, code blocks and admonitions dropped, code spans blanked as Vale reads them): the text the
    packages' authors wrote as clean. ``clean_only=False`` keeps the lines with style findings too (real
    prose all the same, for checks other than style)."""
    from app.guardrails.style.vale import prose_view

    root = datasets_dir / "style_rules"
    clean: list[str] = []
    for feature in sorted(root.glob("*/features/rules.feature")):
        package = feature.parents[1]
        flagged = _flagged_lines(feature)
        for path in sorted((package / "fixtures").glob("*/*.md")):
            prose = prose_view(path.read_text(encoding="utf-8"), "md")  # code blanked, as Vale reads it
            for n, line in enumerate(prose.split("\n"), start=1):
                text = line.strip()
                if (clean_only and (path.parent.name, path.name, n) in flagged) or len(text.split()) < 2:
                    continue
                if text.startswith(("#", "!!!", "//", "`", "    ")) or line.startswith("    "):
                    continue
                clean.append(text)
    if not clean:
        raise FileNotFoundError(f"no Vale fixtures under {root}")
    return clean


def _flagged_lines(feature: Path) -> set[tuple[str, str, int]]:
    """(fixture folder, file, line) of every expected finding in a Vale ``rules.feature``."""
    flagged, fixture = set(), ""
    for line in feature.read_text(encoding="utf-8").split("\n"):
        scenario = re.search(r'When I test "([^"]+)"', line)
        if scenario:
            fixture = scenario.group(1)
            continue
        finding = re.match(r"\s*([\w.-]+\.\w+):(\d+):\d+:", line)
        if finding:
            flagged.add((fixture, finding.group(1), int(finding.group(2))))
    return flagged


def german_marketing_strings(datasets_dir: Path = DEFAULT_DATASETS) -> list[dict[str, str]]:
    """Rows (text, source_en, page) of the German thunderbird.net marketing strings."""
    return _rows(datasets_dir / "german" / "marketing" / "thunderbird_de_marketing_strings.csv")


# --- The quality check, measured ----------------------------------------------------------------------------

@dataclass(frozen=True)
class Share:
    """Of ``n`` texts, how many were ``blocked``, and on how many texts each rule fired."""

    n: int
    blocked: int
    rules: dict[str, int]


def blocked_share(check: Check, texts: Sequence[str], ctx: CheckContext) -> Share:
    """How many of ``texts`` (all meant to be good) ``check`` blocks, and which rules fired."""
    if not texts:
        raise ValueError("no texts to measure false alarms on")
    rules: Counter[str] = Counter()
    blocked = 0
    for text in texts:
        results = check.run(text, ctx)
        blocked += any(r.blocks for r in results)
        rules.update({r.rule for r in results if not r.passed})
    return Share(n=len(texts), blocked=blocked, rules=dict(rules))


def key_message_pairs(embedder: Embedder, units: Sequence[ProseUnit], *, min_words: int = 15) -> dict[str, list[float]]:
    """Cosine similarities of 18F paragraphs (``min_words`` words or more, not a lead) to key messages written
    as a page's title and the first sentence of its lead paragraph: ``{"own": [...], "other": [...]}``, the
    paragraph against its own page's key message and against every other page's."""
    from app.guardrails.sentences import split_sentences

    pages: dict[str, list[ProseUnit]] = {}
    for unit in units:
        pages.setdefault(unit.page, []).append(unit)
    leads = {page: next(u for u in us if u.kind == "paragraph") for page, us in pages.items()
             if any(u.kind == "paragraph" for u in us)}
    messages = {page: f"{pages[page][0].title}: {split_sentences(lead.text)[0][2]}" for page, lead in leads.items()}
    keys = dict(zip(messages, embedder.embed(list(messages.values())), strict=True))
    own: list[float] = []
    other: list[float] = []
    for page, lead in leads.items():
        body = [u for u in pages[page] if u.kind == "paragraph" and u is not lead and len(u.text.split()) >= min_words]
        for vector in embedder.embed([u.text for u in body]) if body else []:
            own.append(_dot(vector, keys[page]))
            other.extend(_dot(vector, key) for key_page, key in keys.items() if key_page != page)
    return {"own": own, "other": other}


def _dot(a: Sequence[float], b: Sequence[float]) -> float:
    return sum(x * y for x, y in zip(a, b, strict=True))


def collected_drafts(path: Path = DEFAULT_COLLECTED_DRAFTS) -> list[dict[str, object]]:
    """The hand-labelled model drafts of ``evals/quality/collected_drafts.jsonl`` (see its README)."""
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def drafts_metrics(check: Check, brand: BrandProfile, rows: Sequence[dict[str, object]]) -> dict[str, dict[str, int]]:
    """Per group (``all``; each split, ``dev`` or ``heldout``; each split and model; ``parsed``, what the
    pipeline's parser accepts and so would check): bad drafts and how many the check blocks, good drafts
    and how many it blocks. Each row is checked with its own brief (product, channel, key message,
    language), as the pipeline would."""
    groups: dict[str, dict[str, int]] = {}
    for row in rows:
        ctx = CheckContext(brand=brand, channel=_opt(row, "channel"), product=_opt(row, "product"),
                           key_message=_opt(row, "key_message"), language=_opt(row, "language"))
        blocked = any(r.blocks for r in check.run(str(row["text"]), ctx))
        label = "bad" if row["label"] == "bad" else "good"
        split = str(row.get("split", "dev"))
        names = ["all", split, f"{split}: {row['model']}"] + (["parsed"] if row.get("parsed") else [])
        for name in names:
            group = groups.setdefault(name, {"bad": 0, "bad_blocked": 0, "good": 0, "good_blocked": 0})
            group[label] += 1
            group[f"{label}_blocked"] += blocked
    return groups


def _opt(row: dict[str, object], key: str) -> str | None:
    value = row.get(key)
    return str(value) if value else None
