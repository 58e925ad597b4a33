"""The document register (sổ đăng ký văn bản): the clerk's list per year, giving numbers.

The numbers themselves come from ``server.register.service`` (Nghị định 30/2020/NĐ-CP,
Điều 15): this module turns the page's forms into calls and errors into the page.
"""

from __future__ import annotations

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response
from sqlmodel import select

from server.deps import SessionDep
from server.errors import DomainError
from server.models import Account
from server.register import service
from server.register.series import SERIES
from server.schemas.base import PathId
from server.services import minutes_draft
from server.web.auth import StaffDep, checked_form
from server.web.i18n import language_of, message_of
from server.web.render import render
from shared import clock

router = APIRouter(prefix="/console", include_in_schema=False)


def _page(request: Request, user, db, year: int, errors: dict | None = None,
          values: dict | None = None, given: str = "", status: int = 200) -> Response:
    register = service.year_register(db, year)
    accounts = {a.id: a.username for a in db.exec(select(Account)).all()}
    return render(request, "console/register.html", {
        "user": user, "year": year, "years": service.years(db), "series": SERIES,
        "register": register, "symbol": service.symbol, "given": given, "accounts": accounts,
        "errors": errors or {}, "values": values or {}}, status)


@router.get("/so-van-ban")
def register_page(request: Request, user: StaffDep, db: SessionDep,
                  nam: int | None = Query(default=None, ge=2000, le=2200),
                  cap: str = Query(default="", max_length=60)) -> Response:
    return _page(request, user, db, nam or clock.today().year, given=cap)


@router.post("/so-van-ban")
async def give_number(request: Request, user: StaffDep, db: SessionDep) -> Response:
    """A number for a document made outside the system (a paper notice, a plan...)."""
    form = await checked_form(request, user)
    try:
        entry = service.give_number(db, user.account, form.get("series", ""),
                                    form.get("given_to", ""))
        db.commit()
    except DomainError as error:
        db.rollback()
        field = "series" if "series" in error.code else "given_to"
        return _page(request, user, db, clock.today().year,
                     {field: message_of(error, language_of(request))}, form, status=422)
    return RedirectResponse(f"/console/so-van-ban?nam={entry.year}&cap={service.symbol(entry)}",
                            status_code=303)


@router.post("/phien-hop/{sitting_id}/bien-ban/cap-so")
async def number_minutes(sitting_id: PathId, request: Request, user: StaffDep,
                         db: SessionDep) -> Response:
    """The minutes' number from the register; asking twice keeps the first number."""
    form = await checked_form(request, user)
    minutes_draft.number(db, user.account, sitting_id)  # the draft's history says so too
    db.commit()
    back = "/du-thao" if form.get("back") == "draft" else ""
    return RedirectResponse(f"/console/phien-hop/{sitting_id}/bien-ban{back}", status_code=303)
