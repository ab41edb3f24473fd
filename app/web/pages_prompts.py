"""The prompt registry for people: each prompt's labels, versions and label history, diffs, label moves.

Everyone who may read prompts sees the page (a reviewer checks which prompt wrote a draft); the
promote and roll-back forms are shown to, and accepted from, prompt engineers only. The routes call
the JSON API's own route functions (:mod:`app.api.prompts`), so a move made here is the same move as
``POST /prompts/{name}/labels/{label}/promote|rollback``: validated, locked, written to the label
history and the audit log with the signed-in user as the actor.

A move that went through redirects back to the list with a notice. A refused one (a blank reason, a
label with no earlier version, a version edited after its lock, an unknown prompt) raises the domain
error, which the app answers with an error page saying what to fix; nothing is moved.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, TypeVar

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response
from pydantic import BaseModel, ValidationError
from sqlmodel import Session

from app.api import prompts as prompts_api
from app.api.deps import FactoryDep, SessionDep
from app.api.prompts import Name, PromptManager, PromptReader, Selector, Side
from app.api.public_prompts import LabelEventPublic, LabelMoveOut, PromoteIn, PromptPublic, RollbackIn
from app.auth.roles import Principal
from app.errors import InvalidInput
from app.pipeline.deps import Deps
from app.web.rendering import redirect, render

router = APIRouter(prefix="/ui/prompts", include_in_schema=False)
Field = Annotated[str, Form()]
Model = TypeVar("Model", bound=BaseModel)
# A blank or non-numeric field in the words of the form rather than pydantic's.
_HINTS = {("reason", "string_too_short"): "give a reason: it is kept in the label history and the audit log",
          ("version", "int_parsing"): "choose a version number"}


@dataclass(frozen=True)
class PromptView:
    """One prompt as the page shows it: the API's listing, its label moves newest first, and the diff
    form's choices (labels, then version numbers) with a sensible default pair."""

    prompt: PromptPublic
    history: list[LabelEventPublic]
    selectors: list[str]
    diff_a: str
    diff_b: str


@router.get("")
def prompts_page(request: Request, factory: FactoryDep, session: SessionDep, user: PromptReader) -> Response:
    views = [_view(factory, session, user, p) for p in prompts_api.list_prompts(factory, user)]
    return render(request, "prompts.html", user, prompts=views)


@router.get("/{name}/diff")
def diff_page(request: Request, name: Name, factory: FactoryDep, user: PromptReader, a: Side = "production",
              b: Side = "candidate") -> Response:
    """The unified diff of two versions or labels (a 404 page when a side does not exist)."""
    result = prompts_api.diff(name=name, factory=factory, user=user, a=a, b=b)
    registry = factory.prompts
    selectors = sorted(registry.labels(name)) + [str(v) for v in registry.versions(name)]
    lines = [(_line_kind(line), line) for line in result.diff.splitlines()]
    return render(request, "prompt_diff.html", user, prompt=name, a=a, b=b, result=result, lines=lines,
                  selectors=selectors)


@router.get("/{name}/versions/{selector}")
def version_page(request: Request, name: Name, selector: Selector, factory: FactoryDep,
                 user: PromptReader) -> Response:
    """One version's full file text (``3``, or the label ``production``), with its hash and labels; a 404 page when
    it does not exist. Reads the JSON API's own route, so the page and ``GET /prompts/{name}/versions/{selector}``
    show the same text."""
    detail = prompts_api.show(name=name, selector=selector, factory=factory, user=user)
    return render(request, "prompt_version.html", user, prompt=name, selector=selector, v=detail)


@router.post("/{name}/promote")
def promote(name: Name, factory: FactoryDep, session: SessionDep, user: PromptManager, label: Field = "",
            version: Field = "", reason: Field = "") -> Response:
    """Point ``label`` at ``version`` (a new label is created); promoting to where it points records nothing."""
    body = _validated(PromoteIn, version=version, reason=reason)
    moved = prompts_api.promote(name=name, label=label.strip(), body=body, factory=factory, session=session,
                                user=user)
    return redirect(f"/ui/prompts#prompt-{name}", ok=_notice(moved))


@router.post("/{name}/rollback")
def rollback(name: Name, factory: FactoryDep, session: SessionDep, user: PromptManager, label: Field = "",
             reason: Field = "") -> Response:
    """Point ``label`` back where it was before its last move (an error page when it has no earlier version)."""
    body = _validated(RollbackIn, reason=reason)
    moved = prompts_api.rollback(name=name, label=label.strip(), body=body, factory=factory, session=session,
                                 user=user)
    return redirect(f"/ui/prompts#prompt-{name}", ok=_notice(moved))


def _view(factory: Deps, session: Session, user: Principal, prompt: PromptPublic) -> PromptView:
    history = prompts_api.history(name=prompt.name, factory=factory, session=session, user=user, label=None)
    versions = [str(v.version) for v in prompt.versions]
    selectors = sorted(prompt.labels) + versions
    # production against candidate is the comparison people make before a promotion; else the two latest.
    latest = versions[-2:] or [""]
    diff_a = "production" if "production" in prompt.labels else latest[0]
    diff_b = "candidate" if "candidate" in prompt.labels else latest[-1]
    return PromptView(prompt, list(reversed(history)), selectors, diff_a, diff_b)


def _validated(model: type[Model], **fields: str) -> Model:
    """The form's fields as the API's request model; InvalidInput (a 422 page) naming the first bad field."""
    try:
        return model.model_validate(fields)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = str(first["loc"][0]) if first["loc"] else "form"
        hint = _HINTS.get((field, first["type"]), first["msg"])
        raise InvalidInput(f"the label was not moved: {field}: {hint}") from exc


def _notice(moved: LabelMoveOut) -> str:
    where = f"{moved.prompt}@{moved.label}"
    if not moved.moved or moved.event is None:
        return f"{where} already points to version {moved.version}: nothing changed."
    was = f" (was version {moved.event.from_version})" if moved.event.from_version is not None else ""
    verb = "rolled back to" if moved.event.action == "rollback" else "now points to"
    return f"{where} {verb} version {moved.version}{was}; the move is in the label history."


def _line_kind(line: str) -> str:
    """A CSS class for a unified-diff line: file header, hunk header, added, removed, or context."""
    if line.startswith(("+++", "---")):
        return "d-file"
    if line.startswith("@@"):
        return "d-hunk"
    return {"+": "d-add", "-": "d-del"}.get(line[:1], "d-ctx")
