"""Devices: issue enrolment codes with a QR image, list devices, revoke, remote wipe."""

from __future__ import annotations

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response

from server.deps import SessionDep
from server.errors import DomainError
from server.models import Person
from server.packs import devices, enrolment
from server.schemas.base import PathId
from server.services import council
from server.web.auth import StaffDep, checked_form
from server.web.i18n import language_of, message_of
from server.web.render import render

router = APIRouter(prefix="/console", include_in_schema=False)


def _page(request: Request, user, db, issued: dict | None = None,
          errors: dict | None = None, values: dict | None = None, status: int = 200) -> Response:
    return render(request, "console/devices.html", {
        "user": user, "devices": devices.list_devices(db), "issued": issued,
        "people": council.people(db),
        "errors": errors or {}, "values": values or {}}, status)


@router.get("/thiet-bi")
def devices_page(request: Request, user: StaffDep, db: SessionDep) -> Response:
    return _page(request, user, db)


@router.post("/thiet-bi/ma-dang-ky")
async def issue_code(request: Request, user: StaffDep, db: SessionDep) -> Response:
    form = await checked_form(request, user)
    lang = language_of(request)
    person = form.get("person_id", "")
    hours = form.get("valid_hours", "24") or "24"
    errors = {}
    if not person.isdigit():
        errors["person_id"] = "Hãy chọn đại biểu." if lang == "vi" else "Choose a person."
    if not hours.isdigit() or not 1 <= int(hours) <= 24 * 14:
        errors["valid_hours"] = ("Từ 1 đến 336 giờ." if lang == "vi" else "1 to 336 hours.")
    if errors:
        return _page(request, user, db, None, errors, form, 422)
    try:
        issued = enrolment.issue_code(db, user.account, request.app.state.secret_key,
                                      int(person), int(hours))
        db.commit()
    except DomainError as error:
        db.rollback()
        return _page(request, user, db, None, {"person_id": message_of(error, lang)}, form, 422)
    record = issued.record
    return _page(request, user, db, {
        "code": issued.code, "expires_at": record.expires_at,
        "owner": owner.full_name if (owner := db.get(Person, record.person_id)) else "",
        "qr": f"/console/thiet-bi/ma-dang-ky/{record.id}/qr.svg?code={issued.code}"})


@router.get("/thiet-bi/ma-dang-ky/{code_id}/qr.svg")
def code_qr(code_id: PathId, request: Request, user: StaffDep, db: SessionDep,
            code: str = Query(min_length=4, max_length=64)) -> Response:
    enrolment.get_code(db, request.app.state.secret_key, code_id, code)
    payload = enrolment.qr_payload(str(request.base_url), code)
    return Response(enrolment.qr_svg(payload), media_type="image/svg+xml",
                    headers={"Cache-Control": "no-store"})


@router.post("/thiet-bi/{device_id}/{action}")
async def device_action(device_id: PathId, action: str, request: Request, user: StaffDep,
                        db: SessionDep) -> Response:
    form = await checked_form(request, user)
    device = devices.get_device(db, device_id)
    if action == "thu-hoi":
        devices.revoke(db, user.account, device)
    elif action == "xoa-du-lieu":
        if form.get("confirm") != device.label:
            lang = language_of(request)
            return _page(request, user, db, None, {f"wipe-{device_id}": (
                "Hãy nhập đúng tên thiết bị để xác nhận." if lang == "vi"
                else "Type the device's name to confirm.")}, status=422)
        devices.order_wipe(db, user.account, device)
    else:
        return Response(status_code=404)
    db.commit()
    return RedirectResponse("/console/thiet-bi", status_code=303)
