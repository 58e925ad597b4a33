"""Errors as pages for people: a browser that navigates to a page (``Accept: text/html``)
gets an HTML page in its language with the way back (and, signed in, who is signed in and
a sign-out); the API, the console's scripts and the websockets keep problem+json."""

from __future__ import annotations

import inspect
import logging

from fastapi import FastAPI, Request
from fastapi.responses import Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from server.errors import DomainError, InternalError
from server.web.i18n import language_of, message_of

log = logging.getLogger(__name__)

_MACHINE_PREFIXES = ("/api/", "/console/api/", "/ws/", "/static/", "/oparl")
_TITLES = {
    404: ("Không tìm thấy trang", "Page not found"),
    403: ("Không có quyền truy cập", "Access denied"),
    401: ("Cần đăng nhập", "Sign-in needed"),
    409: ("Chưa thực hiện được", "Could not be done"),
    500: ("Máy chủ gặp lỗi", "Server error"),
}


def wants_html(request: Request) -> bool:
    """A person's browser navigating to a page, not a script or a device."""
    path = request.url.path
    if path.startswith(_MACHINE_PREFIXES) or path.endswith("/trang-thai"):
        return False
    return "text/html" in request.headers.get("accept", "")


def error_page(request: Request, status: int, message: str) -> Response:
    from server.web.render import render, signed_in

    lang = language_of(request)
    vi, en = _TITLES.get(status, _TITLES[409] if status < 500 else _TITLES[500])
    user = signed_in(request)
    return render(request, "error.html", {
        "user": user, "status": status, "title": en if lang == "en" else vi,
        "message": message, "home": "/console" if user is not None else "/"}, status)


def install_error_pages(app: FastAPI) -> None:
    """Wrap the app's problem+json handlers: HTML for people, problem+json for the rest.

    The app's own handlers are called for the rest, not imported: pages sit beside the
    API's routes and never import them (docs/architecture.md#the-layers)."""
    previous_domain = app.exception_handlers.get(DomainError)
    previous_http = app.exception_handlers.get(StarletteHTTPException)
    assert previous_domain is not None and previous_http is not None

    @app.exception_handler(DomainError)
    async def _domain(request: Request, exc: DomainError) -> Response:
        if wants_html(request):
            return error_page(request, exc.status, message_of(exc, language_of(request)))
        answer = previous_domain(request, exc)
        return await answer if inspect.isawaitable(answer) else answer

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        if wants_html(request) and exc.status_code in (403, 404):
            vi, en = (("Địa chỉ này không có trang nào.", "There is no page at this address.")
                      if exc.status_code == 404 else
                      ("Bạn không có quyền xem trang này.", "You may not see this page."))
            return error_page(request, exc.status_code, en if language_of(request) == "en" else vi)
        assert previous_http is not None
        answer = previous_http(request, exc)
        return await answer if inspect.isawaitable(answer) else answer

    @app.exception_handler(Exception)
    async def _crash(request: Request, exc: Exception) -> Response:
        log.exception("unhandled error on %s", request.url.path, exc_info=exc)
        if wants_html(request):
            vi, en = ("Đã xảy ra lỗi ngoài ý muốn; dữ liệu đã lưu trước đó không bị mất. "
                      "Hãy thử lại, nếu vẫn lỗi hãy báo quản trị viên.",
                      "Something went wrong; what was saved before is not lost. Try again, "
                      "and tell the administrator if it keeps happening.")
            return error_page(request, 500, en if language_of(request) == "en" else vi)
        answer = previous_domain(request, InternalError())
        return await answer if inspect.isawaitable(answer) else answer
