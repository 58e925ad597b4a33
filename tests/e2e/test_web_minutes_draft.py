"""The secretary's journey through the minutes draft in a real browser: make the draft,
summarise the speeches, preview the PDF, take the number, finalise, read the history.
The editor's screenshot goes to docs/screenshots/ (looked at when it changes)."""

from __future__ import annotations

import re
from pathlib import Path

import pymupdf
from playwright.sync_api import expect

from server.demo.calendar import demo_schedule
from tests.e2e.web_conftest import sign_in

SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
SUMMARY = ("Đại biểu Sần Thị Mai đề nghị ưu tiên vốn sửa đường liên thôn Phìn Hồ; "
           "Chủ tịch UBND xã tiếp thu.")


def _pdf_text(body: bytes) -> str:
    with pymupdf.open(stream=body, filetype="pdf") as doc:
        return " ".join(" ".join(page.get_text().split()) for page in doc)


def test_secretary_edits_previews_numbers_and_finalises_the_minutes(page, web_server):
    api = web_server.api
    session_id = next(s["id"] for s in api("clerk", "GET", "/api/sessions").json()
                      if s["title"] == demo_schedule().session_title)
    sitting = api("clerk", "POST", f"/api/sessions/{session_id}/sittings",
                  json={"title": "Phiên thảo luận tổ"}).json()["id"]
    sign_in(page, "clerk")
    page.goto(f"/console/phien-hop/{sitting}/bien-ban")
    expect(page.locator("#minutes-draft")).to_contain_text("Chưa lập dự thảo")
    expect(page.locator("#cho-ky")).to_contain_text("Chưa có nghị quyết")
    page.locator("#start-draft").click()

    expect(page.locator("h1")).to_contain_text("Dự thảo biên bản")
    expect(page.locator("#draft-state")).to_contain_text("Đang soạn thảo")
    speeches = page.get_by_role("textbox", name="Phát biểu và tranh luận")
    expect(speeches).to_have_value("Không có lượt phát biểu.")
    speeches.fill(SUMMARY)
    page.get_by_role("textbox", name="Kết luận của chủ tọa").fill("Giao UBND xã hoàn thiện phương án.")
    page.locator("#draft-save").click()
    expect(page.locator("#draft-saved")).to_contain_text("Đã lưu")
    expect(page.get_by_role("textbox", name="Phát biểu và tranh luận")).to_have_value(SUMMARY)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": 1280, "height": 1100})
    page.screenshot(path=str(SHOTS / "minutes-draft-editor.png"))

    preview = page.request.get(page.locator("#draft-preview").get_attribute("href"))
    assert preview.headers["content-type"] == "application/pdf"
    text = _pdf_text(preview.body())
    assert SUMMARY in text and "Giao UBND xã hoàn thiện phương án." in text
    assert re.search(r"Số:\s+/BB-HĐND", text)  # no number yet: a blank one

    page.locator("#draft-finalise").click()  # refused in words: the number comes first
    expect(page.locator("#draft-error")).to_contain_text("Hãy cấp số cho biên bản")
    page.locator("#draft-give-number").click()
    expect(page.locator("#draft-number")).to_contain_text(re.compile(r"Số: \d\d/BB-HĐND"))
    number = page.locator("#draft-number").inner_text().removeprefix("Số: ").strip()
    page.locator("#draft-finalise").click()
    expect(page.locator("#draft-state")).to_contain_text("Đã hoàn thiện, chờ ký số")
    expect(page.get_by_role("textbox", name="Phát biểu và tranh luận")).to_have_attribute("readonly", "")
    expect(page.locator("#draft-save")).to_have_count(0)
    final = page.request.get(page.locator("#draft-final-file").get_attribute("href"))
    final_text = _pdf_text(final.body())
    assert f"Số: {number}" in final_text and SUMMARY in final_text

    page.locator("#draft-history").click()
    edits = page.locator("#draft-history-list li[data-action='edited']")
    expect(edits).to_have_count(2)
    speech = edits.filter(has_text="Phát biểu và tranh luận")
    expect(speech).to_contain_text("clerk")
    expect(speech.locator(".ins")).to_contain_text(SUMMARY)
    expect(speech.locator(".del")).to_contain_text("Không có lượt phát biểu.")
    expect(page.locator("#draft-history-list li").first).to_contain_text("Hoàn thiện")
    expect(page.locator("#draft-history-list li[data-action='numbered']")).to_contain_text(number)
