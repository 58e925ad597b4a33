"""``hdnd-tablet`` drives the same library headless: enrol, sync with a bar, list, wipe."""

from __future__ import annotations

import json

from typer.testing import CliRunner

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
    synced = runner.invoke(app, ["sync", "--session", str(live.session_id)], env=env)
    assert synced.exit_code == 0, synced.output
    assert f"Phiên bản {version}" in synced.output and "MB" in synced.output
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
