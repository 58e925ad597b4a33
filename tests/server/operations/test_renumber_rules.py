"""The renumbering rules name every place an id can hide, so a new one cannot be forgotten:
every column of the schema and every field of the live protocol's JSON that names a row
is either shifted with its table or listed as kept verbatim (server/operations/renumber.py)."""

from __future__ import annotations

import json
import typing
from pathlib import Path

from pydantic import BaseModel
from sqlmodel import Session

from server.operations import parts, renumber
from shared.live.events import EVENT_TYPES
from shared.live.roster import Roster
from tests.conftest import make_settings

# integer fields of the live protocol that count or time things rather than name a row
LIVE_NUMBERS = {
    "seq", "v", "page", "limit_s", "seconds", "ballots", "members_total", "present_at_open",
    "needed", "numerator", "denominator", "max_choices", "min_choices", "speech", "debate",
    "question", "answer", "follow_up", "remaining_s", "position",
    "counts", "ratings",  # votes per choice
}


def _looks_like_a_row_id(name: str) -> bool:
    return name.endswith(("_id", "_ids", "_by")) or name == "id"


def test_every_column_naming_a_row_is_shifted_or_kept_on_purpose() -> None:
    unlisted = []
    for table in parts.tables():
        for column in table.columns:
            if column.primary_key or column.foreign_keys or not _looks_like_a_row_id(column.name):
                continue
            key = (table.name, column.name)
            if key not in renumber.IMPLICIT and key not in renumber.NOT_ROW_IDS:
                unlisted.append(f"{table.name}.{column.name}")
    assert unlisted == [], f"add to renumber.IMPLICIT or NOT_ROW_IDS: {unlisted}"
    for (table, column), target in renumber.IMPLICIT.items():
        assert column in parts.tables()[[t.name for t in parts.tables()].index(table)].c
        assert target in (renumber.VERBATIM, "by source_type") or target in \
            {t.name for t in renumber.id_tables(parts.tables())}


def _fields(model: type[BaseModel], seen: set[type]) -> dict[str, object]:
    """Every (field name -> annotation) of a model and the models inside it."""
    if model in seen:
        return {}
    seen.add(model)
    found: dict[str, object] = {}
    for name, info in model.model_fields.items():
        found[name] = info.annotation
        for inner in _models_in(info.annotation):
            found.update(_fields(inner, seen))
    return found


def _models_in(annotation: object) -> list[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [m for arg in typing.get_args(annotation) for m in _models_in(arg)]


def _holds_ints(annotation: object) -> bool:
    if annotation is int:
        return True
    return any(_holds_ints(arg) for arg in typing.get_args(annotation))


def test_every_live_field_naming_a_row_is_shifted() -> None:
    seen: set[type] = set()
    fields: dict[str, object] = {}
    for event in (*EVENT_TYPES, Roster):
        fields.update(_fields(event, seen))
    numbers = {name for name, annotation in fields.items() if _holds_ints(annotation)}
    unlisted = (numbers - set(renumber.JSON_ID_KEYS) - set(renumber.JSON_ID_LISTS)
                - set(renumber.JSON_ID_MAPS) - LIVE_NUMBERS)
    assert unlisted == set(), f"a row id or a number? {sorted(unlisted)}"
    assert "person_id" in renumber.JSON_ID_KEYS and "chair_ids" in renumber.JSON_ID_LISTS


def test_a_named_votes_roll_and_absentees_move_with_the_people() -> None:
    offsets = renumber.Offsets({"person": 100, "sitting": 7, "agendaitem": 30})
    event = {"type": "vote_closed", "seq": 9, "sitting_id": 2, "actor_id": 4, "vote_id": "v1",
             "result": {"counts": {"yes": 2}, "did_not_vote": [6], "roll": {"4": "yes", "5": "no"},
                        "elected": ["c1"]}}
    assert renumber.rewrite_json(event, offsets) == {
        "type": "vote_closed", "seq": 9, "sitting_id": 9, "actor_id": 104, "vote_id": "v1",
        "result": {"counts": {"yes": 2}, "did_not_vote": [106],
                   "roll": {"104": "yes", "105": "no"}, "elected": ["c1"]}}


def test_json_in_the_demos_text_columns_is_listed(tmp_path: Path) -> None:
    """Text columns that hold JSON with numbers under id-like keys are named in
    JSON_COLUMNS (rewritten, or kept because hashed or signed)."""
    from server.db import make_engine
    from tests.server.conftest import seed_province_demo

    settings = make_settings(tmp_path, None)
    seed_province_demo(settings)
    engine = make_engine(settings)
    found: set[tuple[str, str]] = set()
    with engine.connect() as connection:
        for table in parts.tables():
            for column in table.columns:
                for (value,) in connection.execute(table.select().with_only_columns(column)):
                    if isinstance(value, str) and value[:1] in "{[" and _names_rows(value):
                        found.add((table.name, column.name))
                        break
    engine.dispose()
    assert found, "the demo holds live events and rosters"
    assert found <= set(renumber.JSON_COLUMNS), sorted(found - set(renumber.JSON_COLUMNS))


def _names_rows(text: str) -> bool:
    try:
        data = json.loads(text)
    except ValueError:
        return False
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            for key, value in item.items():
                if _looks_like_a_row_id(key) and isinstance(value, int | list):
                    return True
                stack.append(value)
        elif isinstance(item, list):
            stack.extend(item)
    return False


def test_records_made_before_a_move_are_read_in_todays_numbering(tmp_path: Path) -> None:
    from server.db import make_engine, migrate
    from server.models import Council, CouncilLevel
    from server.models.renumbering import CouncilRenumbering
    from server.services import renumbering

    settings = make_settings(tmp_path, None)
    migrate(settings)
    engine = make_engine(settings)
    with Session(engine) as db:
        moved = Council(name="HĐND xã Y Tý", level=CouncilLevel.commune, term_start=2026,
                        term_end=2031, slug="y-ty")
        db.add(moved)
        db.flush()
        db.add(CouncilRenumbering(council_id=moved.id, table_name="person", id_offset=40,
                                  last_moved_id=65))
        db.commit()
        assert renumbering.came_with_move(db, moved.id, "person", 65)
        assert not renumbering.came_with_move(db, moved.id, "person", 66)  # made here
        assert not renumbering.came_with_move(db, moved.id, "ballot", 3)  # no such shift
        assert renumbering.today(db, moved.id, "person", [1, 25]) == [41, 65]
        assert renumbering.as_made(db, moved.id, "person", 41) == 1
    engine.dispose()
