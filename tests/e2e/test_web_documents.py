"""Issue 17: the clerk's documents in a real browser. A double click on «Tải lên» makes
one document; the title and số/ký hiệu are asked at upload and edited later; an
unpublished document is deleted; a published one is replaced, its old version kept in
the history; the portal shows the title and number, never the file name; the upload
form works without a script too."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import expect

from tests.e2e.web_conftest import sign_in, vietnamese_pdf

SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def _published_session(web_server) -> tuple[int, int]:
    api = web_server.api
    plenary = next(b for b in api("clerk", "GET", "/api/bodies").json() if b["kind"] == "plenary")
    session_id = api("clerk", "POST", "/api/sessions", json={
        "title": "Kỳ họp thứ mười (chuyên đề ngân sách)", "body_id": plenary["id"],
        "kind": "thematic", "start_date": "2026-12-15",
        "place": "Hội trường UBND xã Y Tý"}).json()["id"]
    item = api("clerk", "POST", f"/api/sessions/{session_id}/agenda",
               json={"title": "Dự toán ngân sách xã năm 2027"}).json()[-1]["id"]
    assert api("clerk", "POST", f"/api/sessions/{session_id}/publish").status_code == 200
    return session_id, item


def test_clerk_uploads_edits_deletes_and_replaces_documents(page, web_server, tmp_path):
    session_id, item = _published_session(web_server)
    sign_in(page, "clerk")
    page.goto(f"/console/ky-hop/{session_id}")

    # the title is asked at upload, offered readable from the file name
    pdf = vietnamese_pdf(tmp_path / "to_trinh_ngan_sach.pdf", "Tờ trình về dự toán ngân sách")
    page.locator("#u-item").select_option(str(item))
    page.get_by_label("Tệp PDF (chọn được nhiều tệp)").set_input_files(pdf)
    row = page.locator("#upload-list li.upload-row")
    expect(row.get_by_label("Tên tài liệu")).to_have_value("To trinh ngan sach")
    row.get_by_label("Tên tài liệu").fill("Tờ trình về dự toán ngân sách xã năm 2027")
    row.get_by_label("Số, ký hiệu").fill("125/TTr-UBND")
    expect(page.locator("#u-title")).to_be_hidden()  # the no-script field gives way to the row
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.locator("#documents").screenshot(path=str(SHOTS / "console-upload-rows.png"))
    page.get_by_role("button", name="Tải lên").dblclick()
    expect(page.locator("#upload-button")).to_be_disabled()
    expect(page.locator("table.docs")).to_contain_text("Tờ trình về dự toán ngân sách xã năm 2027")
    documents = web_server.api("clerk", "GET", f"/api/sessions/{session_id}/documents").json()
    assert [(d["title"], d["number"]) for d in documents] == [
        ("Tờ trình về dự toán ngân sách xã năm 2027", "125/TTr-UBND")]
    first_id = documents[0]["id"]

    # edit: the title had a typo; the kind and level are set; saved in words
    page.get_by_role("link", name="Tờ trình về dự toán ngân sách xã năm 2027").click()
    expect(page.locator("#doc-state")).to_have_text("Chưa phát hành")
    page.get_by_label("Tên tài liệu (trích yếu)").fill("")
    page.get_by_label("Số, ký hiệu").fill("126/TTr-UBND")
    page.get_by_role("button", name="Lưu").click()
    expect(page.locator("#err-title")).to_be_visible()
    expect(page.get_by_label("Số, ký hiệu")).to_have_value("126/TTr-UBND")  # kept
    page.get_by_label("Tên tài liệu (trích yếu)").fill(
        "Tờ trình về dự toán thu, chi ngân sách xã năm 2027")
    page.get_by_label("Loại tài liệu").select_option("submission")
    page.get_by_label("Mức độ").select_option("public")
    page.get_by_role("button", name="Lưu").click()
    expect(page.locator("#saved")).to_be_visible()
    expect(page.locator("#doc-title")).to_have_text(
        "Tờ trình về dự toán thu, chi ngân sách xã năm 2027")
    expect(page.locator("#doc-number")).to_have_text("Số 126/TTr-UBND")
    # public in a published session: it is on the portal now, so it is not deleted
    expect(page.locator("#doc-state")).to_have_text("Đã phát hành")
    expect(page.locator("#delete-document")).to_have_count(0)
    expect(page.get_by_role("button", name="Rút tài liệu")).to_be_visible()

    # replace it: a new version, the old one stays in the history
    page.get_by_label("Tệp PDF thay thế").set_input_files(vietnamese_pdf(
        tmp_path / "to_trinh_sua.pdf", "Tờ trình (bản sửa theo ý kiến thẩm tra)", pages=3))
    page.get_by_label("Ghi chú (lý do thay thế)").fill("Sửa theo ý kiến Ban Kinh tế - Xã hội")
    page.get_by_role("button", name="Tải lên bản thay thế").click()
    expect(page.locator("#v-2")).to_contain_text("Bản hiện hành")
    expect(page.locator("#v-1")).to_contain_text("Đã được thay thế")
    expect(page.locator("#v-1")).to_contain_text("to_trinh_ngan_sach.pdf")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "console-document-edit.png"), full_page=True)

    # a mistaken upload, not published: deleted after a confirmation
    wrong = vietnamese_pdf(tmp_path / "nham_tep.pdf", "Tệp tải nhầm")
    web_server.api("clerk", "POST", f"/api/sessions/{session_id}/documents",
                   data={"title": "Tệp tải nhầm"},
                   files={"file": ("nham_tep.pdf", wrong.read_bytes(), "application/pdf")})
    page.goto(f"/console/ky-hop/{session_id}")
    page.get_by_role("link", name="Tệp tải nhầm").click()
    page.get_by_role("link", name="Xóa tài liệu").click()
    page.get_by_role("button", name=re.compile("Xóa")).click()
    expect(page).to_have_url(re.compile(rf"/console/ky-hop/{session_id}"))
    expect(page.locator("table.docs")).not_to_contain_text("Tệp tải nhầm")

    # the portal: the title and số/ký hiệu, the current version, never the file name
    page.goto(f"/phien-hop/{session_id}")
    public = page.locator("li.public-doc")
    expect(public).to_have_count(1)
    expect(public).to_contain_text("Số 126/TTr-UBND")
    expect(public.get_by_role("link")).to_have_text(
        "Tờ trình về dự toán thu, chi ngân sách xã năm 2027")
    expect(page.locator("main")).not_to_contain_text("to_trinh")
    download = web_server.api(None, "GET", f"/phien-hop/{session_id}/tai-lieu/{first_id}")
    assert download.status_code == 200 and b"%PDF" in download.content[:8]
    assert download.content == web_server.api(
        "clerk", "GET", f"/api/documents/{first_id}/versions/2/file").content


def test_upload_without_a_script(browser, web_server, tmp_path):
    session_id, item = _published_session(web_server)
    context = browser.new_context(base_url=web_server.base, locale="vi-VN",
                                  java_script_enabled=False)
    page = context.new_page()
    try:
        sign_in(page, "clerk")
        page.goto(f"/console/ky-hop/{session_id}")
        page.locator("#u-files").set_input_files(
            vietnamese_pdf(tmp_path / "bao_cao_tham_tra.pdf", "Báo cáo thẩm tra"))
        page.locator("#u-number").fill("18/BC-KTXH")
        page.get_by_role("button", name="Tải lên").click()
        # one file: straight to its page, the title made readable from the file name
        expect(page.locator("#doc-title")).to_have_text("Bao cao tham tra")
        expect(page.locator("#doc-number")).to_have_text("Số 18/BC-KTXH")
        # a replacement without the script: the form posts itself, the history grows
        page.get_by_label("Tệp PDF thay thế").set_input_files(
            vietnamese_pdf(tmp_path / "bao_cao_tham_tra_2.pdf", "Báo cáo thẩm tra (sửa)"))
        page.get_by_role("button", name="Tải lên bản thay thế").click()
        expect(page.locator("#v-2")).to_contain_text("Bản hiện hành")
        expect(page.locator("#v-1")).to_contain_text("Đã được thay thế")
        # no file chosen: said in words on the session page
        page.goto(f"/console/ky-hop/{session_id}")
        page.get_by_role("button", name="Tải lên").click()
        expect(page.locator("#err-upload")).to_have_text("Hãy chọn một hoặc nhiều tệp PDF.")
    finally:
        context.close()


def test_sitting_details_edited_until_held(page, web_server):
    session_id, _ = _published_session(web_server)
    sitting = web_server.api("clerk", "POST", f"/api/sessions/{session_id}/sittings",
                             json={"title": "Phiên họp sáng"}).json()
    sign_in(page, "clerk")
    page.goto(f"/console/ky-hop/{session_id}")
    entry = page.locator(f"#sitting-{sitting['id']}")
    entry.locator("summary", has_text="Sửa").click()
    entry.get_by_label("Tên phiên họp").fill("Phiên họp sáng ngày 15/12")
    entry.get_by_label("Thời gian").fill("2026-12-15T07:30")
    entry.get_by_label("Địa điểm").fill("Nhà văn hóa thôn Lao Chải")
    entry.get_by_role("button", name="Lưu").click()
    entry = page.locator(f"#sitting-{sitting['id']}")
    expect(entry.locator(".sitting-title")).to_have_text("Phiên họp sáng ngày 15/12")
    expect(entry.locator(".sitting-when")).to_have_text("15/12/2026 07:30")
    expect(entry.locator(".sitting-place")).to_have_text("Nhà văn hóa thôn Lao Chải")
