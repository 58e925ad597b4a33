"""Training courses and supervision participants on the console, in a real browser: the
clerk adds a course, ticks who attended, uploads a certificate, and ticks the delegates who
took part in a supervision. Refusals are in words and keep what was typed or ticked."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import expect

from server.demo.calendar import DemoCalendar
from shared import clock
from tests.e2e.web_conftest import sign_in, vietnamese_pdf

YEAR = DemoCalendar.for_today(clock.today()).year
SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def test_course_created_attended_and_certified(page, web_server, tmp_path):
    sign_in(page, "clerk")
    page.get_by_role("link", name="Đại biểu", exact=True).click()
    page.get_by_role("link", name="Bồi dưỡng, tập huấn").click()
    expect(page.get_by_role("heading", name="Bồi dưỡng, tập huấn đại biểu và công chức")
           ).to_be_visible()
    page.get_by_label("Tên lớp").fill("Khai thác trợ lý AI cho đại biểu")
    page.get_by_label("Đơn vị tổ chức").fill("Sở Nội vụ")
    page.get_by_label("Ngày bắt đầu").fill(f"{YEAR}-11-10")
    page.get_by_label("Ngày kết thúc").fill(f"{YEAR}-11-08")
    page.get_by_label("Có nội dung sử dụng trí tuệ nhân tạo (AI)").check()
    page.get_by_role("button", name="Thêm lớp").click()
    # refused in words; what was typed stays
    expect(page.get_by_role("alert")).to_contain_text("Ngày kết thúc trước ngày bắt đầu")
    expect(page.get_by_label("Tên lớp")).to_have_value("Khai thác trợ lý AI cho đại biểu")
    expect(page.get_by_label("Có nội dung sử dụng trí tuệ nhân tạo (AI)")).to_be_checked()
    page.get_by_label("Ngày kết thúc").fill(f"{YEAR}-11-12")
    page.get_by_role("button", name="Thêm lớp").click()
    expect(page.get_by_role("heading", name="Khai thác trợ lý AI cho đại biểu")).to_be_visible()

    boxes = page.locator("fieldset input[type=checkbox]")
    first = page.locator("fieldset label.check").nth(0).inner_text().split(" (")[0].strip()
    boxes.nth(0).check()
    boxes.nth(1).check()
    page.get_by_role("button", name="Lưu danh sách dự lớp").click()
    expect(page.get_by_role("status")).to_have_text("Đã lưu danh sách dự lớp.")
    rows = page.locator("table.certificates tbody tr")
    expect(rows).to_have_count(2)

    row = rows.filter(has_text=first)
    row.locator("input[type=file]").set_input_files(str(_text_file(tmp_path)))
    row.get_by_role("button", name="Tải lên").click()
    expect(page.get_by_role("alert")).to_contain_text("Chỉ nhận tệp PDF")
    row = page.locator("table.certificates tbody tr").filter(has_text=first)
    pdf = vietnamese_pdf(tmp_path / "chung-chi.pdf", "Chứng chỉ bồi dưỡng", pages=1)
    row.locator("input[type=file]").set_input_files(str(pdf))
    row.get_by_role("button", name="Tải lên").click()
    expect(page.get_by_role("status")).to_have_text("Đã lưu chứng chỉ.")
    link = page.locator("table.certificates tbody tr").filter(has_text=first).get_by_role(
        "link", name="chung-chi.pdf")
    expect(link).to_be_visible()
    response = page.request.get(link.get_attribute("href") or "")
    assert response.status == 200 and response.body().startswith(b"%PDF-")
    page.screenshot(path=str(SHOTS / "console-training-course.png"), full_page=True)

    page.get_by_role("link", name="Bồi dưỡng, tập huấn đại biểu và công chức").click()
    course = page.locator("table.courses tr", has_text="Khai thác trợ lý AI cho đại biểu")
    expect(course).to_contain_text("AI")
    expect(course.locator("td.num")).to_have_text("2")


def _text_file(tmp_path: Path) -> Path:
    path = tmp_path / "chung-chi-gia.pdf"
    path.write_text("không phải PDF", encoding="utf-8")
    return path


def test_supervision_participants_ticked(page, web_server):
    sign_in(page, "clerk")
    page.goto("/console/dai-bieu")
    page.get_by_role("link", name="Đại biểu tham gia giám sát").click()
    page.get_by_label("Năm").fill(str(YEAR))
    page.get_by_role("button", name="Xem").click()
    expect(page.get_by_role("heading", name=f"Giám sát năm {YEAR}: đại biểu tham gia")
           ).to_be_visible()
    page.locator("table.supervisions tbody a").first.click()
    members = page.locator("label.check", has_text="(thành viên)")
    boxes = page.locator("fieldset input[type=checkbox]")
    total = boxes.count()
    assert total > 0
    for n in range(total):
        boxes.nth(n).uncheck()
    boxes.nth(0).check()
    page.get_by_role("button", name="Lưu danh sách").click()
    expect(page.get_by_role("status")).to_have_text("Đã lưu danh sách đại biểu tham gia.")
    expect(page.locator("fieldset input[type=checkbox]:checked")).to_have_count(1)
    expect(page.locator("fieldset input[type=checkbox]").nth(0)).to_be_checked()
    if members.count():  # the group's members come first
        expect(page.locator("fieldset label.check").first).to_contain_text("(thành viên)")
    page.screenshot(path=str(SHOTS / "console-supervision-participants.png"), full_page=True)
    page.goto(f"/console/giam-sat?year={YEAR}")
    expect(page.locator("table.supervisions tbody tr").first.locator("td.num")).to_have_text(
        re.compile("1"))


def test_dashboard_shows_targets_6_and_8_with_the_items_behind(page, web_server):
    sign_in(page, "clerk")
    page.goto(f"/console/theo-doi?year={YEAR}")
    for key, plan in (("paperless_meetings", "(6)"), ("devices_supplied", "(6)"),
                      ("entitlements_ensured", "(8)")):
        card = page.locator(f"#ind-{key}")
        expect(card).to_contain_text(plan)
        expect(card.locator("svg")).to_have_attribute("aria-label", re.compile(r"%"))
    page.goto(f"/console/theo-doi/chi-tieu/entitlements_ensured?year={YEAR}")
    expect(page.locator("ul.missing li").first).to_be_visible()  # delegates not yet recorded
    page.goto(f"/console/theo-doi/chi-tieu/paperless_meetings?year={YEAR}")
    expect(page.locator("body")).to_contain_text("Kỳ họp")


def test_regimes_recorded_from_the_voucher(page, web_server):
    sign_in(page, "clerk")
    page.goto("/console/dai-bieu")
    page.get_by_role("link", name="Chế độ, chính sách").click()
    expect(page.locator("ul.regimes")).to_contain_text("1206/2016/NQ-UBTVQH14")
    expect(page.locator("ul.regimes")).to_contain_text("chưa kiểm chứng")
    page.get_by_label("Kỳ (tháng)").fill(f"{YEAR + 1}-01")
    page.get_by_label("Số chứng từ").fill("PC 01/HĐ")
    page.get_by_role("button", name="Ghi nhận", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text("kỳ chưa đến")  # refused in words
    expect(page.get_by_label("Số chứng từ")).to_have_value("PC 01/HĐ")  # typed text kept
    page.get_by_label("Kỳ (tháng)").fill(f"{YEAR}-01")
    page.get_by_role("button", name="Ghi nhận", exact=True).click()
    expect(page.get_by_role("status")).to_have_text("Đã ghi nhận.")
    expect(page.locator("fieldset label.check").first).to_contain_text(
        re.compile(r"hoạt động phí: 1/\d+ tháng"))
    page.screenshot(path=str(SHOTS / "console-entitlements.png"), full_page=True)
