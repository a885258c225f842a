"""Account: the user's profile and data rights — name and email correction (P23), password
(P03), usage against the plan (P26), the export archive (P22) and deleting the account (P24).

The same services as ``/api/v1/me``: the email change and password rules in
:mod:`reelforge.accounts.email_change` and :mod:`reelforge.accounts.password_change`,
the archive from :func:`reelforge.privacy.export.write_export` (the same ZIP as
``GET /api/v1/me/export``), deletion through :func:`reelforge.privacy.delete.delete_account`.
Each form answers a mistake next to its field and keeps what was typed (passwords
excepted: they are never written back into a page).
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response, StreamingResponse

from reelforge.accounts import email_change, password_change, usage, users
from reelforge.clock import utc_now
from reelforge.errors import Forbidden, InputError, QuotaExceeded, ReelforgeError, WrongPassword
from reelforge.privacy.delete import delete_account
from reelforge.privacy.export import write_export
from reelforge.web.dashboard.home import usage_bars
from reelforge.web.dashboard.templating import render
from reelforge.web.dashboard.viewer import MaybeViewerDep, Viewer, ViewerDep
from reelforge.web.deps import DbDep, RuntimeDep, client_ip
from reelforge.web.security import clear_session_cookie

router = APIRouter()
CHUNK = 1024 * 1024

#: (section, message) after a redirect, by a fixed word in the query (never text from the URL).
DONE = {
    "name-saved": ("profile", "Your name was saved."),
    "email-changed": (
        "email",
        "Your email address was changed. Sign in with the new address from now on; the old "
        "one was told by mail.",
    ),
    "password-saved": (
        "password",
        "Your password was saved. You can sign in with it as well as with a code by email.",
    ),
}


def _status(exc: ReelforgeError) -> int:
    if isinstance(exc, QuotaExceeded):
        return 429
    if isinstance(exc, Forbidden):
        return 403
    return 400


def _before_limits(db: DbDep) -> None:
    """End the transaction the sign-in check opened: the DB-backed rate limiter uses a
    connection of its own, and on SQLite an open transaction holds the write lock (the API
    does the same in ``current_principal``)."""
    db.commit()


def _where_codes_go(runtime: RuntimeDep) -> str | None:
    """With the embedded file mailer, where the code lands (as the sign-in page says)."""
    if runtime.settings.mailer != "file":
        return None
    return str((runtime.settings.home / "mail").resolve())


def _address_or_none(value: str) -> str | None:
    try:
        return users.normalize_email(value) if value else None
    except InputError:
        return None


def _page(
    request: Request,
    db: DbDep,
    runtime: RuntimeDep,
    viewer: Viewer,
    *,
    status_code: int = 200,
    problems: dict[str, str] | None = None,
    values: dict[str, str] | None = None,
    email_sent: str | None = None,
    done: tuple[str, str] | None = None,
) -> Response:
    summary = usage.summary(db, runtime.settings, owner_id=viewer.user_id)
    return render(
        request,
        "account/account.html",
        status_code=status_code,
        title="Account",
        user=viewer.user,
        problems=problems or {},
        values=values or {},
        email_sent=email_sent,
        mail_folder=_where_codes_go(runtime),
        done=done,
        summary=summary,
        bars=usage_bars(summary),
        has_password=viewer.user.password_hash is not None,
    )


@router.get("/account")
def account_page(
    request: Request,
    viewer: ViewerDep,
    db: DbDep,
    runtime: RuntimeDep,
    done: str = "",
    email_sent: str = "",
) -> Response:
    return _page(
        request,
        db,
        runtime,
        viewer,
        done=DONE.get(done),
        email_sent=_address_or_none(email_sent[:320]),
    )


@router.post("/account/name")
def change_name(
    request: Request,
    viewer: ViewerDep,
    db: DbDep,
    runtime: RuntimeDep,
    name: Annotated[str, Form()] = "",
) -> Response:
    try:
        users.update_profile(db, user_id=viewer.user_id, name=name)
    except ReelforgeError as exc:
        db.rollback()
        return _page(
            request,
            db,
            runtime,
            viewer,
            status_code=_status(exc),
            problems={"name": exc.message},
            values={"name": name},
        )
    return RedirectResponse("/account?done=name-saved#profile", status_code=303)


@router.post("/account/email")
def start_email_change(
    request: Request,
    viewer: ViewerDep,
    db: DbDep,
    runtime: RuntimeDep,
    new_email: Annotated[str, Form()] = "",
) -> Response:
    try:
        if _address_or_none(new_email) == viewer.user.email:
            raise InputError("That is already your address: type the new one.")
        _before_limits(db)
        address = email_change.start(
            db,
            settings=runtime.settings,
            limiter=runtime.limiter,
            mailer=runtime.mailer,
            user_id=viewer.user_id,
            new_email=new_email,
            ip=client_ip(request),
        )
    except ReelforgeError as exc:
        db.rollback()
        return _page(
            request,
            db,
            runtime,
            viewer,
            status_code=_status(exc),
            problems={"new_email": exc.message},
            values={"new_email": new_email},
        )
    # The same answer whether or not the address has an account (the service sends no code
    # to an address in use), so this page cannot be used to find out who has one.
    return RedirectResponse(f"/account?email_sent={quote(address)}#email", status_code=303)


@router.post("/account/email/confirm")
def confirm_email_change(
    request: Request,
    viewer: ViewerDep,
    db: DbDep,
    runtime: RuntimeDep,
    code: Annotated[str, Form()] = "",
    new_email: Annotated[str, Form()] = "",
) -> Response:
    try:
        _before_limits(db)
        email_change.confirm(
            db,
            settings=runtime.settings,
            limiter=runtime.limiter,
            mailer=runtime.mailer,
            user=viewer.user,
            code=code.strip()[:12],
            ip=client_ip(request),
        )
    except ReelforgeError as exc:
        db.rollback()  # a refused switch leaves the code as it was (a wrong try still counts)
        return _page(
            request,
            db,
            runtime,
            viewer,
            status_code=_status(exc),
            problems={"code": exc.message},
            values={"code": code.strip()},
            email_sent=_address_or_none(new_email[:320]),
        )
    return RedirectResponse("/account?done=email-changed#email", status_code=303)


@router.post("/account/password")
def set_password(
    request: Request,
    viewer: ViewerDep,
    db: DbDep,
    runtime: RuntimeDep,
    password: Annotated[str, Form()] = "",
    password_again: Annotated[str, Form()] = "",
    current_password: Annotated[str, Form()] = "",
) -> Response:
    field = "password"
    try:
        if password != password_again:
            field = "password_again"
            raise InputError("The two new passwords differ: type the same password twice.")
        _before_limits(db)
        password_change.set_password(
            db,
            limiter=runtime.limiter,
            user=viewer.user,
            password=password,
            current_password=current_password or None,
            ip=client_ip(request),
        )
    except ReelforgeError as exc:
        db.rollback()
        if isinstance(exc, (WrongPassword, QuotaExceeded)):
            field = "current_password"
        return _page(
            request, db, runtime, viewer, status_code=_status(exc), problems={field: exc.message}
        )
    return RedirectResponse("/account?done=password-saved#password", status_code=303)


@router.get("/account/export")
def export(viewer: ViewerDep, db: DbDep, runtime: RuntimeDep) -> StreamingResponse:
    """The same archive as ``GET /api/v1/me/export``, spooled to a temporary file first so
    the database session is done before the download starts."""
    spool = tempfile.TemporaryFile()  # noqa: SIM115 - closed by the stream when sent
    try:
        write_export(db, runtime.blobs, user_id=viewer.user_id, out=spool)
    except BaseException:
        spool.close()
        raise
    size = spool.tell()
    spool.seek(0)

    def stream() -> Iterator[bytes]:
        with spool:
            while chunk := spool.read(CHUNK):
                yield chunk

    stamp = utc_now().strftime("%Y%m%d-%H%M%S")
    return StreamingResponse(
        stream(),
        media_type="application/zip",
        headers={
            "Content-Disposition": f'attachment; filename="reelforge-export-{stamp}.zip"',
            "Content-Length": str(size),
            "Cache-Control": "no-store",
        },
    )


@router.post("/account/delete")
def delete(
    request: Request,
    viewer: ViewerDep,
    db: DbDep,
    runtime: RuntimeDep,
    confirm_email: Annotated[str, Form()] = "",
) -> Response:
    if confirm_email.strip().lower() != viewer.user.email:
        return _page(
            request,
            db,
            runtime,
            viewer,
            status_code=400,
            problems={
                "confirm_email": "That is not your email address, so nothing was deleted. Type "
                f"{viewer.user.email} exactly to delete the account."
            },
            values={"confirm_email": confirm_email},
        )
    delete_account(db, runtime, user_id=viewer.user_id)
    db.commit()  # gone before the browser is told so
    response = RedirectResponse("/account/deleted", status_code=303)
    clear_session_cookie(response, runtime.settings)
    return response


@router.get("/account/deleted")
def deleted(request: Request, viewer: MaybeViewerDep) -> Response:
    """The sign-in page, saying the account is gone (a new sign-in makes a new, empty one)."""
    if viewer is not None:
        return RedirectResponse("/", status_code=303)
    return render(request, "account/deleted.html", title="Account deleted", next="/", email="")
