"""Chất vấn end to end, in real browsers over a real server: a delegate registers a question
on the web before the sitting (another through the API the tablet uses), the Standing
Committee schedules and publishes the programme, the chair's console brings it into the
sitting and calls the first question with its timers (the projector counts down each
phase), the chair concludes; the second is never reached, gets a written-answer deadline
when the sitting closes, the official uploads the answer, and the asking delegate and the
portal show it."""

from __future__ import annotations

import re
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect

from shared import clock
from tests.e2e.web_conftest import _start_server, sign_in, vietnamese_pdf

SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
LAPTOP = {"width": 1366, "height": 900}
HALL = {"width": 1600, "height": 900}


@pytest.fixture()
def own_server(tmp_path_factory):
    """A server of its own (this test closes a sitting); prepared in a thread, as in
    test_web_operator."""
    from concurrent.futures import ThreadPoolExecutor

    servers = _start_server(tmp_path_factory)
    with ThreadPoolExecutor(1) as pool:
        server = pool.submit(next, servers).result()
    yield server
    next(servers, None)


def _page(browser, server, viewport=LAPTOP):
    context = browser.new_context(base_url=server.base, locale="vi-VN", viewport=viewport)
    page = context.new_page()
    page.set_default_timeout(10_000)
    return page


def _shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def _session_id(server) -> int:
    from server.demo.calendar import demo_schedule

    sessions = server.api("clerk", "GET", "/api/sessions").json()
    return next(s["id"] for s in sessions if s["title"] == demo_schedule().session_title)


def _chair(server, sitting_id: int, **command) -> None:
    response = server.api("chair", "POST", f"/api/sittings/{sitting_id}/commands",
                          json={"key": str(uuid.uuid4()), **command})
    assert response.status_code == 200, response.text


