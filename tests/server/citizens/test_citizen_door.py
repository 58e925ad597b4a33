"""The citizens' door without a browser: the form's refusals keep what was typed, the
tracking code and status page, the clerk's steps through the follow-up life cycle, notices
by e-mail (a real SMTP server) and SMS (a real HTTP gateway), and rate limits."""

from __future__ import annotations

import re

import pytest
from sqlmodel import Session, select

from server.citizens.codes import ALPHABET, LENGTH, new_code
from server.models import AuditEntry
from server.models.citizens import CitizenCase
from server.models.followup import TrackedItem
from server.security.rate_limit import Budget, RateLimiter
from tests.server.citizens.conftest import csrf_of, web_client

CODE_IN_URL = re.compile(r"ma=([A-Z0-9]+)")


def send(client, **fields) -> object:
    page = client.get("/cong-dan/gui-don")
    data = {"csrf_token": csrf_of(page.text), "case_type": "petition", "title": "",
            "text": "", "area": "", "full_name": "", "address": "", "email": "", "phone": "",
            "notify_by": "", **fields}
    files = fields.pop("files", None)
    data.pop("files", None)
    return client.post("/cong-dan/gui-don", data=data, files=files, follow_redirects=False)


def test_codes_are_long_random_and_unambiguous():
    codes = {new_code() for _ in range(2000)}
    assert len(codes) == 2000
    assert all(len(c) == LENGTH and set(c) <= set(ALPHABET) for c in codes)
    assert not set("01OIL") & set(ALPHABET)


def test_a_complaint_without_a_name_is_refused_in_words_and_keeps_the_text(citizens_app):
    citizen = web_client(citizens_app, None)
    answer = send(citizen, case_type="complaint", title="Quyết định thu hồi đất",
                  text="Tôi không đồng ý với quyết định số 12/QĐ-UBND.", area="Thôn Đông")
    assert answer.status_code == 422
    assert "phải ghi họ tên người gửi" in answer.text
    assert "Luật Khiếu nại 2011" in answer.text
    # nothing typed is lost
    assert "Tôi không đồng ý với quyết định số 12/QĐ-UBND." in answer.text
    assert 'value="Quyết định thu hồi đất"' in answer.text
    assert re.search(r'value="complaint"\s+checked', answer.text)


def test_a_forged_file_is_refused_and_the_text_kept(citizens_app):
    citizen = web_client(citizens_app, None)
    answer = send(citizen, title="Đèn đường hỏng", text="Đèn đường thôn Bắc hỏng.",
                  files=[("files", ("anh.png", b"not an image at all", "image/png"))])
    assert answer.status_code == 415
    assert "Chỉ nhận tệp PDF, PNG hoặc JPEG hợp lệ." in answer.text
    assert "Đèn đường thôn Bắc hỏng." in answer.text
    assert "anh.png" in answer.text  # named, so the citizen chooses it again


def test_petition_through_every_step_with_sms_notices(citizens_app, sms_gateway, mailbox):
    received, _url = sms_gateway
    before = len(received)
    citizen = web_client(citizens_app, None)
    answer = send(citizen, title="Sửa cầu tràn thôn Nam", text="Cầu tràn ngập mỗi khi mưa.",
                  area="Thôn Nam", phone="0912 345 678", notify_by="sms")
    assert answer.status_code == 303, answer.text
    code = CODE_IN_URL.search(answer.headers["location"]).group(1)
    status = citizen.get(answer.headers["location"])
    assert code[:5] + "-" + code[5:] in status.text
    assert "Đã tiếp nhận" in status.text

    clerk = web_client(citizens_app, "clerk")
    listing = clerk.get("/console/cong-dan")
    case_id = int(re.search(rf'href="/console/cong-dan/(\d+)">{code}<', listing.text).group(1))
    page = clerk.get(f"/console/cong-dan/{case_id}")
    assert "0912 345 678" in page.text  # a petition's sender: any clerk
    token = csrf_of(page.text)
    steps = [("chuyen", {"agency": "UBND xã — Phòng Kinh tế"}),
             ("tra-loi", {"answer": "Đã bố trí vốn sửa cầu trong quý I.", "public": "1"}),
             ("ket-thuc", {})]
    for step, fields in steps:
        done = clerk.post(f"/console/cong-dan/{case_id}/{step}",
                          data={"csrf_token": token, **fields}, follow_redirects=False)
        assert done.status_code == 303, done.text
    status = web_client(citizens_app, None).get(f"/cong-dan/ho-so?ma={code.lower()}")
    assert "UBND xã — Phòng Kinh tế" in status.text
    assert "Đã bố trí vốn sửa cầu trong quý I." in status.text
    assert status.text.count('class="step done') == 4

    sms = received[before:]
    assert [m["body"]["phone"] for m in sms] == ["84912345678"] * 4
    assert all(m["auth"] == "Bearer gateway-token" and m["path"] == "/sms/send" for m in sms)
    assert all(m["body"]["brandname"] == "HDND-XA" and m["body"]["reference"] == code
               for m in sms)
    assert "đã được tiếp nhận" in sms[0]["body"]["message"]
    assert "đã được chuyển" in sms[1]["body"]["message"]
    assert "đã có trả lời" in sms[2]["body"]["message"]
    assert f"https://hdnd.xa.example/cong-dan/ho-so?ma={code}" in sms[3]["body"]["message"]

    with Session(citizens_app.app.state.engine) as db:
        case = db.exec(select(CitizenCase).where(CitizenCase.code == code)).one()
        item = db.get(TrackedItem, case.item_id)
        assert item.kind == "citizen_complaint" and item.status == "verified_done"
        assert item.sender_notified_at is not None  # counts for target (5)
        actions = [a.action for a in db.exec(select(AuditEntry).where(
            AuditEntry.target_id.in_([str(case.id), str(item.id)]))).all()]
    for expected in ("citizens.case_received", "followup.forward", "followup.record_answer",
                     "followup.verify_done", "citizens.sender_notice", "citizens.sender_read"):
        assert expected in actions


