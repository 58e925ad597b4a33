"""Questions registered before a sitting (chất vấn, giải trình): the delegate's registration
and list, the Standing Committee's programme, the call into the sitting, written answers,
the conclusion notice and the public list. Logic in ``server.services.questioning``."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Query, UploadFile
from fastapi.responses import Response

from server.deps import (
    PORTAL,
    STANDING_COMMITTEE_ONLY,
    CurrentPrincipal,
    HubDep,
    SessionDep,
    SettingsDep,
    StandingCommitteePrincipal,
    StoreDep,
)
from server.documents.inspection import Limits
from server.documents.storage import chunks_of
from server.models.questioning import PreparedQuestion
from server.packs.device_auth import CurrentDevice
from server.packs.recipients import owner_principal
from server.reports.download import document_response
from server.routes.common import AUTH_PROBLEMS, problems
from server.schemas.base import PathId
from server.schemas.questioning import (
    ProgrammePublished,
    PublicQuestion,
    QuestionCreate,
    QuestionRead,
    QuestionsCalled,
    QuestionSchedule,
    WrittenDue,
)
from server.services import meetings, questioning

router = APIRouter(tags=["questioning"])


def _read(db, q: PreparedQuestion) -> QuestionRead:
    return QuestionRead.of(q, questioning.place_of(db, q), questioning.petition_ids(q))


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
    meetings.get_session(db, session_id)  # a session the caller's council lacks: 404
    return [QuestionRead.of(q, place, questioning.petition_ids(q))
            for place, q in questioning.mine(db, principal, session_id)]


@router.get("/sessions/{session_id}/questions", response_model=list[QuestionRead],
            responses=AUTH_PROBLEMS, summary="Every question of the session (Standing Committee)",
            dependencies=[STANDING_COMMITTEE_ONLY])
def all_questions(session_id: PathId, db: SessionDep) -> list[QuestionRead]:
    meetings.get_session(db, session_id)  # a session the caller's council lacks: 404
    return [QuestionRead.of(q, i, questioning.petition_ids(q))
            for i, q in enumerate(questioning.in_order(db, session_id), 1)]


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


@router.post("/sessions/{session_id}/questions/programme", response_model=ProgrammePublished,
             responses=AUTH_PROBLEMS,
             summary="Publish the questioning programme as a session document (Standing "
                     "Committee); the next agenda pack carries it")
async def publish_programme(session_id: PathId, principal: CurrentPrincipal, db: SessionDep,
                            store: StoreDep, settings: SettingsDep) -> dict:
    document = await questioning.publish_programme(db, store, principal, session_id,
                                                   settings.max_upload_bytes,
                                                   Limits.of(settings))
    return {"document_id": document.id, "version": document.current_version}


@router.get("/sessions/{session_id}/questions/programme.pdf", response_class=Response,
            responses=AUTH_PROBLEMS, summary="The programme as it would be published",
            dependencies=[STANDING_COMMITTEE_ONLY])
def programme_pdf(session_id: PathId, db: SessionDep) -> Response:
    return document_response(questioning.programme_document(db, session_id), "pdf",
                             f"chuong-trinh-chat-van-{session_id}")


@router.post("/sittings/{sitting_id}/questions/call", response_model=QuestionsCalled,
             responses=problems(401, 403, 404, 409),
             summary="Send the scheduled questions into the sitting, in order (the "
                     "sitting's operator: chair, secretary or delegated clerk)")
async def call_into_sitting(sitting_id: PathId, principal: CurrentPrincipal, db: SessionDep,
                            hub: HubDep) -> dict:
    sent = await questioning.call_into_sitting(db, hub, principal, sitting_id)
    return {"sent": sent}


@router.post("/sittings/{sitting_id}/questions/sync", response_model=list[QuestionRead],
             responses=AUTH_PROBLEMS,
             summary="Copy the hall's outcome of each question (also done at closing)",
             dependencies=[STANDING_COMMITTEE_ONLY])
def sync(sitting_id: PathId, db: SessionDep) -> list[QuestionRead]:
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
def conclusion_pdf(session_id: PathId, principal: StandingCommitteePrincipal, db: SessionDep,
                   number: Annotated[bool, Query()] = False) -> Response:
    document = questioning.conclusion_document(db, principal, session_id, number_it=number)
    db.commit()
    return document_response(document, "pdf", f"ket-luan-chat-van-{session_id}")


@router.get("/public/questions", dependencies=[PORTAL], response_model=list[PublicQuestion],
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
    return [QuestionRead.of(q, place, questioning.petition_ids(q)).model_copy(update={"list_size": size})
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
