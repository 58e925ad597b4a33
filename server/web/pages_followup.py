"""Follow-up pages: the clerk's dashboard of the year (one chart per indicator against its
target, each with a drill-down to the items behind it), the item list and detail with the
life-cycle actions as buttons, the reviews and sender notices to download; and the public
portal's pages on resolutions' tasks, petitions by area with their answers and supervision
conclusions (published items only, through the same services as the API)."""

from __future__ import annotations

from html import escape

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response
from sqlmodel import Session, col, select

from server.deps import PORTAL, SessionDep
from server.errors import DomainError, NotFound, SearchQueryRefused, SearchTooSlow
from server.followup import bodies as followup_bodies
from server.followup import indicators as followup_indicators
from server.followup import items as followup
from server.followup import notices as followup_notices
from server.followup import reminders as followup_reminders
from server.followup import reports as followup_reports
from server.followup.deadlines import local_date
from server.followup.labels import action_label, label, status_label
from server.followup.lifecycle import Action, ItemKind, Status
from server.followup.schemas import ActionRequest, Indicator
from server.models import Body, CouncilSession, Person, Sitting
from server.models.base import id_of, utcnow
from server.models.followup import Supervision, TrackedItem, VoterMeeting
from server.reports.download import document_response
from server.schemas.base import MAX_ID, PathId
from server.services import council, delegates, search
from server.services.public_data import signed_file
from server.text import search_query
from server.web.auth import StaffDep, checked_form
from server.web.i18n import language_of, message_of
from server.web.render import render

router = APIRouter(prefix="/console/theo-doi", include_in_schema=False)
portal_router = APIRouter(prefix="/theo-doi", include_in_schema=False, dependencies=[PORTAL])
YEAR = Query(None, ge=2000, le=2200)
FORMATS = ("pdf", "docx")


def _year(year: int | None) -> int:
    return year or local_date(utcnow()).year


# --- the dashboard's charts -----------------------------------------------------------------


def indicator_svg(indicator: Indicator, lang: str = "vi") -> str:
    """One horizontal bar for the figure against a dashed line at the target.

    Shares are drawn on a 0-100% scale, counts on a scale a little past the target.
    """
    width, left, right, height = 560, 12, 70, 64
    if indicator.unit == "count":
        scale_max = max(indicator.target, indicator.value) * 1.25 or 1.0
        value, target = indicator.value, indicator.target
        shown = f"{indicator.value:g}"
        target_text = f"{indicator.target:g}"
    else:
        scale_max, value, target = 100.0, indicator.value * 100, indicator.target * 100
        shown = followup_reports.percent(indicator.value)
        target_text = followup_reports.percent(indicator.target)
    room = width - left - right
    bar = max(2.0, room * value / scale_max)
    line = left + room * target / scale_max
    colour = "#1d6b2f" if indicator.met else "#b45309"
    caption = ("target " if lang == "en" else "mục tiêu ") + target_text
    name = escape(indicator.label_en if lang == "en" else indicator.label_vi)
    return "".join([
        f'<svg class="chart indicator" data-key="{indicator.key}" viewBox="0 0 {width} '
        f'{height}" role="img" aria-label="{name}: {shown} ({caption})" '
        f'xmlns="http://www.w3.org/2000/svg">',
        f'<rect x="{left}" y="8" width="{room}" height="26" fill="#eef1f5"/>',
        f'<rect class="bar" x="{left}" y="8" width="{bar:.1f}" height="26" rx="3" '
        f'fill="{colour}"/>',
        f'<text x="{min(left + bar + 6, width - right + 4):.1f}" y="27" font-size="16" '
        f'font-weight="700" fill="#1a1a1a">{shown}</text>',
        f'<line class="target" x1="{line:.1f}" x2="{line:.1f}" y1="2" y2="40" '
        f'stroke="#a4161a" stroke-width="2" stroke-dasharray="6 4"/>',
        f'<text x="{min(line, width - 60):.1f}" y="58" text-anchor="middle" font-size="13" '
        f'fill="#a4161a">{caption}</text>',
        "</svg>",
    ])


