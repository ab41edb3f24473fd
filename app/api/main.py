"""``create_app``: the FastAPI application, with errors as JSON ``{code, message}``."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from app.api.routes import router
from app.db import upgrade
from app.errors import FactoryError, InvalidTransition, LLMUnavailable, NotFound, StoreLocked
from app.pipeline.deps import Deps
from app.settings import Settings, get_settings
from app.wiring import build_deps

_STATUS = {NotFound: 404, InvalidTransition: 409, LLMUnavailable: 503, StoreLocked: 503}


def create_app(settings: Settings | None = None, deps: Deps | None = None) -> FastAPI:
    deps = deps or build_deps(settings or get_settings())
    upgrade(deps.engine)
    app = FastAPI(title="Content Factory", version="0.1.0",
                  description="Briefs to reviewed, checked and published marketing copy.")
    app.state.deps = deps
    app.include_router(router)
    app.add_exception_handler(FactoryError, _factory_error)  # type: ignore[arg-type]
    app.add_exception_handler(RequestValidationError, _validation_error)  # type: ignore[arg-type]
    logging.getLogger("factory").info("API ready")
    return app


def _factory_error(_request: Request, exc: FactoryError) -> JSONResponse:
    status = next((code for cls, code in _STATUS.items() if isinstance(exc, cls)), 422)
    return JSONResponse(status_code=status, content={"code": exc.code, "message": exc.message})


def _validation_error(_request: Request, exc: RequestValidationError) -> JSONResponse:
    problems = "; ".join(
        f"{'.'.join(str(p) for p in e['loc'] if p != 'body')}: {e['msg']}" for e in exc.errors()[:10]
    )
    details = [{"loc": list(e["loc"]), "msg": e["msg"], "type": e["type"]} for e in exc.errors()]
    return JSONResponse(status_code=422, content={"code": "invalid_input", "message": problems,
                                                  "errors": details})
