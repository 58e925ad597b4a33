"""The clerk's page for a document's digital signatures: who signed the current version, and
the upload of a signed copy (from ``hdnd sign`` or a CA's software), refused in words when
the signatures do not verify."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.datastructures import UploadFile

from server.deps import SessionDep, SettingsDep, StoreDep
from server.documents.storage import chunks_of
from server.errors import DomainError
from server.schemas.base import PathId
from server.services import documents, meetings
from server.signatures import service
from server.web.auth import CSRF_FIELD, StaffDep, check_csrf
from server.web.i18n import language_of, message_of, translator
from server.web.render import render

router = APIRouter(prefix="/console", include_in_schema=False)


def _page(request: Request, user, db, document_id: int, errors: dict[str, str],
          typed: dict[str, str], stored: int | None = None, status: int = 200) -> Response:
    document = documents.get_document(db, document_id)
    return render(request, "console/signatures.html", {
        "user": user, "document": document,
        "session": meetings.get_session(db, document.session_id),
        "signatures": [service.public_signature(s)
                       for s in service.signatures_of(db, document_id)],
        "errors": errors, "typed": typed, "stored": stored}, status=status)


@router.get("/tai-lieu/{document_id}/ky-so")
def signatures_page(document_id: PathId, request: Request, user: StaffDep,
                    db: SessionDep) -> Response:
    return _page(request, user, db, document_id, {}, {})


@router.post("/tai-lieu/{document_id}/ky-so")
async def upload_signed(document_id: PathId, request: Request, user: StaffDep, db: SessionDep,
                        store: StoreDep, settings: SettingsDep) -> Response:
    form = await request.form()
    token = form.get(CSRF_FIELD)
    check_csrf(user, token if isinstance(token, str) else None)
    typed = {k: v for k, v in form.items() if isinstance(v, str) and k != CSRF_FIELD}
    lang = language_of(request)
    file = form.get("file")
    if not isinstance(file, UploadFile) or not file.filename:
        return _page(request, user, db, document_id,
                     {"file": translator(lang)("signature.choose_file")}, typed, status=422)
    document = documents.get_document(db, document_id)
    try:
        version = await service.upload_signed_version(
            db, store, settings, user.account, document, chunks_of(file), file.filename,
            resolution_number=typed.get("resolution_number", "").strip()[:50])
    except DomainError as error:
        return _page(request, user, db, document_id, {"file": message_of(error, lang)}, typed,
                     status=error.status if error.status >= 400 else 422)
    return _page(request, user, db, document_id, {}, {}, stored=version.version)
