"""The public portal: published sessions, agenda, public documents, results, resolutions;
and the same data as JSON for other systems (``/api/public/...``)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse, Response

from server.ballot import publication
from server.cache.lru import GenerationCache
from server.deps import PORTAL, SessionDep, StoreDep
from server.errors import DomainError
from server.schemas.base import PathId
from server.services import council, documents, public_data
from server.tenancy import address
from server.web.cookie_session import COOKIE_NAME
from server.web.i18n import language_of, message_of
from server.web.render import render

# the portal answers for the council its address names (server/tenancy/address.py)
router = APIRouter(include_in_schema=False, dependencies=[PORTAL])
feed = APIRouter(prefix="/api/public", tags=["public portal"], dependencies=[PORTAL])


@router.get("/")
def home(request: Request, db: SessionDep) -> Response:
    return render(request, "portal/index.html", {
        "council_name": council.shown_name(db), "sessions": public_data.published_sessions(db),
        "resolutions": public_data.resolutions(db)})


@router.get("/chat-van")
def questions_page(request: Request, db: SessionDep) -> Response:
    """Questions asked and their answers."""
    from server.services import questioning

    return render(request, "portal/questions.html", {
        "council_name": council.shown_name(db), "questions": questioning.public_rows(db)})


@router.get("/phien-hop/{session_id}")
async def session_page(session_id: PathId, request: Request) -> Response:
    # No SessionDep: a hot read answered from memory when it can be. A visitor who is not
    # signed in gets the page rendered for the same data and language before, if any.
    council_id = address.council_of_request(request)
    view = await public_data.session_view(request.app.state.engine, request.app.state.hub,
                                          council_id, session_id)
    anonymous = not request.cookies.get(COOKIE_NAME)
    key = (council_id, session_id, language_of(request), request.scope.get("root_path", ""))
    if anonymous and (page := _PAGES.get(key, view.stamp)) is not None:
        return HTMLResponse(page)
    detail = dict(view.detail)
    response = render(request, "portal/session.html", {"council_name": detail.pop("council_name"),
                                                       "s": detail})
    if anonymous:
        _PAGES.put(key, view.stamp, bytes(response.body))
    return response


# Public session pages as sent to visitors who are not signed in, per session and language
_PAGES: GenerationCache[tuple[int, int, str, str], bytes] = GenerationCache(capacity=512)


@router.get("/phien-hop/{session_id}/tai-lieu/{document_id}")
def public_download(session_id: PathId, document_id: PathId, db: SessionDep,
                    store: StoreDep) -> FileResponse:
    document = public_data.public_document(db, document_id)
    if document.session_id != session_id:
        public_data.public_document(db, 0)
    version = documents.get_version(db, document_id, document.current_version)
    return FileResponse(store.path_for(version.storage_key), media_type="application/pdf",
                        filename=f"tai-lieu-{document_id}.pdf")


@feed.get("/sessions", summary="Published sessions (public feed)")
def feed_sessions(db: SessionDep) -> list[dict[str, Any]]:
    return public_data.published_sessions(db)


@feed.get("/sessions/{session_id}",
          summary="A published session: agenda, public documents, vote results (public feed)")
async def feed_session(session_id: PathId, request: Request) -> dict[str, Any]:
    detail = await public_data.session_detail(request.app.state.engine, request.app.state.hub,
                                              address.council_of_request(request), session_id)
    detail.pop("council_name")
    return detail





# --- verifiable secret ballots: the board once counted (server/ballot/publication.py) ----


@router.get("/bo-phieu-kin/{ballot_id}")
def ballot_page(ballot_id: PathId, request: Request, db: SessionDep,
                bien_nhan: str | None = None) -> Response:
    """The result sheet, the board's check and download, and a receipt lookup box."""
    summary = publication.public_summary(db, ballot_id)
    lookup, lookup_error = None, None
    if bien_nhan:
        try:
            lookup = publication.public_receipt(db, ballot_id, bien_nhan)
        except DomainError as exc:
            lookup_error = message_of(exc, language_of(request))
    return render(request, "portal/ballot.html", {
        "council_name": council.shown_name(db), "b": summary, "query": bien_nhan,
        "lookup": lookup, "lookup_error": lookup_error},
        status=422 if lookup_error else 200)


@feed.get("/ballots/{ballot_id}",
          summary="A counted secret ballot: result, committee, board head and check (public feed)")
def feed_ballot(ballot_id: PathId, db: SessionDep) -> dict[str, Any]:
    return publication.public_summary(db, ballot_id)


@feed.get("/ballots/{ballot_id}/board",
          summary="The bulletin board of a counted secret ballot (BOARD.json for hdnd ballot verify)")
def feed_ballot_board(ballot_id: PathId, db: SessionDep) -> dict[str, Any]:
    return publication.public_board(db, ballot_id).to_json()


@feed.get("/ballots/{ballot_id}/receipts/{receipt}",
          summary="Find a receipt on a counted secret ballot's board (public feed)")
def feed_ballot_receipt(ballot_id: PathId, receipt: str, db: SessionDep) -> dict[str, Any]:
    return publication.public_receipt(db, ballot_id, receipt)
