"""Generation counters kept by the database itself, so every host sees every change.

Why triggers: the writes that change who may read what (a token revoked, a membership,
a session officer) or what an agenda shows (an item, a document, a session) happen in
dozens of services, the CLI, imports and restores. A trigger on the table cannot be
forgotten by the next service; an application-side "invalidate" call can. The counter
row is upserted by the trigger, so an empty (freshly migrated or imported) database
needs no seed row: a missing row reads as generation 0.

Later migrations that rebuild a watched table on SQLite (``batch_alter_table`` copies the
table, which drops its triggers) call ``install(op)`` again; a test checks that every
trigger listed here exists at the head revision on both engines.
"""

from __future__ import annotations

import time
import weakref
from dataclasses import dataclass
from typing import Any

from sqlalchemy import event, text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session as OrmSession
from sqlmodel import Session

from server.cache.lru import Stamp

TABLE = "cache_generation"
FUNCTION = "hdnd_bump_generation"


@dataclass(frozen=True)
class Watch:
    """One trigger: ``event`` on ``table`` moves the counter ``name``."""

    name: str
    table: str
    event: str  # "INSERT", "DELETE", "UPDATE" or "UPDATE OF col, col"

    @property
    def trigger(self) -> str:
        kind = self.event.split()[0].lower()
        return f"hdnd_gen_{self.name}_{self.table}_{kind}"


def _all(name: str, table: str) -> list[Watch]:
    return [Watch(name, table, event) for event in ("INSERT", "UPDATE", "DELETE")]


# "access": what authenticate() and load_principal() read. Only the columns they read:
# a device's last_seen_at or an account's failed_logins change on ordinary requests and
# must not empty every host's cache.
ACCESS = "access"
# "meeting": what a session's pages show: the session, its agenda, documents and their
# signatures, its sittings, and the body and council it belongs to.
MEETING = "meeting"
# "live": every event of every live sitting (the portal's closed votes).
# "packs": what a device's list of sessions shows: published packs, their recipients, the
# versions devices reported holding.
PACKS = "packs"
LIVE = "live"
# as migration 0025 installed them (a migration must not change when the code does)
WATCHES_AT_0025: tuple[Watch, ...] = (
    Watch(ACCESS, "authtoken", "UPDATE OF revoked_at, expires_at, kind, account_id, device_id"),
    Watch(ACCESS, "authtoken", "DELETE"),
    Watch(ACCESS, "account", "UPDATE OF role, person_id, is_active, password_hash"),
    Watch(ACCESS, "account", "DELETE"),
    Watch(ACCESS, "device", "UPDATE OF revoked_at, person_id"),
    Watch(ACCESS, "device", "DELETE"),
    *_all(ACCESS, "membership"),
    *_all(ACCESS, "sessionofficer"),
    *_all(MEETING, "council_session"),
    *_all(MEETING, "agendaitem"),
    *_all(MEETING, "document"),
    *_all(MEETING, "document_signature"),
    *_all(MEETING, "sitting"),
    *_all(MEETING, "body"),
    *_all(MEETING, "council"),
    Watch(LIVE, "live_event", "INSERT"),
    Watch(LIVE, "live_event", "DELETE"),
)

# as migration 0026 installed them
WATCHES_AT_0026: tuple[Watch, ...] = (
    Watch(ACCESS, "authtoken", "UPDATE OF revoked_at, expires_at, kind, account_id, device_id"),
    Watch(ACCESS, "authtoken", "DELETE"),
    Watch(ACCESS, "account", "UPDATE OF role, person_id, is_active, password_hash, council_id, "
                             "reads_councils_below"),
    Watch(ACCESS, "account", "DELETE"),
    Watch(ACCESS, "device", "UPDATE OF revoked_at, person_id"),
    Watch(ACCESS, "device", "DELETE"),
    *_all(ACCESS, "membership"),
    *_all(ACCESS, "sessionofficer"),
    *_all(MEETING, "council_session"),
    *_all(MEETING, "agendaitem"),
    *_all(MEETING, "document"),
    *_all(MEETING, "document_signature"),
    *_all(MEETING, "sitting"),
    *_all(MEETING, "body"),
    *_all(MEETING, "council"),
    *_all(ACCESS, "council"),  # a commune moved under another province changes who reads it
    Watch(LIVE, "live_event", "INSERT"),
    Watch(LIVE, "live_event", "DELETE"),
)

# as migration 0028 left them
WATCHES_AT_0028: tuple[Watch, ...] = (
    *WATCHES_AT_0026,
    *_all(PACKS, "pack_build"),
    *_all(PACKS, "pack_recipient"),
    *_all(PACKS, "device_pack_state"),
)

# migration 0029: every device column the signed-request check reads, since a device in
# good standing is answered from memory (server/packs/known_devices.py)
DEVICE_CHECK_AT_0026 = Watch(ACCESS, "device", "UPDATE OF revoked_at, person_id")
DEVICE_CHECK = Watch(ACCESS, "device", "UPDATE OF revoked_at, person_id, council_id, "
                                       "renumber_pending, ed25519_public, order_public")

WATCHES: tuple[Watch, ...] = tuple(DEVICE_CHECK if watch == DEVICE_CHECK_AT_0026 else watch
                                   for watch in WATCHES_AT_0028)


