"""Sign in and out of the console, and the language switch."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlsplit

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import UploadFile

from server.deps import SessionDep, SettingsDep, SourceDep, ThrottleDep
from server.errors import InvalidCredentials, SignInThrottled
from server.services import auth
from server.web import auth as web_auth
from server.web import cookie_session as cs
from server.web import form_resume
from server.web.i18n import LANG_COOKIE, LANGUAGES, language_of, message_of
from server.web.render import render

router = APIRouter(include_in_schema=False)


def safe_next(value: str | None, default: str = "/console") -> str:
    """Only a path on this site: an open redirect would help phishing."""
    if value and value.startswith("/") and not value.startswith("//") and "\\" not in value:
        return value
    return default


def _timed_out_text(lang: str) -> str:
    return ("Phiên làm việc đã hết hạn do lâu không thao tác. Hãy đăng nhập lại."
            if lang == "vi" else "Your session ended after a period of inactivity. "
            "Please sign in again.")


@router.get("/dang-nhap")
def sign_in_form(request: Request, next: str = "/console",
                 expired: int = 0) -> Response:
    notice = _timed_out_text(language_of(request)) if expired else ""
    return render(request, "sign_in.html", {"csrf": web_auth.anonymous_csrf(request),
                                            "next": safe_next(next), "values": {},
                                            "errors": {}, "notice": notice})


async def timed_out(request: Request) -> Response:
    """A console form posted after the session ended: the sign-in form, carrying what was
    typed (see ``form_resume``), instead of a redirect that would drop it."""
    lang = language_of(request)
    fields: list[tuple[str, str]] = []
    dropped: list[str] = []
    try:
        form = await request.form()
        fields = [(k, v) for k, v in form.multi_items()
                  if isinstance(v, str) and k != web_auth.CSRF_FIELD]
        dropped = [v.filename[:200] for _, v in form.multi_items()
                   if isinstance(v, UploadFile) and v.filename]
    except Exception:  # an unreadable body just means nothing to carry
        fields = []
    referer = request.headers.get("referer", "")
    back = urlsplit(referer)
    back_path = (back.path + (f"?{back.query}" if back.query else "")) \
        if back.netloc == request.url.netloc else ""
    sealed = form_resume.seal(request.app.state.secret_key, form_resume.PendingForm(
        request.url.path, fields, safe_next(back_path), dropped)) if fields or dropped else None
    notice = _timed_out_text(lang)
    if sealed and fields:
        notice += (" Những gì bạn đã nhập được giữ lại để gửi tiếp sau khi đăng nhập."
                   if lang == "vi" else " What you typed is kept; you can send it after "
                   "signing in.")
    if dropped:
        notice += (" Tệp đã chọn chưa được gửi: sau khi đăng nhập, hãy chọn lại tệp."
                   if lang == "vi" else " The chosen files were not sent: choose them again "
                   "after signing in.")
    return render(request, "sign_in.html", {
        "csrf": web_auth.anonymous_csrf(request), "next": safe_next(back_path),
        "values": {}, "errors": {}, "notice": notice, "resume": sealed or ""}, status=401)


@router.post("/dang-nhap")
def sign_in(request: Request, db: SessionDep, settings: SettingsDep, throttle: ThrottleDep,
            source: SourceDep,
            username: Annotated[str, Form(max_length=64)] = "",
            password: Annotated[str, Form(max_length=200)] = "",
            csrf_token: Annotated[str, Form()] = "",
            next: Annotated[str, Form()] = "/console",
            resume: Annotated[str, Form(max_length=100_000)] = "") -> Response:
    web_auth.check_anonymous_csrf(request, csrf_token)
    lang = language_of(request)
    errors: dict[str, str] = {}
    if not username.strip():
        errors["username"] = "Hãy nhập tên đăng nhập." if lang == "vi" else "Enter your username."
    if not password:
        errors["password"] = "Hãy nhập mật khẩu." if lang == "vi" else "Enter your password."
    if not errors:
        try:
            issued = auth.sign_in(db, username.strip(), password, settings,
                                  throttle, source)
        except (InvalidCredentials, SignInThrottled) as error:
            errors[""] = message_of(error, lang)
        else:
            family = web_auth.family_of(db, issued.refresh_token)
            web_auth.start_session(request, issued.refresh_token, family)
            pending = form_resume.unseal(request.app.state.secret_key, resume)
            if pending is not None:
                return render(request, "resume.html", {
                    "pending": pending, "csrf": cs.csrf_token(request.app.state.secret_key,
                                                              "session:" + family)})
            return RedirectResponse(safe_next(next), status_code=303)
    return render(request, "sign_in.html", {
        "csrf": web_auth.anonymous_csrf(request), "next": safe_next(next),
        "values": {"username": username}, "errors": errors, "resume": resume}, status=422)


@router.post("/dang-xuat")
async def sign_out(request: Request, db: SessionDep) -> Response:
    user = web_auth.read_user(request, db)
    if user is not None:
        await web_auth.checked_form(request, user)
        auth.sign_out(db, user.account, user.cookie.family)
    web_auth.end_session(request)
    return RedirectResponse("/dang-nhap", status_code=303)


@router.get("/ngon-ngu/{lang}")
def switch_language(lang: str, next: str = "/") -> Response:
    response = RedirectResponse(safe_next(next, "/"), status_code=303)
    if lang in LANGUAGES:
        response.set_cookie(LANG_COOKIE, lang, max_age=365 * 24 * 3600, samesite="lax")
    return response


@router.get("/con-phien", include_in_schema=False)
def keep_alive(request: Request, db: SessionDep) -> Response:
    """The idle warning's "keep working" button: 204 slides the idle timeout, 401 if it ended.
    Not a redirect to sign in, which ``fetch`` would follow and mistake for success."""
    user = web_auth.read_user(request, db)
    response = Response(status_code=204 if user is not None else 401)
    response.headers["Cache-Control"] = "no-store"
    return response
