"""Reading and writing the event log of a sitting (synchronous; the hub runs it in threads)."""

from __future__ import annotations

from weakref import WeakKeyDictionary

from sqlalchemy import bindparam, text
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from server.errors import NotFound
from server.models.live import CommandReceipt, LiveEvent, Sitting
from server.tenancy import scoping
from server.tenancy.scope import Scope
from shared.live.events import Event, parse_event
from shared.live.protocol import Ack
from shared.live.roster import Roster
from shared.live.state import SittingState

# pg_advisory_xact_lock(key1, key2): key1 says "live sitting", key2 is the sitting id
_PG_LOCK_SPACE = 0x4C495645  # "LIVE"
_PG_LOCK = text("SELECT pg_advisory_xact_lock(:space, :id)")
_SQLITE_LOCK = text("UPDATE sitting SET id = id WHERE id = :id AND 0")


class SittingNotFound(NotFound):
    code = "sitting_not_found"
    message_vi = "Không tìm thấy phiên họp."
    message_en = "No such sitting."


# engine -> sitting id -> its council: a sitting never changes council, so it is read once
_COUNCILS: WeakKeyDictionary[Engine, dict[int, int]] = WeakKeyDictionary()


def council_of_sitting(engine: Engine, sitting_id: int) -> int | None:
    """The council ``sitting_id`` belongs to (None: no such sitting)."""
    known = _COUNCILS.setdefault(engine, {})
    if sitting_id not in known:
        with Session(engine) as db:
            council = db.exec(select(Sitting.council_id)
                              .where(col(Sitting.id) == sitting_id)).first()
        if council is None:
            return None
        known[sitting_id] = int(council)
    return known[sitting_id]


def sitting_session(engine: Engine, sitting_id: int, *, expire_on_commit: bool = True
                    ) -> Session:
    """A session that sees and writes only the sitting's council.

    The hub and the recorder serve every council of the deployment; scoping each of their
    sessions to the sitting's council puts the same walls (the ORM filter, and row-level
    security on PostgreSQL) around the live path as around a request."""
    db = Session(engine, expire_on_commit=expire_on_commit)
    council = council_of_sitting(engine, sitting_id)
    if council is not None:
        scoping.enter(db, Scope.of_council(council))
    return db


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

    PostgreSQL: an advisory lock per sitting. SQLite: any write statement takes the
    database's single write lock now, so the transaction never has to upgrade (and fail)
    later; one that matches no row (``AND 0``) takes it without rewriting the sitting's
    row, whose roster (40 KB with 500 delegates) would otherwise go to the WAL again at
    every commit (80 KB a commit instead of 30 KB, and a checkpoint ~3 times as often).
    """
    dialect = db.get_bind().dialect.name
    if dialect == "postgresql":
        db.execute(_PG_LOCK, {"space": _PG_LOCK_SPACE, "id": sitting_id})
    else:
        db.execute(_SQLITE_LOCK, {"id": sitting_id})


# The statements run for every batch are built once: building one costs more than
# SQLite takes to run it (before each batch, events_after mostly finds nothing).
_EVENTS_AFTER = (select(LiveEvent.payload)
                 .where(LiveEvent.sitting_id == bindparam("sitting_id"),
                        LiveEvent.seq > bindparam("after"), LiveEvent.seq <= bindparam("upto"))
                 .order_by(col(LiveEvent.seq)))
_RECEIPTS = select(CommandReceipt.person_id, CommandReceipt.key, CommandReceipt.answer).where(
    CommandReceipt.sitting_id == bindparam("sitting_id"),
    col(CommandReceipt.key).in_(bindparam("keys", expanding=True)))
_LAST_SEQ = 2**31 - 1  # the largest seq the column holds


def events_after(db: Session, sitting_id: int, after: int, upto: int | None = None) -> list[Event]:
    payloads = db.execute(_EVENTS_AFTER, {"sitting_id": sitting_id, "after": after,
                                          "upto": _LAST_SEQ if upto is None else upto}).scalars()
    return [parse_event(payload) for payload in payloads]


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
    rows = db.execute(_RECEIPTS, {"sitting_id": sitting_id, "keys": keys}).all()
    return {(person_id, key): Ack.model_validate_json(answer)
            for person_id, key, answer in rows if (person_id, key) in wanted}


def add_receipt(db: Session, sitting_id: int, person_id: int, ack: Ack) -> None:
    db.add(CommandReceipt(sitting_id=sitting_id, person_id=person_id, key=ack.key,
                          answer=ack.model_dump_json()))


def checked_in_people(db: Session, sitting_id: int) -> set[int]:
    """Everyone who checked in at some moment of the sitting."""
    rows = db.exec(select(LiveEvent.payload).where(LiveEvent.sitting_id == sitting_id,
                                                   LiveEvent.type == "checked_in")).all()
    return {parse_event(payload).person_id for payload in rows}  # type: ignore[union-attr]
