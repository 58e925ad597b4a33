"""Agenda packs: build and publish (clerk), manifest and ciphertext (device-signed),
what each device holds, and the readiness table (clerk)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, BackgroundTasks, Request
from fastapi.responses import FileResponse, Response
from pydantic import Field

from server.deps import STAFF_ONLY, SessionDep, SettingsDep, StaffPrincipal
from server.models.base import id_of
from server.packs import publish, readiness
from server.packs.device_auth import CurrentDevice
from server.packs.errors import BlobNotGranted
from server.routes.common import AUTH_PROBLEMS, problems
from server.schemas.base import Input, PathId, example
from server.services import meetings

router = APIRouter(tags=["packs"])
DEVICE_PROBLEMS = problems(401, 403, 404)


class BlobResponse(FileResponse):
    """A ciphertext file sent in 1 MiB reads (Starlette's default is 64 KiB): one chunk of
    the pack format per read, 16 times fewer thread hops when 50 tablets sync at once."""

    chunk_size = 1024 * 1024


class PackAck(Input):
    model_config = example({"pack_version": 3})

    pack_version: int = Field(ge=1, le=2_147_483_647)


@router.post("/sessions/{session_id}/packs", status_code=202,
             responses={**AUTH_PROBLEMS, **problems(409)},
             summary="Build and publish the next pack version in the background (clerk)")
def build_pack(session_id: PathId, principal: StaffPrincipal, db: SessionDep,
               settings: SettingsDep, background: BackgroundTasks,
               request: Request) -> dict[str, Any]:
    session = meetings.get_session(db, session_id)
    build = publish.start_build(db, principal.account, session, settings)
    db.commit()
    background.add_task(publish.run_build, request.app.state.engine, settings, id_of(build))
    return {**publish.describe_build(build),
            "status_url": f"/api/sessions/{session_id}/packs/{build.version}/status"}


@router.get("/sessions/{session_id}/packs/{version}/status", responses=AUTH_PROBLEMS,
            summary="Progress of a pack build: documents done of total (clerk)", dependencies=[STAFF_ONLY])
def build_status(session_id: PathId, version: PathId, db: SessionDep) -> dict[str, Any]:
    return publish.describe_build(publish.get_build(db, session_id, version))


@router.get("/sessions/{session_id}/packs/latest/manifest", responses={
    **DEVICE_PROBLEMS, 200: {"content": {"application/json": {}},
                             "description": "The signed manifest, canonical JSON"}},
    response_class=Response, summary="The latest signed manifest (device-signed)")
def latest_manifest(session_id: PathId, device: CurrentDevice, db: SessionDep) -> Response:
    build = publish.manifest_for(db, session_id, device)
    return Response(build.manifest or "", media_type="application/json",
                    headers={"Cache-Control": "no-store", "X-HDND-Pack-Version":
                             str(build.version)})


@router.get("/packs/blobs/{doc_id}/{version}", response_class=FileResponse, responses={
    **DEVICE_PROBLEMS, 206: {"description": "Part of the file (HTTP Range)"},
    200: {"content": {"application/octet-stream": {}}, "description": "Encrypted document"}},
    summary="An encrypted document file, with HTTP Range (device-signed, key holders only)")
def get_blob(doc_id: PathId, version: PathId, device: CurrentDevice, db: SessionDep,
             settings: SettingsDep) -> FileResponse:
    path = publish.blob_path(db, settings, device, doc_id, version)
    if path is None:
        raise BlobNotGranted(document_id=doc_id, version=version)
    # Starlette answers Range requests itself: 206, Content-Range, 416 when out of range.
    return BlobResponse(path, media_type="application/octet-stream",
                        headers={"Cache-Control": "no-store"})


@router.post("/sessions/{session_id}/packs/ack", responses=problems(401, 403, 404, 422),
             summary="The device reports the pack version it now holds (device-signed)")
def acknowledge(session_id: PathId, data: PackAck, device: CurrentDevice,
                db: SessionDep) -> dict[str, Any]:
    session = meetings.get_session(db, session_id)
    state = readiness.acknowledge(db, device, session, data.pack_version)
    db.commit()
    return {"session_id": session_id, "pack_version": state.pack_version,
            "acknowledged_at": state.acknowledged_at}


@router.get("/sessions/{session_id}/readiness", responses=AUTH_PROBLEMS,
            summary="Delegates × devices × pack version held × downloaded at (clerk)",
            dependencies=[STAFF_ONLY])
def session_readiness(session_id: PathId, db: SessionDep) -> dict[str, Any]:
    return readiness.readiness(db, meetings.get_session(db, session_id))
