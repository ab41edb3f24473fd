"""Marketers' pages: the brief list, the submission form, and a brief's live page."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response
from pydantic import ValidationError
from sqlmodel import Session, col, select

from app.api import decisions, list_queries, queries
from app.api.admin_services import known_brands
from app.api.deps import ChangeRequester, FactoryDep, Reader, SessionDep, Submitter
from app.api.paging import Cursor, Offset, one_way
from app.api.progress import brief_progress
from app.auth.roles import Principal
from app.brand import load_brand
from app.errors import FactoryError
from app.language import NAMES, SUPPORTED
from app.models import AuditEntry, Brief, Delivery
from app.pipeline.deps import Deps
from app.pipeline.runner import off_brand_channels, submit_brief
from app.schemas import CHANNELS, BriefCreate
from app.states import REVIEWABLE, BriefState, DeliveryState
from app.web.decided import last_decisions
from app.web.pages_review import eval_suites_for
from app.web.rendering import redirect, render
from app.web.variant_history import variant_history

router = APIRouter(prefix="/ui", include_in_schema=False)
DESK_ACTIONS = ("review.decided", "variant.edited", "compliance.cleared", "delivery.retry_requested")


@router.get("/briefs")
def brief_list(request: Request, session: SessionDep, user: Reader, offset: Offset = 0, brand: str = "",
               state: BriefState | Literal[""] = "", cursor: Cursor = None) -> Response:
    page = list_queries.list_briefs(session, user, offset=offset, limit=50, cursor=one_way(offset, cursor),
                                    brand=brand or None, state=state or None)
    rows = page.items
    dead = set(session.exec(select(Delivery.brief_id).where(
        Delivery.state == DeliveryState.dead, col(Delivery.brief_id).in_([b.id for b in rows]))))
    return render(request, "briefs.html", user, briefs=rows, total=page.total, total_capped=page.total_capped,
                  brand=brand, state_filter=state, next_cursor=page.next_cursor, prev_cursor=page.prev_cursor,
                  dead_delivery_briefs=dead)


@router.get("/briefs/new")
def brief_form(request: Request, factory: FactoryDep, user: Submitter) -> Response:
    return _form(request, factory, user, values={"n_ideas": 2, "n_variants": 2}, errors={})


@router.post("/briefs/new")
def brief_submit(
    request: Request, factory: FactoryDep, user: Submitter, brand: Annotated[str, Form()] = "",
    product: Annotated[str, Form()] = "", channels: Annotated[list[str] | None, Form()] = None,
    audience: Annotated[str, Form()] = "", goal: Annotated[str, Form()] = "",
    key_message: Annotated[str, Form()] = "", constraints: Annotated[str, Form()] = "",
    n_ideas: Annotated[str, Form()] = "2", n_variants: Annotated[str, Form()] = "2",
    language: Annotated[str, Form()] = "",
) -> Response:
    values: dict[str, object] = {
        "brand": brand, "product": product or None, "channels": channels or [], "audience": audience, "goal": goal,
        "key_message": key_message, "constraints": constraints, "n_ideas": n_ideas, "n_variants": n_variants,
        "language": language or None,
    }
    try:
        brief_in = BriefCreate.model_validate(values)
    except ValidationError as exc:
        errors = {str(e["loc"][0]) if e["loc"] else "form": _plain(e) for e in exc.errors()}
        return _form(request, factory, user, values=values, errors=errors, status_code=422)
    if not user.sees(brief_in.brand):
        return _form(request, factory, user, values=values, errors={"brand": "choose one of your brands"},
                     status_code=422)
    field_errors = _brand_errors(factory, brief_in)
    if field_errors:
        return _form(request, factory, user, values=values, errors=field_errors, status_code=422)
    try:
        brief = submit_brief(deps=factory, brief_in=brief_in, actor=user.username)
    except FactoryError as exc:
        return _form(request, factory, user, values=values, errors={"form": exc.message}, status_code=422)
    return redirect(f"/ui/briefs/{brief.id}", ok="Brief submitted: ideas are being written.")


@router.get("/briefs/{brief_id}")
def brief_page(request: Request, brief_id: str, factory: FactoryDep, session: SessionDep, user: Reader) -> Response:
    """The brief's progress and variants; a rejected or sent-back variant offers "Add as eval case" to the
    roles that may add cases (prompt engineers cannot open the review desk, so this is their way in)."""
    brief = queries.visible_brief(session, user, brief_id)
    ideas = queries.ideas_with_variants(session, brief)
    decided = last_decisions(session, brief.id, [v.id for idea in ideas for v in idea.variants
                                                 if v.state not in REVIEWABLE])
    return render(request, "brief.html", user, brief=brief,
                  progress=brief_progress(session, brief, worker_stale_s=factory.settings.worker_stale_s),
                  ideas=ideas, desk_events=_desk_events(session, brief), decided=decided,
                  trail=_trail(session, brief), eval_suites=eval_suites_for(user, factory.settings))


@router.get("/variants/{variant_id}/history")
def history_page(request: Request, variant_id: str, session: SessionDep, user: Reader) -> Response:
    """Every revision of the variant's slot, its findings, decisions, overrides and deliveries, oldest first."""
    variant, _brief = queries.visible_variant(session, user, variant_id)
    revisions, events = variant_history(session, variant)
    return render(request, "variant_history.html", user, variant=variant, revisions=revisions, events=events)


