"""Reading and writing the event log of a sitting (synchronous; the hub runs it in threads)."""

from __future__ import annotations

from sqlalchemy import text
from sqlmodel import Session, col, select

from server.errors import NotFound
from server.models.live import CommandReceipt, LiveEvent, Sitting
from shared.live.events import Event, parse_event
from shared.live.protocol import Ack
from shared.live.roster import Roster
from shared.live.state import SittingState

# pg_advisory_xact_lock(key1, key2): key1 says "live sitting", key2 is the sitting id
_PG_LOCK_SPACE = 0x4C495645  # "LIVE"


class SittingNotFound(NotFound):
    code = "sitting_not_found"
    message_vi = "Không tìm thấy phiên họp."
    message_en = "No such sitting."


def get_sitting(db: Session, sitting_id: int) -> Sitting:
    sitting = db.get(Sitting, sitting_id)
    if sitting is None:
        raise SittingNotFound()
    return sitting


def initial_state(sitting: Sitting) -> SittingState:
    """The state before the first event: the roster the sitting was created with."""
    assert sitting.id is not None
    return SittingState.new(sitting.id, Roster.model_validate_json(sitting.roster))


def take_write_lock(db: Session, sitting_id: int) -> None:
    """Serialise appends to one sitting across workers for the rest of the transaction.

    PostgreSQL: an advisory lock per sitting. SQLite: any write takes the database's
    single write lock now, so the transaction never has to upgrade (and fail) later.
    """
    dialect = db.get_bind().dialect.name
    if dialect == "postgresql":
        db.execute(text("SELECT pg_advisory_xact_lock(:space, :id)"),
                   {"space": _PG_LOCK_SPACE, "id": sitting_id})
    else:
        db.execute(text("UPDATE sitting SET id = id WHERE id = :id"), {"id": sitting_id})


def events_after(db: Session, sitting_id: int, after: int, upto: int | None = None) -> list[Event]:
    query = select(LiveEvent).where(LiveEvent.sitting_id == sitting_id, LiveEvent.seq > after)
    if upto is not None:
        query = query.where(LiveEvent.seq <= upto)
    rows = db.exec(query.order_by(col(LiveEvent.seq))).all()
    return [parse_event(row.payload) for row in rows]


def append_event(db: Session, event: Event) -> None:
    db.add(LiveEvent(sitting_id=event.sitting_id, seq=event.seq, type=event.type,
                     payload=event.model_dump_json(), at=event.at))


def find_receipt(db: Session, sitting_id: int, person_id: int, key: str) -> Ack | None:
    row = db.exec(select(CommandReceipt).where(
        CommandReceipt.sitting_id == sitting_id, CommandReceipt.person_id == person_id,
        CommandReceipt.key == key)).first()
    return None if row is None else Ack.model_validate_json(row.answer)


def find_receipts(db: Session, sitting_id: int, wanted: set[tuple[int, str]]
                  ) -> dict[tuple[int, str], Ack]:
    """The stored answers of several (person, key) pairs, in one query."""
    if not wanted:
        return {}
    keys = sorted({key for _person, key in wanted})
    rows = db.exec(select(CommandReceipt).where(CommandReceipt.sitting_id == sitting_id,
                                                col(CommandReceipt.key).in_(keys))).all()
    return {(row.person_id, row.key): Ack.model_validate_json(row.answer)
            for row in rows if (row.person_id, row.key) in wanted}


def add_receipt(db: Session, sitting_id: int, person_id: int, ack: Ack) -> None:
    db.add(CommandReceipt(sitting_id=sitting_id, person_id=person_id, key=ack.key,
                          answer=ack.model_dump_json()))


def checked_in_people(db: Session, sitting_id: int) -> set[int]:
    """Everyone who checked in at some moment of the sitting."""
    rows = db.exec(select(LiveEvent.payload).where(LiveEvent.sitting_id == sitting_id,
                                                   LiveEvent.type == "checked_in")).all()
    return {parse_event(payload).person_id for payload in rows}  # type: ignore[union-attr]
