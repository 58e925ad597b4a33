"""The rows of an export: each value tagged by type in JSON (so dates and bytes come back
as they were), read back, and inserted in batches parents first. Shared by the import
into an empty database (server/operations/moving.py) and the import beside other
councils (server/operations/import_beside.py)."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Iterator
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path

from sqlalchemy import Integer, Table, text
from sqlalchemy.engine import Connection

from server.operations import parts

BATCH = 500


def encode(value: object) -> object:
    """JSON for one column value; types JSON lacks are tagged so they come back the same."""
    if isinstance(value, datetime):
        return {"$dt": value.isoformat()}
    if isinstance(value, date):
        return {"$date": value.isoformat()}
    if isinstance(value, time):
        return {"$time": value.isoformat()}
    if isinstance(value, bytes | bytearray | memoryview):
        return {"$b64": base64.b64encode(bytes(value)).decode()}
    if isinstance(value, Decimal):
        return {"$dec": str(value)}
    if hasattr(value, "value") and not isinstance(value, int | float | str | bool):
        return value.value  # an enum: stored as its string value
    return value


def decode(value: object) -> object:
    if isinstance(value, dict) and len(value) == 1:
        (tag, raw), = value.items()
        if tag == "$dt":
            return datetime.fromisoformat(raw)
        if tag == "$date":
            return date.fromisoformat(raw)
        if tag == "$time":
            return time.fromisoformat(raw)
        if tag == "$b64":
            return base64.b64decode(raw)
        if tag == "$dec":
            return Decimal(raw)
    return value


def rows_of(path: Path) -> Iterator[dict]:
    """The exported rows of one table, decoded (none when the file is missing)."""
    if not path.exists():
        return
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield {k: decode(v) for k, v in json.loads(line).items()}


def insert_rows(connection: Connection, table: Table, rows: Iterator[dict],
                move: Callable[[dict], dict] = lambda row: row) -> None:
    """Insert in batches; a column pointing into its own table is set once every row is
    in (a row may come before the row it points to)."""
    own = [c.name for c in table.columns
           if any(fk.column.table.name == table.name for fk in c.foreign_keys)]
    later: list[dict] = []
    batch: list[dict] = []
    for row in rows:
        row = move(row)
        pointers = {c: row[c] for c in own if row.get(c) is not None}
        if pointers:
            later.append({"_id": row["id"], **pointers})
            row.update(dict.fromkeys(pointers))
        batch.append(row)
        if len(batch) >= BATCH:
            connection.execute(table.insert(), batch)
            batch.clear()
    if batch:
        connection.execute(table.insert(), batch)
    for pointers in later:
        row_id = pointers.pop("_id")
        connection.execute(table.update().where(table.c.id == row_id).values(**pointers))


def after_load(connection: Connection) -> None:
    """Sequences past the copied ids (PostgreSQL); the full-text index rebuilt (SQLite)."""
    if connection.dialect.name == "postgresql":
        for table in parts.tables():
            for column in table.primary_key.columns:
                if isinstance(column.type, Integer) and column.autoincrement in (True, "auto"):
                    connection.execute(text(
                        f"SELECT setval(pg_get_serial_sequence('{table.name}', '{column.name}'), "
                        f"COALESCE((SELECT max({column.name}) FROM {table.name}), 0) + 1, false)"))
    elif connection.dialect.name == "sqlite":
        connection.execute(text("INSERT INTO search_fts(search_fts) VALUES ('rebuild')"))
