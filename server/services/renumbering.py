"""Reading records made before a council moved, in the numbering it has now.

A commune imported beside other councils (server/operations/renumber.py) had every id
shifted; what is hashed or signed kept the ids it was made with. These helpers say
whether a row came with the move and what an old id is called today.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlmodel import Session, select

from server.models import AuditEntry
from server.models.renumbering import CouncilRenumbering


def shifts(db: Session, council_id: int | None) -> dict[str, CouncilRenumbering]:
    """The council's shift per table (empty for a council that never moved)."""
    if council_id is None:
        return {}
    key = ("council_renumbering", council_id)
    cached = db.info.get(key)
    if cached is None:
        cached = {r.table_name: r for r in db.exec(select(CouncilRenumbering).where(
            CouncilRenumbering.council_id == council_id))}
        db.info[key] = cached
    return cached


def came_with_move(db: Session, council_id: int | None, table: str, row_id: int | None) -> bool:
    """Was this row made before the council moved (so its hashed records use old ids)?"""
    shift = shifts(db, council_id).get(table)
    return shift is not None and row_id is not None and row_id <= shift.last_moved_id


def today(db: Session, council_id: int | None, table: str, old_ids: Iterable[int]) -> list[int]:
    """Ids as a pre-move record wrote them, as they are called now."""
    shift = shifts(db, council_id).get(table)
    offset = shift.id_offset if shift is not None else 0
    return [int(i) + offset for i in old_ids]


def as_made(db: Session, council_id: int | None, table: str, new_id: int) -> int:
    """The id a pre-move record used for a row called ``new_id`` today."""
    shift = shifts(db, council_id).get(table)
    return new_id - shift.id_offset if shift is not None else new_id


# an audit entry's target_type, and the table its target_id numbers a row of, where the
# two names differ (tests/server/operations/test_moving_beside.py checks every one)
_TARGET_TABLES = {"session": "council_session", "agenda_item": "agendaitem",
                  "entitlement": "entitlement_entry"}


def audit_target_today(db: Session, entry: AuditEntry) -> str | None:
    """What an audit entry made before its council moved calls its target today: the
    entry is hashed with the id it was made with, and that id may now be another
    council's row. None when the entry was made after the move, or names no moved row."""
    if not came_with_move(db, entry.council_id, "auditentry", entry.id) \
            or not entry.target_id.isdigit():
        return None
    table = _TARGET_TABLES.get(entry.target_type, entry.target_type)
    if table not in shifts(db, entry.council_id):
        return None
    return str(today(db, entry.council_id, table, [int(entry.target_id)])[0])
