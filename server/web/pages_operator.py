"""The operator console: the chair, the secretary or a delegated clerk run a sitting from
a browser, through the same hub and commands as the chair's app (``live.service``).

The page's script (``static/js/operator.js``) listens to the sitting's public websocket
only to learn that something changed, then re-reads ``/console/api/sittings/{id}/live``
(the hub's state, redacted for the seat) and sends commands to
``/console/api/sittings/{id}/commands``, which is ``live.service.send_command`` with the
seat's rights: there is no second copy of the sitting's rules here.
"""

from __future__ import annotations

from typing import Annotated, Any

from anyio import to_thread
from fastapi import APIRouter, Body, Request
from fastapi.responses import RedirectResponse, Response
from sqlmodel import Session, col, select

from server.deps import SessionDep, release_connection
from server.errors import DomainError
from server.live import operators, service, store
from server.live.operators import NotAnOperator, NoVoteFromConsole, Seat
from server.models import Account, AccountRole
from server.models.base import id_of
from server.models.live import Sitting
from server.schemas.base import PathId
from server.services import meetings
from server.web.auth import WebUser, WebUserDep, check_header_csrf, checked_form
from server.web.i18n import catalogue, language_of, message_of
from server.web.projector_code import projector_code
from server.web.render import render
from server.web.vote_view import vote_words
from shared.live.protocol import Ack
from shared.live.redaction import redact_state
from shared.live.roster import Actor

router = APIRouter(prefix="/console", include_in_schema=False)


def _seat(db: Session, user: WebUser, sitting_id: int) -> tuple[Sitting, Seat]:
    sitting = store.get_sitting(db, sitting_id)
    return sitting, operators.seat_of(db, user.principal, sitting)


@router.get("/dieu-hanh")
def my_sittings(request: Request, user: WebUserDep, db: SessionDep) -> Response:
    """Sittings this account may run or watch: where a chair lands after signing in."""
    sittings = operators.operated_sittings(db, user.principal)
    if not sittings and not user.principal.is_staff:
        raise NotAnOperator()
    sessions = {s.session_id: meetings.get_session(db, s.session_id) for s in sittings}
    return render(request, "console/operate_list.html", {
        "user": user, "sittings": sittings, "sessions": sessions})


@router.get("/phien-hop/{sitting_id}/dieu-hanh")
def operator_page(sitting_id: PathId, request: Request, user: WebUserDep,
                  db: SessionDep) -> Response:
    sitting, seat = _seat(db, user, sitting_id)
    return _page(request, user, db, sitting, seat, {})


def _page(request: Request, user: WebUser, db: Session, sitting: Sitting, seat: Seat,
          errors: dict[str, str], status: int = 200) -> Response:
    session = meetings.get_session(db, sitting.session_id)
    roster = operators.roster_of(sitting)
    clerks = list(db.exec(select(Account).where(
        col(Account.role).in_([AccountRole.clerk, AccountRole.admin]),
        col(Account.is_active).is_(True)).order_by(col(Account.username))))
    on_behalf_name = roster.name_of(seat.on_behalf_of) if seat.on_behalf_of else None
    return render(request, "console/operate.html", {
        "user": user, "sitting": sitting, "session": session, "seat": seat,
        "on_behalf_name": on_behalf_name, "roster": roster,
        "projector_link": f"/projector/{sitting.id}?code="
                          + projector_code(request.app.state.secret_key, id_of(sitting)),
        "delegations": operators.delegations(db, id_of(sitting)) if seat.role == "chair" else [],
        "clerks": clerks, "errors": errors, "strings": _script_strings(request)}, status)


def _script_strings(request: Request) -> dict[str, str]:
    """The catalogue's ``op.*`` strings, for the page's script (a JSON block, no inline JS)."""
    lang = language_of(request)
    own, fallback = catalogue(lang), catalogue("vi")
    return {key[3:]: own.get(key) or value for key, value in fallback.items()
            if key.startswith("op.")}


@router.post("/phien-hop/{sitting_id}/uy-quyen")
async def delegate(sitting_id: PathId, request: Request, user: WebUserDep,
                   db: SessionDep) -> Response:
    form = await checked_form(request, user)
    sitting, seat = _seat(db, user, sitting_id)
    account = form.get("account_id", "")
    try:
        if not account.isdigit():
            raise operators.NotAStaffAccount(field="account_id")
        operators.delegate(db, user.principal, sitting, int(account))
        db.commit()
    except DomainError as error:
        db.rollback()
        return _page(request, user, db, sitting, seat,
                     {"account_id": message_of(error, language_of(request))}, 422)
    return RedirectResponse(f"/console/phien-hop/{sitting_id}/dieu-hanh#delegation",
                            status_code=303)


@router.post("/phien-hop/{sitting_id}/uy-quyen/{delegation_id}/thu-hoi")
async def revoke(sitting_id: PathId, delegation_id: PathId, request: Request, user: WebUserDep,
                 db: SessionDep) -> Response:
    await checked_form(request, user)
    sitting = store.get_sitting(db, sitting_id)
    operators.revoke(db, user.principal, sitting, delegation_id)
    db.commit()
    return RedirectResponse(f"/console/phien-hop/{sitting_id}/dieu-hanh#delegation",
                            status_code=303)


# ---- what the page's script calls ---------------------------------------------------------

@router.get("/api/sittings/{sitting_id}/live")
async def live_state(sitting_id: PathId, request: Request, user: WebUserDep,
                     db: SessionDep) -> dict[str, Any]:
    """The hub's state as the seat may see it, with each vote's words and the seat."""
    sitting, seat = await to_thread.run_sync(_seat, db, user, sitting_id)
    release_connection(db)
    state, _events = await request.app.state.hub.current(sitting_id)
    viewer = Actor.of(state.roster, seat.person_id) if seat.person_id is not None else None
    return {"status": state.status, "seq": state.seq, "title": sitting.title,
            "seat": {"role": seat.role, "person_id": seat.person_id,
                     "on_behalf_of": seat.on_behalf_of, "can_command": seat.can_command},
            "state": redact_state(state, viewer).model_dump(mode="json"),
            "words": vote_words(state, language_of(request))}


@router.post("/api/sittings/{sitting_id}/commands")
async def send(sitting_id: PathId, request: Request, user: WebUserDep, db: SessionDep,
               command: Annotated[dict, Body()]) -> Ack:
    """One command with the seat's rights: ``live.service.send_command``, as REST does."""
    check_header_csrf(request, user)
    _sitting, seat = await to_thread.run_sync(_seat, db, user, sitting_id)
    release_connection(db)
    if not seat.can_command:
        raise NotAnOperator()
    parsed = service.parse_command(command)
    if parsed.type in operators.OPERATOR_REFUSED:
        raise NoVoteFromConsole()
    return await service.send_command(request.app.state.hub, sitting_id, parsed,
                                      seat.caller(user.account))


@router.post("/api/sittings/{sitting_id}/questions/call")
async def call_questions(sitting_id: PathId, request: Request, user: WebUserDep,
                         db: SessionDep) -> dict[str, int]:
    """Send the Standing Committee's programme into the sitting, in order."""
    from server.services import questioning

    check_header_csrf(request, user)
    sent = await questioning.call_into_sitting(db, request.app.state.hub, user.principal,
                                               sitting_id)
    return {"sent": sent}
