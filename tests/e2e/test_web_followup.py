"""The follow-up pages in a real browser: the year's dashboard with one chart per indicator
and a drill-down to the items behind a figure; an item's actions as buttons; the public
petition page with its answer; and no inline script anywhere (CSP)."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from server.demo.calendar import DemoCalendar
from shared import clock
from tests.e2e.web_conftest import sign_in

YEAR = DemoCalendar.for_today(clock.today()).year  # the demo's follow-up year


def _no_inline_scripts(page) -> None:
    inline = page.evaluate("[...document.scripts].filter(s => !s.src).length")
    assert inline == 0
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page.content())
    assert " style=" not in page.content() and " on" + "click=" not in page.content()


def test_dashboard_charts_and_drill_down_to_the_items(page, web_server):
    violations: list[str] = []
    page.on("console", lambda m: violations.append(m.text)
            if "Content Security Policy" in m.text else None)
    sign_in(page, "clerk")
    page.get_by_role("link", name="Theo dõi thực hiện").click()
    page.goto(f"/console/theo-doi?year={YEAR}")
    expect(page.get_by_role("heading", name=f"Kết quả thực hiện chỉ tiêu năm {YEAR}")
           ).to_be_visible()
    charts = page.locator("svg.chart.indicator")
    # 20 figures for the targets (1) to (8) of the plan, each measured
    expect(charts).to_have_count(20)
    expect(page.locator("li.indicator-row")).to_have_count(20)
    # every chart has its bar and its dashed target line
    expect(page.locator("svg.indicator rect.bar")).to_have_count(20)
    expect(page.locator("svg.indicator line.target")).to_have_count(20)
    petitions = page.locator("#ind-petitions_forwarded")
    expect(petitions.locator("svg")).to_have_attribute("aria-label", re.compile(r"90%"))
    expect(petitions).to_contain_text("Chưa đạt")
    _no_inline_scripts(page)

    petitions.get_by_role("link", name=re.compile("Xem 36 mục được tính")).click()
    expect(page.get_by_role("heading", name=re.compile("Các mục được tính \\(36\\)"))
           ).to_be_visible()
    expect(page.locator("ul.counted li")).to_have_count(36)
    expect(page.locator("ul.missing li")).to_have_count(4)

    # open a petition that was not forwarded: the allowed action is a button
    page.locator("ul.missing a").first.click()
    expect(page.get_by_role("button", name="Chuyển xử lý")).to_be_visible()
    expect(page.get_by_role("button", name="Xác nhận hoàn thành")).to_have_count(0)
    page.get_by_role("button", name="Chuyển xử lý").click()
    expect(page.locator("#item-status")).to_have_text("Đã chuyển cơ quan có thẩm quyền")
    expect(page.get_by_role("button", name="Ghi nhận trả lời")).to_be_visible()
    _no_inline_scripts(page)
    assert violations == []


def test_public_petition_page_shows_its_answer(page, web_server):
    items = web_server.api(None, "GET", "/api/public/followup/items",
                           params={"kind": "voter_petition", "limit": 200}).json()["items"]
    answered = next(i for i in items if i["answer"])
    page.goto("/theo-doi/kien-nghi")
    expect(page.get_by_role("heading", name="Kiến nghị của cử tri và trả lời")).to_be_visible()
    page.get_by_label("Thôn, bản").select_option(answered["area"])
    page.get_by_role("button", name="Xem").click()
    expect(page).to_have_url(re.compile(r"area="))
    page.get_by_role("link", name=answered["title"]).first.click()
    expect(page.get_by_role("heading", name=answered["title"])).to_be_visible()
    expect(page.locator("p.answer")).to_have_text(answered["answer"])
    _no_inline_scripts(page)
    # resolutions' tasks and supervision conclusions, public data only
    page.get_by_role("link", name="Thực hiện nghị quyết").click()
    expect(page.get_by_role("heading", name="Tình hình thực hiện nghị quyết")).to_be_visible()
    expect(page.locator("section.card table").first).to_be_visible()
    page.get_by_role("link", name="Kết luận giám sát").click()
    expect(page.locator("section.card h2").first).to_be_visible()
    assert "khiếu nại" not in page.content().lower()


def _record_reminders_due_soon(web_server) -> list[str]:
    """Two items due tomorrow and in a week; the daily reminder run records their notices."""
    from datetime import datetime, time, timedelta

    from sqlmodel import Session

    from server.config import Settings
    from server.db import make_engine
    from server.followup.deadlines import VN_TZ
    from server.followup.reminders import record_reminders

    today = clock.today()
    titles = []
    for days, title in ((1, "Sửa đường liên thôn Phìn Hồ"), (7, "Cấp nước sạch bản Lao Chải")):
        response = web_server.api("clerk", "POST", "/api/followup/items", json={
            "kind": "supervision_recommendation", "title": title,
            "received_on": (today - timedelta(days=30)).isoformat(),
            "due_on": (today + timedelta(days=days)).isoformat(),
            "responsible_agency": "Phòng Kinh tế xã"})
        assert response.status_code == 201, response.text
        titles.append(title)
    engine = make_engine(Settings(data_dir=web_server.data_dir))
    with Session(engine) as db:
        # the daily run at 09:00 today: both reminders (7 days and 1 day before) fell at 08:00
        assert len(record_reminders(db, datetime.combine(today, time(9, 0), tzinfo=VN_TZ))) >= 2
        db.commit()
    engine.dispose()
    return titles


def test_reminders_are_marked_read_one_by_one_or_all_at_once(page, web_server):
    soon, later = _record_reminders_due_soon(web_server)
    sign_in(page, "clerk")
    page.goto("/console/theo-doi")
    notices = page.locator("li.reminder")
    tomorrow = notices.filter(has_text=soon)
    expect(tomorrow).to_contain_text("Còn 1 ngày đến hạn")
    tomorrow.get_by_role("button", name="Đã đọc").click()
    expect(page.locator("li.reminder").filter(has_text=soon)).to_have_count(0)
    expect(page.locator("li.reminder").filter(has_text=later)).to_have_count(1)
    while page.locator("li.reminder").count() > 1:  # the list shows 20 at a time
        page.get_by_role("button", name="Đánh dấu tất cả đã đọc").click()
        expect(page.locator("li.reminder").filter(has_text=later)).to_have_count(0)
    if page.locator("li.reminder").count() == 1:
        page.locator("li.reminder").get_by_role("button", name="Đã đọc").click()
    expect(page.get_by_text("Không có nhắc hạn mới.")).to_be_visible()
    _no_inline_scripts(page)
    audit = web_server.api("admin", "GET", "/api/audit", params={"limit": 20})
    assert audit.status_code == 200, audit.text
    assert "followup.reminders_read" in {e["action"] for e in audit.json()}
