"""Sign-in: email codes (sign-up included), passwords, sign-out (P01, P02, P04, P05, P30)."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response, status

from reelforge.accounts import sessions, signin
from reelforge.errors import InputError
from reelforge.web.api.bodies.accounts import (
    Accepted,
    CodeRequest,
    LoginRequest,
    SignedIn,
    UserOut,
    VerifyRequest,
)
from reelforge.web.deps import DbDep, PrincipalDep, RuntimeDep, client_ip
from reelforge.web.security import clear_session_cookie, set_session_cookie

router = APIRouter(prefix="/auth", tags=["auth"])


@router.post(
    "/code",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=Accepted,
    summary="Email a sign-in code (also how new accounts start)",
)
def send_code(body: CodeRequest, request: Request, db: DbDep, runtime: RuntimeDep) -> Accepted:
    """Always 202 for a well-formed address, whether or not an account exists: the answer
    never tells anyone which addresses have accounts."""
    signin.send_code(
        db,
        settings=runtime.settings,
        limiter=runtime.limiter,
        mailer=runtime.mailer,
        email=body.email,
        ip=client_ip(request),
    )
    return Accepted(message="If that address can receive mail, a sign-in code is on its way.")


@router.post("/verify", response_model=SignedIn, summary="Sign in (or sign up) with the code")
def verify(
    body: VerifyRequest, request: Request, response: Response, db: DbDep, runtime: RuntimeDep
) -> SignedIn:
    """A new account needs only the email and ``age_confirmed: true`` (13 or older)."""
    user, token = signin.verify_code(
        db,
        settings=runtime.settings,
        limiter=runtime.limiter,
        email=body.email,
        code=body.code,
        ip=client_ip(request),
        age_confirmed=body.age_confirmed,
        name=body.name,
    )
    set_session_cookie(response, runtime.settings, token)
    return SignedIn(token=token, user=UserOut.of(user, default_plan=runtime.settings.default_plan))


@router.post("/login", response_model=SignedIn, summary="Sign in with email and password")
def login(
    body: LoginRequest, request: Request, response: Response, db: DbDep, runtime: RuntimeDep
) -> SignedIn:
    user, token = signin.password_login(
        db,
        settings=runtime.settings,
        limiter=runtime.limiter,
        email=body.email,
        password=body.password,
        ip=client_ip(request),
    )
    set_session_cookie(response, runtime.settings, token)
    return SignedIn(token=token, user=UserOut.of(user, default_plan=runtime.settings.default_plan))


@router.post(
    "/logout", status_code=status.HTTP_204_NO_CONTENT, summary="Sign out (ends the session)"
)
def logout(principal: PrincipalDep, db: DbDep, runtime: RuntimeDep) -> Response:
    if principal.session_id is None:
        raise InputError(
            "API keys do not sign in or out; revoke the key with DELETE /api/v1/api-keys/{id}."
        )
    sessions.end_session(db, user_id=principal.user_id, session_id=principal.session_id)
    response = Response(status_code=status.HTTP_204_NO_CONTENT)
    clear_session_cookie(response, runtime.settings)
    return response
