"""The reviewer's desk: a queue beside one variant, its findings and sources, and the decisions.

Keyboard shortcuts (``static/desk.js``): a approve, r request changes, x reject, e edit, j/k next and
previous item. After a decision the desk opens the next item of the queue.

A rejected or sent-back variant stays reachable at ``/ui/review/{id}`` (the page shows any visible
variant; only the queue is limited to reviewable states), and its page offers "Add as eval case" to users
who may add cases. Prompt engineers may add cases but not review, so the brief page offers the same form.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response
from pydantic import ValidationError
from sqlmodel import Session, col, select

from app.api import decisions, list_queries, queries
from app.api import eval_cases as eval_cases_api
from app.api.deps import FactoryDep, Reviewer, SessionDep
from app.api.eval_cases import CaseAdder
from app.api.paging import Cursor
from app.api.public import EditIn, OverrideIn, VariantPublic
from app.api.public_prompts import EvalCaseIn, EvalCaseOut
from app.api.review import FindingId, accept_warning
from app.auth.roles import Permission, Principal
from app.errors import FactoryError, InvalidInput, InvalidTransition
from app.evaluation.eval_suite import named_suite, suite_names
from app.models import AuditEntry, Variant
from app.schemas import DraftCopy
from app.settings import Settings
from app.states import REVIEWABLE, VariantState
from app.web.decided import last_decisions
from app.web.highlight import marked_parts
from app.web.rendering import local_url, redirect, render

router = APIRouter(prefix="/ui/review", include_in_schema=False)
QUEUE_SHOWN = 50  # items in the desk's queue column; its links page on by cursor, the count says how many wait
DONE_MESSAGES = {"approve": "Approved", "request_changes": "Changes requested for", "reject": "Rejected"}


@router.get("")
def queue(request: Request, session: SessionDep, user: Reviewer, sort: queries.QueueSort = "age") -> Response:
    first = list_queries.review_queue(session, user, sort=sort, limit=1, details=False, count=False)
    if first.items:
        return redirect(f"/ui/review/{first.items[0].id}?sort={sort}")
    return render(request, "review.html", user, queue=[], total=0, sort=sort, item=None)


@router.get("/{variant_id}")
def item(request: Request, variant_id: str, factory: FactoryDep, session: SessionDep, user: Reviewer,
         sort: queries.QueueSort = "age", cursor: Cursor = None) -> Response:
    """One variant beside the queue: by default the queue page around it (j/k reach its neighbours at any
    depth); ``cursor`` (the column's earlier/later links) shows another page of the queue instead."""
    variant, brief = queries.visible_variant(session, user, variant_id)
    [public] = queries.variants_public(session, [variant])
    around = list_queries.queue_around(session, user, variant, sort=sort, limit=QUEUE_SHOWN)
    column = list_queries.review_queue(session, user, sort=sort, limit=QUEUE_SHOWN, cursor=cursor,
                                       details=False) if cursor else around
    prev_id, next_id = queries.neighbours(around.items, variant_id)
    current = queries.current_findings_public(public.findings)
    return render(
        request, "review.html", user, queue=column.items, total=column.total, total_capped=column.total_capped,
        sort=sort, item=public, brief=brief, next_cursor=column.next_cursor, prev_cursor=column.prev_cursor,
        parts=marked_parts(public, current), current=current, prev_id=prev_id, next_id=next_id,
        reviewable=variant.state in REVIEWABLE, approvable=variant.state is VariantState.in_review,
        own=brief.submitted_by == user.username, history=_history(session, variant),
        eval_suites=eval_suites_for(user, factory.settings), candidates=queries.candidates_of(session, variant),
        decision=None if variant.state in REVIEWABLE
        else last_decisions(session, brief.id, [variant.id]).get(variant.id),
        overdue=variant.state in REVIEWABLE and is_overdue(variant.created_at, factory.settings.review_overdue_h),
    )


@router.post("/{variant_id}/decide")
def decide(variant_id: str, factory: FactoryDep, session: SessionDep, user: Reviewer,
           action: Annotated[str, Form()] = "", comment: Annotated[str, Form()] = "",
           sort: Annotated[queries.QueueSort, Form()] = "age") -> Response:
    queries.visible_variant(session, user, variant_id)
    if action not in DONE_MESSAGES:
        return redirect(f"/ui/review/{variant_id}?sort={sort}", error="choose approve, request changes or reject")
    after = _next_after(session, user, variant_id, sort)
    try:
        decisions.decide(factory, variant_id=variant_id, actor=user.username, decision=action,  # type: ignore[arg-type]
                         comment=comment)
    except FactoryError as exc:
        return redirect(f"/ui/review/{variant_id}?sort={sort}", error=exc.message)
    return redirect(after, ok=f"{DONE_MESSAGES[action]} variant {variant_id[:8]}.")


@router.post("/{variant_id}/edit")
def edit(variant_id: str, factory: FactoryDep, session: SessionDep, user: Reviewer,
         headline: Annotated[str, Form()] = "", body: Annotated[str, Form()] = "", cta: Annotated[str, Form()] = "",
         comment: Annotated[str, Form()] = "", then: Annotated[str, Form()] = "approve",
         sort: Annotated[queries.QueueSort, Form()] = "age") -> Response:
    """Save the reviewer's text as a new, re-checked revision; approve it too when ``then`` is approve."""
    queries.visible_variant(session, user, variant_id)
    after = _next_after(session, user, variant_id, sort)
    here = f"/ui/review/{variant_id}?sort={sort}"
    try:
        form = EditIn(headline=headline, body=body, cta=cta, comment=comment)
        copy = DraftCopy(headline=form.headline, body=form.body, cta=form.cta)
    except ValidationError as exc:
        first = exc.errors()[0]
        return redirect(here, error=f"the edit is not valid: {first['loc'][0]}: {first['msg']}")
    try:
        if then == "approve":
            decisions.edit_and_approve(factory, variant_id=variant_id, actor=user.username, copy=copy,
                                       comment=comment)
            return redirect(after, ok="Edited and approved: the new revision goes to the compliance gate.")
        outcome = decisions.edit(factory, variant_id=variant_id, actor=user.username, copy=copy, comment=comment)
        return redirect(f"/ui/review/{outcome.variant.id}?sort={sort}", ok="Edit saved and checked again.")
    except FactoryError as exc:
        successor = _successor(session, variant_id)
        target = f"/ui/review/{successor}?sort={sort}" if successor else here
        return redirect(target, error=exc.message)


@router.post("/{variant_id}/findings/{finding_id}/accept")
def accept(variant_id: str, finding_id: FindingId, factory: FactoryDep, session: SessionDep, user: Reviewer,
           reason: Annotated[str, Form()] = "", sort: Annotated[queries.QueueSort, Form()] = "age") -> Response:
    """Accept a warning with a reason, then show the same variant again (the finding now says who and why).

    A refused acceptance (blank reason, a blocking finding, a variant no longer in review) comes back as the
    page's error notice; a finding of another variant is a 404 page.
    """
    here = f"/ui/review/{variant_id}?sort={sort}"
    try:
        form = OverrideIn(reason=reason)
    except ValidationError as exc:
        return redirect(here, error=f"the warning was not accepted: {exc.errors()[0]['msg']}")
    try:
        accept_warning(factory, session, user, variant_id=variant_id, finding_id=finding_id, reason=form.reason)
    except (InvalidInput, InvalidTransition) as exc:
        return redirect(here, error=exc.message)
    return redirect(here, ok="Warning accepted; the reason is in the audit log.")


@router.post("/{variant_id}/eval-case")
def add_eval_case(variant_id: str, factory: FactoryDep, session: SessionDep, user: CaseAdder,
                  suite: Annotated[str, Form()] = "", back: Annotated[str, Form()] = "") -> Response:
    """Append the rejected or sent-back variant's brief to ``suite`` as a regression case, then go ``back``.

    ``suite`` must be one of the folder's suites (:func:`~app.evaluation.eval_suite.named_suite`): anything
    else is a 422 page naming the suites, and an unknown variant a 404 page. The domain's refusals (no
    reviewer comment, a suite of another brand, a case already added) are the notice of the page the form
    was on, like a refused decision. ``back`` is one of our pages, else the variant's card on its brief.
    """
    variant, brief = queries.visible_variant(session, user, variant_id)
    back_to = local_url(back) or f"/ui/briefs/{brief.id}#variant-{variant.id}"
    body = EvalCaseIn(suite=named_suite(factory.settings.eval_suites_dir, suite).stem)
    try:
        added = eval_cases_api.add_eval_case(variant_id=variant_id, body=body, factory=factory, session=session,
                                             user=user)
    except InvalidInput as exc:
        return redirect(back_to, error=exc.message)
    return redirect(back_to, ok=_case_notice(added))


def is_overdue(since: datetime | None, overdue_h: float) -> bool:
    """Whether an item waiting since ``since`` (UTC) has waited longer than ``overdue_h`` hours."""
    if since is None:
        return False
    since = since if since.tzinfo else since.replace(tzinfo=UTC)
    return datetime.now(UTC) - since > timedelta(hours=overdue_h)


def eval_suites_for(user: Principal, settings: Settings) -> list[str]:
    """The suite names for the "Add as eval case" forms, or [] (no forms) for a user who may not add cases."""
    return suite_names(settings.eval_suites_dir) if user.can(Permission.add_eval_cases) else []


def _case_notice(added: EvalCaseOut) -> str:
    avoid = ", ".join(f"\u201c{p}\u201d" for p in added.must_not_mention)
    return (f"Eval case {added.case_id} added to suite {added.suite}; must not mention: "
            f"{avoid or 'no phrase found in the comment (it is kept as the case note)'}.")


def _next_after(session: Session, user: Principal, variant_id: str, sort: queries.QueueSort) -> str:
    """The desk page to open after deciding on ``variant_id``: the next waiting item, else the queue's first."""
    variant, _brief = queries.visible_variant(session, user, variant_id)
    nxt = list_queries.queue_next(session, user, variant, sort=sort)
    return f"/ui/review/{nxt}?sort={sort}" if nxt else f"/ui/review?sort={sort}"


def _successor(session: Session, variant_id: str) -> str | None:
    return session.exec(select(Variant.id).where(Variant.parent_id == variant_id)
                        .order_by(col(Variant.revision).desc())).first()


def _history(session: Session, variant: Variant) -> list[tuple[VariantPublic, list[AuditEntry]]]:
    """Earlier revisions of this slot with the decisions that led from each to the next."""
    chain: list[Variant] = []
    parent_id = variant.parent_id
    while parent_id and len(chain) < 20:
        parent = session.get(Variant, parent_id)
        if parent is None:
            break
        chain.append(parent)
        parent_id = parent.parent_id
    entries = session.exec(select(AuditEntry).where(
        AuditEntry.brief_id == variant.brief_id, col(AuditEntry.action) == "review.decided",
        col(AuditEntry.subject_id).in_([v.id for v in chain]))).all() if chain else []
    public = queries.variants_public(session, chain)
    return [(p, [e for e in entries if e.subject_id == p.id]) for p in public]

