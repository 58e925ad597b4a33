"""The enrolled device is the key to the sitting, against the real server:
``hdnd-tablet join`` with the device key and PIN only, credentials that renew themselves
while the project's clock moves past several lifetimes, and a revoked device cut off."""

from __future__ import annotations

import json
import time
import uuid
from datetime import timedelta

import httpx
from typer.testing import CliRunner

from shared import clock
from shared.live import commands as cmd
from tablet_app.core.cli import app
from tablet_app.core.enrol import enrol
from tablet_app.core.live_client import Callbacks, LiveClient
from tablet_app.core.live_credentials import DeviceCredentials
from tests.tablet_app.core._pack_server import PIN, LiveServer


def _wait(condition, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def _sitting(live: LiveServer, opened: bool = True) -> int:
    sitting = live.call("POST", f"/api/sessions/{live.session_id}/sittings",
                        json={"title": "Phiên họp thứ nhất"}).json()["id"]
    if opened:
        answer = live.call("POST", f"/api/sittings/{sitting}/commands", "chair",
                           json={"key": uuid.uuid4().hex, "type": "open_sitting"})
        assert answer.status_code == 200, answer.text
    return sitting


def test_join_once_prints_welcome_and_state_with_no_token_anywhere(live: LiveServer,
                                                                    tmp_path) -> None:
    runner = CliRunner()
    env = {"HDND_TABLET_DIR": str(tmp_path / "tablet"), "HDND_TABLET_PIN": PIN}
    enrolled = runner.invoke(app, ["enrol", "--server", live.url, "--code",
                                   live.issue_code("delegate03"), "--label", "Máy 03"], env=env)
    assert enrolled.exit_code == 0, enrolled.output
    sitting = _sitting(live)
    joined = runner.invoke(app, ["join", "--once"], env=env)  # no sitting number, no token
    assert joined.exit_code == 0, joined.output
    lines = [json.loads(line) for line in joined.output.strip().splitlines()]
    kinds = [line["type"] for line in lines]
    assert kinds[0] == "credential" and "welcome" in kinds and kinds[-1] == "state"
    assert lines[0]["sittings"][0]["sitting_id"] == sitting
    assert "access_token" not in joined.output and "token" not in lines[0]  # never printed
    welcome = next(line for line in lines if line["type"] == "welcome")
    assert welcome["person_id"] == live.person_id("delegate03")
    assert lines[-1]["status"] == "open" and lines[-1]["sitting_id"] == sitting


def test_credentials_renew_while_the_clock_moves_past_several_lifetimes(live: LiveServer,
                                                                        tmp_path) -> None:
    tablet = enrol(live.url, live.issue_code("delegate05"), "Máy 05", PIN, tmp_path / "t")
    sitting = _sitting(live)
    shifted = clock.ShiftedClock.starting_at(clock.now())  # from the suite's pinned day
    with clock.using(shifted):  # the server (same process) and the tablet follow it
        # the credential's clock is looked at every 0.1 s instead of 2 s: same renewals
        client = LiveClient.for_server(live.url, sitting, renew_check_s=0.1,
                                       credentials=DeviceCredentials(lambda: tablet.client))
        client.start()
        try:
            _wait(lambda: client.link.status == "online")
            first = client.credential
            lifetime = first.expires_at - first.obtained_at
            assert abs(lifetime - timedelta(minutes=10)) < timedelta(seconds=5)
            for step in range(1, 5):  # 4 × 8 min: past three lifetimes, one renewal each
                shifted.advance(timedelta(minutes=8))
                _wait(lambda s=step: client.renewals >= s)
            assert client.connects == 1  # renewed on the open connection: never thrown out
            shifted.advance(timedelta(minutes=30))  # a jump: the credential is already dead
            checked_in = client.send(cmd.CheckIn(key=uuid.uuid4().hex))
            _wait(lambda: checked_in.state == "acked", timeout=20)  # renewed and resent
            assert client.link.status == "online"
        finally:
            client.stop()
            tablet.close()


def test_a_revoked_device_is_cut_off_and_told_why(live: LiveServer, tmp_path) -> None:
    tablet = enrol(live.url, live.issue_code("delegate06"), "Máy 06", PIN, tmp_path / "t")
    sitting = _sitting(live)
    seen: list = []
    client = LiveClient.for_server(live.url, sitting,
                                   credentials=DeviceCredentials(lambda: tablet.client),
                                   callbacks=Callbacks(on_link=seen.append))
    client.start()
    try:
        _wait(lambda: client.link.status == "online")
        old = client.token
        rest = httpx.get(f"{live.url}/api/sittings/{sitting}",
                         headers={"Authorization": f"Bearer {old}"})
        assert rest.status_code == 200  # the device's credential is its owner's, on REST too
        assert live.call("POST", f"/api/devices/{tablet.device_id}/revoke").status_code == 200
        rest = httpx.get(f"{live.url}/api/sittings/{sitting}",
                         headers={"Authorization": f"Bearer {old}"})
        assert rest.status_code == 401  # and ends with the device
        _wait(lambda: client.link.status == "refused")
        assert "thu hồi" in (client.link.message_vi or ""), client.link
        checked_in = client.send(cmd.CheckIn(key=uuid.uuid4().hex))
        time.sleep(0.5)
        assert checked_in.state == "queued"  # nothing reaches the sitting any more
        state = live.call("GET", f"/api/sittings/{sitting}", "chair").json()
        assert live.person_id("delegate06") not in state["state"]["present"]
    finally:
        client.stop()
        tablet.close()
    runner = CliRunner()
    refused = runner.invoke(app, ["join", "--once"], env={
        "HDND_TABLET_DIR": str(tmp_path / "t"), "HDND_TABLET_PIN": PIN})
    assert refused.exit_code == 1
    line = json.loads(refused.output.strip().splitlines()[-1])
    assert line["type"] == "refused" and line["code"] == "device_revoked"
