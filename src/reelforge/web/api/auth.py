"""Sign-in: email codes (sign-up included), passwords, sign-out (P01, P02, P04, P05, P30)."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response, status

from reelforge.accounts import otp, passwords, sessions, users
from reelforge.errors import InputError, Unauthenticated
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
    email = users.normalize_email(body.email)
    runtime.limiter.check("code_per_ip", client_ip(request))
    runtime.limiter.check("code_per_email", email)
    code = otp.issue_code(db, settings=runtime.settings, email=email, purpose="signin")
    db.commit()
    subject, text = otp.code_email(
        code=code, purpose="signin", minutes=runtime.settings.otp_ttl_s // 60
    )
    runtime.mailer.send(to=email, subject=subject, text=text)
    return Accepted(message="If that address can receive mail, a sign-in code is on its way.")


def _signed_in(response: Response, runtime: RuntimeDep, db: DbDep, user_id: str) -> tuple[str, str]:
    row, token = sessions.create_session(db, settings=runtime.settings, user_id=user_id)
    set_session_cookie(response, runtime.settings, token)
    return row.id, token


@router.post("/verify", response_model=SignedIn, summary="Sign in (or sign up) with the code")
def verify(
    body: VerifyRequest, request: Request, response: Response, db: DbDep, runtime: RuntimeDep
) -> SignedIn:
    """A new account needs only the email and ``age_confirmed: true`` (13 or older)."""
    settings = runtime.settings
    email = users.normalize_email(body.email)
    runtime.limiter.check("signin_per_ip", client_ip(request))
    runtime.limiter.check("signin_per_email", email)
    otp.verify_code(db, settings=settings, purpose="signin", email=email, code=body.code)
    user = users.find_user_by_email(db, email=email)
    if user is None:  # refused sign-ups roll back, so the code still works once confirmed
        user = users.create_user(db, email=email, age_confirmed=body.age_confirmed, name=body.name)
    _, token = _signed_in(response, runtime, db, user.id)
    return SignedIn(token=token, user=UserOut.of(user, default_plan=settings.default_plan))


@router.post("/login", response_model=SignedIn, summary="Sign in with email and password")
def login(
    body: LoginRequest, request: Request, response: Response, db: DbDep, runtime: RuntimeDep
) -> SignedIn:
    settings = runtime.settings
    try:
        email = users.normalize_email(body.email)
    except InputError as exc:
        raise Unauthenticated("Email or password is wrong.") from exc
    runtime.limiter.check("signin_per_ip", client_ip(request))
    runtime.limiter.check("signin_per_email", email)
    user = users.find_user_by_email(db, email=email)
    stored = user.password_hash if user is not None else None
    if user is None or not passwords.verify_password(stored, body.password):
        raise Unauthenticated("Email or password is wrong.")
    if stored is not None and passwords.needs_rehash(stored):
        user.password_hash = passwords.hash_password(body.password)
    _, token = _signed_in(response, runtime, db, user.id)
    return SignedIn(token=token, user=UserOut.of(user, default_plan=settings.default_plan))


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
