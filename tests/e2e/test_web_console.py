"""The clerk's console in a real browser: sign in, build a session, upload, publish."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from server.demo.calendar import demo_schedule
from tests.e2e.web_conftest import sign_in, vietnamese_pdf

SESSION_START = demo_schedule().session_start


def vn(day) -> str:
    return day.strftime("%d/%m/%Y")


def test_clerk_builds_a_session_uploads_three_pdfs_and_publishes(page, web_server, tmp_path):
    sign_in(page, "clerk")
    expect(page.get_by_role("heading", name="Các kỳ họp")).to_be_visible()

    # a form error keeps what was typed and says what is wrong next to the field
    page.get_by_label("Tên kỳ họp").fill("Kỳ họp chuyên đề về thiên tai")
    page.get_by_role("button", name="Tạo kỳ họp").click()
    expect(page.locator("#err-body_id")).to_be_visible()
    expect(page.get_by_label("Tên kỳ họp")).to_have_value("Kỳ họp chuyên đề về thiên tai")
    page.get_by_label("Cơ quan").select_option(label="Hội đồng nhân dân xã Y Tý")
    page.get_by_label("Loại kỳ họp").select_option("thematic")
    page.get_by_label("Ngày bắt đầu").fill("2026-12-15")
    page.get_by_role("button", name="Tạo kỳ họp").click()
    expect(page.get_by_role("heading", name="Kỳ họp chuyên đề về thiên tai")).to_be_visible()
    session_id = int(re.search(r"/ky-hop/(\d+)", page.url).group(1))

    for title in ("Khai mạc kỳ họp", "Tờ trình phòng chống lũ quét", "Bế mạc"):
        page.locator("#add-item").get_by_label("Tên mục").fill(title)
        page.get_by_role("button", name="Thêm vào chương trình").click()
        expect(page.locator(".item-title", has_text=title)).to_be_visible()

    # keyboard: move "Bế mạc" up, then nest "Tờ trình" under "Khai mạc"
    last = page.locator("li.agenda-item", has_text="Bế mạc")
    last.focus()
    page.keyboard.press("Alt+ArrowUp")
    expect(page.locator("ol.agenda > li.agenda-item").nth(1)).to_contain_text("Bế mạc")
    page.locator("li.agenda-item", has_text="Tờ trình phòng chống lũ quét").focus()
    page.keyboard.press("Alt+ArrowUp")
    expect(page.locator("ol.agenda > li.agenda-item").nth(1)).to_contain_text("Tờ trình")
    page.locator("li.agenda-item", has_text="Tờ trình phòng chống lũ quét").focus()
    page.keyboard.press("Alt+ArrowRight")
    nested = page.locator("li.agenda-item li.agenda-item")
    expect(nested).to_contain_text("1.1.")
    expect(nested).to_contain_text("Tờ trình phòng chống lũ quét")
    # and by drag: "Bế mạc" dropped on the left half of "Khai mạc" goes before it
    agenda = web_server.api("clerk", "GET", f"/api/sessions/{session_id}/agenda").json()
    assert [i["title"] for i in agenda] == ["Khai mạc kỳ họp", "Bế mạc"]
    page.locator("li.agenda-item", has_text="Bế mạc").locator(".row").first.drag_to(
        page.locator("li.agenda-item", has_text="Khai mạc").locator(".row").first,
        target_position={"x": 20, "y": 10})
    expect(page.locator("ol.agenda > li.agenda-item").first).to_contain_text("Bế mạc")

    # three PDFs at once, one progress bar each; a non-PDF gets the API's own message
    files = [vietnamese_pdf(tmp_path / f"tai-lieu-{n}.pdf", f"Tờ trình số {n} về lũ quét")
             for n in (1, 2, 3)]
    not_pdf = tmp_path / "ghi-chu.pdf"
    not_pdf.write_text("không phải PDF")
    item_value = page.locator("#u-item option", has_text="Tờ trình").get_attribute("value")
    page.locator("#u-item").select_option(item_value)
    page.get_by_label("Tệp PDF (chọn được nhiều tệp)").set_input_files([*files, not_pdf])
    page.get_by_role("button", name="Tải lên").click()
    failed = page.locator("#upload-list li.failed")
    expect(failed).to_contain_text("ghi-chu.pdf")
    expect(failed.locator(".upload-status")).to_contain_text("PDF")
    expect(page.locator("#upload-list li.done")).to_have_count(3)
    expect(page.locator("#upload-list progress").first).to_have_attribute("value", "100")
    page.reload()
    for n in (1, 2, 3):
        expect(page.locator("table.docs")).to_contain_text(f"tai-lieu-{n}")

    # a new version keeps the history
    row = page.locator("table.docs tr", has_text="tai-lieu-1")
    row.locator("input.new-version").set_input_files(
        vietnamese_pdf(tmp_path / "tai-lieu-1-sua.pdf", "Tờ trình số 1 (sửa đổi)"))
    expect(page.locator("table.docs tr", has_text="tai-lieu-1").locator("summary")).to_have_text(
        "v2")
    row = page.locator("table.docs tr", has_text="tai-lieu-1")
    row.locator("summary").click()
    expect(row.locator("ol.history li")).to_have_count(2)

    # confidentiality, then publish the session and the pack
    row.get_by_label(re.compile("Mức độ")).select_option("public")
    row.get_by_role("button", name="Lưu").click()
    expect(page.locator("table.docs tr", has_text="tai-lieu-1").locator("select")).to_have_value(
        "public")
    page.get_by_role("button", name="Công bố kỳ họp").click()
    expect(page.locator("#session-status")).to_have_text("Đã công bố")
    page.get_by_role("button", name="Đóng gói và phát hành tài liệu").click()
    for _ in range(50):
        if "phiên bản 1" in page.locator("#pack-state").inner_text():
            break
        page.wait_for_timeout(200)
        page.reload()
    expect(page.locator("#pack-state")).to_contain_text("phiên bản 1")
    documents = web_server.api("clerk", "GET", f"/api/sessions/{session_id}/documents").json()
    assert len(documents) == 3
    assert sorted(d["current_version"] for d in documents) == [1, 1, 2]

    page.get_by_role("link", name="Tình trạng tải tài liệu").click()
    expect(page.locator("#ready-summary")).to_contain_text("Gói phiên bản 1")
    expect(page.locator("#ready-rows tr").first).to_be_visible()
    expect(page.locator("#ready-chart svg")).to_be_visible()


def _new_session(web_server, title: str) -> int:
    plenary = next(b for b in web_server.api("clerk", "GET", "/api/bodies").json()
                   if b["kind"] == "plenary")
    return web_server.api("clerk", "POST", "/api/sessions", json={
        "title": title, "body_id": plenary["id"], "kind": "thematic",
        "start_date": "2026-11-20"}).json()["id"]


def test_agenda_item_edited_inline_and_deleted_with_confirmation(page, web_server):
    session_id = _new_session(web_server, "Kỳ họp chuyên đề giáo dục")
    api = web_server.api
    part = api("clerk", "POST", f"/api/sessions/{session_id}/agenda",
               json={"title": "Phần thảo luận"}).json()[0]["id"]
    api("clerk", "POST", f"/api/sessions/{session_id}/agenda",
        json={"title": "Thảo luận tổ", "parent_id": part})
    api("clerk", "POST", f"/api/sessions/{session_id}/agenda", json={"title": "Mục tạm"})
    sign_in(page, "clerk")
    page.goto(f"/console/ky-hop/{session_id}")

    item = page.locator("li.agenda-item", has_text="Mục tạm")
    item.locator("summary", has_text="Sửa").click()
    item.get_by_label("Tên mục").fill("")
    item.get_by_label("Người trình bày").fill("Hiệu trưởng trường Tiểu học Y Tý")
    item.get_by_label("Thời lượng (phút)").fill("45")
    item.get_by_role("button", name="Lưu").click()
    # the error beside the title; the other two fields keep what was typed
    item = page.locator("li.agenda-item", has=page.locator("details[open]"))
    expect(item.locator(".field-error")).to_have_text("Trường này bắt buộc.")
    expect(item.get_by_label("Người trình bày")).to_have_value("Hiệu trưởng trường Tiểu học Y Tý")
    expect(item.get_by_label("Thời lượng (phút)")).to_have_value("45")
    item.get_by_label("Tên mục").fill("Báo cáo chất lượng giáo dục")
    item.get_by_role("button", name="Lưu").click()
    edited = page.locator("li.agenda-item", has_text="Báo cáo chất lượng giáo dục")
    expect(edited.locator(".row")).to_contain_text("Hiệu trưởng trường Tiểu học Y Tý")
    saved = api("clerk", "GET", f"/api/sessions/{session_id}/agenda").json()[1]
    assert (saved["title"], saved["duration_minutes"]) == ("Báo cáo chất lượng giáo dục", 45)

    # an item with sub-items is refused with the service's message
    page.get_by_role("link", name="Xóa: Phần thảo luận").click()
    page.get_by_role("button", name="Xóa").click()
    expect(page.locator("#confirm-error")).to_contain_text("còn mục con")
    page.get_by_role("link", name="Quay lại").click()
    page.get_by_role("link", name="Xóa: Báo cáo chất lượng giáo dục").click()
    expect(page.get_by_role("heading")).to_contain_text("Xóa mục «Báo cáo chất lượng giáo dục»")
    page.get_by_role("button", name="Xóa").click()
    expect(page.locator("li.agenda-item")).to_have_count(2)
    expect(page.locator(".item-title", has_text="Báo cáo chất lượng")).to_have_count(0)


def test_grants_editor_for_a_restricted_document(page, web_server):
    session = next(s for s in web_server.api("clerk", "GET", "/api/sessions").json()
                   if s["start_date"] == SESSION_START.isoformat())  # the demo's session, with one
    docs = web_server.api("clerk", "GET", f"/api/sessions/{session['id']}/documents").json()
    doc = next(d for d in docs if d["confidentiality"] == "restricted")
    people = {p["full_name"]: p["id"] for p in web_server.api("clerk", "GET", "/api/people").json()}
    before = set(web_server.api("clerk", "GET", f"/api/documents/{doc['id']}/grants").json())
    sign_in(page, "clerk")
    page.goto(f"/console/ky-hop/{session['id']}")
    outsider = next(name for name, pid in sorted(people.items()) if pid not in before)
    row = page.locator(f"#doc-{doc['id']}")
    row.locator("summary", has_text="Người được đọc").click()
    row.get_by_role("checkbox", name=outsider, exact=True).check()
    row.get_by_role("button", name="Lưu quyền đọc").click()
    expect(page.locator(f"#doc-{doc['id']} summary", has_text="Người được đọc")).to_contain_text(
        f"({len(before) + 1})")
    after = set(web_server.api("clerk", "GET", f"/api/documents/{doc['id']}/grants").json())
    assert after == before | {people[outsider]}

    # the clerk is entitled to the content; the console shows it to no one else, and the
    # public portal does not even list it
    version = page.request.get(f"/console/tai-lieu/{doc['id']}/phien-ban/1")
    assert version.status == 200 and version.body().startswith(b"%PDF")
    portal = page.request.get(f"/phien-hop/{session['id']}").text()
    assert f"/tai-lieu/{doc['id']}" not in portal
    assert page.request.get(f"/phien-hop/{session['id']}/tai-lieu/{doc['id']}").status == 404
    page.context.clear_cookies()
    sign_in(page, "delegate01")
    assert page.request.get(f"/console/tai-lieu/{doc['id']}/phien-ban/1").status == 403


def test_dates_are_written_the_vietnamese_way(page, web_server):
    page.goto("/")
    text = page.locator("main").inner_text()
    assert vn(SESSION_START) in text and SESSION_START.isoformat() not in text
    session = next(s for s in web_server.api("clerk", "GET", "/api/sessions").json()
                   if s["start_date"] == SESSION_START.isoformat())
    page.goto(f"/phien-hop/{session['id']}")
    expect(page.locator("p.meta")).to_contain_text(f"{vn(SESSION_START)} – {vn(demo_schedule().session_end)}")
    sign_in(page, "clerk")
    expect(page.locator("main")).to_contain_text(vn(SESSION_START))
    page.goto(f"/console/ky-hop/{session['id']}")
    page.locator("#documents details summary").first.click()
    history = page.locator("ol.history li").first.inner_text()
    assert re.search(r"\d\d/\d\d/20\d\d \d\d:\d\d", history), history


def test_minutes_page_signature_block_from_the_sessions_officers(page, web_server, tmp_path):
    import pymupdf

    api = web_server.api
    session_id = _new_session(web_server, "Kỳ họp chuyên đề đất đai")
    assert api("clerk", "POST", f"/api/sessions/{session_id}/publish").status_code == 200
    sitting = api("clerk", "POST", f"/api/sessions/{session_id}/sittings",
                  json={"title": "Phiên khai mạc"}).json()["id"]
    sign_in(page, "clerk")
    page.goto(f"/console/phien-hop/{sitting}/bien-ban")
    expect(page.locator("#signers")).to_contain_text("(chưa phân công)")
    # officers named after the sitting was created are still found for the signatures
    people = {p["full_name"]: p["id"] for p in api("clerk", "GET", "/api/people").json()}
    for name, role in (("Chu Sa Hừ", "chair"), ("Hầu Thị Ngọc Ánh", "secretary")):
        assert api("clerk", "POST", f"/api/sessions/{session_id}/officers",
                   json={"person_id": people[name], "role": role}).status_code in (200, 201)
    page.reload()
    signers = page.locator("#signers .signature")
    expect(signers.nth(0)).to_contain_text("THƯ KÝ KỲ HỌP")
    expect(signers.nth(0)).to_contain_text("Hầu Thị Ngọc Ánh")
    expect(signers.nth(1)).to_contain_text("CHỦ TỌA")
    expect(signers.nth(1)).to_contain_text("Chu Sa Hừ")
    with page.expect_download() as download:
        page.locator("#minutes-pdf").click()
    path = tmp_path / "bien-ban.pdf"
    download.value.save_as(path)
    text = "".join(p.get_text() for p in pymupdf.open(path))
    assert "Hầu Thị Ngọc Ánh" in text and "Chu Sa Hừ" in text
    assert re.search(r"Số:\s+/BB-HĐND", text) and f"Số: {sitting}/" not in text


def test_clerk_numbers_the_minutes_from_the_register(page, web_server, tmp_path):
    """Nghị định 30/2020, Điều 15: the minutes take the year's next number, shown on the
    page, printed in the PDF and the DOCX alike, and listed in the register."""
    import subprocess

    import docx
    import pymupdf

    api = web_server.api
    session_id = _new_session(web_server, "Kỳ họp thường lệ cuối năm")
    assert api("clerk", "POST", f"/api/sessions/{session_id}/publish").status_code == 200
    sitting = api("clerk", "POST", f"/api/sessions/{session_id}/sittings",
                  json={"title": "Phiên bế mạc"}).json()["id"]
    sign_in(page, "clerk")
    page.goto(f"/console/phien-hop/{sitting}/bien-ban")
    expect(page.locator("#minutes-number")).to_contain_text("Chưa cấp số")
    page.locator("#give-number").click()
    expect(page.locator("#minutes-number")).to_contain_text(re.compile(r"Số: \d\d/BB-HĐND"))
    number = page.locator("#minutes-number").inner_text().removeprefix("Số: ").strip()
    expect(page.locator("#give-number")).to_have_count(0)  # a number is given once

    with page.expect_download() as download:
        page.locator("#minutes-pdf").click()
    pdf_path = tmp_path / "bien-ban.pdf"
    download.value.save_as(pdf_path)
    pdf = pymupdf.open(pdf_path)
    assert f"Số: {number}" in pdf[0].get_text()
    assert all("TeXGyreTermes" in f[3].replace(" ", "") for f in pdf[0].get_fonts())
    subprocess.run(["pdftoppm", "-r", "60", "-png", "-f", "1", "-l", "1", str(pdf_path),
                    str(tmp_path / "bien-ban")], check=True, timeout=60)
    assert list(tmp_path.glob("bien-ban-*.png"))
    with page.expect_download() as download:
        page.locator("#minutes-docx").click()
    docx_path = tmp_path / "bien-ban.docx"
    download.value.save_as(docx_path)
    cells = [c.text for t in docx.Document(docx_path).tables for r in t.rows for c in r.cells]
    assert f"Số: {number}" in cells

    page.get_by_role("link", name="Sổ văn bản").click()
    row = page.locator("table[data-series='BB-HĐND'] tr", has_text=number)
    expect(row).to_contain_text("Phiên bế mạc")
    expect(row).to_contain_text("clerk")
    # a paper document gets the next number of its own series; an empty subject is refused
    page.get_by_label("Loại văn bản").select_option("TB-TTHĐND")
    page.get_by_role("button", name="Cấp số").click()
    expect(page.locator("#err-given_to")).to_contain_text("Hãy ghi số được cấp cho văn bản nào")
    page.get_by_label("Cấp cho văn bản").fill("Thông báo kết luận phiên chất vấn tháng 12")
    page.get_by_role("button", name="Cấp số").click()
    expect(page.locator("#register-given")).to_contain_text("/TB-TTHĐND")
    expect(page.locator("table[data-series='TB-TTHĐND']")).to_contain_text(
        "Thông báo kết luận phiên chất vấn tháng 12")
