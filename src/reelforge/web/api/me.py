"""The signed-in user's own account: read, correct (P23), password (P03), delete (P24).

The email change and the password rules live in :mod:`reelforge.accounts.email_change` and
:mod:`reelforge.accounts.password_change`, shared with the dashboard's account page.
"""

from __future__ import annotations

from fastapi import APIRouter, Request, Response, status

from reelforge.accounts import email_change, password_change, users
from reelforge.errors import Forbidden, WrongPassword
from reelforge.privacy.delete import delete_account
from reelforge.web.api.bodies.accounts import (
    Accepted,
    EmailChange,
    EmailConfirm,
    PasswordSet,
    ProfilePatch,
    UserOut,
)
from reelforge.web.deps import DbDep, PrincipalDep, RuntimeDep, SignedInDep, client_ip
from reelforge.web.security import clear_session_cookie

router = APIRouter(prefix="/me", tags=["me"])


@router.get("", response_model=UserOut, summary="Your account")
def read_me(principal: PrincipalDep, runtime: RuntimeDep) -> UserOut:
    return UserOut.of(principal.user, default_plan=runtime.settings.default_plan)


@router.patch("", response_model=UserOut, summary="Change your name")
def update_me(
    body: ProfilePatch, principal: PrincipalDep, db: DbDep, runtime: RuntimeDep
) -> UserOut:
    user = principal.user
    if "name" in body.model_fields_set:
        user = users.update_profile(db, user_id=principal.user_id, name=body.name)
    return UserOut.of(user, default_plan=runtime.settings.default_plan)


@router.post(
    "/email",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=Accepted,
    summary="Start an email change: a code goes to the new address",
)
def change_email(
    body: EmailChange, request: Request, principal: SignedInDep, db: DbDep, runtime: RuntimeDep
) -> Accepted:
    # An address that belongs to someone else gets no code, and the answer is the same.
    new_email = email_change.start(
        db,
        settings=runtime.settings,
        limiter=runtime.limiter,
        mailer=runtime.mailer,
        user_id=principal.user_id,
        new_email=body.new_email,
        ip=client_ip(request),
    )
    return Accepted(message=f"If {new_email} can receive mail, a code is on its way to it.")


@router.post("/email/confirm", response_model=UserOut, summary="Finish the email change")
def confirm_email(
    body: EmailConfirm, request: Request, principal: SignedInDep, db: DbDep, runtime: RuntimeDep
) -> UserOut:
    user = email_change.confirm(
        db,
        settings=runtime.settings,
        limiter=runtime.limiter,
        mailer=runtime.mailer,
        user=principal.user,
        code=body.code,
        ip=client_ip(request),
    )
    return UserOut.of(user, default_plan=runtime.settings.default_plan)


@router.put(
    "/password", status_code=status.HTTP_204_NO_CONTENT, summary="Set or change your password"
)
def set_password(
    body: PasswordSet, request: Request, principal: SignedInDep, db: DbDep, runtime: RuntimeDep
) -> Response:
    try:
        password_change.set_password(
            db,
            limiter=runtime.limiter,
            user=principal.user,
            password=body.password,
            current_password=body.current_password,
            ip=client_ip(request),
        )
    except WrongPassword as exc:
        raise Forbidden("Your current password is wrong (send it as current_password).") from exc
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.delete(
    "",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Delete your account, with every row and file",
)
def delete_me(principal: SignedInDep, db: DbDep, runtime: RuntimeDep) -> Response:
    delete_account(db, runtime, user_id=principal.user_id)
    response = Response(status_code=status.HTTP_204_NO_CONTENT)
    clear_session_cookie(response, runtime.settings)
    return response
