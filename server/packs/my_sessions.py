"""The sessions a device may sync: what the tablet's Library lists without asking for a
number.

A session is listed for a device when its latest published pack names the device as a
recipient (``PackRecipient``, written at publishing: a sync will succeed) and the
device's owner may still see the session (``can_view_session`` with the owner's rights,
as for a pack build). Each entry says which pack version is available, how many
documents the device holds a key for, and the version the device last reported holding.
"""

from __future__ import annotations

import json
from typing import Any

from fastapi.encoders import jsonable_encoder
from sqlmodel import Session, col, func, select

from server.cache import generations
from server.cache.generations import Counters
from server.cache.lru import GenerationCache, Stamp
from server.models import CouncilSession
from server.models.base import id_of
from server.models.devices import (
    Device,
    DevicePackState,
    PackBuild,
    PackRecipient,
    PackStatus,
)
from server.packs.known_devices import KnownDevice
from server.packs.recipients import owner_principals
from server.security.policy import can_view_session

# a device's answer, kept while nothing it shows has changed: the sessions and their
# documents ("meeting"), who may see what ("access"), packs, recipients and held versions
# ("packs"); every tablet asks this at each library refresh
_ANSWERS: GenerationCache[int, bytes] = GenerationCache(capacity=4096)
_DEPENDS_ON = (generations.MEETING, generations.ACCESS, generations.PACKS)


def _stamp(counters: Counters) -> Stamp:
    return (counters.database, tuple(counters.values.get(n, 0) for n in _DEPENDS_ON))


def device_sessions_json(db: Session, device: Device) -> bytes:
    """``device_sessions`` as the API's JSON, from memory while its counters stand."""
    stamp = _stamp(generations.current(db))
    found = _ANSWERS.get(id_of(device), stamp)
    if found is not None:
        return found
    answer = json.dumps(jsonable_encoder(device_sessions(db, device)), ensure_ascii=False,
                        allow_nan=False, separators=(",", ":")).encode("utf-8")
    if generations.may_store(db):
        _ANSWERS.put(id_of(device), stamp, answer)
    return answer


def remembered_sessions_json(counters: Counters, device: KnownDevice) -> bytes | None:
    """The answer ``device_sessions_json`` kept, if its counters still stand: no query."""
    return _ANSWERS.get(device.id, _stamp(counters))


def device_sessions(db: Session, device: Device) -> list[dict[str, Any]]:
    """Newest session first."""
    latest = (select(PackBuild.session_id, func.max(PackBuild.version).label("version"))
              .where(PackBuild.status == PackStatus.published)
              .group_by(col(PackBuild.session_id)).subquery())
    rows = db.exec(
        select(CouncilSession, PackBuild, PackRecipient)
        .join(latest, col(CouncilSession.id) == latest.c.session_id)
        .join(PackBuild, (col(PackBuild.session_id) == latest.c.session_id)
              & (col(PackBuild.version) == latest.c.version))
        .join(PackRecipient, col(PackRecipient.build_id) == col(PackBuild.id))
        .where(PackRecipient.device_id == device.id)).all()
    if not rows:
        return []
    principal = owner_principals(db, [device.person_id],
                                 [id_of(s) for s, _, _ in rows])[device.person_id]
    held = {s.session_id: s for s in db.exec(select(DevicePackState).where(
        DevicePackState.device_id == device.id))}
    out = []
    for session, build, recipient in rows:
        if not can_view_session(db, principal, session):
            continue  # rights withdrawn since the pack was published
        state = held.get(id_of(session))
        out.append({
            "session_id": str(session.id), "title": session.title,
            "start_date": session.start_date, "end_date": session.end_date,
            "place": session.place, "status": session.status,
            "pack_version": build.version, "published_at": build.published_at,
            "documents": recipient.grants,
            "held_version": state.pack_version if state else None,
            "held_at": state.acknowledged_at if state else None,
        })
    out.sort(key=lambda s: (s["start_date"], int(str(s["session_id"]))), reverse=True)
    return out
