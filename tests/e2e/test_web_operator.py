"""A whole sitting run from the operator console, with the hall's projector checked at
every step: the chair delegates to the clerk, the clerk opens the sitting, takes
attendance to quorum, runs two items, a speaker with a timer, a questioning turn, an open
and a named vote, closes the sitting and then the session. The test itself calls no REST
route to run the sitting; delegates vote from their own devices (websocket clients that
keep the state with the shared reducer, as a tablet does), never from the console.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from server.demo.calendar import demo_schedule
from tests.e2e.tablets import TabletsInHall
from tests.e2e.web_conftest import _start_server, sign_in

SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
LAPTOP = {"width": 1366, "height": 768}
HALL = {"width": 1600, "height": 900}
SESSION = demo_schedule().session_title
SITTING = "Phiên họp toàn thể buổi sáng"


@pytest.fixture()
def own_server(tmp_path_factory):
    """A server of its own: this test closes the demo session, which others still use.
    Prepared in a thread: the demo's seeding runs asyncio, and Playwright's sync API
    holds this thread's loop."""
    from concurrent.futures import ThreadPoolExecutor

    servers = _start_server(tmp_path_factory)
    with ThreadPoolExecutor(1) as pool:
        server = pool.submit(next, servers).result()
    yield server
    next(servers, None)


def _context(browser, server, viewport):
    context = browser.new_context(base_url=server.base, locale="vi-VN", viewport=viewport)
    page = context.new_page()
    page.set_default_timeout(10_000)
    return page


def _shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"))


