"""Search as people take it: a voter on a phone searches the portal typing without
diacritics, slips a finger and takes the correction offered; a clerk searches the console
and finds what only staff may read, which the portal never shows."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.e2e.web_conftest import ROOT, sign_in

PHONE = {"width": 390, "height": 844}
SHOTS = ROOT / "docs" / "screenshots"


def _search(page, words: str) -> None:
    page.get_by_label("Tìm", exact=True).fill(words)
    page.get_by_role("button", name="Tìm", exact=True).click()


def test_a_voter_searches_the_portal_on_a_phone(browser, web_server) -> None:
    phone = browser.new_context(base_url=web_server.base, viewport=PHONE, device_scale_factor=2,
                                is_mobile=True, has_touch=True, locale="vi-VN")
    page = phone.new_page()
    page.set_default_timeout(10_000)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.goto("/")
    page.locator("#nav-search").click()
    expect(page.get_by_role("heading", name="Tìm kiếm")).to_be_visible()
    assert page.locator("#nav-search").get_attribute("aria-current") == "page"

    _search(page, "sat lo duong lien thon")  # typed on a phone keyboard, no diacritics
    expect(page.locator("#search-total")).to_contain_text("kết quả")
    first = page.locator(".search-hit").first
    expect(first.locator("mark").first).to_be_visible()
    marked = " ".join(page.locator(".search-hit mark").all_inner_texts()).lower()
    assert "sạt lở" in marked or "đường" in marked  # the accented text, marked
    page.screenshot(path=str(SHOTS / "portal-search-phone.png"), full_page=True)
    first.get_by_role("link").click()  # the petition's own public page
    expect(page).to_have_url(re.compile(r"/theo-doi/kien-nghi/\d+$"))

    page.goto("/tim-kiem")
    _search(page, "sat loo duongg")
    expect(page.locator("#search-none")).to_contain_text("Không tìm thấy")
    suggestion = page.locator("#search-suggestion a")
    expect(suggestion).to_have_text("sat lo duong")
    page.screenshot(path=str(SHOTS / "portal-search-suggestion-phone.png"), full_page=True)
    suggestion.click()
    expect(page.locator("#search-total")).to_contain_text("kết quả")

    # only what the council published: a citizen's complaint stays out of the portal
    page.goto("/tim-kiem?q=kh%C3%B4ng+%C4%91%C6%B0%E1%BB%A3c+x%C3%A9t+h%E1%BB%99+c%E1%BA%ADn+ngh%C3%A8o")
    expect(page.locator("#search-total, #search-none").first).to_be_visible()
    assert "Khiếu nại việc không được xét hộ cận nghèo" not in page.locator("main").inner_text()

    # another commune's portal searches that commune only, and keeps its address
    page.goto("/hdnd/ban-xeo/tim-kiem?q=sat+lo+duong")
    expect(page.locator("#search-none")).to_be_visible()
    assert page.locator("form[role=search]").get_attribute("action") == "/hdnd/ban-xeo/tim-kiem"
    phone.close()


def test_a_clerk_searches_what_staff_may_read(page, web_server) -> None:
    sign_in(page, "clerk")
    page.locator("#nav-search").click()
    _search(page, "khong duoc xet ho can ngheo")
    hit = page.locator(".search-hit").filter(has_text="Khiếu nại việc không được xét").first
    expect(hit).to_be_visible()
    page.screenshot(path=str(SHOTS / "console-search.png"), full_page=True)
    hit.get_by_role("link").click()
    expect(page).to_have_url(re.compile(r"/console/theo-doi/viec/\d+$"))

    page.goto("/console/tim-kiem?q=" + "a" * 2100)  # a pasted page is refused in words
    expect(page.locator("#search-error")).to_be_visible()
