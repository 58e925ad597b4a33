"""Two server processes, one PostgreSQL, one Redis: one gapless order, everyone sees all."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import pytest

from shared.live.state import SittingState
from tests.server.live.conftest import Server
from tests.server.live.device import Device

REDIS_URL = os.environ.get("HDND_TEST_REDIS", "redis://127.0.0.1:6379/15")


@pytest.mark.slow
@pytest.mark.postgres
def test_commands_at_both_workers_make_one_order(pg_seeded: tuple[Path, str]):
    data_dir, pg_database = pg_seeded
    first = Server(data_dir, pg_database, REDIS_URL).start()
    second = Server(data_dir, pg_database, REDIS_URL).start()
    sitting_id = first.new_sitting("Phiên hai máy chủ")
    users = [f"delegate{n:02d}" for n in range(1, 21)]
    for user in ("chair", *users):
        second._tokens[user] = first.token(user)

    async def run() -> None:
        chair = await Device(first.ws(sitting_id), first.token("chair")).connect()
        devices = {u: Device((first if n % 2 else second).ws(sitting_id), first.token(u))
                   for n, u in enumerate(users)}
        await asyncio.gather(*(d.connect() for d in devices.values()))
        await chair.do("open_sitting")
        # every delegate checks in and asks to speak at once, half through each worker
        answers = await asyncio.gather(*(d.do("check_in", timeout=15) for d in devices.values()),
                                       *(d.do("request_to_speak", timeout=15)
                                         for d in devices.values()))
        assert all(a["type"] == "ack" for a in answers), answers
        seqs = sorted(s for a in answers for s in a["seqs"])
        assert seqs == list(range(2, 2 + 2 * len(users)))  # one order, no gap, no duplicate
        head = seqs[-1]
        for device in (chair, *devices.values()):
            await device.wait_seq(head, timeout=10)
            assert device.event_seqs == list(range(1, head + 1))  # each event once, in order
            assert len(device.state.present) == len(users) and len(device.state.queue) == 20
        for server in (first, second):
            events = server.api("clerk", "GET", f"/api/sittings/{sitting_id}/events").json()
            assert [e["seq"] for e in events] == list(range(1, head + 1))
        public = second.api(None, "GET", f"/api/sittings/{sitting_id}/public").json()
        assert SittingState.model_validate(public).queue == chair.state.queue
        for device in (chair, *devices.values()):
            await device.close()

    try:
        asyncio.run(run())
    finally:
        first.stop()
        second.stop()


@pytest.mark.slow
@pytest.mark.postgres
def test_a_logout_at_one_worker_cuts_the_socket_at_the_other_at_once(
        pg_seeded: tuple[Path, str]):
    """Issue 16 (5): the revoked credential is fanned out through Redis; the other worker
    refuses it at once, not at its next database check (a minute later)."""
    import httpx

    data_dir, pg_database = pg_seeded
    first = Server(data_dir, pg_database, REDIS_URL).start()
    second = Server(data_dir, pg_database, REDIS_URL).start()
    sitting_id = first.new_sitting("Phiên đăng xuất")
    token = httpx.post(first.http + "/api/auth/token", data={
        "username": "delegate09", "password": "demo-pass"}).json()["access_token"]

    async def run() -> None:
        device = await Device(second.ws(sitting_id), token).connect()
        out = first.api_with_token(token, "POST", "/api/auth/logout")
        assert out.status_code == 204
        await asyncio.wait_for(device.closed.wait(), 3)  # the watchman would take 60 s
        assert device.ws.close_code == 4401
        assert [m["code"] for m in device.messages if m["type"] == "error"] == [
            "credentials_revoked"]

    try:
        asyncio.run(run())
    finally:
        first.stop()
        second.stop()
