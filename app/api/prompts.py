"""Routes of the prompt registry: list, show and diff versions; promote and roll back labels.

Reading is open to every role (a reviewer sees which prompt wrote a draft); moving a label changes
what every brand runs, so it needs the ``prompt_engineer`` role on all brands (``*``), a reason, and lands in the label
history and the audit log exactly as ``factory prompts promote|rollback`` does.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query

from app.api.deps import FactoryDep, SessionDep, requires
from app.api.errors import ERROR_RESPONSES
from app.api.public_prompts import (
    NAME_PATTERN,
    LabelEventPublic,
    LabelMoveOut,
    PromoteIn,
    PromptDiffOut,
    PromptPublic,
    PromptVersionDetail,
    PromptVersionPublic,
    RollbackIn,
)
from app.auth.errors import Forbidden
from app.auth.roles import Permission, Principal
from app.prompting import catalog, labels
from app.prompting.models import PromptLabelEvent
from app.prompting.registry import PromptRegistry

router = APIRouter(prefix="/prompts", tags=["prompts"], responses=ERROR_RESPONSES)
PromptReader = Annotated[Principal, requires(Permission.read_prompts)]


def _label_mover(user: Annotated[Principal, requires(Permission.manage_prompts)]) -> Principal:
    """A prompt engineer of every brand (see :meth:`Principal.may_move_prompt_labels`); 403 otherwise."""
    if not user.may_move_prompt_labels():
        raise Forbidden(f"{user.username} may not move prompt labels: prompts are shared by every brand, so it "
                        f"needs a prompt engineer of all brands (*), not of {sorted(user.brands)}")
    return user


PromptManager = Annotated[Principal, Depends(_label_mover)]
Name = Annotated[str, Path(max_length=64, description="A prompt's name: ideas, draft.")]
LabelName = Annotated[str, Path(pattern=NAME_PATTERN, description="A label: production, candidate, any name.")]
Selector = Annotated[str, Path(max_length=64, description="A version number or a label.")]
Side = Annotated[str, Query(min_length=1, max_length=64, description="A version number or a label.")]


@router.get("")
def list_prompts(factory: FactoryDep, user: PromptReader) -> list[PromptPublic]:
    """Every prompt with its labels and versions (hash, lock state, and whether it still loads)."""
    registry = factory.prompts
    return [_prompt_public(registry, name) for name in registry.names()]


@router.get("/{name}/versions/{selector}")
def show(name: Name, selector: Selector, factory: FactoryDep, user: PromptReader) -> PromptVersionDetail:
    """One version (``3``) or the version a label points to (``production``), with its exact file text."""
    loaded = catalog.resolve(factory.prompts, name, selector)
    assert loaded.path is not None
    row = catalog.info(factory.prompts, loaded)
    return PromptVersionDetail(
        **_version_public(row).model_dump(), variables=sorted(loaded.variables), output_schema=loaded.output_schema,
        params=loaded.params, system=loaded.system, user=loaded.user, source=loaded.path.read_text(encoding="utf-8"))


@router.get("/{name}/diff")
def diff(name: Name, factory: FactoryDep, user: PromptReader, a: Side = "production",
         b: Side = "candidate") -> PromptDiffOut:
    """Unified diff of two versions or labels of one prompt (default: production against candidate)."""
    left, right = catalog.resolve(factory.prompts, name, a), catalog.resolve(factory.prompts, name, b)
    text = catalog.unified_diff(left, right)
    return PromptDiffOut(a=left.ref, b=right.ref, identical=not text, diff=text)


@router.get("/{name}/history")
def history(name: Name, factory: FactoryDep, session: SessionDep, user: PromptReader,
            label: Annotated[str | None, Query(pattern=NAME_PATTERN)] = None) -> list[LabelEventPublic]:
    """The prompt's label moves, oldest first: who moved which label, from and to which version, and why."""
    catalog.existing(factory.prompts, name)
    return [LabelEventPublic.model_validate(e, from_attributes=True)
            for e in labels.history(session, name=name, label=label)]


@router.post("/{name}/labels/{label}/promote")
def promote(name: Name, label: LabelName, body: PromoteIn, factory: FactoryDep, session: SessionDep,
            user: PromptManager) -> LabelMoveOut:
    """Point the label at a version (locking that version). Briefs already submitted keep their pins."""
    registry = factory.prompts
    catalog.resolve(registry, name, str(body.version))
    event = labels.promote(registry, session, name=name, version=body.version, label=label, actor=user.username,
                           reason=body.reason)  # commits, under the labels file's lock
    return _moved(name, label, body.version, event)


@router.post("/{name}/labels/{label}/rollback")
def rollback(name: Name, label: LabelName, body: RollbackIn, factory: FactoryDep, session: SessionDep,
             user: PromptManager) -> LabelMoveOut:
    """Point the label back where it was before its last move (409 when it has no earlier version)."""
    catalog.existing(factory.prompts, name)
    event = labels.rollback(factory.prompts, session, name=name, label=label, actor=user.username,
                            reason=body.reason)  # commits, under the labels file's lock
    return _moved(name, label, event.to_version, event)


def _moved(name: str, label: str, version: int, event: PromptLabelEvent | None) -> LabelMoveOut:
    public = LabelEventPublic.model_validate(event, from_attributes=True) if event is not None else None
    return LabelMoveOut(prompt=name, label=label, version=version, moved=event is not None, event=public)


def _prompt_public(registry: PromptRegistry, name: str) -> PromptPublic:
    return PromptPublic(name=name, labels=registry.labels(name),
                        versions=[_version_public(r) for r in catalog.describe(registry, name)])


def _version_public(row: catalog.VersionInfo) -> PromptVersionPublic:
    return PromptVersionPublic(name=row.name, version=row.version, sha256=row.sha256, locked=row.locked,
                               labels=row.labels, description=row.description, valid=row.valid, error=row.error)

