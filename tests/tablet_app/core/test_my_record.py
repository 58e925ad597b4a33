"""The delegate's own record on the tablet: fetched device-signed from a real server, in
full (training included), kept sealed in the key store and read from there offline."""

from __future__ import annotations

from pathlib import Path

import pytest

from shared import clock
from tablet_app.core.enrol import enrol
from tablet_app.core.keystore import KeyStore, ScryptParams
from tablet_app.core.my_record import RECORD_KEY, NoRecordYet, for_tablet, sections
from tests.tablet_app.core._pack_server import PIN, LiveServer

FAST = ScryptParams(log2_n=8)


def test_own_record_online_then_offline(live: LiveServer, tmp_path: Path) -> None:
    year = clock.today().year
    me = live.person_id("delegate02")
    course = live.call("POST", "/api/training/courses", json={
        "title": "Kỹ năng số cho đại biểu", "topic": "Chuyển đổi số", "digital_skills": True,
        "ai": False, "starts_on": f"{year}-03-02", "ends_on": f"{year}-03-03",
        "organiser": "Văn phòng"}).json()
    live.call("PUT", f"/api/training/courses/{course['id']}/attendance",
              json={"person_ids": [me]}).raise_for_status()

    tablet = enrol(live.url, live.issue_code("delegate02"), "Máy delegate02", PIN,
                   tmp_path / "tablet", platform="test", params=FAST)
    book = for_tablet(tablet)
    online = book.load()
    assert not online.offline
    assert online.record["person_id"] == me and online.record["year"] == year
    titles = [t["title"] for t in online.record["training"]]
    assert "Kỹ năng số cho đại biểu" in titles  # personal: only the owner's device gets it
    shown = {s.title: s for s in sections(online.record, "vi")}
    assert shown["Bồi dưỡng, tập huấn"].count == str(len(titles))
    assert f"02/03/{year} · Kỹ năng số cho đại biểu · Văn phòng" in shown["Bồi dưỡng, tập huấn"].lines
    assert "Phát biểu, tranh luận, chất vấn" in shown
    tablet.close()

    # the copy is sealed under the PIN, not lying in a file in clear
    for path in (tmp_path / "tablet").rglob("*"):
        if path.is_file():
            assert "Kỹ năng số cho đại biểu".encode() not in path.read_bytes()
    reopened = KeyStore.unlock(tmp_path / "tablet", PIN)
    assert reopened.value(RECORD_KEY)

    live.stop()
    try:
        from tablet_app.core.sync import Tablet

        tablet = Tablet.open(tmp_path / "tablet", PIN)
        offline = for_tablet(tablet).load()
        assert offline.offline and offline.record == online.record
        tablet.close()
    finally:
        live.start()


def test_offline_without_a_copy_says_so(live: LiveServer, tmp_path: Path) -> None:
    tablet = enrol(live.url, live.issue_code("delegate03"), "Máy delegate03", PIN,
                   tmp_path / "t", platform="test", params=FAST)
    live.stop()
    try:
        with pytest.raises(NoRecordYet):
            for_tablet(tablet).load()
    finally:
        tablet.close()
        live.start()


def test_a_device_of_someone_else_reads_only_its_owner(live: LiveServer, tmp_path: Path) -> None:
    tablet = enrol(live.url, live.issue_code("delegate05"), "Máy delegate05", PIN,
                   tmp_path / "t5", platform="test", params=FAST)
    try:
        record = for_tablet(tablet).load().record
        assert record["person_id"] == live.person_id("delegate05")
        assert live.call("GET", "/api/devices/me/record").status_code == 401  # not a device
    finally:
        tablet.close()
