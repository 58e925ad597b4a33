"""People get error pages in their language with the way back; machines keep problem+json."""

from __future__ import annotations

HTML = {"Accept": "text/html,application/xhtml+xml"}


def test_a_missing_page_is_html_for_a_browser_and_problem_json_for_a_script(api):
    page = api.request(None, "GET", "/khong-ton-tai", headers=HTML)
    assert page.status_code == 404
    assert page.headers["content-type"].startswith("text/html")
    assert "Không tìm thấy trang" in page.text and 'href="/"' in page.text
    english = api.request(None, "GET", "/khong-ton-tai?lang=en", headers=HTML)
    assert "Page not found" in english.text
    script = api.request(None, "GET", "/khong-ton-tai")
    assert script.headers["content-type"].startswith("application/problem+json")
    assert api.request(None, "GET", "/api/sessions/999999", headers=HTML).headers[
        "content-type"].startswith("application/problem+json")


def test_a_draft_session_on_the_portal_is_a_page_not_json(api):
    sessions = api.request("clerk", "GET", "/api/sessions").json()
    draft = next(s["id"] for s in sessions if s["status"] == "draft")
    page = api.request(None, "GET", f"/phien-hop/{draft}", headers=HTML)
    assert page.status_code == 404
    assert page.headers["content-type"].startswith("text/html")
    assert "Về trang chính" in page.text


def test_a_document_that_cannot_be_laid_out_is_a_422_for_scripts_and_people(api):
    """shared/reports knows no HTTP; the server still answers its refusal as a domain error."""
    from fastapi.testclient import TestClient

    from server.app import create_app
    from shared.reports.document import InvalidReportContent

    app = create_app(api.client.app.state.settings)

    @app.get("/api/report-too-wide")
    @app.get("/bao-cao-qua-rong")
    def _too_wide() -> None:
        raise InvalidReportContent()

    with TestClient(app) as client:
        problem = client.get("/api/report-too-wide")
        page = client.get("/bao-cao-qua-rong", headers=HTML)
    assert problem.status_code == 422
    assert problem.headers["content-type"].startswith("application/problem+json")
    assert problem.json()["code"] == "invalid_report_content"
    assert problem.json()["message_vi"] == "Nội dung văn bản không hợp lệ."
    assert page.status_code == 422
    assert page.headers["content-type"].startswith("text/html")
    assert "Nội dung văn bản không hợp lệ." in page.text
