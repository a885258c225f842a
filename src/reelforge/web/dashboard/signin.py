"""Signing in on the dashboard: an emailed code (which also makes a new account) or a password.

The same account services as ``POST /api/v1/auth/*`` (rate limits P30, codes P02,
age P05). On a self-hosted box with the embedded file mailer the page says where
the code lands; with SMTP or Resend it just says to check the inbox.
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlsplit

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from reelforge.accounts import sessions, signin
from reelforge.errors import ReelforgeError
from reelforge.web.dashboard.templating import render
from reelforge.web.dashboard.viewer import MaybeViewerDep, ViewerDep
from reelforge.web.deps import DbDep, RuntimeDep, client_ip
from reelforge.web.security import clear_session_cookie, set_session_cookie

router = APIRouter()


def _safe_next(target: str | None) -> str:
    """Only a path on this site (no scheme, no host, no //evil.example): no open redirect."""
    if not target:
        return "/"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return "/"
    return target


def _where_codes_go(runtime: RuntimeDep) -> str | None:
    if runtime.settings.mailer != "file":
        return None
    return str((runtime.settings.home / "mail").resolve())


def _signin_again(request: Request, *, next: str, email: str, problem: str) -> Response:
    """The sign-in page once more, with what was typed and what went wrong."""
    return render(
        request,
        "signin.html",
        status_code=400,
        title="Sign in",
        next=_safe_next(next),
        email=email,
        problem=problem,
    )


@router.get("/signin")
def signin_page(
    request: Request, viewer: MaybeViewerDep, next: str | None = None, email: str = ""
) -> Response:
    if viewer is not None:
        return RedirectResponse(_safe_next(next), status_code=303)
    return render(request, "signin.html", title="Sign in", next=_safe_next(next), email=email)


@router.post("/signin/code")
def send_code(
    request: Request,
    db: DbDep,
    runtime: RuntimeDep,
    _viewer: MaybeViewerDep,
    email: Annotated[str, Form()],
    next: Annotated[str, Form()] = "/",
) -> Response:
    try:
        signin.send_code(
            db,
            settings=runtime.settings,
            limiter=runtime.limiter,
            mailer=runtime.mailer,
            email=email,
            ip=client_ip(request),
        )
    except ReelforgeError as exc:
        return _signin_again(request, next=next, email=email, problem=exc.message)
    return render(
        request,
        "signin_code.html",
        title="Enter your code",
        email=email.strip(),
        next=_safe_next(next),
        mail_folder=_where_codes_go(runtime),
        minutes=runtime.settings.otp_ttl_s // 60,
    )


def _signed_in(runtime: RuntimeDep, token: str, target: str) -> Response:
    response = RedirectResponse(target, status_code=303)
    set_session_cookie(response, runtime.settings, token)
    return response


@router.post("/signin/verify")
def verify_code(
    request: Request,
    db: DbDep,
    runtime: RuntimeDep,
    _viewer: MaybeViewerDep,
    email: Annotated[str, Form()],
    code: Annotated[str, Form()],
    next: Annotated[str, Form()] = "/",
    age_confirmed: Annotated[bool, Form()] = False,
) -> Response:
    try:
        user, token = signin.verify_code(
            db,
            settings=runtime.settings,
            limiter=runtime.limiter,
            email=email,
            code=code.strip(),
            ip=client_ip(request),
            age_confirmed=age_confirmed,
        )
    except ReelforgeError as exc:
        db.rollback()  # a refused sign-up leaves the code usable
        return render(
            request,
            "signin_code.html",
            status_code=400,
            title="Enter your code",
            email=email,
            next=_safe_next(next),
            mail_folder=_where_codes_go(runtime),
            minutes=runtime.settings.otp_ttl_s // 60,
            problem=exc.message,
            code=code.strip(),  # a refused sign-up keeps the code usable: no retyping
        )
    new_account = user.onboarded_at is None
    return _signed_in(runtime, token, "/onboarding" if new_account else _safe_next(next))


@router.post("/signin/password")
def password_login(
    request: Request,
    db: DbDep,
    runtime: RuntimeDep,
    _viewer: MaybeViewerDep,
    email: Annotated[str, Form()],
    password: Annotated[str, Form()],
    next: Annotated[str, Form()] = "/",
) -> Response:
    try:
        _, token = signin.password_login(
            db,
            settings=runtime.settings,
            limiter=runtime.limiter,
            email=email,
            password=password,
            ip=client_ip(request),
        )
    except ReelforgeError as exc:
        return _signin_again(request, next=next, email=email, problem=exc.message)
    return _signed_in(runtime, token, _safe_next(next))


@router.post("/signout")
def sign_out(viewer: ViewerDep, db: DbDep, runtime: RuntimeDep) -> Response:
    sessions.end_session(db, user_id=viewer.user_id, session_id=viewer.session_id)
    response = RedirectResponse("/signin", status_code=303)
    clear_session_cookie(response, runtime.settings)
    return response
