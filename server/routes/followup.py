"""Follow-up API: ``/api/followup/...`` for staff and members, ``/api/public/followup/...``
for anyone (published items only, never a sender's data)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Query, UploadFile
from fastapi.responses import FileResponse

from server.deps import (
    PORTAL,
    STAFF_ONLY,
    CurrentPrincipal,
    SessionDep,
    SettingsDep,
    StaffPrincipal,
    StoreDep,
)
from server.documents.inspection import Limits
from server.documents.storage import chunks_of
from server.followup import bodies as followup_bodies
from server.followup import indicators as followup_indicators
from server.followup import items as followup
from server.followup.schemas import (
    ActionRequest,
    AttachmentRead,
    ComplaintCreate,
    IndicatorReport,
    ItemCreate,
    ItemDetail,
    ItemPage,
    ItemRead,
    ItemUpdate,
    MergeRequest,
    MergeResult,
    PetitionCreate,
    ResolutionCreate,
    ResolutionDetail,
    ResolutionRead,
    SenderRead,
    SimilarGroup,
    SupervisionCreate,
    SupervisionDetail,
    SupervisionRead,
    SupervisionUpdate,
    VoterMeetingCreate,
    VoterMeetingRead,
)
from server.followup.states import ItemKind, Status
from server.models.followup import ComplaintType
from server.routes.common import AUTH_PROBLEMS, problems
from server.schemas.base import MAX_ID, PathId

router = APIRouter(prefix="/followup", tags=["follow-up"])
public_router = APIRouter(prefix="/public/followup", tags=["follow-up (public)"], dependencies=[PORTAL])
PUBLIC_PROBLEMS = problems(404, 422)


def _filter(kind, status, agency, field, area, year, q, complaint_type,
            public_only=False) -> followup.ItemFilter:
    return followup.ItemFilter(kind=kind, status=status, agency=agency, field=field, area=area,
                               year=year, text=q, complaint_type=complaint_type,
                               public_only=public_only)


@router.get("/items", response_model=ItemPage, responses=AUTH_PROBLEMS,
            summary="Followed items, filtered (status 'overdue' includes open items past due)")
def list_items(principal: CurrentPrincipal, db: SessionDep,
               kind: ItemKind | None = None, status: Status | None = None,
               agency: str | None = None, field: str | None = None, area: str | None = None,
               year: int | None = Query(None, ge=2000, le=2200),
               q: str | None = Query(None, max_length=500),
               complaint_type: ComplaintType | None = None,
               limit: int = Query(50, ge=1, le=500), offset: int = Query(0, ge=0, le=1_000_000)) -> ItemPage:
    total, rows = followup.list_items(
        db, _filter(kind, status, agency, field, area, year, q, complaint_type), principal,
        limit=limit, offset=offset)
    return ItemPage(total=total, items=[followup.describe(r) for r in rows])


@router.post("/items", response_model=ItemRead, status_code=201, responses=AUTH_PROBLEMS,
             summary="Start following an item (clerk)")
def create_item(data: ItemCreate, principal: StaffPrincipal, db: SessionDep) -> ItemRead:
    item = followup.create_item(db, principal.account, data)
    db.commit()
    return followup.describe(item)


@router.get("/items/{item_id}", response_model=ItemDetail, responses=AUTH_PROBLEMS,
            summary="An item with its history and attachments")
def get_item(item_id: PathId, principal: CurrentPrincipal, db: SessionDep) -> ItemDetail:
    return followup.detail(db, followup.get_item(db, item_id, principal), principal)


@router.patch("/items/{item_id}", response_model=ItemRead, responses=AUTH_PROBLEMS,
              summary="Edit an item's details (clerk)")
def update_item(item_id: PathId, data: ItemUpdate, principal: StaffPrincipal,
                db: SessionDep) -> ItemRead:
    item = followup.update_item(db, principal.account, followup.get_item(db, item_id), data)
    db.commit()
    return followup.describe(item)


@router.post("/items/{item_id}/actions", response_model=ItemDetail,
             responses={**AUTH_PROBLEMS, **problems(409)},
             summary="Take a life-cycle action (forward, record progress/answer, verify, "
                     "reopen, mark overdue) (clerk)")
def act(item_id: PathId, data: ActionRequest, principal: StaffPrincipal,
        db: SessionDep) -> ItemDetail:
    item = followup.perform_action(db, principal, followup.get_item(db, item_id), data)
    db.commit()
    return followup.detail(db, item, principal)


@router.post("/complaints", response_model=ItemRead, status_code=201, responses=AUTH_PROBLEMS,
             summary="Receive a complaint, denunciation, petition or feedback (clerk)")
def create_complaint(data: ComplaintCreate, principal: StaffPrincipal,
                     db: SessionDep) -> ItemRead:
    item = followup.create_complaint(db, principal.account, data)
    db.commit()
    return followup.describe(item)


@router.get("/complaints/{item_id}/sender", response_model=SenderRead, responses=AUTH_PROBLEMS,
            summary="The sender's personal data (clerks; a denouncer: the handling clerk only)")
def read_sender(item_id: PathId, principal: StaffPrincipal, db: SessionDep) -> SenderRead:
    sender = followup.read_sender(db, principal, followup.get_item(db, item_id))
    db.commit()  # the read is audited
    return sender


@router.post("/complaints/{item_id}/sender-notified", response_model=ItemRead,
             responses=AUTH_PROBLEMS, summary="Record that the sender was told (clerk)")
def sender_notified(item_id: PathId, principal: StaffPrincipal, db: SessionDep) -> ItemRead:
    item = followup.notify_sender(db, principal.account, followup.get_item(db, item_id))
    db.commit()
    return followup.describe(item)


@router.post("/items/{item_id}/attachments", response_model=AttachmentRead, status_code=201,
             responses={**AUTH_PROBLEMS, **problems(413, 415)},
             summary="Attach evidence: PDF, PNG or JPEG up to 20 MB (clerk)")
async def upload_attachment(item_id: PathId, file: Annotated[UploadFile, File()],
                            principal: StaffPrincipal, db: SessionDep,
                            store: StoreDep, settings: SettingsDep) -> AttachmentRead:
    item = followup.get_item(db, item_id)
    staged = await store.stage(chunks_of(file), followup.ATTACHMENT_LIMIT_BYTES)
    try:
        content_type = await followup.check_attachment(staged, file.content_type,
                                                       Limits.of(settings))
        attachment = followup.add_attachment(db, store, principal.account, item, staged,
                                             file.filename, content_type)
        store.keep(staged, attachment.storage_key)
        db.commit()
    except BaseException:
        db.rollback()
        store.discard(staged)
        raise
    return AttachmentRead.model_validate(attachment)


@router.get("/items/{item_id}/attachments/{attachment_id}", response_class=FileResponse,
            responses=AUTH_PROBLEMS, summary="Download an attachment")
def download_attachment(item_id: PathId, attachment_id: PathId, principal: CurrentPrincipal,
                        db: SessionDep, store: StoreDep) -> FileResponse:
    item = followup.get_item(db, item_id, principal)
    found = followup.get_attachment(db, item, attachment_id, principal)
    return FileResponse(store.path_for(found.storage_key), media_type=found.content_type,
                        filename=found.original_name)


# --- resolutions, supervisions, voter meetings, petitions ---------------------------------


@router.get("/resolutions", response_model=list[ResolutionRead], responses=AUTH_PROBLEMS,
            summary="Resolutions, newest first")
def list_resolutions(principal: CurrentPrincipal, db: SessionDep,
                     year: int | None = Query(None, ge=2000, le=2200)) -> list[ResolutionRead]:
    return [ResolutionRead.model_validate(r) for r in followup_bodies.list_resolutions(db, year)]


@router.post("/resolutions", response_model=ResolutionRead, status_code=201,
             responses=AUTH_PROBLEMS, summary="Record an adopted resolution (clerk)")
def create_resolution(data: ResolutionCreate, principal: StaffPrincipal,
                      db: SessionDep) -> ResolutionRead:
    resolution = followup_bodies.create_resolution(db, principal.account, data)
    db.commit()
    return ResolutionRead.model_validate(resolution)


@router.get("/resolutions/{resolution_id}", response_model=ResolutionDetail,
            responses=AUTH_PROBLEMS, summary="A resolution with its tasks")
def get_resolution(resolution_id: PathId, principal: CurrentPrincipal,
                   db: SessionDep) -> ResolutionDetail:
    resolution = followup_bodies.get_resolution(db, resolution_id)
    tasks = followup_bodies.linked_items(db, "resolution_id", resolution_id)
    return ResolutionDetail(**ResolutionRead.model_validate(resolution).model_dump(),
                            tasks=[followup.describe(t) for t in tasks])


@router.get("/supervisions", response_model=list[SupervisionRead], responses=AUTH_PROBLEMS,
            summary="The supervision programme, by year and body")
def list_supervisions(principal: CurrentPrincipal, db: SessionDep,
                      year: int | None = Query(None, ge=2000, le=2200),
                      body_id: int | None = Query(None, ge=1, le=MAX_ID)) -> list[SupervisionRead]:
    return [SupervisionRead.model_validate(s)
            for s in followup_bodies.list_supervisions(db, year, body_id)]


@router.post("/supervisions", response_model=SupervisionRead, status_code=201,
             responses=AUTH_PROBLEMS, summary="Add a supervision to a body's programme (clerk)")
def create_supervision(data: SupervisionCreate, principal: StaffPrincipal,
                       db: SessionDep) -> SupervisionRead:
    supervision = followup_bodies.create_supervision(db, principal.account, data)
    db.commit()
    return SupervisionRead.model_validate(supervision)


@router.patch("/supervisions/{supervision_id}", response_model=SupervisionRead,
              responses=AUTH_PROBLEMS, summary="Record conclusions, dates, publication (clerk)")
def update_supervision(supervision_id: PathId, data: SupervisionUpdate,
                       principal: StaffPrincipal, db: SessionDep) -> SupervisionRead:
    supervision = followup_bodies.update_supervision(
        db, principal.account, followup_bodies.get_supervision(db, supervision_id), data)
    db.commit()
    return SupervisionRead.model_validate(supervision)


@router.get("/supervisions/{supervision_id}", response_model=SupervisionDetail,
            responses=AUTH_PROBLEMS, summary="A supervision with its recommendations")
def get_supervision(supervision_id: PathId, principal: CurrentPrincipal,
                    db: SessionDep) -> SupervisionDetail:
    supervision = followup_bodies.get_supervision(db, supervision_id)
    items = followup_bodies.linked_items(db, "supervision_id", supervision_id)
    return SupervisionDetail(**SupervisionRead.model_validate(supervision).model_dump(),
                             recommendations=[followup.describe(i) for i in items])


@router.get("/voter-meetings", response_model=list[VoterMeetingRead], responses=AUTH_PROBLEMS,
            summary="Voter meetings with the delegates who attended")
def list_voter_meetings(principal: CurrentPrincipal, db: SessionDep,
                        year: int | None = Query(None, ge=2000, le=2200)
                        ) -> list[VoterMeetingRead]:
    return [followup_bodies.describe_meeting(db, m)
            for m in followup_bodies.list_voter_meetings(db, year)]


@router.post("/voter-meetings", response_model=VoterMeetingRead, status_code=201,
             responses=AUTH_PROBLEMS, summary="Record a voter meeting and who attended (clerk)")
def create_voter_meeting(data: VoterMeetingCreate, principal: StaffPrincipal,
                         db: SessionDep) -> VoterMeetingRead:
    meeting = followup_bodies.create_voter_meeting(db, principal.account, data)
    db.commit()
    return followup_bodies.describe_meeting(db, meeting)


@router.get("/voter-meetings/{meeting_id}/petitions", response_model=list[ItemRead],
            responses=AUTH_PROBLEMS, summary="Petitions recorded at a voter meeting")
def list_meeting_petitions(meeting_id: PathId, principal: CurrentPrincipal,
                           db: SessionDep) -> list[ItemRead]:
    followup_bodies.get_voter_meeting(db, meeting_id)
    items = followup_bodies.linked_items(db, "voter_meeting_id", meeting_id)
    return [followup.describe(i) for i in items]


@router.post("/voter-meetings/{meeting_id}/petitions", response_model=ItemRead,
             status_code=201, responses=AUTH_PROBLEMS,
             summary="Record a voters' petition from the meeting (clerk)")
def add_petition(meeting_id: PathId, data: PetitionCreate, principal: StaffPrincipal,
                 db: SessionDep) -> ItemRead:
    item = followup_bodies.add_petition(db, principal.account,
                                        followup_bodies.get_voter_meeting(db, meeting_id), data)
    db.commit()
    return followup.describe(item)


@router.get("/petitions/similar", response_model=list[SimilarGroup], responses=AUTH_PROBLEMS,
            summary="Proposed groups of petitions that say the same thing (clerk confirms)",
            dependencies=[STAFF_ONLY])
def similar_petitions(db: SessionDep,
                      year: int = Query(ge=2000, le=2200)) -> list[SimilarGroup]:
    return followup_bodies.similar_petitions(db, year)


@router.post("/petitions/merge", response_model=MergeResult, responses=AUTH_PROBLEMS,
             summary="Confirm that petitions ask the same thing (clerk)")
def merge_petitions(data: MergeRequest, principal: StaffPrincipal,
                    db: SessionDep) -> MergeResult:
    group_id, ids = followup_bodies.merge_petitions(db, principal.account, data.ids)
    db.commit()
    return MergeResult(group_id=group_id, ids=ids)


@router.get("/indicators", response_model=IndicatorReport, responses=AUTH_PROBLEMS,
            summary="The plan's yearly targets with the items behind each figure")
def indicators(principal: CurrentPrincipal, db: SessionDep,
               year: int = Query(ge=2000, le=2200)) -> IndicatorReport:
    return followup_indicators.indicators(db, year)


# --- public ---------------------------------------------------------------------------------


@public_router.get("/items", response_model=ItemPage, responses=PUBLIC_PROBLEMS,
                   summary="Published items (resolution tasks, petitions and their answers…)")
def public_items(db: SessionDep, kind: ItemKind | None = None, status: Status | None = None,
                 area: str | None = None, field: str | None = None,
                 year: int | None = Query(None, ge=2000, le=2200),
                 q: str | None = Query(None, max_length=500),
                 limit: int = Query(50, ge=1, le=500),
                 offset: int = Query(0, ge=0, le=1_000_000)) -> ItemPage:
    total, rows = followup.list_items(
        db, _filter(kind, status, None, field, area, year, q, None, public_only=True), None,
        limit=limit, offset=offset)
    return ItemPage(total=total, items=[followup.describe(r) for r in rows])


@public_router.get("/items/{item_id}", response_model=ItemRead, responses=PUBLIC_PROBLEMS,
                   summary="One published item")
def public_item(item_id: PathId, db: SessionDep) -> ItemRead:
    return followup.describe(followup.get_public_item(db, item_id))


@public_router.get("/resolutions", response_model=list[ResolutionDetail],
                   responses=PUBLIC_PROBLEMS, summary="Published resolutions and their tasks")
def public_resolutions(db: SessionDep, year: int | None = Query(None, ge=2000, le=2200)
                       ) -> list[ResolutionDetail]:
    return followup_bodies.public_resolutions(db, year)


@public_router.get("/supervisions", response_model=list[SupervisionRead],
                   responses=PUBLIC_PROBLEMS, summary="Published supervision conclusions")
def public_supervisions(db: SessionDep, year: int | None = Query(None, ge=2000, le=2200)
                        ) -> list[SupervisionRead]:
    return [SupervisionRead.model_validate(s)
            for s in followup_bodies.list_supervisions(db, year, public_only=True)]


def _combined() -> APIRouter:
    from server.routes import search as search_routes

    combined = APIRouter()
    for part in (router, public_router, search_routes.router):
        combined.include_router(part)
    return combined


routes = _combined()
"""Everything this area serves; ``server.routes`` includes it once."""
