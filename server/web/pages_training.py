"""Training courses and supervision participants on the console: the clerk adds a
course, ticks who attended (delegates and the Office's staff), uploads each certificate, and
ticks which delegates took part in a supervision. The services audit every write; a refusal
is shown in words with what was typed or ticked kept."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Query, Request
from fastapi.responses import FileResponse, RedirectResponse, Response
from sqlmodel import Session, col, select
from starlette.datastructures import UploadFile

from server.deps import SessionDep, SettingsDep, StoreDep
from server.documents.inspection import Limits
from server.errors import DomainError, NotFound, ValidationFailed
from server.followup import bodies as followup_bodies
from server.followup.deadlines import local_date
from server.models import Body, Person
from server.models.base import id_of, utcnow
from server.schemas.base import MAX_ID, PathId
from server.services import delegates, plan_targets
from server.web.auth import CSRF_FIELD, StaffDep, check_csrf, checked_form
from server.web.i18n import language_of, message_of
from server.web.render import render

router = APIRouter(prefix="/console", include_in_schema=False)
YEAR = Query(None, ge=2000, le=2200)
COURSE_FIELDS = ("title", "topic", "organiser", "starts_on", "ends_on", "digital_skills", "ai")


def _people(db: Session) -> list[tuple[Person, bool]]:
    """Who may attend a course: delegates, then the Office's staff (flag: is staff)."""
    staff = set(plan_targets.staff_ids(db))
    rows = db.exec(select(Person).where(col(Person.is_delegate).is_(True) | col(Person.id).in_(
        staff or [-1])).order_by(col(Person.is_delegate).desc(), col(Person.full_name))).all()
    return [(p, (id_of(p)) in staff) for p in rows]


def _ticked(form: dict[str, str]) -> list[int]:
    return sorted({int(k[2:]) for k, v in form.items() if k.startswith("p-") and
                   k[2:].isdigit() and int(k[2:]) <= MAX_ID and v == "on"})


def _refusal(request: Request, error: Exception) -> str:
    if isinstance(error, DomainError):
        return message_of(error, language_of(request))
    return "Giá trị không hợp lệ (ngày theo dạng năm-tháng-ngày). / Invalid value."


# --- training courses -------------------------------------------------------------------


def _courses_page(request: Request, user, db: Session, error: str = "",
                  typed: dict[str, str] | None = None, status: int = 200) -> Response:
    courses = delegates.list_courses(db)
    counts = {c.id: len(delegates.attendance_of(db, id_of(c))) for c in courses}
    return render(request, "training_courses.html", {
        "user": user, "courses": courses, "counts": counts, "error": error,
        "typed": typed or {}}, status)


@router.get("/boi-duong")
def courses_page(request: Request, user: StaffDep, db: SessionDep) -> Response:
    return _courses_page(request, user, db)


def _course_data(form: dict[str, str]) -> dict:
    title = form.get("title", "").strip()[:300]
    if not title:
        raise ValidationFailed("Cần ghi tên lớp bồi dưỡng.", "The course's title is required.")
    if not form.get("starts_on") or not form.get("ends_on"):
        raise ValidationFailed("Cần ghi ngày bắt đầu và ngày kết thúc.",
                               "The start and end dates are required.")
    return {"title": title, "topic": form.get("topic", "").strip()[:200],
            "organiser": form.get("organiser", "").strip()[:300],
            "starts_on": date.fromisoformat(form["starts_on"]),
            "ends_on": date.fromisoformat(form["ends_on"]),
            "digital_skills": form.get("digital_skills") == "on", "ai": form.get("ai") == "on"}


@router.post("/boi-duong")
async def course_create(request: Request, user: StaffDep, db: SessionDep) -> Response:
    form = await checked_form(request, user)
    try:
        course = delegates.create_course(db, user.account, _course_data(form))
        db.commit()
    except (DomainError, ValueError) as error:
        db.rollback()
        return _courses_page(request, user, db, _refusal(request, error),
                             {k: form.get(k, "") for k in COURSE_FIELDS}, 422)
    return RedirectResponse(f"/console/boi-duong/{course.id}", status_code=303)


