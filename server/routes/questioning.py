"""Questions registered before a sitting (chất vấn, giải trình): the delegate's registration
and list, the Standing Committee's programme, the call into the sitting, written answers,
the conclusion notice and the public list. Logic in ``server.services.questioning``."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, File, Query, Request, UploadFile
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field

from server.deps import CurrentPrincipal, SessionDep, SettingsDep, StoreDep
from server.documents.inspection import Limits
from server.documents.storage import chunks_of
from server.models.base import id_of
from server.models.questioning import PreparedQuestion
from server.packs.device_auth import CurrentDevice
from server.packs.recipients import owner_principal
from server.routes.common import AUTH_PROBLEMS, problems
from server.routes.followup_documents import document_response
from server.schemas.base import MAX_ID, PathId
from server.services import questioning
from shared.live.commands import MAX_QUESTION_CHARS

router = APIRouter(tags=["questioning"])


class QuestionCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "to_whom": "Chủ tịch UBND xã", "topic": "Đường liên thôn Y Tý - A Lù",
        "text": "Khi nào hoàn thành đường liên thôn?", "petition_ids": []}]})
    to_whom: str = Field(min_length=1, max_length=300)
    topic: str = Field(min_length=1, max_length=300)
    text: str = Field(min_length=1, max_length=MAX_QUESTION_CHARS)
    petition_ids: list[Annotated[int, Field(ge=1, le=MAX_ID)]] = Field(default=[],
                                                                       max_length=20)


class QuestionSchedule(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "addressee_id": 3, "position": 1, "prepare_by": "2026-11-25",
        "group_label": "Giao thông"}]})
    addressee_id: int = Field(ge=1, le=MAX_ID)
    position: int = Field(ge=1, le=10_000)
    prepare_by: date | None = None
    group_label: str = Field(default="", max_length=200)


class WrittenDue(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "due": "2026-12-20"}]})
    due: date


class QuestionRead(BaseModel):
    id: int
    session_id: int
    place: int
    person_id: int
    to_whom: str
    topic: str
    text: str
    petition_ids: list[int]
    status: str
    group_label: str
    addressee_id: int | None
    prepare_by: date | None
    sitting_id: int | None
    live_question_id: str | None
    conclusion: str
    written_due: date | None
    answer_document_id: int | None
    answered_on: date | None
    list_size: int | None = None  # the tablet's routes: how many questions the list holds

    @classmethod
    def of(cls, q: PreparedQuestion, place: int) -> QuestionRead:
        return cls(**{k: getattr(q, k) for k in cls.model_fields if k not in
                      ("id", "place", "petition_ids", "list_size")}, id=id_of(q), place=place,
                   petition_ids=questioning.petition_ids(q))


def _read(db, q: PreparedQuestion) -> QuestionRead:
    return QuestionRead.of(q, questioning.place_of(db, q))


@router.post("/sessions/{session_id}/questions", response_model=QuestionRead, status_code=201,
             responses=problems(401, 403, 404, 422),
             summary="Register a question before the sitting (a delegate of the body)")
def register(session_id: PathId, data: QuestionCreate, principal: CurrentPrincipal,
             db: SessionDep) -> QuestionRead:
    question = questioning.register(db, principal, session_id, to_whom=data.to_whom,
                                    topic=data.topic, text=data.text,
                                    petitions=data.petition_ids)
    db.commit()
    return _read(db, question)


@router.get("/sessions/{session_id}/questions/mine", response_model=list[QuestionRead],
            responses=AUTH_PROBLEMS,
            summary="The caller's questions, their place in the list and their answers "
                    "(the tablet reads this)")
def mine(session_id: PathId, principal: CurrentPrincipal, db: SessionDep) -> list[QuestionRead]:
    return [QuestionRead.of(q, place) for place, q in questioning.mine(db, principal, session_id)]


@router.get("/sessions/{session_id}/questions", response_model=list[QuestionRead],
            responses=AUTH_PROBLEMS, summary="Every question of the session (Standing Committee)")
def all_questions(session_id: PathId, principal: CurrentPrincipal,
                  db: SessionDep) -> list[QuestionRead]:
    questioning.require_standing_committee(db, principal)
    return [QuestionRead.of(q, i) for i, q in enumerate(questioning.in_order(db, session_id), 1)]


@router.get("/questions/{question_id}", response_model=QuestionRead,
            responses=AUTH_PROBLEMS, summary="One question (asker, addressee, Standing Committee)")
def get_question(question_id: PathId, principal: CurrentPrincipal,
                 db: SessionDep) -> QuestionRead:
    question = questioning.get_question(db, question_id)
    if not questioning.can_read(db, principal, question):
        raise questioning.QuestionNotFound()
    return _read(db, question)


@router.put("/questions/{question_id}/schedule", response_model=QuestionRead,
            responses=problems(401, 403, 404, 409, 422),
            summary="Place, answering official and preparation deadline (Standing Committee)")
def schedule(question_id: PathId, data: QuestionSchedule, principal: CurrentPrincipal,
             db: SessionDep) -> QuestionRead:
    question = questioning.schedule(db, principal, question_id, addressee_id=data.addressee_id,
                                    position=data.position, prepare_by=data.prepare_by,
                                    group_label=data.group_label)
    db.commit()
    return _read(db, question)


@router.post("/sessions/{session_id}/questions/programme", responses=AUTH_PROBLEMS,
             summary="Publish the questioning programme as a session document (Standing "
                     "Committee); the next agenda pack carries it")
async def publish_programme(session_id: PathId, principal: CurrentPrincipal, db: SessionDep,
                            store: StoreDep, settings: SettingsDep) -> dict:
    document = await questioning.publish_programme(db, store, principal, session_id,
                                                   settings.max_upload_bytes,
                                                   Limits.of(settings))
    return {"document_id": document.id, "version": document.current_version}


@router.get("/sessions/{session_id}/questions/programme.pdf", response_class=Response,
            responses=AUTH_PROBLEMS, summary="The programme as it would be published")
def programme_pdf(session_id: PathId, principal: CurrentPrincipal, db: SessionDep) -> Response:
    questioning.require_standing_committee(db, principal)
    return document_response(questioning.programme_document(db, session_id), "pdf",
                             f"chuong-trinh-chat-van-{session_id}")


@router.post("/sittings/{sitting_id}/questions/call", responses=problems(401, 403, 404, 409),
             summary="Send the scheduled questions into the sitting, in order (the "
                     "sitting's operator: chair, secretary or delegated clerk)")
async def call_into_sitting(sitting_id: PathId, request: Request, principal: CurrentPrincipal,
                            db: SessionDep) -> dict:
    sent = await questioning.call_into_sitting(db, request.app.state.hub, principal, sitting_id)
    return {"sent": sent}


@router.post("/sittings/{sitting_id}/questions/sync", response_model=list[QuestionRead],
             responses=AUTH_PROBLEMS,
             summary="Copy the hall's outcome of each question (also done at closing)")
def sync(sitting_id: PathId, principal: CurrentPrincipal, db: SessionDep) -> list[QuestionRead]:
    questioning.require_standing_committee(db, principal)
    changed = questioning.sync_from_sitting(db, sitting_id)
    db.commit()
    return [_read(db, q) for q in changed]


@router.put("/questions/{question_id}/written-due", response_model=QuestionRead,
            responses=problems(401, 403, 404, 409, 422),
            summary="Set another written-answer deadline (Standing Committee)")
def written_due(question_id: PathId, data: WrittenDue, principal: CurrentPrincipal,
                db: SessionDep) -> QuestionRead:
    question = questioning.set_written_due(db, principal, question_id, data.due)
    db.commit()
    return _read(db, question)


@router.post("/questions/{question_id}/answer", response_model=QuestionRead,
             responses=problems(401, 403, 404, 409, 413, 415, 422),
             summary="Upload the official's written answer (PDF); published on the portal")
async def written_answer(question_id: PathId,
                         file: Annotated[UploadFile, File(description="A PDF file")],
                         principal: CurrentPrincipal, db: SessionDep, store: StoreDep,
                         settings: SettingsDep) -> QuestionRead:
    question = await questioning.attach_written_answer(
        db, store, principal, question_id, chunks_of(file), file.filename,
        settings.max_upload_bytes, Limits.of(settings))
    return _read(db, question)


@router.get("/sessions/{session_id}/questions/conclusion.pdf", response_class=Response,
            responses=AUTH_PROBLEMS,
            summary="Thông báo kết luận chất vấn; ?number=true gives it its register number")
def conclusion_pdf(session_id: PathId, principal: CurrentPrincipal, db: SessionDep,
                   number: Annotated[bool, Query()] = False) -> Response:
    questioning.require_standing_committee(db, principal)
    document = questioning.conclusion_document(db, principal, session_id, number_it=number)
    db.commit()
    return document_response(document, "pdf", f"ket-luan-chat-van-{session_id}")


class PublicQuestion(BaseModel):
    id: int
    session_id: int
    asker: str
    answerer: str
    topic: str
    text: str
    status: str
    conclusion: str
    answer_document_id: int | None
    answered_on: date | None


@router.get("/public/questions", response_model=list[PublicQuestion],
            summary="Questions asked and their answers, as the portal publishes them")
def public_questions(db: SessionDep) -> list[PublicQuestion]:
    return [PublicQuestion(**row) for row in questioning.public_rows(db)]


# --- the tablet: device-signed requests, answered as the device's owner ---------------


@router.get("/devices/me/sessions/{session_id}/questions", response_model=list[QuestionRead],
            responses=AUTH_PROBLEMS,
            summary="The tablet: its owner's questions, place, deadline, conclusion, answer")
def device_questions(session_id: PathId, device: CurrentDevice,
                     db: SessionDep) -> list[QuestionRead]:
    principal = owner_principal(db, device.person_id)
    size = len(questioning.in_order(db, session_id))
    return [QuestionRead.of(q, place).model_copy(update={"list_size": size})
            for place, q in questioning.mine(db, principal, session_id)]


@router.post("/devices/me/sessions/{session_id}/questions", response_model=QuestionRead,
             status_code=201, responses=problems(401, 403, 404, 422),
             summary="The tablet: register a question for its owner")
def device_register(session_id: PathId, data: QuestionCreate, device: CurrentDevice,
                    db: SessionDep) -> QuestionRead:
    principal = owner_principal(db, device.person_id)
    question = questioning.register(db, principal, session_id, to_whom=data.to_whom,
                                    topic=data.topic, text=data.text,
                                    petitions=data.petition_ids)
    db.commit()
    size = len(questioning.in_order(db, session_id))
    return _read(db, question).model_copy(update={"list_size": size})
