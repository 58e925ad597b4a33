"""Issue 16, the "Low" list: each a small way in which curious input or users got a 500,
kept seeing what they should not, or left something in a browser's cache."""

from __future__ import annotations

import http.client
import io
import re
import socket
import threading
import time

import pytest
from fastapi.testclient import TestClient

from tests import odd_pdfs
from tests.server.api.conftest import DEMO_PASSWORD, Api

STYLESHEET = "/static/css/app.css"


def _first_item(api: Api) -> dict:
    items = api.request("clerk", "GET", "/api/followup/items").json()
    return (items["items"] if isinstance(items, dict) else items)[0]


@pytest.mark.parametrize("field", ["title", "text", "responsible_agency", "public"])
def test_null_for_a_required_follow_up_field_is_a_422(api: Api, field: str) -> None:
    item = _first_item(api)
    response = api.request("clerk", "PATCH", f"/api/followup/items/{item['id']}",
                           json={field: None})
    assert response.status_code == 422, response.text
    assert response.json()["code"] == "validation_failed"
    # Clearing the due date is allowed: it is the one optional field.
    cleared = api.request("clerk", "PATCH", f"/api/followup/items/{item['id']}",
                          json={"due_on": None})
    assert cleared.status_code == 200, cleared.text


def test_a_quorum_over_one_is_refused_in_words(api: Api) -> None:
    # (The shared database's bodies are counted by other tests: none is added here.)
    created = api.request("clerk", "POST", "/api/bodies", json={
        "name": "Ban thử túc số", "kind": "committee", "quorum_numerator": 5,
        "quorum_denominator": 3})
    assert created.status_code == 422, created.text
    assert "5/3" in created.json()["message_vi"]
    body = api.request("clerk", "GET", "/api/bodies").json()[0]
    patched = api.request("clerk", "PATCH", f"/api/bodies/{body['id']}",
                          json={"quorum_denominator": body["quorum_numerator"] - 1 or 1,
                                "quorum_numerator": body["quorum_numerator"] + 1})
    assert patched.status_code == 422
    kept = api.request("clerk", "PATCH", f"/api/bodies/{body['id']}", json={
        "quorum_numerator": body["quorum_numerator"],
        "quorum_denominator": body["quorum_denominator"]})
    assert kept.status_code == 200 and kept.json()["quorum_numerator"] == body["quorum_numerator"]


@pytest.mark.parametrize("name", ["Nguyễn\x00Văn", "Lò\u200bVăn\x1b[31m", "A\nB", "X\u0085Y"])
def test_control_characters_are_refused_in_names(api: Api, name: str) -> None:
    response = api.request("clerk", "POST", "/api/people",
                           json={"full_name": name, "position": "Đại biểu"})
    if "\u200b" in name and "\x1b" not in name:
        assert response.status_code == 201  # a zero-width space is not a control character
        return
    assert response.status_code == 422, response.text
    assert response.json()["code"] == "validation_failed"


def _console(api: Api, username: str = "clerk") -> tuple[TestClient, str]:
    """A browser signed in to the console: its client (cookies) and its CSRF token."""
    browser = TestClient(api.client.app)
    form = browser.get("/dang-nhap").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
    signed = browser.post("/dang-nhap", data={"username": username, "password": DEMO_PASSWORD,
                                              "csrf_token": token, "next": "/console"},
                          follow_redirects=False)
    assert signed.status_code == 303, signed.text
    page = browser.get("/console")
    assert page.status_code == 200
    csrf = re.search(r'<meta name="csrf-token" content="([^"]+)"', page.text).group(1)
    return browser, csrf


@pytest.mark.parametrize("item_id", ["²", "1" * 23, "-3", "١٢"])
def test_console_upload_with_an_odd_agenda_item_id_is_refused(api: Api, demo_session_id: int,
                                                              item_id: str) -> None:
    browser, csrf = _console(api)
    response = browser.post(f"/console/api/sessions/{demo_session_id}/documents",
                            headers={"x-csrf-token": csrf},
                            data={"title": "Tờ trình", "agenda_item_id": item_id},
                            files={"file": ("a.pdf", io.BytesIO(odd_pdfs.ordinary(1)),
                                            "application/pdf")})
    assert response.status_code == 422, response.text
    assert response.json()["message_vi"] == "Mã mục chương trình không hợp lệ."


