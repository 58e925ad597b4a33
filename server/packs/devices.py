"""The clerk's view of enrolled devices: list, revoke (lost tablet), order a remote wipe."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, col, select

from server.errors import NotFound
from server.models import Account, Person
from server.models.base import id_of, utcnow
from server.models.devices import Device, DevicePackState
from server.packs.errors import NoWipeOrder
from server.security import tokens
from server.services import audit
from shared.crypto.signing import ServerSigningKey
from shared.pack.orders import sign_orders


def get_device(db: Session, device_id: int) -> Device:
    device = db.get(Device, device_id)
    if device is None:
        raise NotFound("Không tìm thấy thiết bị.", "No such device.")
    return device


def describe(db: Session, device: Device, person: Person | None = None) -> dict[str, Any]:
    person = person or db.get(Person, device.person_id)
    packs = db.exec(select(DevicePackState).where(DevicePackState.device_id == device.id)
                    .order_by(col(DevicePackState.session_id))).all()
    return {
        "id": device.id, "person_id": device.person_id,
        "owner": person.full_name if person else "",
        "label": device.label, "platform": device.platform,
        "enrolled_at": device.enrolled_at, "last_seen_at": device.last_seen_at,
        "revoked_at": device.revoked_at, "wipe_ordered_at": device.wipe_ordered_at,
        "wipe_acknowledged_at": device.wipe_acknowledged_at,
        "packs": [{"session_id": p.session_id, "pack_version": p.pack_version,
                   "acknowledged_at": p.acknowledged_at} for p in packs],
    }


def list_devices(db: Session) -> list[dict[str, Any]]:
    people = {p.id: p for p in db.exec(select(Person))}
    return [describe(db, d, people.get(d.person_id))
            for d in db.exec(select(Device).order_by(col(Device.id)))]


def revoke(db: Session, actor: Account, device: Device) -> Device:
    """A revoked device gets no key in any later pack and is refused on every route."""
    if device.revoked_at is None:
        device.revoked_at = utcnow()
        db.add(device)
        audit.record(db, actor, "device.revoked", "device", device.id, person_id=device.person_id)
    tokens.revoke_device_tokens(db, id_of(device))  # cut off from the live sitting too
    return device


def order_wipe(db: Session, actor: Account, device: Device) -> Device:
    """Revoke, and tell the device to delete its keys and packs when it next connects."""
    revoke(db, actor, device)
    if device.wipe_ordered_at is None:
        device.wipe_ordered_at = utcnow()
        db.add(device)
        audit.record(db, actor, "device.wipe_ordered", "device", device.id,
                     person_id=device.person_id)
    return device


def acknowledge_wipe(db: Session, device: Device) -> Device:
    if not device.wipe_pending:
        raise NoWipeOrder()
    device.wipe_acknowledged_at = utcnow()
    db.add(device)
    audit.record(db, None, "device.wipe_acknowledged", "device", device.id,
                 person_id=device.person_id)
    return device


def acknowledge_renumbering(db: Session, device: Device) -> Device:
    """The tablet of a moved commune has renamed what it keeps; it is served again.
    Saying it twice is harmless (a retry after a lost answer)."""
    if device.renumber_pending:
        device.renumber_pending = False
        db.add(device)
        audit.record(db, None, "device.renumbered", "device", device.id,
                     person_id=device.person_id)
    return device


def signed_orders(device: Device, nonce: str, server_key: ServerSigningKey) -> dict[str, Any]:
    """The device's orders as a statement signed by the server key it pinned, bound to
    the nonce of the request that asked (the device wipes only on such a statement)."""
    return sign_orders(server_key, device_id=str(device.id), nonce=nonce,
                       wipe=device.wipe_pending, revoked=device.revoked_at is not None,
                       wipe_ordered_at=device.wipe_ordered_at.isoformat()
                       if device.wipe_ordered_at else None)
