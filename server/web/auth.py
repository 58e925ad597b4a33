"""Who is looking at a console page: the signed-in account from the session cookie.

Pages receive ``WebUser`` (anyone signed in) or ``StaffUser`` (clerk or admin) through
``Depends``; forms and script calls are checked for the CSRF token here too.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from sqlmodel import Session

from server.deps import SessionDep
from server.errors import Forbidden, TokenInvalid
from server.models import Account, TokenKind
from server.security import tokens
from server.security.principal import Principal, load_principal
from server.tenancy import scoping
from server.web import cookie_session as cs

PRESESSION_COOKIE = "hdnd_presession"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"


class SignInRequired(Exception):
    """Not signed in (or timed out): the page answers with a redirect to the sign-in form."""

    def __init__(self, next_url: str) -> None:
        super().__init__(next_url)
        self.next_url = next_url


class StaffOnly(Exception):
    """Signed in, but not as a clerk or admin: the console answers 403."""


class CsrfRefused(Forbidden):
    code = "csrf_refused"
    message_vi = "Biểu mẫu đã hết hạn hoặc không hợp lệ. Hãy tải lại trang và thử lại."
    message_en = "The form has expired or is not valid. Reload the page and try again."


@dataclass
class WebUser:
    principal: Principal
    cookie: cs.SessionCookie
    csrf: str

    @property
    def account(self) -> Account:
        return self.principal.account


def _secret(request: Request) -> str:
    return request.app.state.secret_key


def cookie_header(request: Request, value: str, max_age: int) -> str:
    secure = "; Secure" if request.url.scheme == "https" else ""
    return (f"{cs.COOKIE_NAME}={value}; Path=/; Max-Age={max_age}; HttpOnly; "
            f"SameSite=Lax{secure}")


def start_session(request: Request, refresh_token: str, family: str) -> None:
    """Set the sealed cookie on the response being built (see ``security.SecurityHeaders``)."""
    now = cs.now()
    sealed = cs.seal(_secret(request), cs.SessionCookie(refresh_token, family, now, now))
    request.state.web_set_cookie = cookie_header(request, sealed, cs.ABSOLUTE_LIMIT_S)


def end_session(request: Request) -> None:
    request.state.web_set_cookie = cookie_header(request, "", 0)


def family_of(db: Session, refresh_token: str) -> str:
    return tokens.find_live_token(db, refresh_token, TokenKind.refresh).family


def read_user(request: Request, db: Session) -> WebUser | None:
    """The signed-in user, or None; slides the idle timeout forward."""
    raw = request.cookies.get(cs.COOKIE_NAME)
    cookie = cs.unseal(_secret(request), raw) if raw else None
    now = cs.now()
    if cookie is None or cookie.expired(now):
        return None
    try:
        record = tokens.find_live_token(db, cookie.refresh_token, TokenKind.refresh)
    except TokenInvalid:
        return None  # signed out elsewhere, password changed or account locked
    account = db.get(Account, record.account_id)
    if account is None or not account.is_active:
        return None
    if now - cookie.last_seen > cs.REFRESH_COOKIE_AFTER_S:
        fresh = cs.SessionCookie(cookie.refresh_token, cookie.family, cookie.issued_at, now)
        request.state.web_set_cookie = cookie_header(
            request, cs.seal(_secret(request), fresh), cs.ABSOLUTE_LIMIT_S)
    return WebUser(load_principal(db, account), cookie,
                   cs.csrf_token(_secret(request), "session:" + cookie.family))


def _here(request: Request) -> str:
    query = f"?{request.url.query}" if request.url.query else ""
    return request.url.path + query


def get_web_user(request: Request, db: SessionDep) -> WebUser:
    user = read_user(request, db)
    if user is None:
        raise SignInRequired(_here(request))
    # a console page sees only the user's councils from here on (server/tenancy)
    scoping.enter(db, user.principal.scope)
    request.state.scope = user.principal.scope
    return user


def get_staff_user(user: Annotated[WebUser, Depends(get_web_user)]) -> WebUser:
    if not user.principal.is_staff:
        raise StaffOnly()
    return user


WebUserDep = Annotated[WebUser, Depends(get_web_user)]
StaffDep = Annotated[WebUser, Depends(get_staff_user)]


def presession_binding(request: Request) -> str:
    """A random value in a cookie, so the sign-in form has a CSRF token before any session."""
    value = request.cookies.get(PRESESSION_COOKIE)
    if not value or len(value) < 20:
        value = secrets.token_urlsafe(24)
        secure = "; Secure" if request.url.scheme == "https" else ""
        request.state.web_set_cookie = (f"{PRESESSION_COOKIE}={value}; Path=/; HttpOnly; "
                                        f"SameSite=Lax{secure}")
    return "pre:" + value


def anonymous_csrf(request: Request) -> str:
    return cs.csrf_token(_secret(request), presession_binding(request))


def check_anonymous_csrf(request: Request, offered: str | None) -> None:
    value = request.cookies.get(PRESESSION_COOKIE, "")
    if not value or not cs.csrf_ok(_secret(request), "pre:" + value, offered):
        raise CsrfRefused()


def check_csrf(user: WebUser, offered: str | None) -> None:
    if not offered or not secrets.compare_digest(user.csrf, offered):
        raise CsrfRefused()


async def checked_form(request: Request, user: WebUser) -> dict[str, str]:
    """The submitted form's text fields, after the CSRF check."""
    form = await request.form()
    token = form.get(CSRF_FIELD)
    check_csrf(user, token if isinstance(token, str) else None)
    return {k: v for k, v in form.items() if isinstance(v, str) and k != CSRF_FIELD}


def check_header_csrf(request: Request, user: WebUser) -> None:
    check_csrf(user, request.headers.get(CSRF_HEADER))
