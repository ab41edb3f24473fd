"""Helpers shared by unit tests: API credentials and one brief drafted through the real stages."""

from __future__ import annotations

import json

from sqlmodel import Session, select

from app.auth import tokens, users
from app.db import session_scope
from app.models import Idea, Variant
from app.pipeline import runner
from app.pipeline.deps import Deps
from app.schemas import BriefCreate
from tests.fakes import IDEAS, FakeLLM, RecordingEnqueue


def bearer(deps: Deps, username: str, roles: list[str], brands: list[str] | None = None) -> dict[str, str]:
    """A user with these roles on fernhill (or ``brands``) and the Authorization header of a fresh token."""
    with session_scope(deps.engine) as session:
        user = users.create_user(session, username=username, roles=roles, brands=brands or ["fernhill"],
                                 password=None, actor="test")
        _token, secret = tokens.create_token(session, user=user, roles=None, brands=None, expires_days=1,
                                             actor="test")
    return {"Authorization": f"Bearer {secret}"}


def drafted(deps: Deps, llm: FakeLLM, enqueued: RecordingEnqueue, *drafts: dict, brief: BriefCreate) -> Variant:
    """Submit ``brief`` (one idea, one variant), ideate and draft; the LLM answers ``drafts`` then repeats
    the last (a model that does not learn from re-asks)."""
    llm.enqueue(IDEAS, *drafts)
    llm.default = json.dumps(drafts[-1])
    submitted = runner.submit_brief(deps=deps, brief_in=brief, actor="mia")
    runner.run_ideation(submitted.id, deps)
    enqueued.take()
    with Session(deps.engine) as s:
        idea_id = s.exec(select(Idea.id).where(Idea.brief_id == submitted.id)).one()
    runner.run_drafting(idea_id, deps)
    with Session(deps.engine) as s:
        return s.exec(select(Variant).where(Variant.brief_id == submitted.id)).one()
