"""Accounts (admin only) and the clerk's idle timeout, in a real browser.

The timed-out form is tested with a real idle cookie: the test re-seals the browser's
session cookie with a last use 31 minutes ago, exactly what the server would see after a
clerk left the page open over lunch.
"""

from __future__ import annotations

import re

import httpx
from playwright.sync_api import expect

from server.web import cookie_session as cs
from shared import clock
from tests.e2e.web_conftest import SECRET, sign_in


def _can_sign_in(web_server, username: str, password: str) -> bool:
    answer = httpx.post(f"{web_server.base}/api/auth/token",
                        data={"username": username, "password": password})
    return answer.status_code == 200


def test_admin_creates_resets_locks_and_unlocks_an_account(page, web_server):
    sign_in(page, "admin")
    page.get_by_role("link", name="Tài khoản").click()
    expect(page.get_by_role("heading", name="Tài khoản đăng nhập")).to_be_visible()

    # a bad username: the message is next to the field; role and person are kept
    page.get_by_label("Tên đăng nhập *").fill("Thư Ký Hai")
    page.get_by_label("Mật khẩu *").fill("mat-khau-2026")
    page.get_by_label("Quyền *").select_option("clerk")
    page.locator("#a-person").select_option(label="Hầu Thị Ngọc Ánh")
    page.get_by_role("button", name="Tạo tài khoản").click()
    expect(page.locator("#err-new-username")).to_contain_text("Định dạng không hợp lệ")
    expect(page.get_by_label("Tên đăng nhập *")).to_have_value("Thư Ký Hai")
    expect(page.get_by_label("Quyền *")).to_have_value("clerk")
    expect(page.locator("#a-person option:checked")).to_have_text("Hầu Thị Ngọc Ánh")
    expect(page.get_by_label("Mật khẩu *")).to_have_value("")  # never echoed back

    page.get_by_label("Tên đăng nhập *").fill("thuky2")
    page.get_by_label("Mật khẩu *").fill("mat-khau-2026")
    page.get_by_role("button", name="Tạo tài khoản").click()
    row = page.locator("#account-thuky2")
    expect(row).to_contain_text("Chuyên viên (thư ký)")
    expect(row).to_contain_text("Hầu Thị Ngọc Ánh")
    assert _can_sign_in(web_server, "thuky2", "mat-khau-2026")

    # reset the password: too short first, the service's own message
    row.get_by_text("Đặt lại mật khẩu").click()
    row.get_by_label("Mật khẩu mới").fill("abc")
    row.get_by_role("button", name="Đặt mật khẩu").click()
    row = page.locator("#account-thuky2")
    expect(row.locator(".field-error")).to_contain_text("ít nhất 4 ký tự")
    row.get_by_label("Mật khẩu mới").fill("mat-khau-moi")
    row.get_by_role("button", name="Đặt mật khẩu").click()
    expect(page.locator("#account-thuky2 .field-error")).to_have_count(0)
    assert _can_sign_in(web_server, "thuky2", "mat-khau-moi")
    assert not _can_sign_in(web_server, "thuky2", "mat-khau-2026")

    page.get_by_role("button", name="Khóa: thuky2").click()
    expect(page.locator("#account-thuky2 .state")).to_have_text("Đã khóa")
    assert not _can_sign_in(web_server, "thuky2", "mat-khau-moi")
    page.get_by_role("button", name="Mở khóa: thuky2").click()
    expect(page.locator("#account-thuky2 .state")).to_have_text("Đang dùng")
    assert _can_sign_in(web_server, "thuky2", "mat-khau-moi")

    # an admin cannot lock themselves out
    page.get_by_role("button", name="Khóa: admin").click()
    expect(page.locator("#account-admin")).to_contain_text("Không thể tự khóa")


def test_a_clerk_gets_403_on_the_accounts_pages(page):
    sign_in(page, "clerk")
    expect(page.get_by_role("link", name="Tài khoản")).to_have_count(0)
    csrf = page.locator('meta[name="csrf-token"]').get_attribute("content")
    assert page.goto("/console/tai-khoan").status == 403
    answer = page.request.post("/console/tai-khoan", form={
        "csrf_token": csrf, "username": "hacker", "password": "xxxxxx", "role": "admin"})
    assert answer.status == 403
    answer = page.request.post("/console/tai-khoan/1/khoa", form={"csrf_token": csrf})
    assert answer.status == 403


