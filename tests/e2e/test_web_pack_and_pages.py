"""The session page says how the delegates' pack stands (progress, version, out of date
with one rebuild button); refusals reach the clerk at the top of the page with the focus;
error pages are pages, in the reader's language, with the way back and sign-out."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from server.demo.calendar import demo_schedule
from tests.e2e.web_conftest import ROOT, sign_in, vietnamese_pdf

SHOTS = ROOT / "docs" / "screenshots"
COMMITTEE_MEETING_TITLE = demo_schedule().committee_meeting_title
DRAFT_TITLE = demo_schedule().draft_title


def test_pack_progress_then_version_then_out_of_date_and_rebuild(page, web_server, tmp_path):
    sign_in(page, "clerk")
    page.get_by_role("link", name=COMMITTEE_MEETING_TITLE).click()
    expect(page.locator("#pack-state")).to_have_text(
        "Chưa phát hành gói tài liệu nào (hoặc đang đóng gói).")
    page.get_by_label("Tệp PDF (chọn được nhiều tệp)").set_input_files(
        [vietnamese_pdf(tmp_path / f"bao-cao-{n}.pdf", f"Báo cáo thẩm tra số {n}", pages=3)
         for n in (1, 2)])
    page.get_by_role("button", name="Tải lên").click()
    expect(page.locator("table.docs")).to_contain_text("bao-cao-2")  # the page reloads itself
    page.get_by_role("button", name="Đóng gói và phát hành tài liệu").click()
    # no reload: the page follows the build by itself, then shows the version
    expect(page.locator("#pack-state")).to_have_text(
        "Đã phát hành gói tài liệu phiên bản 1.", timeout=30_000)
    expect(page.locator("#pack-progress")).to_be_hidden()
    expect(page.locator("#pack-stale")).to_be_hidden()

    # a new document after the build: the page says the pack is older, with one button
    page.get_by_label("Tệp PDF (chọn được nhiều tệp)").set_input_files(
        [vietnamese_pdf(tmp_path / "bao-cao-3.pdf", "Báo cáo bổ sung")])
    page.get_by_role("button", name="Tải lên").click()
    expect(page.locator("table.docs")).to_contain_text("bao-cao-3")
    expect(page.locator("#pack-stale")).to_contain_text(
        "Gói tài liệu cũ hơn tài liệu hiện có.", timeout=20_000)
    expect(page.locator("#pack-stale-top")).to_be_visible()
    page.locator("#pack").screenshot(path=str(SHOTS / "web-pack-stale.png"))
    page.locator("#pack-stale").get_by_role("button", name="Đóng gói lại").click()
    expect(page.locator("#pack-state")).to_have_text(
        "Đã phát hành gói tài liệu phiên bản 2.", timeout=30_000)
    expect(page.locator("#pack-stale")).to_be_hidden()


def test_a_sitting_before_publishing_is_refused_at_the_top_with_the_focus(page):
    sign_in(page, "clerk")
    page.get_by_role("link", name=DRAFT_TITLE).click()
    page.get_by_label("Tên phiên họp mới").fill("Phiên họp thử")
    page.get_by_role("button", name="Tạo phiên họp").click()
    summary = page.locator("#error-summary")
    expect(summary).to_contain_text("Kỳ họp chưa công bố")
    expect(summary).to_be_focused()
    expect(page.locator("#err-sitting_title")).to_contain_text("Kỳ họp chưa công bố")
    expect(page.get_by_label("Tên phiên họp mới")).to_have_value("Phiên họp thử")


def test_error_pages_for_people_with_who_is_signed_in_and_sign_out(page):
    page.goto("/khong-ton-tai")
    expect(page.get_by_role("heading", name="Không tìm thấy trang")).to_be_visible()
    expect(page.get_by_role("link", name="Về trang chính")).to_have_attribute("href", "/")
    page.goto("/ngon-ngu/en?next=/khong-ton-tai")
    expect(page.get_by_role("heading", name="Page not found")).to_be_visible()
    page.goto("/ngon-ngu/vi?next=/")

    # a delegate in the console: a page that says so, who is signed in and how to sign out
    sign_in(page, "delegate05")
    page.goto("/console/hoi-dong")
    expect(page.get_by_role("heading", name="Không có quyền truy cập")).to_be_visible()
    expect(page.locator("#main")).to_contain_text("delegate05")
    # the portal on the shared office PC says someone is signed in, not "Đăng nhập"
    page.goto("/")
    expect(page.get_by_role("button", name=re.compile(r"Đăng xuất \(delegate05\)"))).to_be_visible()
    expect(page.get_by_role("link", name="Đăng nhập")).to_have_count(0)
    page.get_by_role("button", name=re.compile("Đăng xuất")).click()
    page.goto("/")
    expect(page.get_by_role("link", name="Đăng nhập")).to_be_visible()
