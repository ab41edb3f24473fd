"""``create_app``: the FastAPI application: the JSON API, the desk's pages under ``/ui``, static files.

Errors of the API are JSON ``{code, message}`` with a stable code; the same errors on a page are a
readable page (or, without a session, the sign-in page).
"""

from __future__ import annotations

import logging
from urllib.parse import quote

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from app.api.docs_pages import add_docs_pages
from app.api.input_guard import reject_unstorable_input
from app.api.routes import router
from app.auth.errors import Forbidden, NotAuthenticated
from app.db import upgrade
from app.errors import (
    FactoryError,
    FilesNotWritable,
    InvalidInput,
    InvalidTransition,
    LLMUnavailable,
    NotFound,
    StoreLocked,
)
from app.pipeline.deps import Deps
from app.settings import Settings, get_settings
from app.web import (
    pages_admin,
    pages_auth,
    pages_briefs,
    pages_metrics,
    pages_ops,
    pages_performance,
    pages_prompts,
    pages_review,
)
from app.web.rendering import HERE, render
from app.wiring import build_deps

_STATUS = {NotAuthenticated: 401, Forbidden: 403, NotFound: 404, InvalidTransition: 409, LLMUnavailable: 503,
           StoreLocked: 503, FilesNotWritable: 503}
_HTTP_CODES = {404: "not_found", 405: "method_not_allowed"}


def create_app(settings: Settings | None = None, deps: Deps | None = None) -> FastAPI:
    deps = deps or build_deps(settings or get_settings())
    upgrade(deps.engine)
    app = FastAPI(title="Content Factory", version="0.2.0", dependencies=[Depends(reject_unstorable_input)],
                  docs_url=None, redoc_url=None,  # offline pages instead: app/api/docs_pages.py
                  description="Briefs to reviewed, checked and published marketing copy. Authenticate with "
                              "`Authorization: Bearer <token>` (`factory users token create`).")
    add_docs_pages(app)
    app.state.deps = deps
    app.include_router(router)
    for pages in (pages_auth, pages_briefs, pages_review, pages_ops, pages_admin, pages_prompts, pages_performance,
                  pages_metrics):
        app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    app.add_exception_handler(FactoryError, _factory_error)  # type: ignore[arg-type]
    app.add_exception_handler(RequestValidationError, _validation_error)  # type: ignore[arg-type]
    app.add_exception_handler(StarletteHTTPException, _http_error)  # type: ignore[arg-type]
    logging.getLogger("factory").info("API ready")
    return app


def _is_page(request: Request) -> bool:
    return request.url.path == "/ui" or request.url.path.startswith("/ui/")


def _factory_error(request: Request, exc: FactoryError) -> Response:
    status = next((code for cls, code in _STATUS.items() if isinstance(exc, cls)), 422)
    if _is_page(request):
        return _error_page(request, status, exc.message)
    return JSONResponse(status_code=status, content={"code": exc.code, "message": exc.message},
                        headers={"WWW-Authenticate": "Bearer"} if status == 401 else None)


def _validation_error(request: Request, exc: RequestValidationError) -> Response:
    problems = "; ".join(
        f"{'.'.join(str(p) for p in e['loc'] if p != 'body')}: {e['msg']}" for e in exc.errors()[:10]
    )
    if _is_page(request):
        return _error_page(request, 422, problems)
    details = [{"loc": list(e["loc"]), "msg": e["msg"], "type": e["type"]} for e in exc.errors()]
    return JSONResponse(status_code=422, content={"code": "invalid_input", "message": problems,
                                                  "errors": details})


def _http_error(request: Request, exc: StarletteHTTPException) -> Response:
    if exc.status_code == 400:  # a body FastAPI could not even decode: invalid input like any other
        return _factory_error(request, InvalidInput("the request body is not valid JSON (UTF-8) or form data"))
    message = {404: f"no route {request.url.path}; see /docs",
               405: f"{request.method} is not allowed on {request.url.path}"}.get(exc.status_code, str(exc.detail))
    if _is_page(request):
        return _error_page(request, exc.status_code, message)
    return JSONResponse(status_code=exc.status_code, headers=getattr(exc, "headers", None),
                        content={"code": _HTTP_CODES.get(exc.status_code, "http_error"), "message": message})


def _error_page(request: Request, status: int, message: str) -> Response:
    if status == 401:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/ui/login?next={quote(target)}", status_code=303)
    return render(request, "error.html", None, status_code=status, status=status, message=message)
