"""Deadline reminders: recorded in the app and e-mailed once through a real SMTP server
(aiosmtpd on a loopback port), in Vietnamese."""

from __future__ import annotations

import email
import email.policy
import socket
from datetime import date, datetime

import pytest
from aiosmtpd.controller import Controller
from sqlmodel import Session, select

from server.followup.deadlines import VN_TZ
from server.followup.reminders import notices, send_reminders
from server.models.followup_notice import FollowupReminder

# A day far from the demo's year, so only this test's items fall in the window:
# Monday 11 March 2030, 08:30 in Vietnam.
NOW = datetime(2030, 3, 11, 8, 30, tzinfo=VN_TZ)


class Inbox:
    def __init__(self) -> None:
        self.messages: list[email.message.EmailMessage] = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(email.message_from_bytes(envelope.original_content,
                                                      policy=email.policy.default))
        return "250 OK"


@pytest.fixture
def smtp_server():
    inbox = Inbox()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield controller, inbox
    finally:
        controller.stop()


def _item(api, title: str, due: date, **extra) -> int:
    response = api.request("clerk", "POST", "/api/followup/items", json={
        "kind": "supervision_recommendation", "title": title, "received_on": "2030-01-15",
        "due_on": due.isoformat(), "responsible_agency": "Phòng Kinh tế xã", **extra})
    assert response.status_code == 201, response.text
    return response.json()["id"]


def test_reminders_7_and_1_days_before_and_the_day_after_sent_once(api, smtp_server):
    controller, inbox = smtp_server
    week = _item(api, "Hoàn thành kè chống sạt lở suối Lao Chải", date(2030, 3, 18))
    tomorrow = _item(api, "Báo cáo kết quả cấp nước sinh hoạt thôn Ngải Thầu",
                     date(2030, 3, 12))
    late = _item(api, "Sửa chữa phòng học điểm trường Phìn Hồ", date(2030, 3, 10))
    later = _item(api, "Trồng rừng phòng hộ đầu nguồn", date(2030, 4, 30))
    done = _item(api, "Đã xong: bố trí cán bộ y tế thôn", date(2030, 3, 12))
    for action in ("forward", "record_answer"):
        answered = api.request("clerk", "POST", f"/api/followup/items/{done}/actions",
                               json={"action": action, "answer": "Đã bố trí."})
        assert answered.status_code == 200, answered.text

    settings = api.client.app.state.settings.model_copy(update={
        "smtp_host": controller.hostname, "smtp_port": controller.port,
        "smtp_starttls": False, "smtp_from": "hdnd@yty.laocai.gov.vn"})
    mine = {week, tomorrow, late, later, done}
    with Session(api.client.app.state.engine) as db:
        run = send_reminders(db, settings, NOW, recipients=["vanphong@yty.laocai.gov.vn"],
                             base_url="http://hdnd.local")
        created = {(r.item_id, r.days_from_due) for r in run.created if r.item_id in mine}
        assert created == {(week, -7), (tomorrow, -1), (late, 1)}
        assert not run.failed

        # a second run (cron every hour) records and sends nothing again
        again = send_reminders(db, settings, NOW.replace(hour=9),
                               recipients=["vanphong@yty.laocai.gov.vn"])
        assert [r for r in again.created if r.item_id in mine] == []
        assert again.emailed == []
        rows = db.exec(select(FollowupReminder).where(
            FollowupReminder.item_id.in_(mine))).all()  # type: ignore[attr-defined]
        assert len(rows) == 3 and all(r.emailed_at is not None for r in rows)
        assert {i.id for _r, i in notices(db, unread_only=True, limit=500)} >= {week, late}

    ours = [m for m in inbox.messages if "2030" in m["Subject"]]
    assert len(ours) == 3
    subjects = sorted(m["Subject"] for m in ours)
    assert ("[HĐND] Còn 7 ngày đến hạn (18/03/2030): Hoàn thành kè chống sạt lở suối "
            "Lao Chải") in subjects
    assert ("[HĐND] Còn 1 ngày đến hạn (12/03/2030): Báo cáo kết quả cấp nước sinh hoạt "
            "thôn Ngải Thầu") in subjects
    assert "[HĐND] Quá hạn từ ngày 10/03/2030: Sửa chữa phòng học điểm trường Phìn Hồ" \
        in subjects
    overdue = next(m for m in ours if "Quá hạn" in m["Subject"])
    body = overdue.get_content()
    assert "Cơ quan được giao: Phòng Kinh tế xã" in body
    assert "đã quá hạn 1 ngày" in body
    assert f"http://hdnd.local/console/theo-doi/viec/{late}" in body
    assert overdue["To"] == "vanphong@yty.laocai.gov.vn"
    assert "HĐND điện tử" in overdue["From"]


def test_without_smtp_the_reminders_stay_in_the_app(api):
    item = _item(api, "Kiểm tra an toàn hồ chứa nước Mò Phú Chải", date(2030, 6, 3),
                 received_on="2030-05-02")
    settings = api.client.app.state.settings  # no smtp_host
    with Session(api.client.app.state.engine) as db:
        run = send_reminders(db, settings, datetime(2030, 6, 2, 8, 0, tzinfo=VN_TZ),
                             recipients=["vanphong@yty.laocai.gov.vn"])
        assert [(r.item_id, r.days_from_due) for r in run.created] == [(item, -1)]
        assert run.emailed == []
        row = db.exec(select(FollowupReminder).where(FollowupReminder.item_id == item)).one()
        assert row.emailed_at is None
