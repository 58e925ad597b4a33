"""The hall's projector: a full-screen, read-only page opened with a code, no sign-in."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from server.deps import PORTAL, SessionDep
from server.errors import NotFound
from server.live.store import get_sitting
from server.schemas.base import PathId
from server.services import council, meetings
from server.web.i18n import language_of
from server.web.projector_code import code_ok
from server.web.render import render
from server.web.vote_view import vote_words
from shared.live.redaction import public_state

router = APIRouter(include_in_schema=False, dependencies=[PORTAL])


@router.get("/projector/{sitting_id}")
def projector(sitting_id: PathId, request: Request, db: SessionDep, code: str = "") -> Response:
    if not code_ok(request.app.state.secret_key, sitting_id, code):
        return render(request, "projector_code.html", {"sitting_id": sitting_id, "user": None,
                                                       "wrong": bool(code)},
                      status=403 if code else 200)
    sitting = get_sitting(db, sitting_id)
    session = meetings.get_session(db, sitting.session_id)
    return render(request, "projector.html", {
        "sitting": sitting, "session": session, "council": council.council_of(db, session),
        "body": council.get_body(db, session.body_id), "code": code,
        "user": None})  # the hall's screen: never a sign-in bar, even in the clerk's browser


@router.get("/projector/{sitting_id}/trang-thai")
async def projector_state(sitting_id: PathId, request: Request, code: str = "") -> dict[str, Any]:
    """The public state (what ``/api/sittings/{id}/public`` gives) plus each vote's words,
    so the hall reads the same rule line as the console."""
    if not code_ok(request.app.state.secret_key, sitting_id, code):
        raise NotFound()
    state, _events = await request.app.state.hub.current(sitting_id)
    return {"state": public_state(state).model_dump(mode="json"),
            "words": vote_words(state, language_of(request))}