def _age_session(page, minutes: int) -> None:
    """Make the browser's session cookie look last used ``minutes`` ago."""
    cookie = next(c for c in page.context.cookies() if c["name"] == cs.COOKIE_NAME)
    inner = cs.unseal(SECRET, cookie["value"])
    old = clock.timestamp() - minutes * 60
    aged = cs.SessionCookie(inner.refresh_token, inner.family, old - 60, old)
    page.context.add_cookies([{**cookie, "value": cs.seal(SECRET, aged)}])


def test_a_timed_out_form_is_kept_across_signing_in_again(page, web_server):
    sign_in(page, "clerk")
    page.get_by_label("Tên kỳ họp").fill("Kỳ họp bất thường về sạt lở đất")
    page.get_by_label("Cơ quan").select_option(label="Hội đồng nhân dân xã Y Tý")
    page.get_by_label("Loại kỳ họp").select_option("extraordinary")
    page.get_by_label("Ngày bắt đầu").fill("2026-10-05")
    page.get_by_label("Địa điểm").fill("Nhà văn hóa thôn Phìn Hồ")
    _age_session(page, 31)
    page.get_by_role("button", name="Tạo kỳ họp").click()

    # the sign-in form, saying why, and nothing saved yet
    expect(page.locator("#signin-notice")).to_contain_text("hết hạn")
    expect(page.locator("#signin-notice")).to_contain_text("được giữ lại")
    titles = [s["title"] for s in web_server.api("clerk", "GET", "/api/sessions").json()]
    assert "Kỳ họp bất thường về sạt lở đất" not in titles
    page.get_by_label("Tên đăng nhập").fill("clerk")
    page.get_by_label("Mật khẩu").fill("demo-pass")
    page.get_by_role("button", name="Đăng nhập").click()

    # what was typed, shown and sent again with a fresh token
    kept = page.locator("dl.kept")
    expect(kept).to_contain_text("Kỳ họp bất thường về sạt lở đất")
    expect(kept).to_contain_text("Nhà văn hóa thôn Phìn Hồ")
    expect(kept).to_contain_text("2026-10-05")
    page.get_by_role("button", name="Gửi lại biểu mẫu").click()
    expect(page.get_by_role("heading", name="Kỳ họp bất thường về sạt lở đất")).to_be_visible()
    expect(page.locator("p.meta")).to_contain_text("05/10/2026")
    expect(page.locator("p.meta")).to_contain_text("Nhà văn hóa thôn Phìn Hồ")

    # a page opened after the timeout says so on the sign-in form
    _age_session(page, 45)
    page.goto("/console/thiet-bi")
    expect(page).to_have_url(re.compile(r"/dang-nhap\?next=/console/thiet-bi"))
    expect(page.locator("#signin-notice")).to_contain_text("hết hạn")


def test_a_timed_out_upload_says_which_file_to_choose_again(page, web_server, tmp_path):
    roster = tmp_path / "dai-bieu-Y-Ty.csv"
    roster.write_text("full_name,position\nSùng A Páo,Đại biểu\n", encoding="utf-8")
    sign_in(page, "clerk")
    page.goto("/console/nhap-dai-bieu")
    page.get_by_label("Tệp danh sách").set_input_files(str(roster))
    _age_session(page, 31)
    page.get_by_role("button", name="Xem trước").click()

    expect(page.locator("#signin-notice")).to_contain_text("hãy chọn lại tệp")
    page.get_by_label("Tên đăng nhập").fill("clerk")
    page.get_by_label("Mật khẩu").fill("demo-pass")
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.locator("#resume-files")).to_contain_text("dai-bieu-Y-Ty.csv")
    expect(page.locator("#resume-send")).to_have_count(0)  # nothing typed to send again
    page.get_by_role("link", name="Mở lại biểu mẫu").click()
    expect(page).to_have_url(re.compile(r"/console/nhap-dai-bieu$"))


def test_the_idle_warning_comes_two_minutes_before_and_keeps_the_session(page, web_server):
    page.clock.install()
    sign_in(page, "clerk")
    warning = page.locator("#idle-warning")
    expect(warning).to_be_hidden()
    page.clock.run_for("28:05")
    expect(warning).to_be_visible()
    expect(warning).to_contain_text("hết hạn sau 2 phút")
    page.get_by_role("button", name="Tiếp tục làm việc").click()
    expect(warning).to_be_hidden()  # the server answered 204: the idle time slid forward

    # the clerk walks away; the server's session really ends; the button says so
    page.clock.run_for("28:05")
    expect(warning).to_be_visible()
    _age_session(page, 31)
    page.get_by_role("button", name="Tiếp tục làm việc").click()
    expect(warning).to_contain_text("đã hết hạn")
    expect(page.get_by_role("button", name="Tiếp tục làm việc")).to_be_hidden()
