"""A delegate's tablet (device-signed) reads the petitions and proposals citizens sent from
the delegate's thôn, with their answers; not complaints, denunciations, senders or codes."""

from __future__ import annotations

import re

from sqlmodel import Session, select

from server.models import Account
from server.models.delegates import DelegateProfile
from tests.server.citizens.conftest import csrf_of, web_client
from tests.server.citizens.test_citizen_door import send
from tests.server.conftest import Api
from tests.server.packs.test_devices_api import enrol


def test_tablet_lists_the_constituency_petitions_and_answers(citizens_app):
    citizens_app.app.state.__dict__.pop("citizen_limiters", None)
    with Session(citizens_app.app.state.engine) as db:
        person = db.exec(select(Account).where(Account.username == "delegate06")).one().person_id
        area = db.exec(select(DelegateProfile).where(DelegateProfile.person_id == person)
                       ).one().constituency
    assert area
    citizen = web_client(citizens_app, None)
    codes = {}
    for key, fields in {
        "mine": {"title": "Lắp đèn đường xóm Giữa", "text": "Xóm Giữa chưa có đèn.",
                 "area": area, "full_name": "Lê Thị Hoa", "phone": "0901 234 567"},
        "proposal": {"case_type": "proposal", "title": "Sân chơi cho trẻ em",
                     "text": "Đề xuất làm sân chơi.", "area": area},
        "complaint": {"case_type": "complaint", "title": "Khiếu nại bồi thường",
                      "text": "Khiếu nại mức bồi thường.", "area": area,
                      "full_name": "Phạm Văn Khiếu", "address": area},
        "denunciation": {"case_type": "denunciation", "title": "Tố cáo thu tiền",
                         "text": "Thu tiền sai.", "area": area, "full_name": "Vũ Văn Tố",
                         "phone": "0911 111 111"},
        "elsewhere": {"title": "Nạo vét kênh", "text": "Kênh bị bồi lắng.",
                      "area": "Thôn Khác Hẳn"},
    }.items():
        answer = send(citizen, **fields)
        assert answer.status_code == 303, answer.text
        codes[key] = re.search(r"ma=([A-Z0-9]+)", answer.headers["location"]).group(1)
    clerk = web_client(citizens_app, "clerk")
    listing = clerk.get("/console/cong-dan").text
    case_id = re.search(rf'href="/console/cong-dan/(\d+)">{codes["mine"]}<', listing).group(1)
    token = csrf_of(clerk.get(f"/console/cong-dan/{case_id}").text)
    for step, fields in (("chuyen", {"agency": "UBND xã"}),
                         ("tra-loi", {"answer": "Sẽ lắp 12 bóng đèn trong tháng 12.",
                                      "public": "1"})):
        assert clerk.post(f"/console/cong-dan/{case_id}/{step}",
                          data={"csrf_token": token, **fields},
                          follow_redirects=False).status_code == 303

    api = Api(citizens_app)
    tablet = enrol(api, "delegate06")
    unsigned = citizens_app.get("/api/devices/me/citizen-petitions")
    assert unsigned.status_code == 401
    answer = citizens_app.get("/api/devices/me/citizen-petitions", auth=tablet.auth())
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["constituency"] == area
    titles = [c["title"] for c in body["cases"]]
    assert titles == ["Sân chơi cho trẻ em", "Lắp đèn đường xóm Giữa"]
    mine = body["cases"][1]
    assert mine["status"] == "answered" and mine["agency"] == "UBND xã"
    assert mine["answer"] == "Sẽ lắp 12 bóng đèn trong tháng 12."
    text = answer.text
    for secret in ("Lê Thị Hoa", "0901 234 567", "Vũ Văn Tố", "Phạm Văn Khiếu",
                   *codes.values()):
        assert secret not in text
