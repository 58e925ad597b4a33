"""Response headers every page gets (``no-store`` unless static), and the session cookie
re-sealed on the way out.

A pure ASGI middleware (not ``BaseHTTPMiddleware``) so streamed uploads and websockets pass
through untouched.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

# No inline script anywhere: every script is a file under /static (script-src 'self').
# Styles too come only from /static; SVG charts use presentation attributes, not style="".
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
       "form-action 'self'; frame-ancestors 'none'")

HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-frame-options", b"DENY"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
]


CACHEABLE_PREFIXES = ("/static/",)


def _cacheable(scope: Scope) -> bool:
    """Only the static files (scripts, styles, fonts) may be kept by browsers and proxies.

    Everything else — console pages, API answers, document downloads — may name people,
    restricted content or a session cookie's page, and must not stay in a shared
    computer's browser cache or a proxy (``Cache-Control: no-store``).
    """
    return scope.get("path", "").startswith(CACHEABLE_PREFIXES)


class SecurityHeaders:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                headers += [(k, v) for k, v in HEADERS if k not in present]
                if b"cache-control" not in present and not _cacheable(scope):
                    headers.append((b"cache-control", b"no-store"))
                cookie = (scope.get("state") or {}).get("web_set_cookie")
                if cookie:
                    headers.append((b"set-cookie", cookie.encode("latin-1")))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)
