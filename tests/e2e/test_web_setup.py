"""Council set-up in the browser: delegate import with preview, enrolment codes; and the
security of every page (CSRF, CSP without inline scripts, the console is for clerks)."""

from __future__ import annotations

import re

import httpx
from playwright.sync_api import expect

from tests.e2e.web_conftest import sign_in

GOOD = ("ho_ten,chuc_vu,email,co_quan,vai_tro\n"
        "Thào Thị Mỷ,Trưởng thôn Phìn Hồ,my.thao@example.vn,Hội đồng nhân dân xã Y Tý,thành viên\n"
        "Chảo Láo Tả,Bí thư Đoàn xã,,Hội đồng nhân dân xã Y Tý,\n")
BAD = GOOD + ",Không có tên,,,\nLý Seo Dền,,không-phải-email,Ban Không Có,\n"


def test_import_previews_with_row_errors_then_saves(page, web_server, tmp_path):
    sign_in(page, "clerk")
    page.goto("/console/nhap-dai-bieu")
    bad = tmp_path / "dai-bieu-loi.csv"
    bad.write_text(BAD, encoding="utf-8")
    page.get_by_label("Tệp danh sách").set_input_files(bad)
    page.get_by_role("button", name="Xem trước").click()
    expect(page.locator("#preview tbody tr")).to_have_count(4)
    expect(page.locator("#preview tr.row-bad")).to_have_count(2)
    expect(page.locator("#preview tr", has_text="Lý Seo Dền")).to_contain_text("Ban Không Có")
    expect(page.locator("#confirm-import")).to_have_count(0)
    people = web_server.api("clerk", "GET", "/api/people").json()
    assert not any(p["full_name"] == "Thào Thị Mỷ" for p in people)  # nothing saved

    good = tmp_path / "dai-bieu.csv"
    good.write_text(GOOD, encoding="utf-8")
    page.get_by_label("Tệp danh sách").set_input_files(good)
    page.get_by_role("button", name="Xem trước").click()
    expect(page.locator("#preview tr.row-ok")).to_have_count(2)
    page.locator("#confirm-import").click()
    expect(page.locator("#import-done")).to_contain_text("Đã nhập 2 đại biểu")
    people = {p["full_name"] for p in web_server.api("clerk", "GET", "/api/people").json()}
    assert {"Thào Thị Mỷ", "Chảo Láo Tả"} <= people


def test_clerk_issues_an_enrolment_code_with_qr(page):
    sign_in(page, "clerk")
    page.goto("/console/thiet-bi")
    page.get_by_role("button", name="Cấp mã").click()
    expect(page.locator("#err-person_id")).to_be_visible()
    page.get_by_label("Đại biểu").select_option(label="Phu Lỳ Chờ")
    page.get_by_role("button", name="Cấp mã").click()
    expect(page.locator("#enrol-code")).to_have_text(re.compile(r"\S{4,}"))
    qr = page.locator("img.qr")
    expect(qr).to_be_visible()
    # The QR image really loaded (evaluate runs in an isolated world, so CSP allows it).
    qr.evaluate("img => img.decode()")
    assert qr.evaluate("img => img.naturalWidth") > 0


PAGES = ["/", "/dang-nhap", "/console", "/console/hoi-dong", "/console/nhap-dai-bieu",
         "/console/thiet-bi"]


def test_every_page_has_csp_and_no_inline_script(page, web_server):
    sign_in(page, "clerk")
    sessions = web_server.api("clerk", "GET", "/api/sessions").json()
    first = sessions[0]["id"]
    extra = [f"/console/ky-hop/{first}", f"/console/ky-hop/{first}/san-sang"]
    published = [s for s in sessions if s["status"] != "draft"]
    extra.append(f"/phien-hop/{published[0]['id']}")
    for path in PAGES + extra:
        response = page.goto(path)
        assert response.status == 200, path
        headers = response.headers
        assert "script-src 'self'" in headers["content-security-policy"], path
        assert "frame-ancestors 'none'" in headers["content-security-policy"]
        assert headers["x-frame-options"] == "DENY"
        for script in page.locator("script").all():
            assert script.get_attribute("src"), f"inline script on {path}"
        assert page.locator("html").get_attribute("lang") == "vi"
        assert not re.search(r"\son[a-z]+=", page.content()), f"inline handler on {path}"


def test_csrf_and_cookie_rules(page, web_server):
    sign_in(page, "clerk")
    cookie = next(c for c in page.context.cookies() if c["name"] == "hdnd_session")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Lax"
    # a form posted without the token is refused, with the cookie alone
    answer = page.request.post("/console/ky-hop", form={"title": "Giả mạo", "body_id": "1",
                                                         "kind": "regular",
                                                         "start_date": "2026-12-01"})
    assert answer.status == 403 and answer.json()["code"] == "csrf_refused"
    answer = page.request.post("/console/api/agenda-items/1/move",
                               data={"parent_id": None, "position": 0})
    assert answer.status == 403
    # the sign-in form itself has a token too
    assert httpx.post(f"{web_server.base}/dang-nhap",
                      data={"username": "clerk", "password": "x"}).status_code == 403


def test_a_delegate_cannot_open_the_console(page, web_server):
    sign_in(page, "delegate01")
    response = page.goto("/console")
    assert response.status == 403
    expect(page.get_by_role("heading", name="Không có quyền truy cập")).to_be_visible()
    assert page.goto("/console/thiet-bi").status == 403
    assert page.request.get("/console/api/sessions/1/readiness").status == 403


def test_signed_out_goes_to_sign_in_and_wrong_password_keeps_username(page):
    page.goto("/console/thiet-bi")
    expect(page).to_have_url(re.compile(r"/dang-nhap\?next=/console/thiet-bi"))
    page.get_by_label("Tên đăng nhập").fill("clerk")
    page.get_by_label("Mật khẩu").fill("sai-mat-khau")
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.locator(".form-error")).to_contain_text("không đúng")
    expect(page.get_by_label("Tên đăng nhập")).to_have_value("clerk")
