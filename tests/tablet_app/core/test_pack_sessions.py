"""The tablet learns its sessions from the server: no session number to type."""

from __future__ import annotations

from pathlib import Path

import pytest

from server.demo.calendar import demo_schedule
from tablet_app.core.client import DeviceRevoked
from tablet_app.core.enrol import enrol
from tablet_app.core.keystore import KeyStore, ScryptParams
from tablet_app.core.sync import DeviceWiped, Tablet
from tests.tablet_app.core._pack_server import PIN, LiveServer

SESSION_TITLE = demo_schedule().session_title

FAST = ScryptParams(log2_n=8)


def enrolled(live: LiveServer, username: str, folder: Path) -> Tablet:
    return enrol(live.url, live.issue_code(username), f"Máy {username}", PIN, folder,
                 platform="test", params=FAST)


def test_sessions_offered_then_synced_then_updated(live: LiveServer, tmp_path: Path) -> None:
    tablet = enrolled(live, "delegate02", tmp_path / "tablet")
    assert tablet.available_sessions() == []  # nothing published for it yet
    first = live.publish()
    [offered] = tablet.available_sessions()
    assert offered.session_id == str(live.session_id) and offered.title == SESSION_TITLE
    assert offered.pack_version == first and offered.held_version is None
    assert not offered.up_to_date and offered.start_date is not None and offered.place

    tablet.sync(offered.session_id)
    assert len(tablet.list_stored()) == offered.documents  # the ones it holds a key for
    [synced] = tablet.available_sessions()
    assert synced.held_version == first and synced.up_to_date

    live.revise(live.big_documents()[0], live.plaintext(live.big_documents()[1]))
    second = live.publish()
    [behind] = tablet.available_sessions()
    assert behind.pack_version == second and behind.held_version == first
    assert not behind.up_to_date


def test_a_revoked_tablet_is_told_and_a_wiped_one_obeys(live: LiveServer, tmp_path: Path) -> None:
    revoked = enrolled(live, "delegate03", tmp_path / "revoked")
    wiped = enrolled(live, "delegate05", tmp_path / "wiped")
    live.publish()
    assert revoked.available_sessions() and wiped.available_sessions()
    live.call("POST", f"/api/devices/{revoked.device_id}/revoke")
    with pytest.raises(DeviceRevoked):
        revoked.available_sessions()
    live.call("POST", f"/api/devices/{wiped.device_id}/wipe")
    with pytest.raises(DeviceWiped):
        wiped.available_sessions()
    assert KeyStore.wiped_reason(tmp_path / "wiped") == "remote"
    assert KeyStore.exists(tmp_path / "revoked")  # revoked only: it keeps what it had