def test_a_question_from_registration_to_written_answer(browser, own_server, tmp_path):
    server = own_server
    session_id = _session_id(server)
    questions_url = f"/console/ky-hop/{session_id}/chat-van"

    # before the sitting: a delegate registers on the web and sees the place in the list
    delegate = _page(browser, server)
    sign_in(delegate, "delegate08")
    delegate.goto(questions_url)
    delegate.get_by_label("Hỏi ai (người, cơ quan trả lời)").fill("Chủ tịch UBND xã")
    delegate.get_by_label("Nội dung").fill("Trường mầm non thôn Lao Chải")
    delegate.get_by_label("Câu hỏi (ngắn gọn)").fill("Khi nào trường mầm non được sửa mái?")
    delegate.get_by_role("button", name="Gửi đăng ký").click()
    expect(delegate.locator("#q-notice")).to_contain_text("thứ tự hiện tại của câu hỏi")
    expect(delegate.locator(".q-table")).to_contain_text("Trường mầm non thôn Lao Chải")
    expect(delegate.locator(".q-table")).to_contain_text("Đã đăng ký")
    _shot(delegate, "web-questions-delegate")
    # another delegate registers through the API the tablet uses
    made = server.api("delegate10", "POST", f"/api/sessions/{session_id}/questions", json={
        "to_whom": "Chủ tịch UBND xã", "topic": "Nước sạch thôn Phìn Hồ",
        "text": "Bao giờ thôn Phìn Hồ có nước sạch?"})
    assert made.status_code == 201, made.text
    written_id = made.json()["id"]

    # the Standing Committee (the office for it) schedules both and publishes the programme
    clerk = _page(browser, server)
    sign_in(clerk, "clerk")
    clerk.goto(questions_url)
    rows = clerk.locator(".q-table tbody tr")
    expect(rows).to_have_count(2)
    for topic, place in (("Trường mầm non", "1"), ("Nước sạch", "2")):
        row = clerk.locator(".q-table tbody tr", has_text=topic)
        row.locator("select[name=addressee_id]").select_option(index=0)
        row.locator("input[name=position]").fill(place)
        row.locator("input[name=prepare_by]").fill("2026-11-25")
        row.locator("input[name=group_label]").fill("Hạ tầng, dân sinh")
        row.get_by_role("button", name="Xếp lịch").click()
        expect(clerk.locator(".q-table tbody tr", has_text=topic)).to_contain_text("Đã xếp lịch")
    clerk.get_by_role("button", name="Công bố chương trình vào bộ tài liệu kỳ họp").click()
    expect(clerk.locator("#q-notice")).to_contain_text("Đã công bố chương trình")
    _shot(clerk, "web-questions-programme")
    docs = server.api("delegate08", "GET", f"/api/sessions/{session_id}/documents").json()
    assert any(d["title"] == "Chương trình chất vấn" for d in docs)

    # in the hall: the chair's console brings in the programme and calls the first question
    sitting_id = server.api("clerk", "POST", f"/api/sessions/{session_id}/sittings",
                            json={"title": "Phiên chất vấn"}).json()["id"]
    _chair(server, sitting_id, type="open_sitting")
    clerk.goto(f"/console/ky-hop/{session_id}")
    projector = clerk.locator("#sittings li", has_text="Phiên chất vấn").get_by_role(
        "link", name="Màn hình hội trường").get_attribute("href")
    hall = _page(browser, server, HALL)
    hall.goto(projector)
    expect(hall.locator("#pj-state")).to_have_text("Đang họp")

    chair = _page(browser, server)
    sign_in(chair, "chair")
    chair.goto(f"/console/phien-hop/{sitting_id}/dieu-hanh")
    chair.get_by_role("button", name=re.compile("Đưa câu hỏi đã đăng ký")).click()
    questions = chair.locator("#op-questions li")
    expect(questions).to_have_count(2)
    expect(questions.nth(0)).to_contain_text("Trường mầm non")
    first = chair.locator("#op-questions li", has_text="Trường mầm non")
    first.get_by_role("button", name="Mời hỏi").click()
    expect(hall.locator("#pj-phase")).to_have_text("Chất vấn")
    expect(hall.locator("#pj-asked")).to_contain_text("Trường mầm non thôn Lao Chải")
    expect(hall.locator("#pj-countdown")).to_have_text(re.compile(r"^(2:00|1:5\d)$"))
    _shot(hall, "web-projector-question")
    chair.get_by_role("button", name="Kết thúc lượt").click()
    first.get_by_role("button", name="Mời trả lời").click()
    expect(hall.locator("#pj-phase")).to_have_text("Trả lời chất vấn")
    expect(hall.locator("#pj-countdown")).to_have_text(re.compile(r"^(5:00|4:5\d)$"))
    chair.get_by_role("button", name="Kết thúc lượt").click()
    first.get_by_role("button", name="Mời hỏi lại").click()
    expect(hall.locator("#pj-phase")).to_have_text("Chất vấn bổ sung")
    expect(hall.locator("#pj-countdown")).to_have_text(re.compile(r"^(1:00|0:5\d)$"))
    first.get_by_role("button", name="Đã trả lời").click()
    expect(hall.locator("#pj-phase")).to_have_text("")
    chair.once("dialog", lambda d: d.accept("Đề nghị UBND xã sửa mái trường trước Tết."))
    first.get_by_role("button", name="Kết luận").click()
    expect(first).to_contain_text("Kết luận: Đề nghị UBND xã sửa mái trường trước Tết.")
    _shot(chair, "web-operator-questions")
    # time runs out: the second question is never reached
    _chair(server, sitting_id, type="close_sitting")

    # after: a written-answer deadline, the official's PDF, the delegate and the portal
    due = (clock.today() + timedelta(days=30)).strftime("%d/%m/%Y")
    official = _page(browser, server)
    sign_in(official, "official1")
    official.goto(questions_url)
    row = official.locator(f"#q{written_id}")
    expect(row).to_contain_text("Chờ trả lời bằng văn bản")
    expect(row).to_contain_text(due)
    pdf = vietnamese_pdf(tmp_path / "tra-loi.pdf", "Trả lời chất vấn về nước sạch thôn Phìn Hồ")
    row.locator("input[type=file]").set_input_files(str(pdf))
    row.get_by_role("button", name="Tải lên văn bản trả lời").click()
    expect(official.locator(f"#q{written_id}")).to_contain_text("Đã trả lời bằng văn bản")

    asker = _page(browser, server)
    sign_in(asker, "delegate10")
    asker.goto(questions_url)
    expect(asker.locator(f"#q{written_id}")).to_contain_text("Đã trả lời bằng văn bản")
    answer_link = asker.locator(f"#q{written_id}").get_by_role(
        "link", name=re.compile("Văn bản trả lời"))
    expect(answer_link).to_be_visible()
    mine = server.api("delegate10", "GET", f"/api/sessions/{session_id}/questions/mine").json()
    assert next(q for q in mine if q["id"] == written_id)["answer_document_id"]

    public = _page(browser, server)
    public.goto("/chat-van")
    card = public.locator(f"#q{written_id}")
    expect(card).to_contain_text("Nước sạch thôn Phìn Hồ")
    expect(card).to_contain_text("Đã trả lời bằng văn bản")
    link = card.get_by_role("link", name=re.compile("Văn bản trả lời"))
    answer = server.api(None, "GET", link.get_attribute("href"))
    assert answer.status_code == 200 and answer.content.startswith(b"%PDF")
    concluded = public.locator(".question", has_text="Trường mầm non")
    expect(concluded).to_contain_text("Đề nghị UBND xã sửa mái trường trước Tết.")
    _shot(public, "web-portal-questions")