def _course_page(request: Request, user, db: Session, course_id: int,
                 error: str = "", ticked: list[int] | None = None, saved: str = "",
                 status: int = 200) -> Response:
    course = delegates.get_course(db, course_id)
    rows = {a.person_id: a for a in delegates.attendance_of(db, course_id)}
    return render(request, "training_course.html", {
        "user": user, "course": course, "people": _people(db), "attendance": rows,
        "ticked": set(ticked if ticked is not None else rows), "error": error,
        "saved": saved}, status)


@router.get("/boi-duong/{course_id}")
def course_page(course_id: PathId, request: Request, user: StaffDep, db: SessionDep,
                saved: str = "") -> Response:
    return _course_page(request, user, db, course_id, saved=saved[:20])


@router.post("/boi-duong/{course_id}/du-lop")
async def course_attendance(course_id: PathId, request: Request, user: StaffDep,
                            db: SessionDep) -> Response:
    form = await checked_form(request, user)
    ticked = _ticked(form)
    try:
        delegates.set_attendance(db, user.account, delegates.get_course(db, course_id), ticked)
        db.commit()
    except DomainError as error:
        db.rollback()
        return _course_page(request, user, db, course_id, _refusal(request, error), ticked,
                            status=422)
    return RedirectResponse(f"/console/boi-duong/{course_id}?saved=attendance",
                            status_code=303)


@router.post("/boi-duong/{course_id}/chung-chi/{person_id}")
async def certificate_upload(course_id: PathId, person_id: PathId, request: Request,
                             user: StaffDep, db: SessionDep, store: StoreDep,
                             settings: SettingsDep) -> Response:
    form = await request.form()
    token = form.get(CSRF_FIELD)
    check_csrf(user, token if isinstance(token, str) else None)
    file = form.get("file")
    try:
        if not isinstance(file, UploadFile) or not file.filename:
            raise ValidationFailed("Hãy chọn tệp PDF của chứng chỉ.",
                                   "Choose the certificate's PDF file.")
        row = delegates.get_attendance(db, course_id, person_id)
        await delegates.store_certificate(db, user.account, store, Limits.of(settings), row,
                                          file, file.filename, file.content_type)
        db.commit()
    except DomainError as error:
        db.rollback()
        return _course_page(request, user, db, course_id, _refusal(request, error),
                            status=error.status if 400 <= error.status < 500 else 422)
    return RedirectResponse(f"/console/boi-duong/{course_id}?saved=certificate#p-{person_id}",
                            status_code=303)


@router.get("/boi-duong/{course_id}/chung-chi/{person_id}")
def certificate_download(course_id: PathId, person_id: PathId, user: StaffDep,
                         db: SessionDep, store: StoreDep) -> FileResponse:
    row = delegates.get_attendance(db, course_id, person_id)
    if row.certificate_key is None:
        raise NotFound("Chưa có chứng chỉ.", "No certificate uploaded.")
    return FileResponse(store.path_for(row.certificate_key), media_type="application/pdf",
                        filename=row.certificate_name)


# --- supervision participants -----------------------------------------------------------


@router.get("/giam-sat")
def supervisions_page(request: Request, user: StaffDep, db: SessionDep,
                      year: int | None = YEAR) -> Response:
    year = year or local_date(utcnow()).year
    bodies = {b.id: b for b in db.exec(select(Body))}
    rows = [(s, bodies.get(s.body_id), len(delegates.participants_of(db, id_of(s))))
            for s in followup_bodies.list_supervisions(db, year)]
    return render(request, "supervisions_console.html", {"user": user, "year": year,
                                                         "rows": rows})