@router.get("")
def dashboard(request: Request, user: StaffDep, db: SessionDep,
              year: int | None = YEAR) -> Response:
    year = _year(year)
    lang = language_of(request)
    report = followup_indicators.indicators(db, year)
    charts = [(i, indicator_svg(i, lang)) for i in report.indicators]
    reminders = [(r, i, followup_reminders.reminder_text(r, i))
                 for r, i in followup_reminders.notices(db, unread_only=True, limit=20)]
    return render(request, "followup_dashboard.html", {
        "user": user, "year": year, "charts": charts, "reminders": reminders,
        "met": sum(i.met for i in report.indicators),
        "measured": sum(i.measured for i in report.indicators)})


def _rows_for(db: Session, kind: str, ids: list[int]) -> list[dict]:
    """What a drill-down lists for ids of *kind*: a title, a note and a link if any."""
    if not ids:
        return []
    if kind == "tracked_item":
        items = db.exec(select(TrackedItem).where(col(TrackedItem.id).in_(ids))
                        .order_by(col(TrackedItem.id))).all()
        return [{"title": followup_reports.overdue_title(i),
                 "href": f"/console/theo-doi/viec/{i.id}",
                 "note": followup.describe(i).status_label_vi,
                 "agency": i.responsible_agency} for i in items]
    if kind == "supervision":
        rows = db.exec(select(Supervision).where(col(Supervision.id).in_(ids))).all()
        return [{"title": s.subject, "note": ("thường xuyên" if s.kind == "regular"
                                              else "chuyên đề")
                 + (" · môi trường số" if s.digital else ""), "href": ""} for s in rows]
    if kind == "session":
        sessions = db.exec(select(CouncilSession).where(col(CouncilSession.id).in_(ids))).all()
        return [{"title": s.title, "note": s.start_date.strftime("%d/%m/%Y"),
                 "href": f"/console/ky-hop/{s.id}"} for s in sessions]
    if kind == "sitting":
        sittings = db.exec(select(Sitting).where(col(Sitting.id).in_(ids))).all()
        return [{"title": r.title, "note": "", "href": f"/console/phien-hop/{r.id}/bien-ban"}
                for r in sittings]
    if kind == "voter_meeting":
        meetings = db.exec(select(VoterMeeting).where(col(VoterMeeting.id).in_(ids))).all()
        return [{"title": m.place, "note": m.held_on.strftime("%d/%m/%Y"), "href": ""}
                for m in meetings]
    if kind == "body":
        bodies = db.exec(select(Body).where(col(Body.id).in_(ids))).all()
        return [{"title": b.name, "note": "", "href": ""} for b in bodies]
    if kind == "person":
        people = db.exec(select(Person).where(col(Person.id).in_(ids))).all()
        return [{"title": p.full_name, "note": p.position,
                 "href": f"/console/dai-bieu/{p.id}" if p.is_delegate else ""} for p in people]
    if kind == "congress_target":
        return [{"title": f"{t.target.code}. {t.target.text}",
                 "note": ", ".join(r.number for r in t.resolutions), "href": ""}
                for t in delegates.targets_with_links(db, ids)]
    return [{"title": str(i), "note": "", "href": ""} for i in ids]


MISSING_TYPE = {"thematic_supervision_per_body": "body", "voter_meeting_attendance": "person",
                "questioning_hearings": "session"}


@router.get("/chi-tieu/{key}")
def indicator_page(key: str, request: Request, user: StaffDep, db: SessionDep,
                   year: int | None = YEAR) -> Response:
    year = _year(year)
    report = followup_indicators.indicators(db, year)
    indicator = next((i for i in report.indicators if i.key == key[:64]), None)
    if indicator is None or not indicator.measured:
        raise NotFound("Không có chỉ tiêu này hoặc chỉ tiêu chưa đo được.",
                       "No such indicator, or it is not measured yet.")
    return render(request, "followup_indicator.html", {
        "user": user, "year": year, "i": indicator,
        "svg": indicator_svg(indicator, language_of(request)),
        "counted": _rows_for(db, indicator.item_type, indicator.item_ids),
        "missing": _rows_for(db, MISSING_TYPE.get(key) or str(
            indicator.detail.get("missing_type") or indicator.item_type),
            indicator.missing_ids)})


