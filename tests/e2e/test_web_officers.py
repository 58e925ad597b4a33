"""The session builder's officers: the clerk names a secretary, sees them, removes them."""

from __future__ import annotations

from playwright.sync_api import expect

from server.demo.calendar import demo_schedule
from tests.e2e.web_conftest import sign_in

NEWCOMER = "Chu Lao Tư"  # a demo delegate who holds no office in the demo session


def _demo_session(web_server) -> dict:
    return next(s for s in web_server.api("clerk", "GET", "/api/sessions").json()
                if s["start_date"] == demo_schedule().session_start.isoformat())


def _officers(web_server, session_id: int) -> set[tuple[str, str]]:
    answer = web_server.api("clerk", "GET", f"/api/sessions/{session_id}/officers")
    answer.raise_for_status()
    return {(o["full_name"], o["role"]) for o in answer.json()}


def test_clerk_names_and_removes_a_session_secretary(page, web_server):
    session = _demo_session(web_server)
    before = _officers(web_server, session["id"])
    assert all(name != NEWCOMER for name, _ in before)
    sign_in(page, "clerk")
    page.goto(f"/console/ky-hop/{session['id']}")
    section = page.locator("#officers")
    expect(section.get_by_role("heading", name="Chủ tọa, thư ký và khách mời")).to_be_visible()
    expect(section.locator("tbody tr")).to_have_count(len(before))
    expect(section).to_contain_text("Đại biểu khách mời trả lời chất vấn")

    # no role chosen: the error is next to the field and the chosen person is kept
    form = page.locator("#add-officer")
    form.get_by_label("Người").select_option(label=NEWCOMER)
    form.get_by_role("button", name="Thêm").click()
    expect(page.locator("#err-officer-role")).to_be_visible()
    expect(page.locator("#add-officer").get_by_label("Người")).to_have_value(
        page.locator("#f-officer-person_id option", has_text=NEWCOMER).get_attribute("value"))

    page.locator("#add-officer").get_by_label("Vai trò").select_option(label="Thư ký kỳ họp")
    page.locator("#add-officer").get_by_role("button", name="Thêm").click()
    row = page.locator("#officers tbody tr", has_text=NEWCOMER)
    expect(row).to_contain_text("Thư ký kỳ họp")
    assert _officers(web_server, session["id"]) == before | {(NEWCOMER, "secretary")}

    row.get_by_role("button", name=f"Gỡ: {NEWCOMER}").click()
    expect(page.locator("#officers tbody tr", has_text=NEWCOMER)).to_have_count(0)
    expect(page.locator("#officers tbody tr")).to_have_count(len(before))
    assert _officers(web_server, session["id"]) == before
