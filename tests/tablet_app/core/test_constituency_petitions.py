"""The tablet's client reads, over a real socket and signed with its device key, the
petitions citizens sent from its owner's thôn through the portal."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
from sqlmodel import Session, select

from tablet_app.core.enrol import enrol
from tablet_app.core.keystore import ScryptParams
from tests.tablet_app.core._pack_server import PIN, LiveServer


def _constituency(live: LiveServer, username: str) -> str:
    from server.models.delegates import DelegateProfile

    person = live.person_id(username)
    with Session(live.engine) as db:
        return db.exec(select(DelegateProfile.constituency).where(
            DelegateProfile.person_id == person)).one()


def test_tablet_client_lists_its_constituency_petitions(live: LiveServer, tmp_path: Path):
    tablet = enrol(live.url, live.issue_code("delegate06"), "Máy delegate06", PIN,
                   tmp_path / "tablet", platform="test", params=ScryptParams(log2_n=8))
    area = _constituency(live, "delegate06")
    assert tablet.client.citizen_petitions() == {"constituency": area, "cases": []}
    with httpx.Client(base_url=live.url, follow_redirects=True) as citizen:
        form = citizen.get("/cong-dan/gui-don")
        token = re.search(r'name="csrf_token" value="([^"]+)"', form.text).group(1)
        sent = citizen.post("/cong-dan/gui-don", data={
            "csrf_token": token, "case_type": "petition", "title": "Nước sạch cho xóm Trại",
            "text": "Xóm Trại chưa có nước máy.", "area": area, "full_name": "Đỗ Văn Bình"})
    assert sent.status_code == 200 and "Đơn của bạn đã được tiếp nhận" in sent.text
    answer = tablet.client.citizen_petitions()
    [case] = answer["cases"]
    assert case["title"] == "Nước sạch cho xóm Trại" and case["status"] == "received"
    assert "Đỗ Văn Bình" not in str(answer)
    tablet.close()