def test_console_pages_and_restricted_downloads_are_not_cached(api: Api,
                                                               demo_session_id: int) -> None:
    browser, _ = _console(api)
    for path in ("/console", f"/console/ky-hop/{demo_session_id}"):
        page = browser.get(path)
        assert page.status_code == 200 and page.headers["cache-control"] == "no-store", path
    documents = api.request("clerk", "GET", f"/api/sessions/{demo_session_id}/documents").json()
    restricted = next(d for d in documents if d["confidentiality"] == "restricted")
    download = api.request("clerk", "GET",
                           f"/api/documents/{restricted['id']}/versions/1/file")
    assert download.status_code == 200 and download.headers["cache-control"] == "no-store"
    stylesheet = api.client.get(STYLESHEET)
    assert stylesheet.status_code == 200 and stylesheet.headers.get("cache-control") != "no-store"


def test_the_public_feed_stops_when_the_session_goes_back_to_draft(api: Api) -> None:
    body_id = api.request("clerk", "GET", "/api/sessions").json()[0]["body_id"]
    session = api.request("clerk", "POST", "/api/sessions", json={
        "body_id": body_id, "title": "Thử nghiệm nguồn công khai", "kind": "thematic",
        "start_date": "2026-12-21", "place": "Hội trường"}).json()
    assert api.request("clerk", "POST", f"/api/sessions/{session['id']}/publish").status_code == 200
    sitting = api.request("clerk", "POST", f"/api/sessions/{session['id']}/sittings",
                          json={"title": "Phiên thứ nhất"})
    assert sitting.status_code == 201, sitting.text
    sitting_id = sitting.json()["id"]
    assert api.client.get(f"/api/sittings/{sitting_id}/public").status_code == 200
    assert api.request("clerk", "POST",
                       f"/api/sessions/{session['id']}/unpublish").status_code == 200
    for path in (f"/api/sittings/{sitting_id}/public", f"/api/sittings/{sitting_id}/public/events"):
        gone = api.client.get(path)
        assert gone.status_code == 404 and gone.json()["code"] == "sitting_not_found", path
    with api.client.websocket_connect(f"/ws/sittings/{sitting_id}/public") as ws, \
            pytest.raises(Exception):  # noqa: B017  - closed with 4404 before any frame
        ws.receive_json()


def test_complaint_attachments_are_for_the_handling_staff_only(api: Api) -> None:
    complaint = api.request("clerk", "POST", "/api/followup/complaints", json={
        "complaint_type": "complaint", "title": "Khiếu nại về bồi thường đất",
        "received_on": "2026-12-01", "area": "Lao Chải",
        "sender": {"full_name": "Lý A Chỉnh", "address": "Thôn Lao Chải"}})
    assert complaint.status_code == 201, complaint.text
    item_id = complaint.json()["id"]
    attached = api.request("clerk", "POST", f"/api/followup/items/{item_id}/attachments",
                           files={"file": ("don-ly-a-chinh.pdf",
                                           io.BytesIO(odd_pdfs.ordinary(1, "Đơn của Lý A Chỉnh")),
                                           "application/pdf")})
    assert attached.status_code == 201, attached.text
    url = f"/api/followup/items/{item_id}/attachments/{attached.json()['id']}"
    assert api.request("clerk", "GET", url).status_code == 200
    for username in ("delegate01", "observer"):
        item = api.request(username, "GET", f"/api/followup/items/{item_id}")
        if item.status_code == 200:  # the item itself may be read; not its files
            assert item.json()["attachments"] == []
            assert "ly-a-chinh" not in item.text
        refused = api.request(username, "GET", url)
        assert refused.status_code == 404, (username, refused.text)


def test_after_a_500_the_keep_alive_connection_still_answers(api: Api, tmp_path) -> None:
    """A real server (uvicorn) and one HTTP/1.1 connection: an unexpected error answers
    500 in both languages, and the next request on the same connection is answered."""
    import uvicorn

    from server.app import create_app

    app = create_app(api.client.app.state.settings)

    @app.get("/api/_boom", include_in_schema=False)
    def boom() -> None:
        raise RuntimeError("a bug nobody has found yet")

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="error",
                                           lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 10
        while not server.started and time.monotonic() < deadline:
            time.sleep(0.05)
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        connection.request("GET", "/api/_boom")
        failed = connection.getresponse()
        body = failed.read().decode()
        assert failed.status == 500
        assert failed.getheader("content-type") == "application/problem+json"
        assert "Máy chủ gặp lỗi" in body and "unexpected error" in body
        assert "a bug nobody" not in body  # no internals to the caller
        connection.request("GET", "/api/health")  # the same connection
        again = connection.getresponse()
        assert again.status == 200 and b'"ok"' in again.read()
        connection.close()
    finally:
        server.should_exit = True
        thread.join(10)
