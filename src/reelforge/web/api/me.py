"""The signed-in user's own account: read, correct (P23), password (P03), delete (P24)."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response, status

from reelforge.accounts import otp, passwords, users
from reelforge.errors import Forbidden
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
    settings = runtime.settings
    new_email = users.normalize_email(body.new_email)
    runtime.limiter.check("code_per_ip", client_ip(request))
    runtime.limiter.check("code_per_email", new_email)
    answer = Accepted(message=f"If {new_email} can receive mail, a code is on its way to it.")
    # An address that belongs to someone else gets no code, and the answer is the same.
    if not users.email_available(db, email=new_email):
        return answer
    code = otp.issue_code(
        db, settings=settings, email=new_email, purpose="email_change", user_id=principal.user_id
    )
    db.commit()
    subject, text = otp.code_email(
        code=code, purpose="email_change", minutes=settings.otp_ttl_s // 60
    )
    runtime.mailer.send(to=new_email, subject=subject, text=text)
    return answer


@router.post("/email/confirm", response_model=UserOut, summary="Finish the email change")
def confirm_email(
    body: EmailConfirm, request: Request, principal: SignedInDep, db: DbDep, runtime: RuntimeDep
) -> UserOut:
    settings = runtime.settings
    runtime.limiter.check("signin_per_ip", client_ip(request))
    runtime.limiter.check("signin_per_email", principal.user.email)
    old_email = principal.user.email
    row = otp.verify_code(
        db, settings=settings, purpose="email_change", user_id=principal.user_id, code=body.code
    )
    user = users.change_email(db, user_id=principal.user_id, new_email=row.email)
    db.commit()
    runtime.mailer.send(
        to=old_email,
        subject="Your reelforge email was changed",
        text=f"The email of your reelforge account is now {user.email}. If you did not do "
        "this, sign in with your password or contact the server's operator.\n",
    )
    return UserOut.of(user, default_plan=settings.default_plan)


@router.put(
    "/password", status_code=status.HTTP_204_NO_CONTENT, summary="Set or change your password"
)
def set_password(
    body: PasswordSet, request: Request, principal: SignedInDep, db: DbDep, runtime: RuntimeDep
) -> Response:
    user = principal.user
    if user.password_hash is not None:
        runtime.limiter.check("signin_per_ip", client_ip(request))
        runtime.limiter.check("signin_per_email", user.email)
        if not passwords.verify_password(user.password_hash, body.current_password or ""):
            raise Forbidden("Your current password is wrong (send it as current_password).")
    user.password_hash = passwords.hash_password(body.password)
    db.add(user)
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
