"""Errors of sign-in and permissions. Each has a stable ``code``; the API maps them to 401 and 403.

- ``NotAuthenticated`` (401): no credentials, or a token or session that is unknown, expired or revoked.
- ``Forbidden`` (403): signed in, but no role that allows the action.
- ``CsrfFailed`` (403): a state-changing request from a browser session without its CSRF token.

Items of a brand the caller does not belong to are ``NotFound`` (404), never 403: a 403 would tell
an outsider that the item exists.
"""

from __future__ import annotations

from app.errors import FactoryError


class NotAuthenticated(FactoryError):
    code = "not_authenticated"


class Forbidden(FactoryError):
    code = "forbidden"


class CsrfFailed(Forbidden):
    code = "csrf_failed"
