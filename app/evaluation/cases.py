"""From review to regression test: a reviewer's rejection or change request becomes an eval case.

:func:`add_case_from_variant` reads the variant's brief and the reviewer's words (the decision's
audit entry, or ``Variant.review_comment``), and appends a case to a suite: the same brief on the
variant's channel, ``must_not_mention`` derived from the comment, and the comment as the case's note.
The API and the CLI both call it; it adds an audit entry to the caller's session.

Derivation of ``must_not_mention`` (each phrase kept once, case-insensitively):

- phrases the reviewer quoted ("best in the world", 'detox', “cures”);
- phrases after "don't say", "do not use", "remove", "avoid", "no", "never mention"... (up to four
  words, to the next punctuation or "and"/"or"), when they occur in the rejected copy;
- the brand's banned terms that occur in the rejected copy.
"""

from __future__ import annotations

import re
from pathlib import Path

from sqlmodel import Session, col, select

from app import audit
from app.brand import load_brand
from app.errors import InvalidInput, NotFound
from app.evaluation.eval_suite import EvalCase, Expectations, append_case, load_suite
from app.evaluation.scorers import mentioned
from app.models import AuditEntry, Brief, Variant
from app.pipeline.stages import variant_text

_DECISIONS = {"rejected", "changes_requested"}
# Straight and typographic quotes (\u201c \u201d, \u2018 \u2019); a lone apostrophe inside a word is not one.
_QUOTED = re.compile("\"([^\"]{2,60})\"|\u201c([^\u201d]{2,60})\u201d|\u2018([^\u2019]{2,60})\u2019"
                     r"|(?<![\w])'([^']{2,60})'(?![\w])")
_TRIGGER = re.compile(
    r"\b(?:don'?t|do not|never|avoid|remove|drop|delete|cut|no|without|stop)\s+"
    r"(?:(?:say|saying|use|using|mention|mentioning|claim|claiming|the word|the phrase|the claim)\s+)?"
    r"(?:the\s+|a\s+|any\s+)?(?P<phrase>[\w'-]+(?:\s+[\w'-]+){0,3}?)(?=\s*(?:[.,;:!?)]|$|\s(?:and|or|but)\b))",
    re.IGNORECASE,
)


def add_case_from_variant(
    session: Session, *, variant_id: str, suite_path: Path, actor: str, kb_dir: Path,
) -> EvalCase:
    """Append the regression case for a rejected or sent-back variant to the suite; returns the case."""
    variant = session.get(Variant, variant_id)
    if variant is None:
        raise NotFound(f"no variant with id {variant_id!r}")
    brief = session.get(Brief, variant.brief_id)
    assert brief is not None  # a variant's brief is a foreign key
    suite = load_suite(suite_path)  # first: a wrong suite name is the likelier mistake, and names the known ones
    decision, reviewer, comment = reviewer_feedback(session, variant)
    if brief.brand != suite.brand:
        raise InvalidInput(f"variant {variant_id} is for brand {brief.brand!r}; suite {suite.name} is {suite.brand!r}")
    banned = [t.term for t in load_brand(kb_dir, brief.brand).banned_terms]
    avoid = must_not_mention(comment, variant_text(variant), banned)
    case = EvalCase(
        id=f"review-{variant.id[:12]}",
        brief={"product": brief.product, "channels": [variant.channel], "audience": brief.audience,
               "goal": brief.goal, "key_message": brief.key_message, "constraints": brief.constraints,
               "n_ideas": 1, "n_variants": 2},
        expect=Expectations(must_not_mention=avoid), tags=["from-review", decision],
        note=f"{decision} by {reviewer} (variant {variant.id}, {variant.prompt_ref or 'unknown prompt'}): {comment}",
    )
    audit.record(session, action="eval.case_added", actor=actor, subject_type="variant", subject_id=variant.id,
                 brief_id=brief.id, suite=suite.name, case_id=case.id, must_not_mention=avoid)
    session.flush()  # a database that refuses the audit entry refuses before the suite file changes
    append_case(suite_path, case)
    return case


def reviewer_feedback(session: Session, variant: Variant) -> tuple[str, str, str]:
    """(decision, reviewer, comment) of the variant's latest rejection or change request."""
    entries = session.exec(select(AuditEntry).where(
        AuditEntry.subject_type == "variant", AuditEntry.subject_id == variant.id,
        AuditEntry.action == "variant.state_changed").order_by(col(AuditEntry.id).desc())).all()
    for entry in entries:
        if entry.details.get("to_state") in _DECISIONS:
            text = str(entry.details.get("comment") or entry.details.get("reason") or variant.review_comment or "")
            if text.strip():
                return str(entry.details["to_state"]), entry.actor, text.strip()
    if variant.review_comment:
        return variant.state.value, "unknown reviewer", variant.review_comment.strip()
    raise InvalidInput(
        f"variant {variant.id} has no reviewer comment; only rejections and change requests become eval cases"
    )


def must_not_mention(comment: str, copy: str, banned_terms: list[str]) -> list[str]:
    """Phrases the next drafts must avoid (see the module docstring), in order of appearance."""
    quoted = [next(g for g in m.groups() if g) for m in _QUOTED.finditer(comment)]
    triggered = [m.group("phrase") for m in _TRIGGER.finditer(comment)]
    found = [q.strip() for q in quoted]
    found += [p.strip() for p in triggered if mentioned(copy, [p.strip()])]
    found += mentioned(copy, banned_terms)
    unique: dict[str, str] = {}
    for phrase in found:
        if phrase:
            unique.setdefault(phrase.lower(), phrase)
    return list(unique.values())
