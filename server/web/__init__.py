"""Web pages served by the same FastAPI app: the clerk's console, the hall's projector and
the public portal. ``install_web(app)`` is the one call ``server.app`` makes."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse, Response
from fastapi.staticfiles import StaticFiles

from server.web.auth import SignInRequired, StaffOnly
from server.web.security import SecurityHeaders

STATIC_DIR = Path(__file__).parent / "static"


def install_web(app: FastAPI) -> None:
    from server.web import (
        console_api,
        pages_accounts,
        pages_auth,
        pages_council,
        pages_devices,
        pages_documents,
        pages_minutes,
        pages_operator,
        pages_register,
        pages_sessions,
        portal,
        projector,
    )

    app.add_middleware(SecurityHeaders)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="web-static")
    for module in (pages_auth, pages_accounts, pages_sessions, pages_documents, pages_council,
                   pages_devices, pages_minutes,
                   pages_operator, pages_register,
                   console_api, projector):  # portal.router: first of all, in server/app.py
        app.include_router(module.router)
    app.include_router(portal.feed)  # /api/public/sessions..., in the OpenAPI document
    from server.web import pages_followup  # issue 8: follow-up dashboard, items, portal pages

    app.include_router(pages_followup.router)
    app.include_router(pages_followup.portal_router)
    from server.web import pages_delegates  # issue 21: delegate profiles and records

    app.include_router(pages_delegates.router)
    app.include_router(pages_delegates.portal_router)
    from server.web import pages_training  # issue 21: training courses, supervision participants

    app.include_router(pages_training.router)
    from server.web import pages_assistant  # issue 21: the assistant for staff and delegates

    app.include_router(pages_assistant.router)
    from server.web import pages_signatures  # issue 17: digital signatures of documents

    app.include_router(pages_signatures.router)
    from server.web import pages_questioning  # issue 18: questions before and after

    app.include_router(pages_questioning.router)
    from server.web import pages_citizens  # issue 18: the citizens' door on the portal

    app.include_router(pages_citizens.router)
    app.include_router(pages_citizens.console)

    @app.exception_handler(SignInRequired)
    async def _sign_in(request: Request, exc: SignInRequired) -> Response:
        if request.url.path.startswith("/console/api/"):
            from server.app import problem_response
            from server.errors import NotAuthenticated

            return problem_response(NotAuthenticated(), request)
        if request.method == "POST" and request.url.path.startswith("/console/"):
            return await pages_auth.timed_out(request)  # keeps what the clerk typed
        expired = "&expired=1" if request.cookies.get("hdnd_session") else ""
        return RedirectResponse(f"/dang-nhap?next={quote(exc.next_url)}{expired}",
                                status_code=303)

    @app.exception_handler(StaffOnly)
    async def _staff_only(request: Request, exc: StaffOnly) -> Response:
        from server.web.error_pages import error_page
        from server.web.i18n import language_of, translator

        return error_page(request, 403, translator(language_of(request))("forbidden.text"))

    from server.web.error_pages import install_error_pages

    install_error_pages(app)
