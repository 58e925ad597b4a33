"""Forty delegates check in over REST at the same moment (a hall whose tablets fell back
to HTTP): more requests than the database pool has connections must not starve the live
hub's own commit, and every one is answered."""

from __future__ import annotations

import asyncio
import uuid

import httpx

from tests.server.live.conftest import Server, add_delegates, copy_template

AT_ONCE = 100  # above the SQLite pool (20 + 60 overflow, server/db.py)


def test_more_rest_commands_at_once_than_pool_connections(seeded_template, tmp_path_factory):
    data_dir = copy_template(seeded_template, tmp_path_factory.mktemp("live-rest-load"))
    extra_tokens = add_delegates(data_dir, AT_ONCE - 25)
    server = Server(data_dir).start()
    try:
        sitting_id = server.new_sitting("Phiên dự phòng")
        assert server.api("chair", "POST", f"/api/sittings/{sitting_id}/commands",
                          json={"key": str(uuid.uuid4()), "type": "open_sitting"}
                          ).status_code == 200
        tokens = [server.token(f"delegate{n:02d}") for n in range(1, 26)] + extra_tokens

        async def run() -> list[httpx.Response]:
            async with httpx.AsyncClient(base_url=server.http, timeout=25) as client:
                return await asyncio.gather(*(client.post(
                    f"/api/sittings/{sitting_id}/commands",
                    headers={"Authorization": f"Bearer {token}"},
                    json={"key": str(uuid.uuid4()), "type": "check_in"}) for token in tokens))

        answers = asyncio.run(run())
        assert [a.status_code for a in answers] == [200] * AT_ONCE, answers[0].text
        state = server.api("clerk", "GET", f"/api/sittings/{sitting_id}").json()["state"]
        assert len(state["present"]) >= AT_ONCE
    finally:
        server.stop()
