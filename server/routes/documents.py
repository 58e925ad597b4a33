from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, Response, UploadFile
from fastapi.responses import FileResponse

from server.deps import STAFF_ONLY, CurrentPrincipal, SessionDep, SettingsDep, StaffPrincipal, StoreDep
from server.documents.inspection import Limits
from server.documents.storage import chunks_of
from server.models import Confidentiality, DocumentKind
from server.models.base import id_of
from server.routes.common import AUTH_PROBLEMS, problems
from server.schemas.base import MAX_ID, ONE_LINE, PathId
from server.schemas.document import DocumentRead, DocumentUpdate, DocumentWithdraw, GrantsSet
from server.security.policy import (
    can_read_document,
    require_read_document,
    require_view_session,
)
from server.services import document_record, documents, meetings

router = APIRouter(tags=["documents"])
UPLOAD_PROBLEMS = {**AUTH_PROBLEMS, **problems(413, 415)}
PDF_FILE = Annotated[UploadFile, File(description="A PDF file (application/pdf)")]


@router.get("/sessions/{session_id}/documents", response_model=list[DocumentRead],
            responses=AUTH_PROBLEMS, summary="Documents of a session the caller may read")
def list_documents(session_id: PathId, principal: CurrentPrincipal,
                   db: SessionDep) -> list[DocumentRead]:
    session = meetings.get_session(db, session_id)
    require_view_session(db, principal, session)
    return [documents.describe(db, d) for d in documents.in_session(db, session_id)
            if can_read_document(db, principal, session, d)]


@router.post("/sessions/{session_id}/documents", response_model=DocumentRead, status_code=201,
             responses=UPLOAD_PROBLEMS,
             summary="Upload a PDF as a new document of the session (clerk)",
             description="Without a title, one is made from the file name "
             "(to_trinh_ngan_sach.pdf → «To trinh ngan sach»). The same file sent again to "
             "the same agenda item within `upload_same_file_minutes` (10) answers 200 with "
             "the document the first request made: a double click makes one document.")
async def upload_document(
    session_id: PathId,
    file: PDF_FILE,
    principal: StaffPrincipal,
    db: SessionDep,
    store: StoreDep,
    settings: SettingsDep,
    response: Response,
    title: Annotated[str, Form(max_length=500, pattern=ONE_LINE)] = "",
    number: Annotated[str, Form(max_length=60, pattern=ONE_LINE)] = "",
    kind: Annotated[DocumentKind, Form()] = DocumentKind.other,
    confidentiality: Annotated[Confidentiality, Form()] = Confidentiality.internal,
    agenda_item_id: Annotated[int | None, Form(ge=1, le=MAX_ID)] = None,
) -> DocumentRead:
    uploaded = await documents.upload_new_document(
        db, store, principal.account, meetings.get_session(db, session_id), chunks_of(file),
        settings.max_upload_bytes, Limits.of(settings), file.filename, title.strip(), kind,
        confidentiality, agenda_item_id, number=number,
        same_file_window=documents.same_file_window(settings))
    if uploaded.duplicate:
        response.status_code = 200
    return documents.describe(db, uploaded.document)


@router.get("/documents/{document_id}", response_model=DocumentRead, responses=AUTH_PROBLEMS)
def get_document(document_id: PathId, principal: CurrentPrincipal, db: SessionDep) -> DocumentRead:
    document = documents.get_document(db, document_id)
    require_read_document(db, principal, meetings.get_session(db, document.session_id), document)
    return documents.describe(db, document)


@router.patch("/documents/{document_id}", response_model=DocumentRead, responses=AUTH_PROBLEMS,
              summary="Change title, số/ký hiệu, kind, confidentiality or agenda item (clerk)")
def update_document(document_id: PathId, data: DocumentUpdate, principal: StaffPrincipal,
                    db: SessionDep, store: StoreDep) -> DocumentRead:
    document = documents.get_document(db, document_id)
    documents.update_document(db, store, principal.account,
                              meetings.get_session(db, document.session_id), document, data)
    db.commit()
    return documents.describe(db, document)


@router.delete("/documents/{document_id}", status_code=204, responses=problems(401, 403, 404, 409),
               summary="Delete a document not yet published (clerk)",
               description="Refused (409 document_published) once a published pack lists it or "
               "the portal shows it: then withdraw it or upload a replacement version.")
def delete_document(document_id: PathId, principal: StaffPrincipal, db: SessionDep,
                    store: StoreDep) -> Response:
    keys = document_record.delete_document(db, store, principal.account,
                                           documents.get_document(db, document_id))
    db.commit()
    document_record.remove_files(store, keys)
    return Response(status_code=204)


@router.post("/documents/{document_id}/withdraw", response_model=DocumentRead,
             responses=problems(401, 403, 404, 409, 422),
             summary="Withdraw a published document: kept in the record, out of later packs "
             "and the portal (clerk)")
def withdraw_document(document_id: PathId, data: DocumentWithdraw, principal: StaffPrincipal,
                      db: SessionDep) -> DocumentRead:
    document = document_record.withdraw_document(db, principal.account,
                                                 documents.get_document(db, document_id),
                                                 data.reason)
    db.commit()
    return documents.describe(db, document)


@router.post("/documents/{document_id}/versions", response_model=DocumentRead, status_code=201,
             responses=UPLOAD_PROBLEMS,
             summary="Upload a new version (the replacement of a published document); earlier "
             "versions are kept (clerk)")
async def add_version(
    document_id: PathId,
    file: PDF_FILE,
    principal: StaffPrincipal,
    db: SessionDep,
    store: StoreDep,
    settings: SettingsDep,
    note: Annotated[str, Form(max_length=1000)] = "",
) -> DocumentRead:
    document = documents.get_document(db, document_id)
    await documents.upload_new_version(db, store, principal.account, document, chunks_of(file),
                                       settings.max_upload_bytes, Limits.of(settings),
                                       file.filename, note)
    return documents.describe(db, document)


@router.get("/documents/{document_id}/versions/{version}/file", response_class=FileResponse,
            responses={**AUTH_PROBLEMS, 200: {"content": {"application/pdf": {}},
                                              "description": "The PDF"}},
            summary="Download one version's PDF (only for those who may read it)")
def download_version(document_id: PathId, version: PathId, principal: CurrentPrincipal,
                     db: SessionDep, store: StoreDep) -> FileResponse:
    document = documents.get_document(db, document_id)
    require_read_document(db, principal, meetings.get_session(db, document.session_id), document)
    found = documents.get_version(db, document_id, version)
    return FileResponse(store.path_for(found.storage_key), media_type="application/pdf",
                        filename=f"tai-lieu-{document_id}-v{version}.pdf")


@router.get("/documents/{document_id}/grants", response_model=list[int],
            responses=AUTH_PROBLEMS, summary="People who may read a restricted document (clerk)",
            dependencies=[STAFF_ONLY])
def get_grants(document_id: PathId, db: SessionDep) -> list[int]:
    return documents.grants(db, id_of(documents.get_document(db, document_id)))


@router.put("/documents/{document_id}/grants", response_model=list[int],
            responses=AUTH_PROBLEMS, summary="Set who may read a restricted document (clerk)")
def set_grants(document_id: PathId, data: GrantsSet, principal: StaffPrincipal,
               db: SessionDep) -> list[int]:
    result = documents.set_grants(db, principal.account, documents.get_document(db, document_id),
                                  data.person_ids)
    db.commit()
    return result
