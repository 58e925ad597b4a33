"""The clerk's console in a real browser: sign in, build a session, upload, publish."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.e2e.web_conftest import sign_in, vietnamese_pdf


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
        page.get_by_label("Tên mục").fill(title)
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