# --- items ----------------------------------------------------------------------------------


@router.get("/viec")
def items_page(request: Request, user: StaffDep, db: SessionDep, year: int | None = YEAR,
               kind: ItemKind | None = None, status: Status | None = None,
               q: str | None = Query(None, max_length=8000)) -> Response:
    flt = followup.ItemFilter(kind=kind, status=status, year=year, text=q or None)
    lang = language_of(request)
    # The text filter is a search: cut (said in notices) or refused (said as an error)
    # the same way as the API's, on the page rather than as a bare error page.
    notices: list[str] = []
    error, code = "", 200
    try:
        if q:
            notices = [n.message_en if lang == "en" else n.message_vi
                       for n in search.parse_bounded(q)[1]]
        total, rows = followup.list_items(db, flt, user.principal, limit=200)
    except (SearchQueryRefused, SearchTooSlow) as refused:
        db.rollback()
        error, code, total, rows = message_of(refused, lang), refused.status, 0, []
    return render(request, "followup_items.html", {
        "user": user, "total": total, "items": [followup.describe(r) for r in rows],
        "error": error, "notices": notices,
        "kinds": list(ItemKind), "statuses": list(Status), "label": label,
        "kind_labels": {k.value: label(k, language_of(request)) for k in ItemKind},
        "values": {"year": year or "", "kind": kind or "", "status": status or "",
                   "q": (q or "")[:search_query.MAX_TYPED_CHARS]}}, code)


def _item_page(request: Request, user, db: Session, item_id: int,
               error: str = "", status: int = 200) -> Response:
    item = followup.get_item(db, item_id, user.principal)
    detail = followup.detail(db, item, user.principal)
    return render(request, "followup_item.html", {
        "user": user, "item": detail, "label": label, "Action": Action, "error": error,
        "action_label": action_label, "status_label": status_label,
        "kind_label": label(ItemKind(item.kind), language_of(request)),
        "title": followup_reports.overdue_title(item) if item.kind == ItemKind.CITIZEN_COMPLAINT
        else item.title,
        "is_complaint": item.kind == ItemKind.CITIZEN_COMPLAINT,
        # sent through the portal: its sender is sealed there and notified by e-mail/SMS
        "portal_case": _portal_case_id(db, item.id)}, status)


def _portal_case_id(db: Session, item_id: int | None) -> int | None:
    from server.models.citizens import CitizenCase

    return db.exec(select(CitizenCase.id).where(CitizenCase.item_id == item_id)).first()


@router.get("/viec/{item_id}")
def item_page(item_id: PathId, request: Request, user: StaffDep, db: SessionDep) -> Response:
    return _item_page(request, user, db, item_id)


@router.post("/viec/{item_id}/thao-tac")
async def item_action(item_id: PathId, request: Request, user: StaffDep,
                      db: SessionDep) -> Response:
    form = await checked_form(request, user)
    try:
        data = ActionRequest(action=form.get("action", ""), note=form.get("note", ""),
                             answer=form.get("answer") or None,
                             as_role=form.get("as_role") or None)
        followup.perform_action(db, user.principal, followup.get_item(db, item_id), data)
        db.commit()
    except DomainError as error:
        db.rollback()
        return _item_page(request, user, db, item_id, message_of(error, language_of(request)),
                          409 if error.status == 409 else 422)
    except ValueError:  # an unknown action from a hand-made form
        db.rollback()
        return _item_page(request, user, db, item_id, "Thao tác không hợp lệ.", 422)
    return RedirectResponse(f"/console/theo-doi/viec/{item_id}", status_code=303)


@router.post("/nhac-han/da-doc")
async def reminders_read(request: Request, user: StaffDep, db: SessionDep) -> Response:
    """Mark one notice (``reminder_id``) or every notice shown (``all_ids``) as read."""
    form = await checked_form(request, user)
    raw = (form.get("reminder_id") or form.get("all_ids", "")).split(",")
    ids = [int(v) for v in raw if str(v).strip().isdigit() and int(v) <= MAX_ID]
    followup_reminders.mark_read(db, user.account, ids)
    db.commit()
    return RedirectResponse("/console/theo-doi#rem-h", status_code=303)


