"""Search across items, resolutions, supervision conclusions and documents' pages:
``/api/search`` for signed-in users (what they may read), ``/api/public/search`` for all."""

from __future__ import annotations

from fastapi import APIRouter, Query

from server.deps import PORTAL, CurrentPrincipal, SessionDep
from server.followup.schemas import SearchResults
from server.routes.common import AUTH_PROBLEMS, problems
from server.services import search, search_views

router = APIRouter(tags=["search"])

# The service searches the first 500 characters and says so, and refuses more than 2,000
# with a bilingual problem (search_query_too_long); past 8,000 the framework refuses.
QUERY = Query(min_length=1, max_length=8000,
              description="Words typed with or without diacritics (first 500 characters, "
                          "first 32 words searched; the answer's notices say what was cut; "
                          "more than 2,000 characters: 422 search_query_too_long)")
COUNCIL = Query(None, ge=1, le=2_147_483_647,
                description="Only this council's texts; leave out for every council")


@router.get("/search", response_model=SearchResults, responses={**AUTH_PROBLEMS,
                                                                **problems(422, 503)},
            summary="Ranked search, Vietnamese typed with or without diacritics")
def search_all(principal: CurrentPrincipal, db: SessionDep,
               q: str = QUERY,
               source_type: str | None = Query(None, pattern="^(item|resolution|supervision|"
                                                             "document)$"),
               council_id: int | None = COUNCIL,
               limit: int = Query(20, ge=1, le=100),
               offset: int = Query(0, ge=0, le=1_000_000)) -> SearchResults:
    return search.search(db, q, limit=limit, offset=offset, source_type=source_type,
                         council_id=council_id, visible=search_views.visible_to(db, principal))


@router.get("/public/search", dependencies=[PORTAL], response_model=SearchResults,
            responses=problems(422, 503),
            summary="Ranked search over what the council has published")
def search_public(db: SessionDep, q: str = QUERY, council_id: int | None = COUNCIL,
                  limit: int = Query(20, ge=1, le=100),
                  offset: int = Query(0, ge=0, le=1_000_000)) -> SearchResults:
    return search.search(db, q, limit=limit, offset=offset, public_only=True,
                         council_id=council_id)
