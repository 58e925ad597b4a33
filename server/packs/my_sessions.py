"""The sessions a device may sync: what the tablet's Library lists without asking for a
number.

A session is listed for a device when its latest published pack names the device as a
recipient (``PackRecipient``, written at publishing: a sync will succeed) and the
device's owner may still see the session (``can_view_session`` with the owner's rights,
as for a pack build). Each entry says which pack version is available, how many
documents the device holds a key for, and the version the device last reported holding.
"""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, col, func, select

from server.models import CouncilSession
from server.models.base import id_of
from server.models.devices import (
    Device,
    DevicePackState,
    PackBuild,
    PackRecipient,
    PackStatus,
)
from server.packs.recipients import owner_principals
from server.security.policy import can_view_session


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
