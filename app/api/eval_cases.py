"""From review to regression test: ``POST /variants/{id}/eval-case`` turns a rejection into an eval case.

The same action as ``factory eval add-case --from-variant``: the variant's brief, with the phrases the
reviewer objected to as ``must_not_mention``, is appended to a suite under ``eval_suites_dir``, and the
addition is audited. The suite is named, never a path: a caller cannot write outside the suites folder.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter

from app.api import queries
from app.api.deps import FactoryDep, SessionDep, requires
from app.api.errors import ERROR_RESPONSES
from app.api.public_prompts import EvalCaseIn, EvalCaseOut
from app.auth.roles import Permission, Principal
from app.evaluation.cases import add_case_from_variant
from app.evaluation.eval_suite import named_suite

router = APIRouter(tags=["evals"], responses=ERROR_RESPONSES)
CaseAdder = Annotated[Principal, requires(Permission.add_eval_cases)]


@router.post("/variants/{variant_id}/eval-case", status_code=201)
def add_eval_case(variant_id: str, body: EvalCaseIn, factory: FactoryDep, session: SessionDep,
                  user: CaseAdder) -> EvalCaseOut:
    """Append the rejected (or sent-back) variant's brief to a suite as a regression case.

    422 when the variant has no reviewer comment, the suite does not exist or is for another brand,
    or the suite already holds this variant's case.
    """
    queries.visible_variant(session, user, variant_id)
    suite_file = named_suite(factory.settings.eval_suites_dir, body.suite)
    case = add_case_from_variant(session, variant_id=variant_id, suite_path=suite_file, actor=user.username,
                                 kb_dir=factory.settings.brand_kb_dir)
    session.commit()
    return EvalCaseOut(suite=body.suite, case_id=case.id, must_not_mention=case.expect.must_not_mention,
                       note=case.note, brief=case.brief)
