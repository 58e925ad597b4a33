"""The same mistake has the same code over REST and over the websocket (issue 19)."""

from __future__ import annotations

import asyncio

from tests.server.live.conftest import Server
from tests.server.live.device import Device


def test_an_unknown_command_is_unknown_command_on_both_paths(server: Server):
    sitting_id = server.new_sitting()
    rest = server.api("delegate01", "POST", f"/api/sittings/{sitting_id}/commands",
                      json={"key": "rest-key-0009", "type": "launch_rocket"})
    assert rest.status_code == 422
    assert rest.headers["content-type"].startswith("application/problem+json")
    problem = rest.json()

    async def run() -> dict:
        device = await Device(server.ws(sitting_id), server.token("delegate01")).connect()
        await device.send({"type": "command",
                           "command": {"key": "sock-key-0009", "type": "launch_rocket"}})
        answer = await device.wait_for(lambda m: m["type"] == "error")
        await device.close()
        return answer

    socket_error = asyncio.run(run())
    assert problem["code"] == socket_error["code"] == "unknown_command"
    assert (problem["message_vi"], problem["message_en"]) == (
        socket_error["message_vi"], socket_error["message_en"]) == (
        "Lệnh không được hỗ trợ.", "Unknown command.")
    assert socket_error["key"] == "sock-key-0009"
    assert server.api("delegate01", "GET", f"/api/sittings/{sitting_id}/events").json() == []


def test_a_refusal_of_decide_has_one_status_and_code(server: Server):
    """``not_chair`` is a Forbidden error: 403 over REST, the same code on the socket."""
    sitting_id = server.new_sitting()
    rest = server.api("delegate01", "POST", f"/api/sittings/{sitting_id}/commands",
                      json={"key": "rest-key-0010", "type": "open_sitting"})
    assert (rest.status_code, rest.json()["code"]) == (403, "not_chair")

    async def run() -> dict:
        device = await Device(server.ws(sitting_id), server.token("delegate01")).connect()
        answer = await device.do("open_sitting")
        await device.close()
        return answer

    answer = asyncio.run(run())
    assert answer["type"] == "error" and answer["code"] == "not_chair"
    assert answer["message_en"] == rest.json()["message_en"]
