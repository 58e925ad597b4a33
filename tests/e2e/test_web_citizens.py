"""A citizen on a phone (390×844, JavaScript off) sends a petition with a PDF, gets the
tracking code; the clerk forwards it, records the answering body's reply and closes it;
after each step the citizen's status page shows it; every notice arrives at a real local
SMTP server (aiosmtpd)."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator

import pytest
from playwright.sync_api import expect

from tests.e2e.web_conftest import (
    ROOT,
    WebServer,
    _start_server,
    free_port,
    sign_in,
    vietnamese_pdf,
)
from tests.server.citizens.conftest import Mailbox

PHONE = {"width": 390, "height": 844}
SHOTS = ROOT / "docs" / "screenshots"
EMAIL = "nguyen.van.an@example.vn"


@pytest.fixture(scope="module")
def mail_server() -> Iterator[tuple[Mailbox, int]]:
    from aiosmtpd.controller import Controller

    box, port = Mailbox(), free_port()
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    yield box, port
    controller.stop()


@pytest.fixture(scope="module")
def citizen_server(tmp_path_factory, mail_server) -> Iterator[WebServer]:
    yield from _start_server(tmp_path_factory, {
        "HDND_SMTP_HOST": "127.0.0.1", "HDND_SMTP_PORT": str(mail_server[1]),
        "HDND_SMTP_STARTTLS": "false", "HDND_SMTP_FROM": "hdnd@xa.example"})


def _mail_for(box: Mailbox, count: int) -> list:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        found = [m for rcpt, m in box.messages if rcpt == [EMAIL]]
        if len(found) >= count:
            return found
        time.sleep(0.1)
    return [m for rcpt, m in box.messages if rcpt == [EMAIL]]


def test_citizen_petition_on_a_phone_through_every_step(browser, citizen_server, mail_server,
                                                        tmp_path):
    box, _port = mail_server
    phone = browser.new_context(base_url=citizen_server.base, viewport=PHONE,
                                device_scale_factor=2, is_mobile=True, has_touch=True,
                                locale="vi-VN", java_script_enabled=False)
    citizen = phone.new_page()
    citizen.goto("/")
    citizen.get_by_role("link", name="Gửi đơn, kiến nghị").click()
    expect(citizen.get_by_role("heading", name="Gửi kiến nghị, khiếu nại, tố cáo, đề xuất")
           ).to_be_visible()
    # big targets for a thumb
    for target in (citizen.get_by_role("button", name="Gửi đơn"),
                   citizen.locator("label.choice").first, citizen.get_by_label("Tóm tắt nội dung")):
        assert target.bounding_box()["height"] >= 44
    assert citizen.get_by_role("button", name="Gửi đơn").bounding_box()["width"] > 300
    SHOTS.mkdir(parents=True, exist_ok=True)
    citizen.screenshot(path=str(SHOTS / "citizen-form-phone.png"), full_page=True)

    citizen.get_by_role("radio", name=re.compile("^Kiến nghị")).check()
    citizen.get_by_label("Tóm tắt nội dung").fill("Sửa đường liên thôn Đông — Tây")
    citizen.get_by_role("textbox", name="Nội dung", exact=True).fill(
        "Đường liên thôn xuống cấp, mùa mưa ngập sâu.")
    citizen.get_by_label("Thôn, tổ dân phố").fill("Thôn Đông")
    pdf = vietnamese_pdf(tmp_path / "anh-duong.pdf", "Ảnh hiện trạng đường liên thôn", 1)
    citizen.get_by_label("Tệp đính kèm").set_input_files(str(pdf))
    citizen.get_by_label("Họ và tên").fill("Nguyễn Văn An")
    citizen.get_by_label("E-mail", exact=True).fill(EMAIL)
    citizen.get_by_role("radio", name="Qua e-mail").check()
    citizen.get_by_role("button", name="Gửi đơn").click()

    expect(citizen.get_by_role("heading", name="Đơn của bạn đã được tiếp nhận")).to_be_visible()
    shown = citizen.locator("#tracking-code").inner_text()
    assert re.fullmatch(r"[2-9A-Z]{5}-[2-9A-Z]{5}", shown)
    code = shown.replace("-", "")
    expect(citizen.locator("#step-received")).to_have_class(re.compile(r"\bdone\b"))
    expect(citizen.locator("#step-forwarded")).to_contain_text("chưa đến bước này")
    citizen.screenshot(path=str(SHOTS / "citizen-code-phone.png"), full_page=True)
    first = _mail_for(box, 1)
    assert first and shown in first[0]["Subject"] and "đã được tiếp nhận" in first[0]["Subject"]

    clerk = browser.new_context(base_url=citizen_server.base, locale="vi-VN").new_page()
    sign_in(clerk, "clerk")
    clerk.get_by_role("link", name="Đơn công dân").click()
    clerk.get_by_role("link", name=code).click()
    expect(clerk.locator("#sender")).to_contain_text("Nguyễn Văn An")
    expect(clerk.get_by_role("link", name="tep-1.pdf")).to_be_visible()

    def status_page() -> None:
        citizen.goto("/cong-dan/ho-so")
        citizen.get_by_label("Nhập mã theo dõi (10 ký tự)").fill(shown.lower())
        citizen.get_by_role("button", name="Tra cứu").click()

    clerk.get_by_label("Cơ quan trả lời").fill("UBND xã — Ban Quản lý dự án")
    clerk.get_by_role("button", name="Chuyển cơ quan trả lời").click()
    expect(clerk.locator("#case-status")).to_have_text("Đã chuyển cơ quan có thẩm quyền")
    status_page()
    expect(citizen.locator("#step-forwarded")).to_have_class(re.compile(r"\bdone\b"))
    expect(citizen.locator("#step-forwarded")).to_contain_text("UBND xã — Ban Quản lý dự án")

    clerk.get_by_label("Nội dung trả lời").fill("Đã đưa vào kế hoạch sửa chữa năm 2027.")
    clerk.get_by_label("Hiển thị trả lời trên trang tra cứu").check()
    clerk.get_by_role("button", name="Ghi nhận trả lời").click()
    status_page()
    expect(citizen.locator("#step-answered")).to_have_class(re.compile(r"\bdone\b"))
    expect(citizen.locator("#reply")).to_have_text("Đã đưa vào kế hoạch sửa chữa năm 2027.")

    clerk.get_by_role("button", name="Kết thúc hồ sơ").click()
    status_page()
    expect(citizen.locator("ol.steps li.done")).to_have_count(4)
    expect(citizen.locator("#step-closed")).to_have_class(re.compile(r"\bcurrent\b"))
    citizen.screenshot(path=str(SHOTS / "citizen-status-phone.png"), full_page=True)
    clerk.reload()
    expect(clerk.locator("#notices li")).to_have_count(4)
    expect(clerk.locator("#notices")).not_to_contain_text("chưa gửi được")
    clerk.screenshot(path=str(SHOTS / "citizen-case-console.png"), full_page=True)

    mails = _mail_for(box, 4)
    subjects = [m["Subject"] for m in mails]
    assert len(mails) == 4, subjects
    for subject, step in zip(subjects, ("đã được tiếp nhận", "đã được chuyển",
                                        "đã có trả lời", "đã kết thúc"), strict=True):
        assert shown in subject and step in subject
    assert f"/cong-dan/ho-so?ma={code}" in mails[-1].get_content()
    phone.close()
    clerk.context.close()
