"""Digital signatures of documents: upload a signed PDF (verified), sign on the server with a
configured key, list a version's signatures."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, File, Form, UploadFile

from server.deps import CurrentPrincipal, SessionDep, SettingsDep, StaffPrincipal, StoreDep
from server.documents.storage import chunks_of
from server.routes.common import AUTH_PROBLEMS, problems
from server.schemas.base import ONE_LINE, PathId
from server.schemas.signature import SignatureRead, SignedVersionRead, SignRequest
from server.security.policy import require_read_document, require_sign_as
from server.services import documents, meetings
from server.signatures import service

router = APIRouter(tags=["signatures"])
SIGN_PROBLEMS = {**AUTH_PROBLEMS, **problems(409, 413, 415, 422)}


def _read(db, document_id: int, version) -> SignedVersionRead:
    return SignedVersionRead(
        document_id=document_id, version=version.version, sha256=version.sha256,
        signatures=[SignatureRead.model_validate(s)
                    for s in service.signatures_of(db, document_id, version.version)])


@router.post("/documents/{document_id}/signed-versions", response_model=SignedVersionRead,
             status_code=201, responses=SIGN_PROBLEMS,
             summary="Upload a signed PDF; verified, then kept as the next version (clerk)")
async def upload_signed(
    document_id: PathId,
    file: Annotated[UploadFile, File(description="The signed PDF (PAdES)")],
    principal: StaffPrincipal,
    db: SessionDep,
    store: StoreDep,
    settings: SettingsDep,
    note: Annotated[str, Form(max_length=1000)] = "",
    resolution_number: Annotated[str, Form(max_length=50, pattern=f"^$|{ONE_LINE}")] = "",
    adopted_on: Annotated[date | None, Form()] = None,
) -> SignedVersionRead:
    document = documents.get_document(db, document_id)
    version = await service.upload_signed_version(
        db, store, settings, principal.account, document, chunks_of(file), file.filename, note,
        resolution_number, adopted_on)
    return _read(db, document_id, version)


@router.post("/documents/{document_id}/sign", response_model=SignedVersionRead,
             status_code=201, responses=SIGN_PROBLEMS,
             summary="Sign the current version on the server with the signer's configured key")
async def sign_on_server(document_id: PathId, data: SignRequest, principal: CurrentPrincipal,
                         db: SessionDep, store: StoreDep,
                         settings: SettingsDep) -> SignedVersionRead:
    document = documents.get_document(db, document_id)
    session = meetings.get_session(db, document.session_id)
    require_read_document(db, principal, session, document)
    require_sign_as(db, principal, session, data.signer.value)
    version = await service.sign_on_server(db, store, settings, principal.account, document,
                                           data.signer)
    return _read(db, document_id, version)


@router.get("/documents/{document_id}/signatures", response_model=list[SignatureRead],
            responses=AUTH_PROBLEMS, summary="Signatures of the current version")
def list_signatures(document_id: PathId, principal: CurrentPrincipal,
                    db: SessionDep) -> list[SignatureRead]:
    document = documents.get_document(db, document_id)
    require_read_document(db, principal, meetings.get_session(db, document.session_id), document)
    return [SignatureRead.model_validate(s) for s in service.signatures_of(db, document_id)]
