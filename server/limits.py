"""Refuse oversize request bodies before they are read, and while they stream in."""

from __future__ import annotations

import json

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from server.errors import UploadTooLarge


class BodySizeLimit:
    """ASGI middleware: 413 problem+json past ``limit`` bytes, by header or by counting."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app, self.limit = app, limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.limit:
            await self._refuse(scope, send)
            return
        received = 0

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:
                    raise UploadTooLarge()
            return message

        try:
            await self.app(scope, counting_receive, send)
        except UploadTooLarge:
            await self._refuse(scope, send)

    async def _refuse(self, scope: Scope, send: Send) -> None:
        error = UploadTooLarge(
            f"Dữ liệu gửi lên vượt quá giới hạn {self.limit // (1024 * 1024)} MB.",
            f"The request body is larger than the {self.limit // (1024 * 1024)} MB limit.",
        )
        body = json.dumps(error.problem(scope.get("path")), ensure_ascii=False).encode()
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", b"application/problem+json"),
                                (b"content-length", str(len(body)).encode()),
                                (b"connection", b"close")]})
        await send({"type": "http.response.body", "body": body})