def _participants_page(request: Request, user, db: Session, supervision_id: int,
                       error: str = "", ticked: list[int] | None = None, saved: bool = False,
                       status: int = 200) -> Response:
    supervision = followup_bodies.get_supervision(db, supervision_id)
    members = delegates.member_ids(db, supervision.body_id)
    people = delegates.all_delegates(db, by_name=True)
    people = sorted(people, key=lambda p: (p.id not in members, p.full_name))
    current = delegates.participants_of(db, supervision_id)
    return render(request, "supervision_participants.html", {
        "user": user, "supervision": supervision, "body": db.get(Body, supervision.body_id),
        "people": people, "members": members,
        "ticked": set(ticked if ticked is not None else current), "error": error,
        "saved": saved}, status)


@router.get("/giam-sat/{supervision_id}")
def participants_page(supervision_id: PathId, request: Request, user: StaffDep,
                      db: SessionDep, saved: int = 0) -> Response:
    return _participants_page(request, user, db, supervision_id, saved=bool(saved))


@router.post("/giam-sat/{supervision_id}")
async def participants_save(supervision_id: PathId, request: Request, user: StaffDep,
                            db: SessionDep) -> Response:
    form = await checked_form(request, user)
    ticked = _ticked(form)
    try:
        delegates.set_participants(db, user.account,
                                   followup_bodies.get_supervision(db, supervision_id), ticked)
        db.commit()
    except DomainError as error:
        db.rollback()
        return _participants_page(request, user, db, supervision_id,
                                  _refusal(request, error), ticked, status=422)
    return RedirectResponse(f"/console/giam-sat/{supervision_id}?saved=1", status_code=303)


# --- regimes ensured (target (8)) -------------------------------------------------------


def _entitlements_page(request: Request, user, db: Session, year: int,
                       error: str = "", typed: dict[str, str] | None = None,
                       ticked: list[int] | None = None, saved: bool = False,
                       status: int = 200) -> Response:
    from server.services import entitlements
    from shared.rules.entitlements import REGIMES
    from shared.rules.sources import STATUS_EN, STATUS_VI

    people = delegates.all_delegates(db, by_name=True)
    months: dict[int, set[int]] = {}
    for entry in entitlements.entries(db, year):
        if entry.regime == "activity_allowance":
            months.setdefault(entry.person_id, set()).add(entry.period_start.month)
    status_words = STATUS_VI if language_of(request) == "vi" else STATUS_EN
    return render(request, "entitlements_console.html", {
        "user": user, "year": year, "regimes": REGIMES, "status_words": status_words,
        "people": people, "months": months,
        "due": len(entitlements.months_due(year, local_date(utcnow()))),
        "ticked": set(ticked if ticked is not None else [p.id for p in people]),
        "typed": typed or {}, "error": error, "saved": saved}, status)


@router.get("/che-do")
def entitlements_page(request: Request, user: StaffDep, db: SessionDep,
                      year: int | None = YEAR, saved: int = 0) -> Response:
    return _entitlements_page(request, user, db, year or local_date(utcnow()).year,
                              saved=bool(saved))


@router.post("/che-do")
async def entitlements_record(request: Request, user: StaffDep, db: SessionDep) -> Response:
    from server.services import entitlements

    form = await checked_form(request, user)
    ticked = _ticked(form)
    typed = {k: form.get(k, "") for k in ("regime", "period", "voucher")}
    year = local_date(utcnow()).year
    try:
        period = date.fromisoformat(typed["period"] + "-01") if len(typed["period"]) == 7 \
            else date.fromisoformat(typed["period"])
        year = period.year
        if not ticked:
            raise ValidationFailed("Hãy đánh dấu ít nhất một đại biểu.",
                                   "Tick at least one delegate.")
        entitlements.record(db, user.account, typed["regime"], period, ticked,
                            typed["voucher"].strip())
        db.commit()
    except (DomainError, ValueError) as error:
        db.rollback()
        return _entitlements_page(request, user, db, year, _refusal(request, error), typed,
                                  ticked, status=422)
    return RedirectResponse(f"/console/che-do?year={year}&saved=1", status_code=303)
