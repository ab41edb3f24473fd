"""Input no database can store is refused up front, on every route: a 422 ``invalid_input`` naming the field.

Two kinds, checked wherever a request carries input (path, query, form fields, JSON body), so that no route
has to remember them and SQLite and PostgreSQL answer alike:

- a NUL character (``\\x00``, ``%00`` in a URL, ``\\u0000`` in JSON): PostgreSQL text cannot hold it and
  raises on the query (an HTTP 500 before this guard), while SQLite stores it silently;
- an integer outside the signed 64-bit range (``BIGINT``, both databases) given to an integer parameter or
  anywhere in a JSON body: PostgreSQL raises "out of range", SQLite overflows.

Unknown enum values are refused by typing each such parameter with its enum (``BriefState``...), and page
offsets by :data:`app.api.paging.Offset`.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from types import UnionType
from typing import Any, Union, get_args, get_origin

from fastapi import Request
from fastapi.routing import APIRoute

from app.errors import InvalidInput

INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1


async def reject_unstorable_input(request: Request) -> None:
    """An application-wide dependency; raises InvalidInput (422) for the first unstorable value."""
    integer_params = _integer_params(request)
    for where, value in _inputs(request):
        _check(where, value)
        if where in integer_params and isinstance(value, str):
            _check_integer_text(where, value)
    for where, value in await _body_values(request):
        _check(where, value)


def _inputs(request: Request) -> Iterator[tuple[str, Any]]:
    for name, value in request.path_params.items():
        yield f"path.{name}", value
    for name, value in request.query_params.multi_items():
        yield "query", name
        yield f"query.{name}", value


def _integer_params(request: Request) -> set[str]:
    route = request.scope.get("route")
    if not isinstance(route, APIRoute):
        return set()
    found = set()
    for kind, params in (("path", route.dependant.path_params), ("query", route.dependant.query_params)):
        for param in params:
            if int in _types(param.field_info.annotation):
                found.add(f"{kind}.{param.alias}")
    return found


def _types(annotation: Any) -> set[Any]:
    if get_origin(annotation) in (Union, UnionType):
        return {t for arg in get_args(annotation) for t in _types(arg)}
    return {annotation}


async def _body_values(request: Request) -> list[tuple[str, Any]]:
    content_type = request.headers.get("content-type", "")
    if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        form = await request.form()
        return [(f"form.{k}", v) for k, v in form.multi_items() if isinstance(v, str)] + \
               [("form", k) for k in form]
    body = await request.body()
    if not body:
        return []
    try:
        document = json.loads(body)
    except ValueError:
        return []  # not JSON: the route's own validation says so
    return list(_walk("body", document))


def _walk(where: str, value: Any) -> Iterator[tuple[str, Any]]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield where, key
            yield from _walk(f"{where}.{key}", item)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _walk(f"{where}.{index}", item)
    else:
        yield where, value


def _check(where: str, value: Any) -> None:
    if isinstance(value, str) and "\x00" in value:
        raise InvalidInput(f"{where}: NUL characters (\\x00) are not allowed")
    if isinstance(value, int) and not isinstance(value, bool) and not INT64_MIN <= value <= INT64_MAX:
        raise InvalidInput(f"{where}: {value} is outside the 64-bit integer range")


def _check_integer_text(where: str, value: str) -> None:
    try:
        number = int(value.strip())
    except ValueError:
        return  # not an integer at all: the route's validation says so
    _check(where, number)