def test_email_notice_arrives_at_the_smtp_server(citizens_app, mailbox):
    box, _port = mailbox
    before = len(box.messages)
    citizen = web_client(citizens_app, None)
    answer = send(citizen, case_type="proposal", title="Mở lớp tin học cho người cao tuổi",
                  text="Đề xuất mở lớp tại nhà văn hoá.", email="ba.lan@example.vn",
                  notify_by="email")
    assert answer.status_code == 303
    code = CODE_IN_URL.search(answer.headers["location"]).group(1)
    rcpt, message = box.messages[before]
    assert rcpt == ["ba.lan@example.vn"]
    assert code[:5] in message["Subject"] and "đã được tiếp nhận" in message["Subject"]
    assert f"/cong-dan/ho-so?ma={code}" in message.get_content()


def test_unknown_code_answers_in_words(citizens_app):
    page = web_client(citizens_app, None).get("/cong-dan/ho-so?ma=ABCDE-FGHJK")
    assert page.status_code == 404
    assert "Không tìm thấy hồ sơ với mã này" in page.text


def test_rate_limiter_per_source_and_overall():
    now = [0.0]
    limiter = RateLimiter(Budget(per_source=2, overall=3, window_seconds=60), lambda: now[0])
    assert limiter.take("a") == 0 and limiter.take("a") == 0
    assert limiter.take("a") > 0  # the source's budget
    assert limiter.take("b") == 0
    assert limiter.take("c") > 0  # everyone's budget
    now[0] = 61
    assert limiter.take("a") == 0


def test_a_flood_from_one_address_is_refused_and_keeps_the_text(citizens_app):
    citizen = web_client(citizens_app, None)
    answers = [send(citizen, title=f"Kiến nghị {n}", text="Nội dung lặp lại.")
               for n in range(7)]
    refused = [a for a in answers if a.status_code == 429]
    assert refused, [a.status_code for a in answers]
    assert "Nội dung bạn nhập vẫn còn" in refused[0].text
    assert "Nội dung lặp lại." in refused[0].text


@pytest.fixture(autouse=True)
def _fresh_limits(citizens_app):
    """Each test starts with the portal's budgets unused (they are per process)."""
    citizens_app.app.state.__dict__.pop("citizen_limiters", None)


def test_mistakes_corrected_do_not_use_up_the_budget(citizens_app):
    citizen = web_client(citizens_app, None)
    for _ in range(6):  # more refusals than the accepted cases' budget
        assert send(citizen, title="Rác thải", text="").status_code == 422
    assert send(citizen, title="Rác thải", text="Bãi rác tự phát ven đường.").status_code == 303


def test_more_files_than_the_form_takes_is_refused_in_words(citizens_app):
    citizen = web_client(citizens_app, None)
    files = [("files", (f"tep{n}.png", b"x", "image/png")) for n in range(5)]
    answer = send(citizen, title="Nhiều tệp", text="Gửi năm tệp.", files=files)
    assert answer.status_code == 422
    assert "Tối đa 3 tệp đính kèm" in answer.text
