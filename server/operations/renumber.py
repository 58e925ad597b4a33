"""Fitting an exported commune into a deployment that already holds other councils.

Every id of the export moves by one offset per table (past the largest id the deployment
has, or has handed out, in that table), so rows keep their order and every reference
stays a reference: foreign keys, the columns that name a row without one (``IMPLICIT``),
and the ids inside live events and rosters (``JSON_ID_KEYS``). What is hashed or signed
keeps the ids it was made with (``VERBATIM``: the audit chain, a secret ballot's board and
definition, the signed pack manifests); ``council_renumbering`` records each table's shift
so those records can still be read in today's numbering, and so the commune's tablets can
be told their new ids.

A unit test walks the schema and the live protocol's models: a column or event field that
names a row and is not listed here fails it, so a new one cannot be forgotten.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Integer, Table

VERBATIM = "verbatim"

# integer (or text) columns naming a row of another table without a foreign key
IMPLICIT: dict[tuple[str, str], str] = {
    ("enrolment_code", "device_id"): "device",
    ("ballot", "item_id"): "agendaitem",
    ("command_receipt", "person_id"): "person",
    ("tracked_item", "sitting_id"): "sitting",
    ("tracked_item", "group_id"): "tracked_item",  # merged petitions: the first item's id
    ("prepared_question", "petition_ids"): "tracked_item",  # "12,40"
    ("search_entry", "source_id"): "by source_type",
    # hashed into the audit chain: kept as recorded
    ("auditentry", "actor_account_id"): VERBATIM,
    ("auditentry", "target_id"): VERBATIM,
}

# columns whose names look like ids but name no row of this database
NOT_ROW_IDS: frozenset[tuple[str, str]] = frozenset({
    ("ballot", "live_vote_id"),  # the live vote's own id ("v1")
    ("ballot", "vote_key"),  # bound into the ballot's cryptography: verbatim
    ("prepared_question", "live_question_id"),
    ("prepared_resolution", "vote_id"),
    ("tracked_item", "commitment_id"),
    ("council_renumbering", "last_moved_id"),  # written by the import itself
    ("prepared_question", "prepare_by"),  # a date
    ("citizen_case", "notify_by"),  # e-mail or SMS
})

# the source kinds of search_entry and the table each names
SEARCH_SOURCES: dict[str, str] = {
    "document": "document", "item": "tracked_item", "resolution": "resolution",
    "supervision": "supervision",
}

# text columns holding JSON: rewritten (ids inside shifted) or kept byte for byte
JSON_COLUMNS: dict[tuple[str, str], str] = {
    ("live_event", "payload"): "rewrite",
    ("sitting", "roster"): "rewrite",
    ("minutes_draft", "sections"): "no ids",  # fixed section keys, text
    ("auditentry", "detail"): VERBATIM,
    ("ballot_board_entry", "body"): VERBATIM,
    ("ballot", "definition"): VERBATIM,
    ("pack_build", "manifest"): VERBATIM,  # signed by the council's key; tablets hold it
}

# keys of the live protocol's JSON (shared/live) naming rows, and the table they name
JSON_ID_KEYS: dict[str, str] = {
    "sitting_id": "sitting", "actor_id": "person", "person_id": "person",
    "by_person_id": "person", "presenter_id": "person", "addressee_id": "person",
    "voter_id": "person", "item_id": "agendaitem", "parent_id": "agendaitem",
    "document_id": "document", "ballot_id": "ballot",
}
JSON_ID_LISTS: dict[str, str] = {
    "chair_ids": "person", "secretary_ids": "person", "waiting_for": "person",
    "did_not_vote": "person",
}
# objects keyed by row ids (a named vote's roll: person id -> choice)
JSON_ID_MAPS: dict[str, str] = {"roll": "person"}

# tables whose rows are not carried: they cache work bound to the old ids
NOT_CARRIED: dict[str, str] = {
    # each stored content key and encrypted file is bound to its document's id; the next
    # pack build of the session encrypts the documents again under their new ids
    "pack_document": "bound to the old document ids; the next build encrypts again",
}


@dataclass
class Offsets:
    """New id = old id + offset, per table; ``last`` is the largest id that moved."""

    by_table: dict[str, int] = field(default_factory=dict)
    last: dict[str, int] = field(default_factory=dict)

    def shift(self, table: str, value: Any) -> Any:
        if value is None or isinstance(value, bool) or table == VERBATIM:
            return value
        return int(value) + self.by_table.get(table, 0)


def id_tables(tables: list[Table]) -> list[Table]:
    """Tables whose rows are numbered by one integer ``id``."""
    return [t for t in tables if [c.name for c in t.primary_key.columns] == ["id"]
            and isinstance(t.c.id.type, Integer)]


def rewrite_json(value: Any, offsets: Offsets) -> Any:
    """The live protocol's JSON with every row id shifted (ints only: string ids such as
    a vote's "v1" are the sitting's own)."""
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        for key, item in value.items():
            if key in JSON_ID_KEYS and isinstance(item, int) and not isinstance(item, bool):
                out[key] = offsets.shift(JSON_ID_KEYS[key], item)
            elif key in JSON_ID_LISTS and isinstance(item, list):
                out[key] = [offsets.shift(JSON_ID_LISTS[key], i) if isinstance(i, int) else i
                            for i in item]
            elif key in JSON_ID_MAPS and isinstance(item, dict):
                out[key] = {str(offsets.shift(JSON_ID_MAPS[key], int(k))) if str(k).isdigit()
                            else k: rewrite_json(v, offsets) for k, v in item.items()}
            else:
                out[key] = rewrite_json(item, offsets)
        return out
    if isinstance(value, list):
        return [rewrite_json(item, offsets) for item in value]
    return value


def row_mover(table: Table, offsets: Offsets, council_map: dict[int, int]) -> Callable[[dict], dict]:
    """The function that renumbers one exported row of ``table``."""
    moves: list[tuple[str, Callable[[Any, dict], Any]]] = []
    if id_tables([table]):
        moves.append(("id", lambda v, _r: offsets.shift(table.name, v)))
    for column in table.columns:
        if column.primary_key and column.name == "id":
            continue
        target = next(iter(column.foreign_keys)).column.table.name if column.foreign_keys else None
        if target == "council":
            moves.append((column.name, lambda v, _r: None if v is None else council_map[int(v)]))
        elif target is not None:
            moves.append((column.name, _pointing_to(target, offsets)))
        elif (table.name, column.name) in IMPLICIT:
            moves.append((column.name, _implicit(table.name, column.name, offsets)))
        elif JSON_COLUMNS.get((table.name, column.name)) == "rewrite":
            moves.append((column.name, lambda v, _r: _rewrite_text(v, offsets)))

    def move(row: dict) -> dict:
        original = dict(row)
        for name, how in moves:
            if name in row:
                row[name] = how(row[name], original)
        return row

    return move


def _pointing_to(target: str, offsets: Offsets) -> Callable[[Any, dict], Any]:
    return lambda value, _row: offsets.shift(target, value)


def _rewrite_text(value: Any, offsets: Offsets) -> Any:
    if not isinstance(value, str) or not value:
        return value
    return json.dumps(rewrite_json(json.loads(value), offsets), ensure_ascii=False,
                      separators=(",", ":"))


def _implicit(table: str, column: str, offsets: Offsets) -> Callable[[Any, dict], Any]:
    target = IMPLICIT[(table, column)]
    if target == VERBATIM:
        return lambda v, _r: v
    if target == "by source_type":
        return lambda v, r: offsets.shift(SEARCH_SOURCES[r["source_type"]], v)
    if column.endswith("_ids"):
        return lambda v, _r: ",".join(str(offsets.shift(target, int(p)))
                                      for p in str(v or "").split(",") if p.strip())
    return lambda v, _r: offsets.shift(target, v)
