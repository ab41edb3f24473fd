"""Error responses as the OpenAPI schema documents them: every route answers ``{code, message}``."""

from __future__ import annotations

from typing import Any

from app.api.public import ErrorOut

ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorOut, "description": "No valid credentials (`not_authenticated`)."},
    403: {"model": ErrorOut, "description": "No role allows this (`forbidden`), or a missing CSRF token."},
    404: {"model": ErrorOut, "description": "No such item in your brands (`not_found`)."},
    409: {"model": ErrorOut, "description": "The item's state does not allow this (`invalid_transition`)."},
    422: {"model": ErrorOut, "description": "Invalid input; `message` names the field (`invalid_input`)."},
    503: {"model": ErrorOut, "description": "A backend is unavailable for now; retry later."},
}
