"""Errors on pages: the same domain errors as the API, mapped once here to a page.

A page never shows a stack trace or a JSON dump: a domain error becomes its
own message (which says what to do) on a page with the right status, a 404 and
a 403 have pages of their own, a missing sign-in redirects to the sign-in page
and comes back afterwards.
"""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import RedirectResponse, Response

from reelforge.web.dashboard.templating import render
from reelforge.web.dashboard.viewer import SignInRequired

TITLES = {
    400: "That did not work",
    401: "Please sign in",
    403: "Not allowed",
    404: "Not found",
    405: "Not allowed",
    409: "That clashes with something",
    413: "Too large",
    422: "That did not work",
    429: "Slow down",
    500: "Something went wrong",
    502: "A provider failed",
    503: "Unavailable",
}


def is_page_request(request: Request) -> bool:
    """Dashboard paths get pages; the API, its docs and its schema keep JSON."""
    path = request.url.path
    return not path.startswith(("/api/", "/docs", "/openapi.json"))


def error_page(request: Request, status: int, message: str) -> Response:
    if status == 404:
        message = message if "No route" not in message else "There is no page at this address."
    return render(
        request,
        "error.html",
        status_code=status,
        title=TITLES.get(status, "That did not work"),
        status=status,
        message=message,
    )


def sign_in_redirect(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, SignInRequired)
    return RedirectResponse(exc.location, status_code=303)
