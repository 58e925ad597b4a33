"""Search pages: ``/tim-kiem`` on the council's portal (what it has published) and
``/console/tim-kiem`` for signed-in readers (what they may read). Both ask
``server.services.search``; a refused or too slow query is said on the page, in words."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from sqlmodel import Session

from server.deps import PORTAL, SessionDep
from server.errors import DomainError
from server.followup.schemas import SearchHit
from server.services import council, search, search_views
from server.web.auth import WebUserDep
from server.web.i18n import language_of, message_of
from server.web.render import render

router = APIRouter(prefix="/console", include_in_schema=False)
portal_router = APIRouter(include_in_schema=False, dependencies=[PORTAL])

TYPED = Query("", max_length=8000)
PAGE = Query(1, ge=1, le=50)


def _results(request: Request, db: Session, q: str, page: int,
             link: Callable[[Session, SearchHit], str], **how: Any) -> dict[str, Any]:
    """The context both pages render: hits with links, notices, a suggestion, an error."""
    size, lang = search_views.PAGE_SIZE, language_of(request)
    context: dict[str, Any] = {"q": q, "page": page, "hits": [], "total": 0, "notices": [],
                               "suggestion": None, "error": None, "more": False, "size": size}
    if not q.strip():
        return context
    try:
        result = search.search(db, q, limit=size, offset=(page - 1) * size, **how)
    except DomainError as error:  # too long, too slow: the page says why
        context.update(error=message_of(error, lang), status=error.status)
        return context
    vi = lang == "vi"
    context.update(hits=search_views.hit_views(db, result.hits, link, lang), total=result.total,
                   notices=[n.message_vi if vi else n.message_en for n in result.notices],
                   suggestion=result.suggestion, more=result.total > page * size)
    return context


@portal_router.get("/tim-kiem")
def portal_search(request: Request, db: SessionDep, q: str = TYPED, page: int = PAGE
                  ) -> Response:
    """What the council has published, found with or without diacritics."""
    context = _results(request, db, q, page, search_views.portal_link, public_only=True)
    return render(request, "portal/search.html", {"council_name": council.shown_name(db), **context},
                  status=context.get("status", 200))


@router.get("/tim-kiem")
def console_search(request: Request, user: WebUserDep, db: SessionDep, q: str = TYPED,
                   page: int = PAGE) -> Response:
    """Everything the signed-in reader may read (a province reader: its councils too)."""
    context = _results(request, db, q, page, search_views.console_link,
                       visible=search_views.visible_to(db, user.principal))
    return render(request, "console/search.html", {"user": user, "csrf": user.csrf, **context},
                  status=context.get("status", 200))
