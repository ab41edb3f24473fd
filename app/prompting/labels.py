"""Moving prompt labels: promote a version to a label, or roll a label back to where it was.

A label (``production``, ``candidate``, any name) is a pointer in ``prompts/<name>/labels.yaml``.
Every move:

1. validates the target version (it loads, so it is well-formed and not edited after its lock) and
   registers it in ``versions.lock`` if it was not yet;
2. adds a :class:`PromptLabelEvent` row and an audit entry (subject_type ``prompt``) to the caller's
   session, with the actor and the reason, and flushes them;
3. rewrites ``labels.yaml`` atomically, then commits the caller's session.

All of it happens while holding the labels file's lock (:func:`app.file_locks.exclusive`), so a second
mover reads the committed history and the current file, never a half-made move. The file is written
after the rows were accepted by the database, and put back if the commit then fails, so the file and
the history always agree. ``rollback`` moves a label to the
version it pointed to before the last move, replaying the label's history from the database: rolling
back twice walks back two promotions, like undo.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from sqlmodel import Session, col, select

from app import audit
from app.errors import InvalidInput, InvalidTransition
from app.file_locks import exclusive, write_atomically
from app.prompting.integrity import register
from app.prompting.models import PromptLabelEvent
from app.prompting.registry import PromptRegistry
from app.schemas import NAME_PATTERN

_LABEL = re.compile(NAME_PATTERN)
_AUDIT_ACTIONS = {"promote": "prompt.promoted", "rollback": "prompt.rolled_back"}
_LABELS_HEADER = "# Movable pointers to immutable versions. The pipeline pins the resolved version per brief.\n"


def promote(
    registry: PromptRegistry, session: Session, *, name: str, version: int, label: str, actor: str, reason: str,
) -> PromptLabelEvent | None:
    """Point ``label`` at ``name@version``; None (and nothing written) when it already points there."""
    _require(label, actor, reason)
    with exclusive(_labels_path(registry, name)):  # two movers at once must not drop one another's move
        current = registry.labels(name).get(label)
        if current == version:
            return None
        target = register(registry, name, version)
        return _move(registry, session, name=name, label=label, action="promote", from_version=current,
                     to_version=version, prompt_hash=target.content_hash, actor=actor, reason=reason)


def rollback(
    registry: PromptRegistry, session: Session, *, name: str, label: str, actor: str, reason: str,
) -> PromptLabelEvent:
    """Point ``label`` back at the version it held before its last recorded move."""
    _require(label, actor, reason)
    with exclusive(_labels_path(registry, name)):
        stack = label_stack(session, name=name, label=label)
        if len(stack) < 2:
            raise InvalidTransition(
                f"{name}@{label} has no earlier version in its history; promote the version you want explicitly"
            )
        target_version = stack[-2]
        target = registry.load(name, target_version)
        current = registry.labels(name).get(label)
        return _move(registry, session, name=name, label=label, action="rollback", from_version=current,
                     to_version=target_version, prompt_hash=target.content_hash, actor=actor, reason=reason)


def history(session: Session, *, name: str, label: str | None = None) -> list[PromptLabelEvent]:
    """Label moves of ``name`` (optionally one label), oldest first."""
    stmt = select(PromptLabelEvent).where(PromptLabelEvent.prompt == name)
    if label is not None:
        stmt = stmt.where(PromptLabelEvent.label == label)
    return list(session.exec(stmt.order_by(col(PromptLabelEvent.id))))


def label_stack(session: Session, *, name: str, label: str) -> list[int]:
    """The versions the label went through, as an undo stack: a promotion pushes, a rollback pops."""
    stack: list[int] = []
    for event in history(session, name=name, label=label):
        if event.action == "rollback":
            if stack:
                stack.pop()
            continue
        if not stack and event.from_version is not None:
            stack.append(event.from_version)  # where the label stood before its first recorded move
        stack.append(event.to_version)
    return stack


def _move(
    registry: PromptRegistry, session: Session, *, name: str, label: str, action: str,
    from_version: int | None, to_version: int, prompt_hash: str, actor: str, reason: str,
) -> PromptLabelEvent:
    event = PromptLabelEvent(prompt=name, label=label, action=action, from_version=from_version,
                             to_version=to_version, prompt_hash=prompt_hash, actor=actor, reason=reason)
    session.add(event)
    audit.record(session, action=_AUDIT_ACTIONS[action], actor=actor, subject_type="prompt",
                 subject_id=f"{name}@{label}", prompt=name, label=label, from_version=from_version,
                 to_version=to_version, prompt_hash=prompt_hash, reason=reason)
    session.flush()
    before = registry.labels(name)
    write_labels(registry, name, {**before, label: to_version})
    try:
        session.commit()
    except BaseException:
        write_labels(registry, name, before)  # the move did not happen: the file must not say it did
        raise
    return event


def write_labels(registry: PromptRegistry, name: str, labels: dict[str, int]) -> None:
    body = yaml.safe_dump({k: labels[k] for k in sorted(labels)}, default_flow_style=False, sort_keys=False)
    write_atomically(_labels_path(registry, name), _LABELS_HEADER + body)


def _labels_path(registry: PromptRegistry, name: str) -> Path:
    registry.versions(name)  # PromptError when there is no such prompt
    return registry.root / name / "labels.yaml"


def _require(label: str, actor: str, reason: str) -> None:
    if not _LABEL.match(label):
        raise InvalidInput(f"label {label!r} must be lower-case letters, digits, '-' or '_', starting with a letter")
    if not actor.strip():
        raise InvalidInput("name who moves the label (--as): it is kept in the audit log")
    if not reason.strip():
        raise InvalidInput("give a reason for moving the label (--reason): it is kept in the audit log")
