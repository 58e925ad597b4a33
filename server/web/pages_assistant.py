"""The assistant in the console (``/console/tro-ly``), for staff and delegates.

A plain GET form (a question is a read, nothing is written): the answer, its notice, and
the cited passages with links. Documents open through ``/console/tro-ly/tai-lieu/{id}``,
which applies the documents' read rule, so a delegate follows a citation the same way
staff do.
"""

from __future__ import annotations

from fastapi import APIRouter, Query, Request
from fastapi.responses import FileResponse, Response

from server.assistant import service
from server.deps import SessionDep, SettingsDep, StoreDep
from server.errors import DomainError, NotFound
from server.schemas.base import PathId
from server.security.policy import require_read_document
from server.services import documents, meetings
from server.web.auth import WebUserDep
from server.web.i18n import language_of
from server.web.render import render

router = APIRouter(prefix="/console/tro-ly", include_in_schema=False)


@router.get("")
def assistant_page(request: Request, user: WebUserDep, db: SessionDep, settings: SettingsDep,
                   q: str | None = Query(None, max_length=2000),
                   pham_vi: str = Query("", max_length=40),
                   tom_tat: int | None = Query(None, ge=1, le=2**31 - 1)) -> Response:
    lang = language_of(request)
    surface = "staff" if user.principal.is_staff else "web"
    readable = service.readable_documents(db, user.principal)
    answer, error, status = None, "", 200
    try:
        if tom_tat is not None:
            answer = service.summarize(db, user.principal, tom_tat, lang=lang, surface=surface)
        elif q is not None:
            document_id, session_id = _scope(pham_vi)
            answer = service.ask(db, settings, user.principal, q, document_id=document_id,
                                 session_id=session_id, lang=lang, surface=surface)
    except DomainError as failure:
        error = failure.message_vi if lang == "vi" else failure.message_en
        status = failure.status
    sessions = {s.id: s for s, _ in readable}
    return render(request, "console/assistant.html", {
        "user": user, "answer": answer, "error": error, "q": q or "", "scope": pham_vi,
        "summary_of": tom_tat, "documents": readable, "sessions": sessions.values()}, status)


def _scope(value: str) -> tuple[int | None, int | None]:
    """``tai-lieu-7`` → this document; ``ky-hop-2`` → this session; else everything."""
    for prefix, position in (("tai-lieu-", 0), ("ky-hop-", 1)):
        if value.startswith(prefix) and value[len(prefix):].isdigit():
            found: list[int | None] = [None, None]
            found[position] = int(value[len(prefix):])
            return found[0], found[1]
    return None, None


@router.get("/tai-lieu/{document_id}")
def open_document(document_id: PathId, user: WebUserDep, db: SessionDep,
                  store: StoreDep) -> FileResponse:
    document = documents.get_document(db, document_id)
    require_read_document(db, user.principal, meetings.get_session(db, document.session_id),
                          document)
    if not document.current_version:
        raise NotFound()
    found = documents.get_version(db, document_id, document.current_version)
    return FileResponse(store.path_for(found.storage_key), media_type="application/pdf",
                        filename=f"tai-lieu-{document_id}.pdf",
                        content_disposition_type="inline")
