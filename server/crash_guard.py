"""Answer an unexpected error with a clear 500 and keep the connection usable.

Starlette's outermost error middleware sends a bare "Internal Server Error" and then
re-raises, and uvicorn answers a raised exception by closing the keep-alive connection:
the browser's or tablet's next request on it fails too. This middleware sits inside that
one: it logs the error with its traceback, answers 500 in both languages (problem+json
under ``/api``, a short page elsewhere) and returns normally, so the connection stays
open. An error after the response has started cannot be answered and is re-raised.
"""

from __future__ import annotations

import html
import json
import logging

from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger("hdnd.errors")

MESSAGE_VI = "Máy chủ gặp lỗi không mong đợi; dữ liệu chưa được lưu. Hãy thử lại hoặc báo quản trị."
MESSAGE_EN = "The server met an unexpected error; nothing was saved. Try again or tell the administrator."


class CrashGuard:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception:
            if started:
                raise
            log.exception("unexpected error on %s %s", scope.get("method"), scope.get("path"))
            await self._answer(scope, send)

    @staticmethod
    async def _answer(scope: Scope, send: Send) -> None:
        path = scope.get("path", "")
        if path.startswith("/api"):
            body = json.dumps({
                "type": "https://hdnd.example/problems/internal_error", "title": MESSAGE_EN,
                "status": 500, "code": "internal_error", "detail": MESSAGE_VI,
                "message_vi": MESSAGE_VI, "message_en": MESSAGE_EN, "instance": path,
            }, ensure_ascii=False).encode()
            media = b"application/problem+json"
        else:
            body = (f"<!doctype html><html lang=vi><meta charset=utf-8><title>Lỗi máy chủ</title>"
                    f"<h1>Lỗi máy chủ</h1><p>{html.escape(MESSAGE_VI)}</p>"
                    f"<p lang=en>{html.escape(MESSAGE_EN)}</p></html>").encode()
            media = b"text/html; charset=utf-8"
        await send({"type": "http.response.start", "status": 500,
                    "headers": [(b"content-type", media),
                                (b"content-length", str(len(body)).encode()),
                                (b"cache-control", b"no-store")]})
        await send({"type": "http.response.body", "body": body})
