"""The assistant: ``POST /api/assistant/ask``, ``GET /api/assistant/documents/{id}/summary``
and, for an enrolled tablet (device-signed requests), ``POST /api/assistant/device/ask``.

Signed-in users and enrolled devices only; each answer cites what the caller (the
device's owner) may read (see ``server.assistant.access``). A question the server refuses
gets problem+json.
"""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Query

from server.assistant import service
from server.deps import CurrentPrincipal, SessionDep, SettingsDep
from server.packs.device_auth import CurrentDevice
from server.packs.recipients import owner_principal
from server.routes.common import AUTH_PROBLEMS
from server.schemas.assistant import AssistantAnswer, AssistantQuestion
from server.schemas.base import PathId

router = APIRouter(prefix="/assistant", tags=["assistant"])


@router.post("/ask", response_model=AssistantAnswer, responses=AUTH_PROBLEMS,
             summary="Answer a question from the council's archive, citing passages")
def ask(body: AssistantQuestion, principal: CurrentPrincipal, db: SessionDep,
        settings: SettingsDep) -> AssistantAnswer:
    return AssistantAnswer.of(service.ask(db, settings, principal, body.question,
                                          document_id=body.document_id,
                                          session_id=body.session_id, lang=body.lang))


@router.get("/documents/{document_id}/summary", response_model=AssistantAnswer,
            responses=AUTH_PROBLEMS, summary="Tóm tắt: a document's key passages, cited")
def summary(document_id: PathId, principal: CurrentPrincipal, db: SessionDep,
            lang: Literal["vi", "en"] = Query("vi")) -> AssistantAnswer:
    return AssistantAnswer.of(service.summarize(db, principal, document_id, lang=lang))


@router.post("/device/ask", response_model=AssistantAnswer, responses=AUTH_PROBLEMS,
             summary="The tablet's side panel: answer as the device's owner may read")
def ask_from_device(body: AssistantQuestion, device: CurrentDevice, db: SessionDep,
                    settings: SettingsDep) -> AssistantAnswer:
    principal = owner_principal(db, device.person_id)
    return AssistantAnswer.of(service.ask(db, settings, principal, body.question,
                                          document_id=body.document_id,
                                          session_id=body.session_id, lang=body.lang))
