"""Checks on JSON request bodies before any route sees them (issue 8, items 7 and 8).

A body that is not UTF-8, nests deeper than `max_depth`, or holds a lone UTF-16 surrogate
("\\ud800", which no UTF-8 database or response can carry) is refused with 422 and a FastAPI-
style `detail` list, so nothing like it is ever stored or echoed back. Validation errors are
answered without the `input` they refused (it may be a token, and could be unencodable).
"""

from __future__ import annotations

import json
import re
from typing import Any

from fastapi import Request
from fastapi.encoders import jsonable_encoder
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_BRACKETS = re.compile(r"[\[\]{}]")
_SURROGATE = re.compile("[\ud800-\udfff]")


class ValidationErrorItem(BaseModel):
    loc: list[str | int]
    msg: str
    type: str
    ctx: dict[str, str] | None = None


class Invalid(BaseModel):
    """422: a list of validation errors, or one stable code the client shows."""

    detail: list[ValidationErrorItem] | str


INVALID: dict[int | str, dict[str, Any]] = {
    422: {"model": Invalid, "description": "Invalid request: a list of errors, or a code"}}


def is_json(content_type: bytes | None) -> bool:
    if not content_type:
        return False
    media = content_type.split(b";", 1)[0].strip().lower()
    return media == b"application/json" or (media.startswith(b"application/")
                                             and media.endswith(b"+json"))


def json_depth(text: str) -> int:
    """Deepest nesting of [ and { outside strings (iterative: no recursion on hostile input)."""
    depth = deepest = 0
    for match in _BRACKETS.finditer(_STRING.sub('""', text)):
        if match.group() in "[{":
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth -= 1
    return deepest


def _has_surrogate(value: Any) -> bool:
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if _SURROGATE.search(item):
                return True
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


def json_body_problem(body: bytes, max_depth: int) -> tuple[str, str] | None:
    """(type, message) of what makes this JSON body unacceptable, or None. Plain syntax errors
    are left to FastAPI, which answers them with 422 json_invalid."""
    if not body:
        return None
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return "json_invalid", "The body is not UTF-8"
    if json_depth(text) > max_depth:
        return "json_too_deep", f"JSON nested deeper than {max_depth} levels"
    try:
        value = json.loads(text)
    except ValueError:
        return None
    if _has_surrogate(value):
        return "string_unicode", "A string holds a lone UTF-16 surrogate (not valid Unicode)"
    return None


def problem_body(kind: str, message: str) -> bytes:
    return json.dumps({"detail": [{"type": kind, "loc": ["body"], "msg": message}]}).encode()


def _allowed_methods(request: Request, path: str) -> set[str]:
    """Methods the OpenAPI document gives this path (templates such as /v1/drafts/{id})."""
    table: list[tuple[re.Pattern[str], set[str]]] | None = getattr(
        request.app.state, "allowed_methods", None)
    if table is None:
        table = []
        for template, operations in request.app.openapi().get("paths", {}).items():
            regex = re.sub(r"\\\{[^/]+?\\\}", "[^/]+", re.escape(template))
            table.append((re.compile(f"^{regex}$"), {m.upper() for m in operations}))
        request.app.state.allowed_methods = table
    methods: set[str] = set()
    for pattern, verbs in table:
        if pattern.match(path):
            methods |= verbs
    return methods


async def method_not_allowed_handler(request: Request, exc: Exception) -> Response:
    """405 with an Allow header naming every method of the path (Starlette names only those of
    the first route that matched the path, e.g. GET for GET + POST /v1/drafts)."""
    assert isinstance(exc, StarletteHTTPException)
    if exc.status_code != 405:
        return await http_exception_handler(request, exc)
    methods = _allowed_methods(request, request.url.path)
    if "GET" in methods:
        methods.add("HEAD")
    return JSONResponse({"detail": "Method Not Allowed"}, status_code=405,
                        headers={"Allow": ", ".join(sorted(methods))})


async def validation_error_handler(request: Request, exc: Exception) -> JSONResponse:
    """FastAPI's 422, without echoing the refused input."""
    assert isinstance(exc, RequestValidationError)
    errors = []
    for error in exc.errors():
        item = {k: error[k] for k in ("type", "loc", "msg") if k in error}
        if "ctx" in error:
            item["ctx"] = {k: str(v) for k, v in error["ctx"].items()}
        errors.append(item)
    content = json.loads(json.dumps(jsonable_encoder({"detail": errors}), ensure_ascii=True))
    return JSONResponse(status_code=422, content=content)
