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


def test_council_bodies_and_memberships_edit_and_delete(page, web_server):
    sign_in(page, "clerk")
    page.goto("/console/hoi-dong")
    page.get_by_label("Tên cơ quan *").fill("Tổ đại biểu số 9")
    page.get_by_label("Loại cơ quan").select_option("delegate_group")
    page.get_by_role("button", name="Thêm cơ quan").click()
    page.locator("summary", has_text="Tổ đại biểu số 9").click()
    page.get_by_role("link", name="Sửa cơ quan và thành viên").click()

    # two errors at once, next to their fields, and what was typed stays
    page.get_by_label("Tên cơ quan *").fill("")
    page.get_by_label("Tỷ lệ để đủ điều kiện họp: tử số").fill("ba")
    page.get_by_label("Công khai danh sách biểu quyết ghi danh").check()
    page.get_by_role("button", name="Lưu").click()
    expect(page.locator("#err-body-name")).to_have_text("Trường này bắt buộc.")
    expect(page.locator("#err-body-quorum_numerator")).to_have_text("Hãy nhập một số.")
    expect(page.get_by_label("Tỷ lệ để đủ điều kiện họp: tử số")).to_have_value("ba")
    expect(page.get_by_label("Công khai danh sách biểu quyết ghi danh")).to_be_checked()
    page.get_by_label("Tên cơ quan *").fill("Tổ đại biểu số 9 (Sín Chải)")
    page.get_by_label("Tỷ lệ để đủ điều kiện họp: tử số").fill("1")
    page.get_by_label("Tỷ lệ để đủ điều kiện họp: mẫu số").fill("2")
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_role("heading", name="Tổ đại biểu số 9 (Sín Chải)")).to_be_visible()
    body_id = int(re.search(r"/co-quan/(\d+)", page.url).group(1))
    body = web_server.api("clerk", "GET", f"/api/bodies/{body_id}").json()
    assert (body["quorum_numerator"], body["quorum_denominator"]) == (1, 2)
    assert body["publish_named_votes"] is True

    # memberships: add without a person (error), add, change role, remove
    page.get_by_role("button", name="Gán vào cơ quan").click()
    expect(page.locator("#err-member-person_id")).to_be_visible()
    page.locator("#m-person").select_option(label="Sần Chà Xá")
    page.locator("#m-role").select_option("chair")
    page.get_by_role("button", name="Gán vào cơ quan").click()
    row = page.locator("tr", has_text="Sần Chà Xá")
    expect(row.get_by_role("combobox")).to_have_value("chair")
    row.get_by_role("combobox").select_option("member")
    row.get_by_role("button", name="Đổi vai trò").click()
    members = web_server.api("clerk", "GET", f"/api/bodies/{body_id}/members").json()
    assert [(m["full_name"], m["role"]) for m in members] == [("Sần Chà Xá", "member")]
    page.get_by_role("button", name="Bỏ khỏi cơ quan: Sần Chà Xá").click()
    expect(page.locator("#members")).to_contain_text("Cơ quan chưa có thành viên.")

    # delete, behind a confirmation page: cancel first, then confirm
    page.get_by_role("link", name="Xóa cơ quan").click()
    expect(page.get_by_role("heading", name="Xóa cơ quan «Tổ đại biểu số 9 (Sín Chải)»?")).to_be_visible()
    page.get_by_role("link", name="Hủy").click()
    page.get_by_role("link", name="Xóa cơ quan").click()
    page.get_by_role("button", name="Xóa").click()
    expect(page).to_have_url(re.compile(r"/console/hoi-dong$"))
    expect(page.locator("summary", has_text="Tổ đại biểu số 9")).to_have_count(0)

    # a body with sessions is refused with the service's reason and stays
    plenary = next(b for b in web_server.api("clerk", "GET", "/api/bodies").json()
                   if b["kind"] == "plenary")
    page.goto(f"/console/hoi-dong/co-quan/{plenary['id']}/xoa")
    page.get_by_role("button", name="Xóa").click()
    expect(page.locator("#confirm-error")).to_contain_text("đã có kỳ họp")
    assert web_server.api("clerk", "GET", f"/api/bodies/{plenary['id']}").status_code == 200


def test_council_people_edit_and_delete(page, web_server):
    sign_in(page, "clerk")
    page.goto("/console/hoi-dong")
    page.get_by_label("Họ và tên *").fill("Vàng A Sử")
    page.locator("#p-email").fill("không-phải-email")
    page.get_by_role("button", name="Thêm người").click()
    expect(page.locator("#err-person-email")).to_be_visible()
    expect(page.get_by_label("Họ và tên *")).to_have_value("Vàng A Sử")
    page.locator("#p-email").fill("vang.a.su@example.vn")
    page.get_by_role("button", name="Thêm người").click()
    page.get_by_role("link", name="Vàng A Sử").click()

    page.locator("#p-pos").fill("Trưởng thôn Sín Chải")
    page.locator("#p-phone").fill("số điện thoại")
    page.get_by_role("button", name="Lưu").click()
    expect(page.locator("#err-person-phone")).to_have_text("Định dạng không hợp lệ.")
    expect(page.locator("#p-pos")).to_have_value("Trưởng thôn Sín Chải")
    page.locator("#p-phone").fill("0912 345 678")
    page.get_by_role("button", name="Lưu").click()
    expect(page.locator("tr", has_text="Vàng A Sử")).to_contain_text("Trưởng thôn Sín Chải")

    page.get_by_role("link", name="Vàng A Sử").click()
    page.get_by_role("link", name="Xóa người này").click()
    page.get_by_role("button", name="Xóa").click()
    expect(page.get_by_role("link", name="Vàng A Sử")).to_have_count(0)

    # someone with an account and devices cannot be deleted; the reason is shown
    chair = next(p for p in web_server.api("clerk", "GET", "/api/people").json()
                 if p["full_name"] == "Chu Sa Hừ")
    page.goto(f"/console/hoi-dong/nguoi/{chair['id']}/xoa")
    page.get_by_role("button", name="Xóa").click()
    expect(page.locator("#confirm-error")).to_contain_text("không thể xóa")
    assert web_server.api("clerk", "GET", f"/api/people/{chair['id']}").status_code == 200
