"""Who holds which pack version: devices report it, the clerk reads the table."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, col, select

from server.models import CouncilSession, Membership, Person
from server.models.base import id_of, utcnow
from server.models.devices import Device, DevicePackState, PackBuild, PackStatus
from server.packs.errors import NoPackYet, PackVersionUnknown
from server.packs.publish import latest_published
from server.services import audit


def acknowledge(db: Session, device: Device, session: CouncilSession,
                pack_version: int) -> DevicePackState:
    published = db.exec(select(PackBuild).where(PackBuild.session_id == session.id,
                                                PackBuild.version == pack_version,
                                                PackBuild.status == PackStatus.published)).first()
    if published is None:
        raise PackVersionUnknown(pack_version=pack_version)
    state = db.exec(select(DevicePackState).where(DevicePackState.device_id == device.id,
                                                  DevicePackState.session_id == session.id)).first()
    if state is None:
        state = DevicePackState(device_id=id_of(device), session_id=id_of(session),
                                pack_version=pack_version)
    state.pack_version, state.acknowledged_at = pack_version, utcnow()
    db.add(state)
    audit.record(db, None, "pack.acknowledged", "device", device.id,
                 session_id=session.id, pack_version=pack_version)
    return state


def readiness(db: Session, session: CouncilSession) -> dict[str, Any]:
    """Delegates × devices × pack version held × downloaded at, and who is not ready.

    Rows: every member of the session's body, plus any other person with a device that
    reported a version; a person without a usable device gets one row with no device.
    """
    try:
        latest: int | None = latest_published(db, id_of(session)).version
    except NoPackYet:
        latest = None
    members = {m.person_id for m in db.exec(select(Membership)
                                            .where(Membership.body_id == session.body_id))}
    states = {s.device_id: s for s in db.exec(select(DevicePackState)
                                              .where(DevicePackState.session_id == session.id))}
    devices: dict[int, list[Device]] = {}
    for device in db.exec(select(Device).where(col(Device.revoked_at).is_(None))
                          .order_by(col(Device.id))):
        if device.person_id in members or device.id in states:
            devices.setdefault(device.person_id, []).append(device)
    people = {id_of(p): p for p in db.exec(select(Person).where(
        col(Person.id).in_(members | devices.keys())))}
    rows: list[dict[str, Any]] = []
    for person_id in sorted(people, key=lambda pid: people[pid].full_name):
        person = people[person_id]
        base = {"person_id": person_id, "full_name": person.full_name}
        if not devices.get(person_id):
            rows.append({**base, "device_id": None, "device_label": None, "pack_version": None,
                         "downloaded_at": None, "last_seen_at": None, "ready": False})
        for device in devices.get(person_id, []):
            state = states.get(id_of(device))
            held = state.pack_version if state else None
            rows.append({**base, "device_id": device.id, "device_label": device.label,
                         "pack_version": held,
                         "downloaded_at": state.acknowledged_at if state else None,
                         "last_seen_at": device.last_seen_at,
                         "ready": latest is not None and held == latest})
    ready_people = {r["person_id"] for r in rows if r["ready"]}
    return {"session_id": session.id, "latest_version": latest, "rows": rows,
            "people": len(people), "people_ready": len(ready_people),
            "not_ready": sorted(people[p].full_name for p in people if p not in ready_people)}
