"""The assistant in the console, in a real browser: the clerk opens it from the menu, asks
in Vietnamese, reads the cited passages and opens one at its page; a delegate without the
grant never sees the restricted review cited; a question with nothing behind it says so."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import expect

from tests.e2e.web_conftest import sign_in

SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def test_the_clerk_asks_and_follows_a_citation(page, web_server):
    sign_in(page, "clerk")
    page.get_by_role("link", name="Trợ lý").click()
    expect(page.get_by_role("heading", name="Trợ lý tra cứu tài liệu")).to_be_visible()
    page.get_by_label("Câu hỏi").fill("Vì sao phải điều chỉnh dự toán ngân sách xã năm 2026?")
    page.get_by_role("button", name="Hỏi").click()
    expect(page.get_by_role("heading", name="Nguồn trích dẫn")).to_be_visible()
    sources = page.locator("ol.citations > li")
    expect(page.locator("ol.citations")).to_contain_text(
        "Tờ trình về việc điều chỉnh dự toán ngân sách xã năm 2026, trang 1, "
        "I. SỰ CẦN THIẾT ĐIỀU CHỈNH")
    page.screenshot(path=str(SHOTS / "assistant-console.png"), full_page=True)
    expect(page.locator("ol.citations blockquote", has_text="thiên tai")).not_to_have_count(0)
    link = sources.first.get_by_role("link", name="Mở")
    expect(link).to_have_attribute("href", re.compile(r"/console/tro-ly/tai-lieu/\d+#page=1"))
    response = page.request.get(link.get_attribute("href").split("#")[0])
    assert response.status == 200 and response.body().startswith(b"%PDF")

    page.get_by_label("Tóm tắt tài liệu").select_option(
        label="Tờ trình về việc điều chỉnh dự toán ngân sách xã năm 2026")
    page.get_by_role("button", name="Tóm tắt tài liệu").click()
    expect(sources).to_have_count(3)

    page.get_by_label("Câu hỏi").fill("xyzzy plugh")
    page.get_by_role("button", name="Hỏi").click()
    expect(page.locator(".assistant-answer")).to_contain_text("Không tìm thấy nội dung liên quan")
    expect(sources).to_have_count(0)


def test_a_delegate_without_the_grant_never_sees_the_restricted_review(page, web_server):
    question = "phòng chống mua bán người, ma túy, xuất cảnh trái phép ở các thôn giáp biên giới"
    sign_in(page, "delegate04")
    page.goto("/console/tro-ly")
    page.get_by_label("Câu hỏi").fill(question)
    page.get_by_role("button", name="Hỏi").click()
    expect(page.locator(".assistant-answer")).to_be_visible()
    expect(page.locator("ol.citations > li")).not_to_have_count(0)
    expect(page.locator("ol.citations strong", has_text="Báo cáo thẩm tra của Ban Pháp chế")
           ).to_have_count(0)
    options = page.locator("#a-sum option").all_inner_texts()
    assert "Báo cáo thẩm tra của Ban Pháp chế" not in options
    page.screenshot(path=str(SHOTS / "assistant-delegate.png"), full_page=True)

    page.context.clear_cookies()
    sign_in(page, "delegate01")  # granted
    page.goto("/console/tro-ly")
    page.get_by_label("Câu hỏi").fill(question)
    page.get_by_role("button", name="Hỏi").click()
    expect(page.locator("ol.citations")).to_contain_text("Báo cáo thẩm tra của Ban Pháp chế")
