"""Rendering pages: one Jinja environment, every page gets ``t``, ``lang`` and the user."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from fastapi.templating import Jinja2Templates
from starlette.requests import Request
from starlette.responses import HTMLResponse

from server.web.cookie_session import IDLE_TIMEOUT_S
from server.web.i18n import language_of, translator

LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
templates = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))


def local_time(value: datetime | str | None, with_seconds: bool = False) -> str:
    """A UTC time as people in the hall read it: Asia/Ho_Chi_Minh, dd/mm/yyyy HH:MM."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        value = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if value.tzinfo is None:
        value = value.replace(tzinfo=ZoneInfo("UTC"))
    return value.astimezone(LOCAL_TZ).strftime("%d/%m/%Y %H:%M" + (":%S" if with_seconds else ""))


def vn_date(value: date | str | None) -> str:
    """dd/mm/yyyy, as Vietnamese documents write dates; ISO text (the public feed) too."""
    if not value:
        return ""
    if isinstance(value, str):
        try:
            return date.fromisoformat(value[:10]).strftime("%d/%m/%Y")
        except ValueError:
            return value
    return value.strftime("%d/%m/%Y")


def local_input(value: datetime | None) -> str:
    """The value of a datetime-local input: Vietnam's time, to the minute."""
    if value is None:
        return ""
    if value.tzinfo is None:
        value = value.replace(tzinfo=ZoneInfo("UTC"))
    return value.astimezone(LOCAL_TZ).strftime("%Y-%m-%dT%H:%M")


templates.env.filters["local_time"] = local_time
templates.env.filters["local_input"] = local_input
templates.env.filters["vn_date"] = vn_date


def signed_in(request: Request) -> Any:
    """The signed-in WebUser when the request carries a live session cookie, else None: a
    shared office PC must show that someone is still signed in, on every page."""
    from sqlmodel import Session

    from server.web.auth import read_user
    from server.web.cookie_session import COOKIE_NAME

    if not request.cookies.get(COOKIE_NAME):
        return None
    with Session(request.app.state.engine) as db:
        user = read_user(request, db)
        if user is not None:
            _ = (user.account.username, user.account.role)  # loaded before the session closes
        return user


def render(request: Request, name: str, context: dict[str, Any] | None = None,
           status: int = 200) -> HTMLResponse:
    lang = language_of(request)
    root = request.scope.get("root_path", "")  # the portal's /hdnd/<slug> prefix
    path = request.url.path
    here = (path[len(root):] or "/") if root and path.startswith(root) else path
    full = {"t": translator(lang), "lang": lang, "path": path, "root": root,
            "here": here,  # the path within the council's portal, for its menu
            "user": None, "csrf": "", "idle_seconds": IDLE_TIMEOUT_S, **(context or {})}
    user = full.get("user")
    if user is None and not ({"user", "csrf"} & set(context or {})):
        user = full["user"] = signed_in(request)  # the portal too says who is signed in
    if user is not None and not full["csrf"]:
        full["csrf"] = user.csrf
    return templates.TemplateResponse(request, name, full, status_code=status)


def _vote_svg(vote: dict[str, Any], lang: str = "vi") -> str:
    from server.web.svg_chart import vote_svg

    return vote_svg(vote, lang)


def _ballot_svgs(ballot: dict[str, Any], lang: str = "vi") -> list[tuple[str, str]]:
    from server.web.svg_chart import ballot_svgs

    return ballot_svgs(ballot, lang)


templates.env.filters["vote_svg"] = _vote_svg
templates.env.filters["ballot_svgs"] = _ballot_svgs
