"""One error shape for every 4xx/5xx: ``{"error": {"code", "message", "details"}}``.

Domain errors (``reelforge.errors`` and the account errors) are mapped to
HTTP statuses here and nowhere else; request validation errors, unknown
routes and wrong methods get the same shape; anything unexpected becomes a
500 with a generic message (the traceback goes to the log, not the client).
On dashboard paths the same mapping answers with a page instead
(:mod:`reelforge.web.dashboard.errors`), so both doors map errors once, here.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import compile_path

from reelforge.errors import (
    Forbidden,
    InputError,
    NotFound,
    ProviderError,
    QuotaExceeded,
    ReelforgeError,
    RenderError,
    Unauthenticated,
)
from reelforge.web.dashboard.errors import error_page, is_page_request, sign_in_redirect
from reelforge.web.dashboard.viewer import SignInRequired

log = logging.getLogger("reelforge.web")

STATUS: list[tuple[type[ReelforgeError], int]] = [
    (Unauthenticated, 401),
    (Forbidden, 403),
    (NotFound, 404),
    (QuotaExceeded, 429),
    (InputError, 400),
    (ProviderError, 502),
    (RenderError, 500),
]
HTTP_CODES = {
    400: "bad_request",
    401: "unauthenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    409: "conflict",
    413: "too_large",
    415: "unsupported_media_type",
    416: "range_not_satisfiable",
    422: "invalid_input",
    429: "rate_limited",
}


class ErrorDetail(BaseModel):
    code: str = Field(examples=["not_found"])
    message: str = Field(examples=["No such API key."])
    details: dict[str, Any] = Field(default_factory=dict)


class ErrorBody(BaseModel):
    error: ErrorDetail


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorBody, "description": description}
    for status, description in {
        400: "The input is wrong; the message says what to change.",
        401: "Not signed in, or the token or API key is not valid.",
        403: "Signed in, but not allowed.",
        404: "No such object for this user.",
        422: "The request does not match the schema.",
        429: "A rate or plan limit was reached; see Retry-After.",
        502: "An external provider failed.",
    }.items()
}


def error_response(
    status: int,
    code: str,
    message: str,
    details: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    body = {"error": {"code": code, "message": message, "details": details or {}}}
    return JSONResponse(body, status_code=status, headers=headers)


def status_for(error: ReelforgeError) -> int:
    for cls, status in STATUS:
        if isinstance(error, cls):
            return status
    return 500


async def _domain(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ReelforgeError)
    status = status_for(exc)
    if is_page_request(request):
        return error_page(request, status, exc.message)
    headers: dict[str, str] = {}
    if isinstance(exc, QuotaExceeded):
        retry = exc.details.get("retry_after")
        headers["Retry-After"] = str(int(retry)) if retry is not None else "60"
    if isinstance(exc, Unauthenticated):
        headers["WWW-Authenticate"] = 'Bearer realm="reelforge"'
    if status >= 500:
        log.error("request failed: %s %s: %s", request.method, request.url.path, exc.code)
    details = dict(exc.details)
    if isinstance(exc, RenderError):
        details.pop("stderr_tail", None)  # server internals stay in the job record
    return error_response(status, exc.code, exc.message, details, headers)


async def _validation(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    # Only where and what: never echo the input back (it may be a password or key).
    errors = [
        {"loc": [str(p) for p in e.get("loc", ())], "msg": e.get("msg", ""), "type": e.get("type")}
        for e in exc.errors()
    ]
    first = errors[0] if errors else {"loc": [], "msg": "invalid request"}
    where = ".".join(str(p) for p in first["loc"] if p != "body") or "request"
    if is_page_request(request):
        return error_page(request, 422, f"Check the form: {where}: {first['msg']}.")
    return error_response(422, "invalid_input", f"{where}: {first['msg']}", {"errors": errors[:20]})


def _route_table(app: Any) -> list[tuple[re.Pattern[str], frozenset[str]]]:
    """(path regex, methods) of every route, included routers flattened; built once."""
    table: list[tuple[re.Pattern[str], frozenset[str]]] | None = getattr(
        app.state, "reelforge_route_table", None
    )
    if table is None:
        try:
            from fastapi.routing import iter_route_contexts
        except ImportError:  # pragma: no cover - FastAPI versions that list routes flat
            contexts: list[Any] = list(app.routes)
        else:
            contexts = list(iter_route_contexts(app.routes))
        table = [
            (compile_path(str(c.path))[0], frozenset(c.methods))
            for c in contexts
            if getattr(c, "path", None) and getattr(c, "methods", None)
        ]
        app.state.reelforge_route_table = table
    return table


def allowed_methods(request: Request) -> list[str]:
    """Every method some route accepts at this path (FastAPI keeps one route per method,
    so Starlette's own Allow header names only the first)."""
    path = request.url.path
    methods = {m for regex, ms in _route_table(request.app) if regex.match(path) for m in ms}
    return sorted(methods)


async def _http(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    code = HTTP_CODES.get(exc.status_code, "error")
    headers = dict(exc.headers or {})
    if exc.status_code == 404:
        message = f"No route {request.method} {request.url.path}; see /docs."
    elif exc.status_code == 405:
        allowed = allowed_methods(request)
        headers["Allow"] = ", ".join(allowed)
        message = f"{request.method} is not allowed on {request.url.path}; use {headers['Allow']}."
    else:
        message = str(exc.detail)
    if is_page_request(request):
        return error_page(request, exc.status_code, message)
    return error_response(exc.status_code, code, message, headers=headers)


async def _unexpected(request: Request, exc: Exception) -> Response:
    log.exception("unexpected error in %s %s", request.method, request.url.path)
    if is_page_request(request):
        return error_page(request, 500, "Something went wrong on the server; try again.")
    return error_response(500, "internal_error", "Something went wrong on the server.")


def install(app: FastAPI) -> None:
    app.add_exception_handler(SignInRequired, sign_in_redirect)
    app.add_exception_handler(ReelforgeError, _domain)
    app.add_exception_handler(RequestValidationError, _validation)
    app.add_exception_handler(StarletteHTTPException, _http)
    app.add_exception_handler(Exception, _unexpected)