def test_a_whole_sitting_from_the_console(browser, own_server):  # one journey
    server = own_server
    clerk = _context(browser, server, LAPTOP)
    sign_in(clerk, "clerk")
    clerk.get_by_role("link", name=SESSION).first.click()
    session_url = clerk.url
    clerk.get_by_label("Tên phiên họp mới").fill(SITTING)
    clerk.get_by_role("button", name="Tạo phiên họp").click()
    row = clerk.locator("#sittings li", has_text=SITTING)
    projector_link = row.get_by_role("link", name="Màn hình hội trường").get_attribute("href")
    sitting_id = int(re.search(r"/projector/(\d+)", projector_link).group(1))

    hall = _context(browser, server, HALL)
    hall.goto(projector_link)
    expect(hall.locator("#pj-state")).to_have_text("Chưa khai mạc")
    expect(hall.locator("#pj-item")).to_have_text("Phiên họp chưa khai mạc")
    expect(hall.locator("#pj-quorum")).to_have_text("")

    # the chair signs in to /console and lands on the sittings they run, then delegates
    chair = _context(browser, server, LAPTOP)
    sign_in(chair, "chair")
    chair.goto("/console")
    expect(chair).to_have_url(re.compile(r"/console/dieu-hanh$"))
    chair.locator("#op-sittings li", has_text=SITTING).get_by_role("link", name="Điều hành").click()
    expect(chair.locator("#op-seat")).to_contain_text("Chủ tọa")
    expect(chair.locator("#delegation")).to_be_visible()
    chair.get_by_label("Tài khoản công chức tham mưu").select_option(label="clerk")
    chair.get_by_role("button", name="Ủy quyền", exact=True).click()
    expect(chair.locator("#delegation")).to_contain_text("Đang ủy quyền cho clerk")

    # the clerk runs the sitting on the chair's behalf
    clerk.goto(session_url)
    clerk.locator("#sittings li", has_text=SITTING).get_by_role("link", name="Điều hành").click()
    expect(clerk.locator("#op-seat")).to_contain_text("thay mặt Chủ tọa Chu Sa Hừ")
    expect(clerk.locator("#op-state")).to_have_text("Chưa khai mạc")
    clerk.get_by_role("button", name="Khai mạc phiên họp").click()
    expect(clerk.locator("#op-state")).to_have_text("Đang họp")
    expect(hall.locator("#pj-state")).to_have_text("Đang họp")
    expect(hall.locator("#pj-link")).to_contain_text("Trực tiếp")

    # attendance to quorum: 17 of 25 (two thirds)
    members = clerk.locator("#op-members li")
    total = members.count()
    needed = -(-total * 2 // 3)
    for n in range(needed - 1):
        members.nth(n).get_by_role("button", name=re.compile("^Điểm danh")).click()
        expect(members.nth(n)).to_have_class(re.compile("present"))
    expect(clerk.locator("#op-quorum")).to_contain_text("chưa đủ")
    expect(hall.locator("#pj-quorum")).to_contain_text("chưa đủ")
    members.nth(needed - 1).get_by_role("button", name=re.compile("^Điểm danh")).click()
    expect(clerk.locator("#op-quorum")).to_contain_text(f"Có mặt {needed}/{total}")
    expect(clerk.locator("#op-quorum")).to_contain_text("đủ điều kiện tiến hành")
    expect(hall.locator("#pj-quorum")).to_contain_text(f"{needed}/{total}")
    expect(hall.locator("#pj-quorum")).to_contain_text("đủ điều kiện")

    # item 1
    items = clerk.locator("#op-agenda li")
    first_title = items.nth(0).locator(".op-item-title").inner_text()
    second_title = items.nth(1).locator(".op-item-title").inner_text()
    items.nth(0).get_by_role("button", name="Mở").click()
    expect(items.nth(0)).to_have_class(re.compile("current"))
    expect(hall.locator("#pj-item")).to_contain_text(first_title)
    expect(hall.locator("#pj-agenda li.current")).to_contain_text(first_title)

    # a speaker with a timer; shortcuts: + for one more minute, E to end the turn
    clerk.get_by_label("Đại biểu", exact=True).select_option(label="Phu Lỳ Chờ")
    clerk.get_by_label("Thời gian (phút)").fill("3")
    clerk.get_by_role("button", name="Thêm vào danh sách").click()
    queue = clerk.locator("#op-queue li", has_text="Phu Lỳ Chờ")
    queue.get_by_role("button", name="Mời phát biểu").click()
    expect(clerk.locator("#op-turn-name")).to_contain_text("Phu Lỳ Chờ")
    expect(clerk.locator("#op-timer")).to_have_text(re.compile(r"^[23]:\d\d$"))
    expect(hall.locator("#pj-speaker")).to_have_text("Phu Lỳ Chờ")
    expect(hall.locator("#pj-countdown")).to_have_text(re.compile(r"^[23]:\d\d$"))
    _shot(hall, "web-projector-speaker")
    clerk.locator("body").click(position={"x": 5, "y": 5})
    clerk.keyboard.press("+")
    # three minutes less a few seconds, plus one: 3:4x–3:5x (it was 2:5x before)
    expect(hall.locator("#pj-countdown")).to_have_text(re.compile(r"^3:[45]\d$"))
    expect(clerk.locator("#op-timer")).to_have_text(re.compile(r"^3:[45]\d$"))
    _shot(clerk, "web-operator-speaker")
    clerk.keyboard.press("e")
    expect(clerk.locator("#op-turn-name")).to_have_text("Chưa có ai phát biểu")
    expect(hall.locator("#pj-speaker")).to_have_text("—")

    # a questioning turn: ask, answer, answered
    clerk.get_by_label("Đại biểu chất vấn").select_option(label="Sần Chà Xá")
    clerk.get_by_label("Người trả lời").select_option(index=1)
    official = clerk.get_by_label("Người trả lời").locator("option:checked").inner_text()
    official_name = official.split(" — ")[0]
    clerk.get_by_label("Nội dung câu hỏi").fill("Khi nào hoàn thành đường liên thôn Y Tý - A Lù?")
    clerk.get_by_role("button", name="Đăng ký chất vấn").click()
    question = clerk.locator("#op-questions li", has_text="đường liên thôn")
    question.get_by_role("button", name="Mời hỏi").click()
    expect(hall.locator("#pj-speaker")).to_have_text("Sần Chà Xá")
    expect(hall.locator("#pj-countdown")).to_have_text(re.compile(r"^[12]:\d\d$"))
    clerk.get_by_role("button", name="Kết thúc lượt").click()
    question.get_by_role("button", name="Mời trả lời").click()
    expect(clerk.locator("#op-turn-name")).to_contain_text(official_name)
    expect(hall.locator("#pj-speaker")).to_have_text(official_name)
    question.get_by_role("button", name="Đã trả lời").click()
    expect(question).to_contain_text("đã trả lời")
    expect(hall.locator("#pj-speaker")).to_have_text("—")

    with TabletsInHall(server, sitting_id, [f"delegate{n:02d}" for n in range(1, 8)]) as tablets:
        # an open vote; seven delegates vote on their tablets, the console closes it (K)
        clerk.get_by_label("Nội dung biểu quyết").fill(
            "Thông qua Nghị quyết về kế hoạch đầu tư công năm 2027?")
        clerk.get_by_role("button", name="Mở biểu quyết").click()
        expect(hall.locator("#pj-question")).to_have_text(
            "Thông qua Nghị quyết về kế hoạch đầu tư công năm 2027?")
        # the vote's own rule line, with its numbers and legal source
        expect(hall.locator("#pj-rule")).to_contain_text(f"({total // 2 + 1}/{total})")
        expect(hall.locator("#pj-rule")).to_contain_text("Luật Tổ chức chính quyền địa phương")
        expect(clerk.locator("#op-vote .rule-line")).to_have_text(
            hall.locator("#pj-rule").inner_text().split(" · ", 1)[1])
        vote_id = clerk.locator("#op-vote [data-vote]").get_attribute("data-vote")
        tablets.vote(vote_id, ["yes"] * 6 + ["no"])
        expect(clerk.locator("#op-vote")).to_contain_text(f"Đã biểu quyết: 7 / {needed}")
        expect(hall.locator("#pj-turnout")).to_have_text(f"Đã biểu quyết: 7 / {needed}")
        clerk.locator("body").click(position={"x": 5, "y": 5})
        clerk.keyboard.press("k")
        expect(hall.locator("#pj-result")).to_have_text("KHÔNG THÔNG QUA")
        expect(hall.locator("#pj-chart svg line.threshold")).to_have_count(1)
        expect(clerk.locator("#op-results li").first).to_contain_text("Tán thành: 6")
        expect(clerk.locator("#op-results li").first).to_contain_text("KHÔNG THÔNG QUA")
        _shot(hall, "web-projector-result")

        # item 2 and a named vote that passes on the present members' rule
        items.nth(1).get_by_role("button", name="Mở").click()
        expect(hall.locator("#pj-item")).to_contain_text(second_title)
        expect(hall.locator("#pj-agenda li.done")).to_contain_text(first_title)
        clerk.get_by_label("Nội dung biểu quyết").fill("Biểu quyết ghi danh về phương án di dời dân cư?")
        clerk.get_by_label("Hình thức").select_option("named")
        clerk.get_by_label("Điều kiện thông qua").select_option("majority_of_present")
        clerk.get_by_role("button", name="Mở biểu quyết").click()
        expect(hall.locator("#pj-rule")).to_contain_text("Biểu quyết ghi danh")
        expect(hall.locator("#pj-rule")).to_contain_text(re.compile(rf"\b{needed // 2 + 1}/"))
        named_id = clerk.locator("#op-vote [data-vote]").get_attribute("data-vote")
        assert named_id != vote_id
        tablets.vote(named_id, ["yes"] * 7)
        expect(hall.locator("#pj-turnout")).to_have_text(f"Đã biểu quyết: 7 / {needed}")
        clerk.get_by_role("button", name="Kết thúc biểu quyết").click()
        expect(hall.locator("#pj-result")).to_have_text("KHÔNG THÔNG QUA")  # 7 < 10 of the 18 present
        expect(hall.locator("#pj-question")).to_have_text(
            "Biểu quyết ghi danh về phương án di dời dân cư?")
        expect(clerk.locator("#op-results li")).to_have_count(2)
        _shot(clerk, "web-operator-votes")
        agreed = tablets.state()
    # the tablets and the console agree on the state they both see
    assert agreed.votes[named_id].result.counts["yes"] == 7
    assert agreed.current_item_id is not None

    # the console never casts a vote: there is no control for it
    expect(clerk.get_by_role("button", name=re.compile("^Tán thành"))).to_have_count(0)

    # pause and resume
    clerk.get_by_role("button", name="Tạm dừng").click()
    expect(hall.locator("#pj-state")).to_have_text("Tạm dừng")
    expect(hall.locator("#pj-item")).to_contain_text(second_title)
    clerk.get_by_role("button", name="Tiếp tục họp").click()
    expect(hall.locator("#pj-state")).to_have_text("Đang họp")

    # close the sitting (asked first): the hall stops saying "live"
    clerk.get_by_role("button", name="Bế mạc phiên họp").click()
    expect(clerk.locator("#op-close-confirm")).to_be_visible()
    clerk.get_by_role("button", name="Xác nhận bế mạc").click()
    expect(clerk.locator("#op-state")).to_have_text("Đã bế mạc")
    expect(hall.locator("#pj-state")).to_have_text("Đã bế mạc")
    expect(hall.locator("#pj-item")).to_have_text("Phiên họp đã bế mạc")
    expect(hall.locator("#pj-link")).not_to_contain_text("Trực tiếp")
    expect(hall.locator("#pj-quorum")).to_have_text("")
    expect(hall.locator("#pj-result")).to_have_text("KHÔNG THÔNG QUA")
    _shot(hall, "web-projector-closed")

    # back to draft is refused now; then bế mạc kỳ họp, asked first
    clerk.goto(session_url)
    expect(clerk.locator("#session-status")).to_have_text("Đang họp")
    expect(clerk.locator("#unpublish")).to_have_count(0)
    clerk.goto(session_url + "/trang-thai/draft")
    clerk.get_by_role("button", name="Đưa về dự thảo").click()
    expect(clerk.locator("#confirm-error")).to_contain_text("không thể đưa về dự thảo")
    clerk.goto(session_url)
    clerk.get_by_role("link", name="Bế mạc kỳ họp").click()
    expect(clerk.get_by_role("heading", level=1)).to_contain_text("Bế mạc kỳ họp")
    clerk.get_by_role("button", name="Bế mạc kỳ họp").click()
    expect(clerk.locator("#session-status")).to_have_text("Đã bế mạc")

    # who did what, on whose behalf: the audit log names the clerk and the chair
    entries = server.api("admin", "GET", "/api/audit", params={"limit": 500}).json()
    commands = [e for e in entries if e["action"] == "sitting.command"
                and e["target_id"] == str(sitting_id)]
    assert {e["actor_username"] for e in commands} == {"clerk"}
    assert {e["detail"]["command"] for e in commands} >= {
        "open_sitting", "check_in", "open_item", "grant_floor", "extend_turn", "end_turn",
        "register_question", "start_question_turn", "close_question", "open_vote",
        "close_vote", "pause_sitting", "resume_sitting", "close_sitting"}
    chair_person = next(e for e in entries if e["action"] == "sitting.delegated")
    assert chair_person["actor_username"] == "chair"
    assert all(e["detail"]["on_behalf_of"] == chair_person["detail"]["on_behalf_of"]
               for e in commands)
