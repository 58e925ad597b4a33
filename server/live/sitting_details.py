"""A sitting's title, time and place: what its notice says, editable until it is held.

Once the sitting has opened, what was announced and what happened are part of the
record: a change is refused in words. Each change is audited with the old and new
values; the roster of a sitting not yet opened is taken again from the session, so
documents retitled or withdrawn since it was created reach the sitting too.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, StringConstraints
from sqlmodel import Session

from server.errors import Forbidden, InvalidState
from server.live import store
from server.live.service import build_roster
from server.models.live import Sitting
from server.schemas.base import ONE_LINE
from server.security.policy import is_session_chair, require_view_session
from server.security.principal import Principal
from server.services import audit, meetings

OneLine = Annotated[str, StringConstraints(strip_whitespace=True, pattern=ONE_LINE)]


class SittingHeld(InvalidState):
    code = "sitting_held"
    message_vi = ("Phiên họp đã được tiến hành nên không sửa được tên, thời gian hay địa điểm "
                  "nữa.")
    message_en = "The sitting has been held: its title, time and place can no longer change."


class SittingDetails(BaseModel):
    """A partial change: a field left out stays as it is."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"title": "Phiên họp sáng 15/12", "scheduled_at": "2026-12-15T07:30:00+07:00",
         "place": "Hội trường UBND xã Y Tý"}]})

    title: Annotated[OneLine, Field(min_length=1, max_length=300)] | None = None
    scheduled_at: AwareDatetime | None = None
    place: Annotated[OneLine, Field(max_length=300)] | None = None


def _jsonable(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime) else value


def update_sitting(db: Session, principal: Principal, sitting_id: int,
                   data: SittingDetails) -> Sitting:
    """Change the title, time or place of a sitting not yet opened (clerk or chair)."""
    sitting = store.get_sitting(db, sitting_id)
    session = meetings.get_session(db, sitting.session_id)
    require_view_session(db, principal, session)
    if not (principal.is_staff or is_session_chair(db, principal, session)):
        raise Forbidden()
    if sitting.opened_at is not None or sitting.status != "scheduled":
        raise SittingHeld()
    changes = data.model_dump(exclude_unset=True)
    if changes.get("title") is None:
        changes.pop("title", None)
    before = {key: _jsonable(getattr(sitting, key)) for key in changes}
    for key, value in changes.items():
        setattr(sitting, key, "" if key == "place" and value is None else value)
    sitting.roster = build_roster(db, session).model_dump_json()
    db.add(sitting)
    audit.record(db, principal.account, "sitting.updated", "sitting", sitting.id,
                 session_id=session.id, before=before,
                 after={key: _jsonable(getattr(sitting, key)) for key in changes})
    return sitting
