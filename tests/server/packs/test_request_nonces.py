"""A signed read is accepted once, whether its nonce is remembered in memory or in the
database, across a restart, and a revoked tablet is refused at once even when its reads
were being answered from memory (server/packs/request_nonces.py, known_devices.py).

Real apps on a real demo database (SQLite and the machine's PostgreSQL), a tablet
enrolled by the clerk, requests signed as the tablet library signs them. The clock is the
project's: a test moves it past the minutes after a start when every nonce goes to the
database.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event, func, text, update
from sqlmodel import Session, select

from server.cache import generations
from server.config import Settings
from server.models.devices import Device, DeviceRequestNonce
from server.packs import device_auth
from server.packs.request_nonces import WRITE_EVERY_S, MemoryNonces, for_settings
from shared import clock
from tests.conftest import make_settings
from tests.server.conftest import Api, seeded_demo
from tests.server.packs.test_devices_api import FakeTablet, enrol

MINE = "/api/devices/me/sessions"
# past the minutes after a start in which a process cannot know what the one before saw
AFTER_THE_START = timedelta(seconds=device_auth.MAX_SKEW_SECONDS + 30)


@dataclass
class Deployment:
    settings: Settings
    engine: object


@pytest.fixture(scope="module",
                params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def deployment(request, tmp_path_factory) -> Iterator[Deployment]:
    with seeded_demo(request.param, tmp_path_factory.mktemp("nonces"),
                     prefix="hdnd_nonces") as (settings, engine):
        yield Deployment(settings, engine)


@contextmanager
def server(deployment: Deployment) -> Iterator[Api]:
    """``hdnd serve`` as installed: the app with its start and stop (the nonce writer)."""
    from server.app import create_app

    with TestClient(create_app(deployment.settings)) as client:
        yield Api(client)


@contextmanager
def later(by: timedelta) -> Iterator[None]:
    with clock.using(clock.ShiftedClock(clock.current().now() - clock.machine_now() + by)):
        yield


def signed(client: TestClient, tablet: FakeTablet) -> httpx.Request:
    """One signed GET, kept so that the very same bytes can be sent again (a replay)."""
    return next(tablet.auth().auth_flow(client.build_request("GET", MINE)))


def nonce_rows(deployment: Deployment, tablet: FakeTablet) -> int:
    with Session(deployment.engine) as db:
        return db.exec(select(func.count()).select_from(DeviceRequestNonce).where(
            DeviceRequestNonce.device_id == int(tablet.device_id))).one()


def test_a_read_is_accepted_once_from_memory_and_from_the_database(
        deployment: Deployment) -> None:
    with server(deployment) as api:
        tablet = enrol(api, "delegate03")
        first_minutes = signed(api.client, tablet)
        assert api.client.send(first_minutes).status_code == 200
        assert nonce_rows(deployment, tablet) == 1  # just started: written at once
        refused = api.client.send(first_minutes)
        assert refused.status_code == 401
        assert refused.json()["code"] == "device_request_replayed"
        assert "đã được gửi trước đó" in refused.json()["detail"]

        with later(AFTER_THE_START):
            requests = [signed(api.client, tablet) for _ in range(4)]
            for request in requests:  # the first fills the caches, the rest are from memory
                assert api.client.send(request).status_code == 200
            assert api.client.app.state.request_nonces is not None
            for request in requests:
                again = api.client.send(request)
                assert again.status_code == 401, again.text
                assert again.json()["code"] == "device_request_replayed"
            # written to the database in the background, for the next process to find
            deadline = time.monotonic() + 10 * WRITE_EVERY_S
            while nonce_rows(deployment, tablet) < 5 and time.monotonic() < deadline:
                time.sleep(WRITE_EVERY_S / 4)
            assert nonce_rows(deployment, tablet) == 5


def test_a_tablets_refresh_answered_from_memory_asks_the_database_nothing(
        deployment: Deployment, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(generations, "FRESH_S", 60.0)  # no counter read between requests
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_args) -> None:
        statements.append(statement)

    with server(deployment) as api, later(AFTER_THE_START):
        tablet = enrol(api, "delegate07")
        first = api.client.send(signed(api.client, tablet))  # the full check fills memory
        engine = api.client.app.state.engine
        event.listen(engine, "before_cursor_execute", count)
        try:
            requests = [signed(api.client, tablet) for _ in range(3)]
            answers = [api.client.send(request) for request in requests]
        finally:
            event.remove(engine, "before_cursor_execute", count)
        assert [a.status_code for a in answers] == [200, 200, 200]
        assert all(a.json() == first.json() for a in answers)
        assert statements == []
        assert all(api.client.send(r).json()["code"] == "device_request_replayed"
                   for r in requests)


def test_a_restarted_server_refuses_what_the_one_before_remembered_in_memory(
        deployment: Deployment) -> None:
    with server(deployment) as before:
        tablet = enrol(before, "delegate04")
        with later(AFTER_THE_START):
            seen = signed(before.client, tablet)
            assert before.client.send(seen).status_code == 200
            assert before.client.send(signed(before.client, tablet)).status_code == 200
    # the server stops and starts again at once; the captured read is sent to the new one
    with later(AFTER_THE_START), server(deployment) as after:
        replayed = after.client.send(seen)
        assert replayed.status_code == 401, replayed.text
        assert replayed.json()["code"] == "device_request_replayed"
        assert after.client.send(signed(after.client, tablet)).status_code == 200


def test_a_revoked_tablet_is_refused_at_once_though_its_reads_came_from_memory(
        deployment: Deployment) -> None:
    with server(deployment) as api, later(AFTER_THE_START):
        tablet = enrol(api, "delegate05")
        for _ in range(3):
            assert api.client.send(signed(api.client, tablet)).status_code == 200
        revoked = api.request("clerk", "POST", f"/api/devices/{tablet.device_id}/revoke")
        assert revoked.status_code == 200, revoked.text
        refused = api.client.send(signed(api.client, tablet))
        assert refused.status_code == 403
        assert refused.json()["code"] == "device_revoked"
        assert "thu hồi" in refused.json()["detail"]


def test_every_device_column_the_check_reads_moves_the_access_counter(
        deployment: Deployment) -> None:
    with server(deployment) as api:
        tablet = enrol(api, "delegate06")
    for column, value in (("renumber_pending", True), ("renumber_pending", False),
                          ("council_id", None), ("order_public", "x"),
                          ("ed25519_public", "y" * 43)):
        with Session(deployment.engine) as db:
            before = db.connection().execute(text(
                "SELECT value FROM cache_generation WHERE name = 'access'")).scalar_one()
            device = db.get(Device, int(tablet.device_id))
            if column == "council_id":
                value = device.council_id
            db.execute(update(Device).where(Device.id == device.id).values({column: value}))
            db.commit()
            after = db.connection().execute(text(
                "SELECT value FROM cache_generation WHERE name = 'access'")).scalar_one()
            assert after > before, column
    with Session(deployment.engine) as db:  # last seen changes on ordinary requests: no move
        before = generations.current(db).values[generations.ACCESS]
        db.execute(update(Device).where(Device.id == int(tablet.device_id))
                .values(last_seen_at=clock.now()))
        db.commit()
        assert generations.current(db).values[generations.ACCESS] == before


def test_memory_remembers_only_safe_reads_signed_after_the_minutes_after_a_start() -> None:
    book = MemoryNonces(since=1_000_000, max_skew=300)
    assert not book.covers("GET", 1_000_300)  # a process before may have seen it
    assert book.covers("GET", 1_000_301) and book.covers("HEAD", 1_000_301)
    assert not book.covers("POST", 1_000_400) and not book.covers("PUT", 1_000_400)
    assert book.first_use(7, 1, "nonce-one", 1_000_400, now=1_000_400)
    assert not book.first_use(7, 1, "nonce-one", 1_000_400, now=1_000_401)
    assert book.first_use(8, 1, "nonce-one", 1_000_400, now=1_000_401)  # another device's
    assert book.remembered() == 2 and len(book.take_unwritten()) == 2 and not book.take_unwritten()
    # once the clock check alone refuses their time, they are forgotten
    book.first_use(7, 1, "nonce-two", 1_001_000, now=1_001_000)
    assert book.remembered() == 1


def test_memory_only_when_this_process_serves_the_database_alone(tmp_path: Path) -> None:
    alone = make_settings(tmp_path)
    assert isinstance(for_settings(alone, 0, 300), MemoryNonces)
    with_peers = alone.model_copy(update={"workers": 4})
    assert for_settings(with_peers, 0, 300) is None
    several_hosts = alone.model_copy(update={"redis_url": "redis://127.0.0.1:6379/0"})
    assert for_settings(several_hosts, 0, 300) is None