def _sqlite_ddl(watch: Watch) -> str:
    return (
        f"CREATE TRIGGER IF NOT EXISTS {watch.trigger} AFTER {watch.event} ON {watch.table} "
        f"BEGIN INSERT INTO {TABLE} (name, value) VALUES ('{watch.name}', 1) "
        f"ON CONFLICT (name) DO UPDATE SET value = value + 1; END"
    )


def _postgres_ddl(watch: Watch) -> list[str]:
    return [
        f"DROP TRIGGER IF EXISTS {watch.trigger} ON {watch.table}",
        f"CREATE TRIGGER {watch.trigger} AFTER {watch.event} ON {watch.table} "
        f"FOR EACH STATEMENT EXECUTE FUNCTION {FUNCTION}('{watch.name}')",
    ]


_PG_FUNCTION = f"""
CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO {TABLE} (name, value) VALUES (TG_ARGV[0], 1)
    ON CONFLICT (name) DO UPDATE SET value = {TABLE}.value + 1;
    RETURN NULL;
END $$
"""


def install(op: Any, watches: tuple[Watch, ...] = WATCHES) -> None:
    """Create the counter table (if missing) and every trigger; safe to run again."""
    op.execute(f"CREATE TABLE IF NOT EXISTS {TABLE} "
               "(name VARCHAR(32) PRIMARY KEY, value BIGINT NOT NULL)")
    if op.get_bind().dialect.name == "postgresql":
        op.execute(_PG_FUNCTION)
        for watch in watches:
            for statement in _postgres_ddl(watch):
                op.execute(statement)
    else:
        for watch in watches:
            op.execute(_sqlite_ddl(watch))


def uninstall(op: Any) -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    for watch in WATCHES:
        op.execute(f"DROP TRIGGER IF EXISTS {watch.trigger}"
                   + (f" ON {watch.table}" if postgres else ""))
    if postgres:
        op.execute(f"DROP FUNCTION IF EXISTS {FUNCTION}()")
    op.execute(f"DROP TABLE IF EXISTS {TABLE}")


_INFO_KEY = "hdnd_generations"
_READ = text(f"SELECT name, value FROM {TABLE}")

# How long this process trusts the counters it last read without asking again. A change
# committed through this process is seen at once (``_transaction_ended`` forgets them); a
# change committed on another host is seen within this many seconds. A duration, not a
# date: measured with time.monotonic.
FRESH_S = 0.05
_LAST_READ: weakref.WeakKeyDictionary[Engine, tuple[float, Counters]] = (
    weakref.WeakKeyDictionary())



@dataclass(frozen=True)
class Counters:
    """The counters of one database as read at one moment.

    A cached answer is stamped with its database as well as its counter: tests (and a
    process serving two databases) must never get one database's answer for another's.
    """

    database: str
    values: dict[str, int]

    def stamp(self, name: str) -> Stamp:
        return (self.database, self.values.get(name, 0))


def _database(bind: Engine) -> str:
    return bind.url.render_as_string(hide_password=True)


def current(db: Session) -> Counters:
    """The counters as this request's transaction sees them (one small query per request).

    Kept on the session, so the principal and the agenda of one request agree on one read.
    """
    found = db.info.get(_INFO_KEY)
    if found is None:
        started = time.monotonic()
        bind = db.get_bind()
        values = {name: int(value) for name, value in db.connection().execute(_READ)}
        found = Counters(_database(bind) if isinstance(bind, Engine) else str(id(bind)), values)
        db.info[_INFO_KEY] = found
        if isinstance(bind, Engine) and may_store(db):
            _LAST_READ[bind] = (started, found)
    return found


def of(db: Session, name: str) -> Stamp:
    return current(db).stamp(name)


def fresh(engine: Engine) -> Counters | None:
    """The counters this process read less than FRESH_S ago, or None: no query, no wait."""
    found = _LAST_READ.get(engine)
    if found is None or time.monotonic() - found[0] > FRESH_S:
        return None
    return found[1]


_WROTE_KEY = "hdnd_wrote"


def may_store(db: Session) -> bool:
    """Whether an answer read through ``db`` may be kept for other requests.

    Not after this transaction wrote anything: its counters and rows are uncommitted, and
    an answer kept under them would outlive a rollback.
    """
    return not db.info.get(_WROTE_KEY, False)


def _wrote(session: Any, *_args: Any) -> None:
    session.info[_WROTE_KEY] = True
    session.info.pop(_INFO_KEY, None)  # the trigger moved our own counter: read it again


def _statement(orm_execute_state: Any) -> None:
    if not orm_execute_state.is_select:
        _wrote(orm_execute_state.session)


def _transaction_ended(session: Any, *_args: Any) -> None:
    session.info.pop(_INFO_KEY, None)
    if session.info.pop(_WROTE_KEY, False):
        bind = session.get_bind()
        if isinstance(bind, Engine):
            _LAST_READ.pop(bind, None)  # this process wrote: its next read asks again


event.listen(OrmSession, "after_flush", _wrote)
event.listen(OrmSession, "do_orm_execute", _statement)
event.listen(OrmSession, "after_commit", _transaction_ended)
event.listen(OrmSession, "after_soft_rollback", _transaction_ended)