@router.post("/variants/{variant_id}/request-changes")
def regenerate(variant_id: str, factory: FactoryDep, session: SessionDep, user: ChangeRequester,
               comment: Annotated[str, Form()] = "") -> Response:
    """A marketer's 'regenerate with a note': a change request whose note goes into the next draft."""
    variant, brief = queries.visible_variant(session, user, variant_id)
    back = f"/ui/briefs/{brief.id}#variant-{variant.id}"
    try:
        decisions.decide(factory, variant_id=variant_id, actor=user.username, decision="request_changes",
                         comment=comment)
    except FactoryError as exc:
        return redirect(back, error=exc.message)
    return redirect(back, ok="Regeneration requested: a new draft is being written with your note.")


def _form(request: Request, factory: Deps, user: Principal, *, values: dict[str, object],
          errors: dict[str, str], status_code: int = 200) -> Response:
    kb = factory.settings.brand_kb_dir
    brands = [load_brand(kb, slug) for slug in sorted(known_brands(kb)) if user.sees(slug)]
    # Each channel with the brands (of this user) that publish on it; a brand listing no channels takes any.
    channels = {c: [b.slug for b in brands if not b.channels or c in b.channels] for c in CHANNELS}
    return render(request, "brief_new.html", user, status_code=status_code, values=values, errors=errors,
                  brands=brands, channels=channels, languages={code: NAMES[code] for code in SUPPORTED})


def _brand_errors(factory: Deps, brief_in: BriefCreate) -> dict[str, str]:
    """Field errors for a product or channels the chosen brand does not have, in the form's words."""
    try:
        profile = load_brand(factory.settings.brand_kb_dir, brief_in.brand)
    except FactoryError as exc:
        return {"brand": exc.message}
    errors = {}
    if brief_in.product and brief_in.product not in profile.products:
        errors["product"] = f"{profile.name} has no such product; choose one of its products or none"
    off_brand = off_brand_channels(profile.channels, brief_in.channels)
    if off_brand:
        errors["channels"] = (f"{profile.name} does not publish on {', '.join(off_brand)}; "
                              f"choose from {', '.join(profile.channels)}")
    return errors


def _plain(error: Any) -> str:
    """A validation error in the words of the form."""
    ctx = error.get("ctx") or {}
    messages = {
        "string_too_short": f"write at least {ctx.get('min_length')} characters",
        "string_too_long": f"at most {ctx.get('max_length', 0):,} characters, this has {_length(error)}: shorten it "
                           "(nothing was cut)",
        "too_short": "choose at least one",
        "too_long": f"choose at most {ctx.get('max_length')}",
        "int_parsing": "give a whole number",
        "greater_than_equal": f"at least {ctx.get('ge')}",
        "less_than_equal": f"at most {ctx.get('le')}",
    }
    return messages.get(error["type"], str(error["msg"]).removeprefix("Value error, "))


def _length(error: Any) -> str:
    value = error.get("input")
    return f"{len(value):,}" if isinstance(value, str) else "more"


def _desk_events(session: Session, brief: Brief) -> list[AuditEntry]:
    return list(session.exec(select(AuditEntry).where(
        AuditEntry.brief_id == brief.id, col(AuditEntry.action).in_(DESK_ACTIONS)).order_by(col(AuditEntry.id))))


def _trail(session: Session, brief: Brief) -> list[AuditEntry]:
    return list(session.exec(select(AuditEntry).where(AuditEntry.brief_id == brief.id)
                             .order_by(col(AuditEntry.id).desc()).limit(200)))
