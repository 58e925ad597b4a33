"""Delegates on the console (the clerk edits a profile, audited, and reads each delegate's
record of the year) and on the portal (name, unit, constituency and the public part of the
record, so voters can see what their delegate did)."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response
from sqlmodel import Session, col, select

from server.deps import PORTAL, SessionDep
from server.errors import DomainError
from server.followup.deadlines import local_date
from server.models import Account
from server.models.base import id_of, utcnow
from server.models.delegates import EducationLevel, TheoryLevel
from server.models.followup import Resolution
from server.schemas.base import MAX_ID, PathId
from server.services import council, delegate_record, delegates
from server.web.auth import StaffDep, checked_form
from server.web.i18n import language_of, message_of
from server.web.render import render

router = APIRouter(prefix="/console/dai-bieu", include_in_schema=False)
portal_router = APIRouter(prefix="/dai-bieu", include_in_schema=False, dependencies=[PORTAL])
YEAR = Query(None, ge=2000, le=2200)

EDUCATION_VI = {"lower_secondary": "Trung học cơ sở", "upper_secondary": "Trung học phổ thông",
                "vocational": "Trung cấp", "college": "Cao đẳng", "university": "Đại học",
                "postgraduate": "Sau đại học"}
THEORY_VI = {"none": "Chưa qua đào tạo", "elementary": "Sơ cấp", "intermediate": "Trung cấp",
             "advanced": "Cao cấp"}


def _year(year: int | None) -> int:
    return year or local_date(utcnow()).year


def _listing(db: Session) -> list[dict]:
    people = delegates.all_delegates(db, by_name=True)
    return [{"person": p, "profile": delegates.profile_of(db, id_of(p)),
             "units": delegates.units_of(db, id_of(p))} for p in people]


def _speech_time(seconds: int | None) -> dict:
    return {"m": (seconds or 0) // 60, "s": (seconds or 0) % 60}


@router.get("")
def console_list(request: Request, user: StaffDep, db: SessionDep) -> Response:
    return render(request, "delegates_console_list.html", {"user": user,
                                                           "rows": _listing(db)})


def _detail(request: Request, user, db: Session, person_id: int, year: int,
            error: str = "", saved: bool = False, status: int = 200) -> Response:
    person = delegates.get_delegate(db, person_id)
    profile = delegates.profile_of(db, person_id)
    recorders = {a.id: a.username for a in db.exec(select(Account).where(col(Account.id).in_(
        [profile.education_recorded_by or -1, profile.theory_recorded_by or -1])))}
    return render(request, "delegate_console.html", {
        "user": user, "person": person, "profile": profile, "year": year,
        "units": delegates.units_of(db, person_id), "recorders": recorders,
        "record": delegate_record.delegate_record(db, person_id, year), "public": False,
        "education_levels": [(e.value, EDUCATION_VI[e.value]) for e in EducationLevel],
        "theory_levels": [(t.value, THEORY_VI[t.value]) for t in TheoryLevel],
        "education_vi": EDUCATION_VI, "theory_vi": THEORY_VI, "speech_time": _speech_time,
        "error": error, "saved": saved}, status)


@router.get("/chi-tieu-dai-hoi")
def congress_page(request: Request, user: StaffDep, db: SessionDep) -> Response:
    return _congress_page(request, user, db)


def _congress_page(request: Request, user, db: Session, error: str = "",
                   status: int = 200, typed: dict[str, str] | None = None) -> Response:
    targets = delegates.targets_with_links(db)
    resolutions = db.exec(select(Resolution).order_by(col(Resolution.adopted_on).desc(),
                                                      col(Resolution.id))).all()
    return render(request, "congress_targets.html", {
        "user": user, "targets": targets, "resolutions": resolutions, "error": error,
        "source": typed["source"] if typed else targets[0].target.source if targets else "",
        "lines": typed["targets"] if typed else "\n".join(
            f"{t.target.code}. {t.target.text}" for t in targets)}, status)


def _parse_targets(text: str) -> list[tuple[str, str]]:
    """"1. Text" per line; a line without "code." is refused in words."""
    targets = []
    for n, line in enumerate(t.strip() for t in text.splitlines()):
        if not line:
            continue
        code, dot, rest = line.partition(".")
        if not dot or not code.strip() or not rest.strip() or len(code.strip()) > 20:
            raise ValueError(f"Dòng {n + 1}: cần dạng \"mã. nội dung\" (ví dụ \"1. Tăng "
                             f"trưởng 8%/năm\"). / Line {n + 1}: write \"code. text\".")
        targets.append((code.strip(), rest.strip()[:1000]))
    return targets


@router.post("/chi-tieu-dai-hoi")
async def congress_save(request: Request, user: StaffDep, db: SessionDep) -> Response:
    form = await checked_form(request, user)
    try:
        source = form.get("source", "").strip()[:300]
        if not source:
            raise ValueError("Cần ghi tên nghị quyết Đại hội. / The congress resolution's "
                             "name is required.")
        delegates.replace_congress_targets(db, user.account, source,
                                           _parse_targets(form.get("targets", "")))
        db.commit()
    except (DomainError, ValueError) as error:
        db.rollback()
        text = message_of(error, language_of(request)) if isinstance(error, DomainError) \
            else str(error)
        return _congress_page(request, user, db, text, 422, typed={
            "source": form.get("source", ""), "targets": form.get("targets", "")})
    return RedirectResponse("/console/dai-bieu/chi-tieu-dai-hoi", status_code=303)


@router.post("/chi-tieu-dai-hoi/{target_id}")
async def congress_link(target_id: PathId, request: Request, user: StaffDep,
                        db: SessionDep) -> Response:
    form = await checked_form(request, user)
    ids = [int(k[2:]) for k, v in form.items() if k.startswith("r-") and k[2:].isdigit()
           and int(k[2:]) <= MAX_ID and v == "on"]
    try:
        delegates.link_resolutions(db, user.account, target_id, ids)
        db.commit()
    except DomainError as error:
        db.rollback()
        return _congress_page(request, user, db, message_of(error, language_of(request)), 422)
    return RedirectResponse(f"/console/dai-bieu/chi-tieu-dai-hoi#t-{target_id}",
                            status_code=303)


@router.get("/{person_id}")
def console_detail(person_id: PathId, request: Request, user: StaffDep, db: SessionDep,
                   year: int | None = YEAR, saved: int = 0) -> Response:
    return _detail(request, user, db, person_id, _year(year), saved=bool(saved))


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


@router.post("/{person_id}/ho-so")
async def console_save(person_id: PathId, request: Request, user: StaffDep,
                       db: SessionDep) -> Response:
    form = await checked_form(request, user)
    try:
        changes = {"term": form.get("term", "")[:20],
                   "constituency": form.get("constituency", "")[:200],
                   "full_time": form.get("full_time") == "on",
                   "education": form.get("education") or None,
                   "theory": form.get("theory") or None,
                   "education_recorded_on": _date(form.get("education_recorded_on")),
                   "theory_recorded_on": _date(form.get("theory_recorded_on"))}
        profile = delegates.profile_of(db, person_id)
        # Re-record a level only when it changed: the date and recorder stay true.
        for name in ("education", "theory"):
            if changes[name] == getattr(profile, name) and not changes[f"{name}_recorded_on"]:
                del changes[name]
        delegates.update_profile(db, user.account, person_id, changes)
        db.commit()
    except DomainError as error:
        db.rollback()
        return _detail(request, user, db, person_id, _year(None),
                       message_of(error, language_of(request)), status=422)
    except ValueError:  # a hand-made form: unknown level or a malformed date
        db.rollback()
        return _detail(request, user, db, person_id, _year(None),
                       "Giá trị không hợp lệ (trình độ hoặc ngày ghi nhận). / Invalid value.",
                       status=422)
    return RedirectResponse(f"/console/dai-bieu/{person_id}?saved=1", status_code=303)


@portal_router.get("")
def portal_list(request: Request, db: SessionDep) -> Response:
    return render(request, "delegates_public_list.html", {
        "council_name": council.shown_name(db), "rows": _listing(db)})


@portal_router.get("/{person_id}")
def portal_detail(person_id: PathId, request: Request, db: SessionDep,
                  year: int | None = YEAR) -> Response:
    person = delegates.get_delegate(db, person_id)
    year = _year(year)
    record = delegate_record.delegate_record(db, person_id, year)
    record.training = []  # personal: not on the portal
    return render(request, "delegate_public.html", {
        "council_name": council.shown_name(db), "person": person, "year": year,
        "profile": delegates.profile_of(db, person_id),
        "units": delegates.units_of(db, person_id), "record": record, "public": True,
        "speech_time": _speech_time})
