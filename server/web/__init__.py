"""Web pages served by the same FastAPI app: the clerk's console, the hall's projector and
the public portal. ``install_web(app)`` is the one call ``server.app`` makes."""

from __future__ import annotations

import inspect
from pathlib import Path
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse, Response
from fastapi.staticfiles import StaticFiles

from server.errors import DomainError, NotAuthenticated
from server.web import (
    console_api,
    pages_accounts,
    pages_assistant,
    pages_auth,
    pages_citizens,
    pages_council,
    pages_delegates,
    pages_devices,
    pages_documents,
    pages_followup,
    pages_minutes,
    pages_operator,
    pages_province,
    pages_questioning,
    pages_register,
    pages_search,
    pages_sessions,
    pages_signatures,
    pages_training,
    portal,
    projector,
)
from server.web.auth import SignInRequired, StaffOnly
from server.web.error_pages import error_page, install_error_pages
from server.web.i18n import language_of, translator
from server.web.security import SecurityHeaders

STATIC_DIR = Path(__file__).parent / "static"


def install_web(app: FastAPI) -> None:
    app.add_middleware(SecurityHeaders)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="web-static")
    for module in (pages_auth, pages_accounts, pages_sessions, pages_documents, pages_council,
                   pages_devices, pages_minutes,
                   pages_operator, pages_register,
                   console_api, projector):  # portal.router: first of all, in server/app.py
        app.include_router(module.router)
    app.include_router(portal.feed)  # /api/public/sessions..., in the OpenAPI document
    app.include_router(pages_followup.router)  # dashboard, items
    app.include_router(pages_province.router)  # the province's view of its communes
    app.include_router(pages_followup.portal_router)  # the portal's follow-up pages
    app.include_router(pages_delegates.router)  # profiles and records
    app.include_router(pages_delegates.portal_router)
    app.include_router(pages_training.router)  # courses, supervision participants
    app.include_router(pages_assistant.router)  # the assistant for staff and delegates
    app.include_router(pages_signatures.router)  # digital signatures of documents
    app.include_router(pages_questioning.router)  # questions before and after
    app.include_router(pages_citizens.router)  # the citizens' door on the portal
    app.include_router(pages_citizens.console)
    app.include_router(pages_search.router)  # search: what the reader may read
    app.include_router(pages_search.portal_router)  # and what the council published

    @app.exception_handler(SignInRequired)
    async def _sign_in(request: Request, exc: SignInRequired) -> Response:
        if request.url.path.startswith("/console/api/"):
            # the app's problem+json answer (pages never import the API's side)
            answer = app.exception_handlers[DomainError](request, NotAuthenticated())
            return await answer if inspect.isawaitable(answer) else answer
        if request.method == "POST" and request.url.path.startswith("/console/"):
            return await pages_auth.timed_out(request)  # keeps what the clerk typed
        expired = "&expired=1" if request.cookies.get("hdnd_session") else ""
        return RedirectResponse(f"/dang-nhap?next={quote(exc.next_url)}{expired}",
                                status_code=303)

    @app.exception_handler(StaffOnly)
    async def _staff_only(request: Request, exc: StaffOnly) -> Response:
        return error_page(request, 403, translator(language_of(request))("forbidden.text"))

    install_error_pages(app)
