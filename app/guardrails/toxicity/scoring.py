"""Scores each sentence of a text by its rules and the English model: the candidate stage of the check.

Per sentence (spans from ``app.guardrails.sentences``), in the sentence's language (:mod:`app.guardrails.language`):

- English: the larger of the model's score on the sentence with :mod:`.masking` spans blanked, the
  generalisation rule (:mod:`.generalisations`), the abuse rule (:mod:`.insults`) and, for a sentence
  that names a group, the learned grade (:mod:`.learned`, capped under the threshold) when a scorer is given.
- German: the German rules (:mod:`.german`) and, when a German scorer is given, the learned German grade
  (:mod:`.german_learned`, capped under the threshold, kind ``german_learned``); the English model never
  reads German.
- Any other language: 0, and the sentence is listed as unchecked.

A :class:`Scored` sentence is *unsure* (a candidate for the judge) when its score lies in
[:data:`ASK_FLOOR`, :data:`SURE`), when the masking or a negation/mention pulled an over-threshold
model score under the threshold (rules overrode the model), or when an English sentence names a group
(:mod:`.groups`) and no rule is sure about it: demeaning generalisations come in more wordings than any
list holds ("Nigerians are all scammers", "Trans women are not real women"), so every sentence about a
group is the judge's to read when a judge is on, unless the learned grade (:mod:`.learned`, computed only
when a scorer is given) puts its probability under :data:`ASK_LEARNED`. Group references are rare in
marketing copy (see the judge-calls figures in ``evals/toxicity/README.md``).
:data:`SURE` 0.85 sits under both rules' sure scores (0.9) and above the German single-word score (0.75).
:data:`ASK_FLOOR` 0.35 sits under the reported-generalisation score (0.45) and the German mild score (0.4).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from app.guardrails.language import SUPPORTED, classify, text_language
from app.guardrails.sentences import split_sentences
from app.guardrails.toxicity.backends import ToxicityBackend
from app.guardrails.toxicity.generalisations import find_generalisations
from app.guardrails.toxicity.german import german_score
from app.guardrails.toxicity.german_learned import GermanAbuseScorer
from app.guardrails.toxicity.groups import group_spans
from app.guardrails.toxicity.insults import find_abuse
from app.guardrails.toxicity.learned import CAP, ImplicitHateScorer
from app.guardrails.toxicity.masking import mask, masked_spans
from app.guardrails.toxicity.patterns import fold

SURE = 0.85
ASK_FLOOR = 0.35
ASK_LEARNED = 0.3


@dataclass(frozen=True)
class Scored:
    """One sentence as the rules and the model read it.

    ``kind``: ``generalisation``, ``abuse``, ``model`` (the English model), ``learned`` (:mod:`.learned`)
    or ``german`` (German rules);
    ``score`` 0..1; ``unsure``: the judge should decide; ``evidence``: the words that scored.
    """

    span: tuple[int, int]
    text: str
    language: str
    score: float
    kind: str
    evidence: str
    unsure: bool


@dataclass(frozen=True)
class ScoredText:
    """Every sentence scored, the masked whole English text's model score, and unchecked languages."""

    sentences: list[Scored]
    text_score: float
    unchecked: tuple[str, ...]


@dataclass
class _English:
    index: int
    span: tuple[int, int]
    text: str
    masked: str
    rule: tuple[float, str, str]  # score, kind, evidence
    names_group: bool
    learned: float | None = None  # the learned probability, for sentences that name a group, when graded


def score_text(backend: ToxicityBackend, text: str, threshold: float, language: str | None = None,
               scorer: ImplicitHateScorer | None = None, german: GermanAbuseScorer | None = None) -> ScoredText:
    """Scores every sentence of ``text`` with one backend call (and one ``scorer`` call for the sentences
    that name a group, one ``german`` call per German sentence the rules are not sure of); ``language`` is
    the brief's, if any."""
    sentences = split_sentences(text)
    if not sentences:
        return ScoredText([], 0.0, ())
    fallback = _Lazy(lambda: text_language(text, language))
    scored: list[Scored | None] = []
    english: list[_English] = []
    unchecked: set[str] = set()
    for index, (start, end, sentence) in enumerate(sentences):
        lang = classify(sentence) or fallback.value
        if lang == "en":
            folded = fold(sentence)
            english.append(_English(index, (start, end), sentence, mask(folded, masked_spans(folded)),
                                    _english_rules(folded), bool(group_spans(folded))))
            scored.append(None)
        elif lang == "de":
            value, evidence = german_score(fold(sentence))
            kind = "german"
            if german is not None and value < SURE:
                graded = CAP * german.score([sentence])[0]
                if graded > value:
                    value, kind, evidence = graded, "german_learned", sentence
            scored.append(Scored((start, end), sentence, "de", value, kind, evidence, ASK_FLOOR <= value < SURE))
        else:
            unchecked.add(lang)
            scored.append(Scored((start, end), sentence, lang, 0.0, "unchecked", "", False))
    if scorer is not None:
        _grade(scorer, [e for e in english if e.names_group and e.rule[0] < SURE])
    whole = " ".join(e.masked for e in english)
    pieces = list(dict.fromkeys([e.text for e in english] + [e.masked for e in english] + [whole]))
    model = dict(zip(pieces, backend.score(pieces) if english else [], strict=False))
    for item in english:
        scored[item.index] = _combined(item, model[item.text], model[item.masked], threshold)
    text_score = model[whole] if english else 0.0
    return ScoredText([s for s in scored if s is not None], text_score,
                      tuple(sorted(unchecked - set(SUPPORTED))))


def _grade(scorer: ImplicitHateScorer, items: list[_English]) -> None:
    for item, probability in zip(items, scorer.score([i.text for i in items]), strict=True):
        item.learned = probability
        item.rule = max(item.rule, (CAP * probability, "learned", item.text))


class _Lazy:
    """A value computed on first use: the text's language is needed only when a sentence is unclear."""

    def __init__(self, compute: Callable[[], str]) -> None:
        self._compute = compute
        self._value: str | None = None

    @property
    def value(self) -> str:
        if self._value is None:
            self._value = self._compute()
        return self._value


def _english_rules(folded: str) -> tuple[float, str, str]:
    best = (0.0, "", "")
    for found in find_generalisations(folded):
        best = max(best, (found.score, "generalisation", found.evidence))
    for abuse in find_abuse(folded):
        best = max(best, (abuse.score, "abuse", abuse.evidence))
    return best


def _combined(item: _English, raw: float, masked: float, threshold: float) -> Scored:
    rule_score, kind, evidence = item.rule
    if masked > rule_score:
        rule_score, kind, evidence = masked, "model", item.text
    overridden = raw >= threshold > rule_score
    about_group = item.names_group and (item.learned is None or item.learned >= ASK_LEARNED)
    unsure = (rule_score >= ASK_FLOOR or overridden or about_group) and rule_score < SURE
    return Scored(item.span, item.text, "en", rule_score, kind, evidence, unsure)


def text_scores(backend: ToxicityBackend, texts: list[str], threshold: float = 0.6,
                scorer: ImplicitHateScorer | None = None, german: GermanAbuseScorer | None = None) -> list[float]:
    """The score the check acts on, per text: the max over its sentences and its masked whole English text.

    For measuring on data sets (ROC AUC, a threshold sweep); ``threshold`` only affects which sentences
    count as unsure, not the scores.
    """
    results = []
    for text in texts:
        scored = score_text(backend, text, threshold, scorer=scorer, german=german)
        results.append(max([s.score for s in scored.sentences] + [scored.text_score]))
    return results
