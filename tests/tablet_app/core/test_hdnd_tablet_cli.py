"""``hdnd-tablet`` drives the same library headless: enrol, sessions, sync with a bar, list,
wipe, and orders before the PIN."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from server.demo.calendar import demo_schedule
from tablet_app.core.cli import app
from tablet_app.core.keystore import KeyStore
from tests.tablet_app.core._pack_server import PIN, LiveServer


def test_enrol_sync_list_wipe(live: LiveServer, tmp_path) -> None:
    runner = CliRunner()
    env = {"HDND_TABLET_DIR": str(tmp_path / "tablet"), "HDND_TABLET_PIN": PIN}
    enrolled = runner.invoke(app, ["enrol", "--server", live.url, "--code",
                                   live.issue_code("delegate03"), "--label", "Máy 03"], env=env)
    assert enrolled.exit_code == 0, enrolled.output
    version = live.publish()
    offered = runner.invoke(app, ["sessions"], env=env)  # no session number to know
    assert offered.exit_code == 0, offered.output
    assert demo_schedule().session_title in offered.output
    assert f"có bản {version}" in offered.output
    synced = runner.invoke(app, ["sync"], env=env)  # every session offered
    assert synced.exit_code == 0, synced.output
    assert f"Kỳ họp {live.session_id}, phiên bản {version}" in synced.output
    assert "MB" in synced.output
    listed = json.loads(runner.invoke(app, ["sessions", "--json"], env=env).output.splitlines()[0])
    assert listed["held_version"] == listed["pack_version"] == version
    again = runner.invoke(app, ["sync", "--session", str(live.session_id), "--json"], env=env)
    report = json.loads(again.output.strip().splitlines()[-1])
    assert report["pack_version"] == version and report["bytes_downloaded"] == 0
    listed = runner.invoke(app, ["list"], env=env)
    assert all(d["title"] in listed.output for d in live.documents())
    assert len(listed.output.strip().splitlines()) == len(live.documents())
    wrong = runner.invoke(app, ["list", "--pin", "000000"], env=env)
    assert wrong.exit_code == 1 and "Mã PIN không đúng" in wrong.output
    wiped = runner.invoke(app, ["wipe", "--yes"], env=env)
    assert wiped.exit_code == 0 and not KeyStore.exists(tmp_path / "tablet")


def test_a_wipe_order_needs_no_pin(live: LiveServer, tmp_path) -> None:
    runner = CliRunner()
    folder = tmp_path / "tablet"
    env = {"HDND_TABLET_DIR": str(folder), "HDND_TABLET_PIN": PIN}
    enrolled = runner.invoke(app, ["enrol", "--server", live.url, "--code",
                                   live.issue_code("delegate04"), "--label", "Máy 04"], env=env)
    assert enrolled.exit_code == 0, enrolled.output
    live.publish()
    assert runner.invoke(app, ["sync", "--session", str(live.session_id)], env=env).exit_code == 0
    no_pin = {"HDND_TABLET_DIR": str(folder)}
    calm = runner.invoke(app, ["orders"], env=no_pin)
    assert calm.exit_code == 0 and "Không có lệnh xóa" in calm.output
    device_id = json.loads((folder / "device.json").read_text())["device_id"]
    assert live.call("POST", f"/api/devices/{device_id}/wipe").status_code == 200
    # No PIN given and none typed: the wipe happens before the PIN would be asked for.
    wiped = runner.invoke(app, ["sync", "--session", str(live.session_id)], env=no_pin, input="")
    assert wiped.exit_code == 1 and "đã được xóa" in wiped.output, wiped.output
    assert KeyStore.wiped_reason(folder) == "remote" and not (folder / "packs").exists()