@router.post("/viec/{item_id}/da-thong-bao")
async def sender_notified(item_id: PathId, request: Request, user: StaffDep,
                          db: SessionDep) -> Response:
    await checked_form(request, user)
    followup.notify_sender(db, user.account, followup.get_item(db, item_id))
    db.commit()
    return RedirectResponse(f"/console/theo-doi/viec/{item_id}", status_code=303)


@router.get("/viec/{item_id}/thong-bao.{fmt}")
def notice_file(item_id: PathId, fmt: str, request: Request, user: StaffDep,
                db: SessionDep) -> Response:
    if fmt not in FORMATS:
        return Response(status_code=404)
    item = followup.get_item(db, item_id, user.principal)
    try:
        document = followup_notices.sender_notice(db, user.principal, item)
    except followup_notices.NothingToNotify as error:
        return _item_page(request, user, db, item_id, message_of(error, language_of(request)),
                          409)
    response = document_response(document, fmt, f"thong-bao-don-{item_id}")
    db.commit()
    return response


@router.get("/bao-cao/{year}/{period}.{fmt}")
def review_file(year: int, period: str, fmt: str, user: StaffDep, db: SessionDep) -> Response:
    if fmt not in FORMATS or not 2000 <= year <= 2200:
        return Response(status_code=404)
    document = followup_reports.review_document(db, year,
                                                followup_reports.parse_period(period))
    name = f"{'so-ket-6-thang' if period == 'half' else 'tong-ket-nam'}-{year}"
    return document_response(document, fmt, name)


# --- public portal --------------------------------------------------------------------------


@portal_router.get("/nghi-quyet")
def public_resolutions(request: Request, db: SessionDep, year: int | None = YEAR) -> Response:
    resolutions = [(r, [followup.describe(t) for t in followup_bodies.linked_items(
        db, "resolution_id", id_of(r), public_only=True)])
        for r in followup_bodies.list_resolutions(db, year, public_only=True)]
    return render(request, "followup_public_resolutions.html", {
        "council_name": council.shown_name(db), "resolutions": resolutions,
        "signed": {r.id: signed_file(db, r.document_id) for r, _tasks in resolutions}})


def _public_areas(db: Session) -> list[str]:
    rows = db.exec(select(TrackedItem.area).where(
        TrackedItem.kind == ItemKind.VOTER_PETITION.value, col(TrackedItem.public).is_(True),
        TrackedItem.area != "").distinct()).all()
    return sorted(rows)


@portal_router.get("/kien-nghi")
def public_petitions(request: Request, db: SessionDep, year: int | None = YEAR,
                     area: str | None = Query(None, max_length=200)) -> Response:
    flt = followup.ItemFilter(kind=ItemKind.VOTER_PETITION, area=area or None, year=year,
                              public_only=True)
    total, rows = followup.list_items(db, flt, None, limit=200)
    return render(request, "followup_public_petitions.html", {
        "council_name": council.shown_name(db), "areas": _public_areas(db), "area": area or "",
        "total": total, "items": [followup.describe(r) for r in rows]})


@portal_router.get("/kien-nghi/{item_id}")
def public_petition(item_id: PathId, request: Request, db: SessionDep) -> Response:
    item = followup.get_public_item(db, item_id)
    return render(request, "followup_public_petition.html", {
        "council_name": council.shown_name(db), "item": followup.describe(item),
        "kind_label": label(ItemKind(item.kind), language_of(request))})


@portal_router.get("/giam-sat")
def public_supervisions(request: Request, db: SessionDep, year: int | None = YEAR) -> Response:
    bodies = {b.id: b.name for b in db.exec(select(Body))}
    rows = [(s, [followup.describe(i) for i in followup_bodies.linked_items(
        db, "supervision_id", id_of(s), public_only=True)])
        for s in followup_bodies.list_supervisions(db, year, public_only=True)]
    return render(request, "followup_public_supervisions.html", {
        "council_name": council.shown_name(db), "supervisions": rows, "bodies": bodies})
