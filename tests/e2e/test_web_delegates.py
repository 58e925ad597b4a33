"""A delegate's record in a real browser: the clerk opens it from the console's menu and
edits the profile; a voter opens the public part on the portal on a phone. Screenshots go
to docs/screenshots/ (looked at when they change)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from server.demo.calendar import DemoCalendar
from shared import clock
from tests.e2e.web_conftest import _start_server, sign_in

YEAR = DemoCalendar.for_today(clock.today()).year  # the demo's follow-up year
SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
DELEGATE = "Phu Lỳ Chờ"  # Phó Chủ tịch HĐND, speaks at each of the three hearings


@pytest.fixture(scope="module")
def web_server(tmp_path_factory):
    """A server of its own: the record counts the sittings a delegate attended, and other
    browser tests hold sittings on the shared server."""
    servers = _start_server(tmp_path_factory)
    yield next(servers)
    next(servers, None)


def _clean(page) -> None:
    assert page.evaluate("[...document.scripts].filter(s => !s.src).length") == 0
    assert " style=" not in page.content()


def test_console_delegate_record_and_profile_edit(page, web_server):
    sign_in(page, "clerk")
    page.get_by_role("link", name="Đại biểu", exact=True).click()
    expect(page.get_by_role("heading", name="Đại biểu HĐND")).to_be_visible()
    page.get_by_role("link", name=DELEGATE).click()
    page.goto(page.url + f"?year={YEAR}")
    expect(page.get_by_role("heading", name=DELEGATE)).to_be_visible()
    expect(page.locator("#rec-sittings")).to_have_text("3")
    expect(page.locator("#rec-sessions")).to_have_text("3")
    expect(page.locator("#rec-votes")).to_have_text("3")
    speeches = page.locator("ul.speeches li")
    expect(speeches).to_have_count(3)
    expect(speeches.first).to_contain_text(re.compile(r"Phát biểu · .* · 6 phút [0-2] giây"))
    expect(page.locator("#rec-training")).not_to_have_text("0")
    expect(page.get_by_label("Trình độ chuyên môn")).to_have_value("university")
    expect(page.locator("p.recorded").first).to_contain_text("bởi clerk")
    _clean(page)
    page.screenshot(path=str(SHOTS / "console-delegate-record.png"), full_page=True)

    page.get_by_label("Trình độ lý luận chính trị").select_option("advanced")
    page.locator("#p-th-on").fill(f"{YEAR}-10-02")
    page.get_by_role("button", name="Lưu hồ sơ").click()
    expect(page.get_by_role("status")).to_have_text("Đã lưu hồ sơ.")
    expect(page.get_by_label("Trình độ lý luận chính trị")).to_have_value("advanced")
    expect(page.locator("p.recorded").nth(1)).to_contain_text(f"02/10/{YEAR}")
    # a date in the future is refused in words, and nothing is lost
    page.locator("#p-th-on").fill(f"{YEAR + 3}-01-01")
    page.get_by_role("button", name="Lưu hồ sơ").click()
    expect(page.get_by_role("alert")).to_contain_text("không được sau hôm nay")


def test_dashboard_lists_every_plan_target(page, web_server):
    sign_in(page, "clerk")
    page.goto(f"/console/theo-doi?year={YEAR}")
    lawful = page.locator("#ind-sittings_lawful")
    expect(lawful).to_contain_text("(2)")
    expect(lawful.locator("svg")).to_have_attribute("aria-label", re.compile(r"66,7%"))
    congress = page.locator("#ind-congress_targets_concretised")
    expect(congress).to_contain_text("(1)")
    congress.get_by_role("link", name=re.compile("Xem 5 mục")).click()
    expect(page.locator("ul.missing li")).to_have_count(3)
    expect(page.locator("ul.missing")).to_contain_text("Đón 150.000 lượt khách du lịch")
    page.goto(f"/console/theo-doi/chi-tieu/full_time_qualified?year={YEAR}")
    expect(page.locator("ul.missing li")).to_have_count(1)
    page.locator("ul.missing a").click()
    expect(page.get_by_role("heading", name="Nguyễn Hữu Thắng")).to_be_visible()


def test_portal_public_record_on_a_phone(browser, web_server):
    context = browser.new_context(base_url=web_server.base, locale="vi-VN",
                                  viewport={"width": 390, "height": 844}, is_mobile=True,
                                  device_scale_factor=2)
    page = context.new_page()
    try:
        page.goto("/")
        page.get_by_role("link", name="Đại biểu", exact=True).click()
        page.get_by_role("link", name=DELEGATE).click()
        page.goto(page.url + f"?year={YEAR}")
        expect(page.get_by_role("heading", name=DELEGATE)).to_be_visible()
        expect(page.locator("dl.kept").first).to_contain_text("Phìn Hồ")
        expect(page.locator("#rec-sittings")).to_have_text("3")
        expect(page.locator("ul.speeches li")).to_have_count(3)
        text = page.content()
        for private in ("Trình độ", "Đại học", "Bồi dưỡng", "chuyên trách", "Chu Sa"):
            assert private not in text
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        _clean(page)
        page.screenshot(path=str(SHOTS / "portal-delegate-record.png"), full_page=True)
    finally:
        context.close()


def test_congress_targets_entered_and_linked_on_the_console(page, web_server):
    sign_in(page, "clerk")
    page.get_by_role("link", name="Đại biểu", exact=True).click()
    page.get_by_role("link", name="Chỉ tiêu Nghị quyết Đại hội").click()
    target7 = page.locator("section.congress-target", has_text="7. 100% thôn có sóng")
    expect(target7).to_contain_text("Chưa có nghị quyết HĐND cụ thể hóa")
    # a line without its code is refused in words, and what was typed stays
    typed = page.locator("#c-targets").input_value() + "\nchỉ tiêu không có mã"
    page.locator("#c-targets").fill(typed)
    page.get_by_role("button", name="Lưu danh sách").click()
    expect(page.get_by_role("alert")).to_contain_text("Dòng 9")
    expect(page.locator("#c-targets")).to_have_value(typed)
    page.goto("/console/dai-bieu/chi-tieu-dai-hoi")
    target7 = page.locator("section.congress-target", has_text="7. 100% thôn có sóng")
    target7.locator("input[type=checkbox]").first.check()
    target7.get_by_role("button", name="Lưu liên kết").click()
    target7 = page.locator("section.congress-target", has_text="7. 100% thôn có sóng")
    expect(target7).to_contain_text("Được cụ thể hóa bằng: ")
    page.screenshot(path=str(SHOTS / "console-congress-targets.png"), full_page=True)
    page.goto(f"/console/theo-doi?year={YEAR}")
    expect(page.locator("#ind-congress_targets_concretised svg")).to_have_attribute(
        "aria-label", re.compile(r"75"))
