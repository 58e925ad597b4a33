"""Devices: enrolment codes and QR (clerk), enrolment (the tablet), revoke and wipe (clerk),
and the device's own order routes."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from server.deps import (
    STAFF_ONLY,
    EngineDep,
    SecretKeyDep,
    SessionDep,
    SettingsDep,
    StaffPrincipal,
)
from server.live import device_credentials
from server.packs import annotation_backup, devices, enrolment, keys
from server.packs.device_auth import (
    CurrentDevice,
    DeviceAskingOrders,
    DeviceBeingRenumbered,
    DeviceWithOrders,
    request_nonce,
    run_as_device,
    wipe_order,
)
from server.packs.my_sessions import device_sessions_json, remembered_sessions_json
from server.routes.common import AUTH_PROBLEMS, problems
from server.schemas.base import PathId
from server.schemas.devices import (
    DeviceEnrol,
    DeviceRead,
    DeviceSelf,
    EnrolmentCodeCreate,
    EnrolmentCodeIssued,
)
from shared.pack.backup import DOCUMENT_OFFSET_HEADER

router = APIRouter(tags=["devices"])
# a tablet's library refresh, tried before every other route (server/routes/__init__.py)
hot_router = APIRouter(tags=["devices"])
CodeQuery = Annotated[str, Query(min_length=4, max_length=64,
                                 description="The code as shown when it was issued")]


@router.post("/devices/enrolment-codes", response_model=EnrolmentCodeIssued, status_code=201,
             responses=AUTH_PROBLEMS,
             summary="Issue a one-time enrolment code for a person (clerk)")
def create_enrolment_code(data: EnrolmentCodeCreate, principal: StaffPrincipal,
                          db: SessionDep, secret_key: SecretKeyDep,
                          request: Request) -> dict[str, Any]:
    issued = enrolment.issue_code(db, principal.account, secret_key,
                                  data.person_id, data.valid_hours)
    db.commit()
    record = issued.record
    base = f"/api/devices/enrolment-codes/{record.id}"
    return {"id": record.id, "code": issued.code, "person_id": record.person_id,
            "expires_at": record.expires_at,
            "qr_payload": enrolment.qr_payload(str(request.base_url), issued.code),
            "qr_png": f"{base}/qr.png?code={issued.code}",
            "qr_svg": f"{base}/qr.svg?code={issued.code}"}


def _qr(code_id: int, code: str, db: SessionDep, secret_key: str, request: Request) -> str:
    record = enrolment.get_code(db, secret_key, code_id, code)
    return enrolment.qr_payload(str(request.base_url), code) if record else ""


@router.get("/devices/enrolment-codes/{code_id}/qr.png", responses={
    **AUTH_PROBLEMS, 200: {"content": {"image/png": {}}, "description": "QR code"}},
    response_class=Response, summary="The enrolment code as a QR image, PNG (clerk)",
    dependencies=[STAFF_ONLY])
def enrolment_qr_png(code_id: PathId, code: CodeQuery, db: SessionDep, secret_key: SecretKeyDep,
                     request: Request) -> Response:
    payload = _qr(code_id, code, db, secret_key, request)
    return Response(enrolment.qr_png(payload), media_type="image/png",
                    headers={"Cache-Control": "no-store"})


@router.get("/devices/enrolment-codes/{code_id}/qr.svg", responses={
    **AUTH_PROBLEMS, 200: {"content": {"image/svg+xml": {}}, "description": "QR code"}},
    response_class=Response, summary="The enrolment code as a QR image, SVG (clerk)",
    dependencies=[STAFF_ONLY])
def enrolment_qr_svg(code_id: PathId, code: CodeQuery, db: SessionDep, secret_key: SecretKeyDep,
                     request: Request) -> Response:
    payload = _qr(code_id, code, db, secret_key, request)
    return Response(enrolment.qr_svg(payload), media_type="image/svg+xml",
                    headers={"Cache-Control": "no-store"})


@router.post("/devices/enrol", status_code=201, responses=problems(404, 409, 410, 422),
             summary="Enrol a device with a one-time code and its public keys (no sign-in)")
def enrol(data: DeviceEnrol, db: SessionDep, settings: SettingsDep,
          secret_key: SecretKeyDep) -> dict[str, Any]:
    device = enrolment.enrol_device(db, secret_key, data.code,
                                    data.x25519_public, data.ed25519_public, data.label,
                                    data.platform, data.order_public)
    db.commit()
    return enrolment.enrolment_answer(
        device, keys.council_signing_key(db, settings.keys_dir, device.council_id))


@router.get("/devices", response_model=list[DeviceRead], responses=AUTH_PROBLEMS,
            summary="Enrolled devices: owner, label, platform, last seen, packs held (clerk)",
            dependencies=[STAFF_ONLY])
def list_devices(db: SessionDep) -> list[dict[str, Any]]:
    return devices.list_devices(db)


@router.post("/devices/{device_id}/revoke", response_model=DeviceRead, responses=AUTH_PROBLEMS,
             summary="Revoke a device: no more keys, refused everywhere (clerk)")
def revoke_device(device_id: PathId, principal: StaffPrincipal,
                  db: SessionDep) -> dict[str, Any]:
    device = devices.revoke(db, principal.account, devices.get_device(db, device_id))
    db.commit()
    return devices.describe(db, device)


@router.post("/devices/{device_id}/wipe", response_model=DeviceRead, responses=AUTH_PROBLEMS,
             summary="Revoke a device and order it to erase its keys and packs (clerk)")
def wipe_device(device_id: PathId, principal: StaffPrincipal,
                db: SessionDep) -> dict[str, Any]:
    device = devices.order_wipe(db, principal.account, devices.get_device(db, device_id))
    db.commit()
    return devices.describe(db, device)


@router.get("/devices/me/orders", responses=problems(401, 403),
            summary="The calling device's pending orders (device-signed)")
def my_orders(device: DeviceWithOrders) -> dict[str, Any]:
    return wipe_order(device)


@router.get("/devices/me/order-check", responses=problems(401),
            summary="My orders, signed by the server for this request (device or order key)")
def order_check(device: DeviceAskingOrders, request: Request, db: SessionDep,
                settings: SettingsDep) -> dict[str, Any]:
    return devices.signed_orders(device, request_nonce(request),
                                 keys.council_signing_key(db, settings.keys_dir, device.council_id))


@router.post("/devices/me/wipe-ack", responses=problems(401, 403, 409),
             summary="The device reports it has erased its keys and packs (device-signed)")
def acknowledge_wipe(device: DeviceWithOrders, db: SessionDep) -> dict[str, Any]:
    devices.acknowledge_wipe(db, device)
    db.commit()
    return wipe_order(device)


@router.post("/devices/me/renumbered", response_model=DeviceSelf, responses=problems(401, 403),
             summary="The device of a moved commune has renamed what it keeps to its new "
                     "numbers (device-signed)")
def acknowledge_renumbering(device: DeviceBeingRenumbered, db: SessionDep) -> dict[str, Any]:
    devices.acknowledge_renumbering(db, device)
    db.commit()
    return me(device)


@router.get("/devices/me", response_model=DeviceSelf, responses=problems(401, 403),
            summary="The calling device as the server knows it (device-signed)")
def me(device: CurrentDevice) -> dict[str, Any]:
    return {"device_id": str(device.id), "person_id": str(device.person_id),
            "label": device.label, "enrolled_at": device.enrolled_at}


@hot_router.get("/devices/me/sessions", responses=problems(401, 403),
             summary="The sessions whose pack this device may sync, newest first (device-signed)")
async def my_sessions(request: Request, engine: EngineDep) -> Response:
    # every tablet asks at each library refresh: one hop, the answer from memory while
    # nothing it shows has changed (docs/operations.md, "Hot reads")
    found = await run_as_device(request, engine, device_sessions_json,
                                remembered_sessions_json)
    return Response(found, media_type="application/json")


@router.post("/devices/me/live-credentials", responses=problems(401, 403),
             summary="A short-lived live credential for the sittings my owner may attend "
                     "(device-signed; no password)")
def live_credentials(device: CurrentDevice, db: SessionDep,
                     settings: SettingsDep) -> dict[str, Any]:
    answer = device_credentials.issue(db, device, settings)
    db.commit()
    return answer


@router.get("/devices/me/sittings", responses=problems(401, 403),
            summary="The sittings not yet closed that my owner may attend (device-signed)")
def my_sittings(device: CurrentDevice, db: SessionDep) -> list[dict[str, Any]]:
    return device_credentials.sittings_for(db, device)


@router.put("/devices/me/annotation-backup", responses=problems(401, 403, 413),
            summary="Store my end-to-end encrypted annotation backup (device-signed)")
async def put_annotation_backup(device: CurrentDevice, request: Request, db: SessionDep,
                                settings: SettingsDep) -> dict[str, Any]:
    return annotation_backup.store_backup(db, settings.data_dir, device, await request.body())


@router.get("/devices/me/annotation-backup", response_class=Response,
            responses=problems(401, 403, 404),
            summary="Fetch my annotation backup, for a replacement device (device-signed)")
def get_annotation_backup(device: CurrentDevice, settings: SettingsDep) -> Response:
    blob = annotation_backup.load_backup(settings.data_dir, device)
    moved = annotation_backup.document_offset(settings.data_dir, device.person_id)
    return Response(blob, media_type="application/octet-stream",
                    headers={DOCUMENT_OFFSET_HEADER: str(moved)})
