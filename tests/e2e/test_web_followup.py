"""The follow-up pages in a real browser: the year's dashboard with one chart per indicator
and a drill-down to the items behind a figure; an item's actions as buttons; the public
petition page with its answer; and no inline script anywhere (CSP)."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.e2e.web_conftest import sign_in

YEAR = 2026  # the demo's follow-up year


def _no_inline_scripts(page) -> None:  # noqa: ANN001
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
    expect(charts).to_have_count(9)
    # every chart has its bar and its dashed target line
    expect(page.locator("svg.indicator rect.bar")).to_have_count(9)
    expect(page.locator("svg.indicator line.target")).to_have_count(9)
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
