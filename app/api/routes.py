"""All API routes: briefs, review, compliance, publishing, admin, prompts, eval cases; the caller and health."""

from __future__ import annotations

from fastapi import APIRouter

from app.api import (
    admin,
    audit_chain,
    briefs,
    compliance,
    eval_cases,
    events,
    metrics,
    prompts,
    provenance,
    publishing,
    review,
    slots,
)
from app.api.deps import CurrentUser, FactoryDep, SessionDep
from app.api.errors import ERROR_RESPONSES
from app.api.public_admin import MePublic
from app.liveness import worker_report
from app.llm.model_status import llm_health

router = APIRouter()
for module in (briefs, review, compliance, publishing, admin, prompts, eval_cases, audit_chain, provenance, events,
               slots, metrics):
    router.include_router(module.router)


@router.get("/health", tags=["ops"])
def health(factory: FactoryDep, session: SessionDep) -> dict[str, object]:
    """Which backend each part uses, which LLM with the last check of its file (``llm``: see
    :func:`app.llm.model_status.llm_health`; never hashes), and the workers alive by their heartbeats
    (``workers``: see :func:`app.liveness.worker_report`). ``status`` is "ok", or "no_worker" when none is alive:
    the API answers, but nothing queued moves. Always 200: load balancers probe the API itself, without
    credentials."""
    workers = worker_report(session, stale_s=factory.settings.worker_stale_s)
    return {"status": "ok" if workers["alive"] else "no_worker", "backends": factory.settings.backends(),
            "llm": llm_health(factory.settings), "workers": workers}


@router.get("/me", tags=["ops"], responses=ERROR_RESPONSES)
def me(user: CurrentUser) -> MePublic:
    """Who the credentials stand for, with the roles and brands in effect (a token's scope applied)."""
    return MePublic(username=user.username, display_name=user.display_name, roles=sorted(user.roles),
                    brands=sorted(user.brands), via=user.via)
