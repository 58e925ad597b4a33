"""A clerk builds a session: agenda that nests and reorders, status rules, attendance."""

from __future__ import annotations

from tests.server.api.conftest import Api


def _new_session(api: Api) -> int:
    bodies = api.request("clerk", "GET", "/api/bodies").json()
    plenary = next(b for b in bodies if b["kind"] == "plenary")
    response = api.request("clerk", "POST", "/api/sessions", json={
        "body_id": plenary["id"], "title": "Kỳ họp chuyên đề về phòng chống thiên tai",
        "kind": "thematic", "start_date": "2026-12-15", "place": "Hội trường xã Y Tý"})
    assert response.status_code == 201, response.text
    return response.json()["id"]


def test_agenda_nests_numbers_and_reorders(api: Api) -> None:
    session_id = _new_session(api)
    for title in ("Khai mạc", "Báo cáo thiệt hại do mưa lũ", "Bế mạc"):
        api.request("clerk", "POST", f"/api/sessions/{session_id}/agenda", json={"title": title})
    tree = api.request("clerk", "GET", f"/api/sessions/{session_id}/agenda").json()
    report = tree[1]
    api.request("clerk", "POST", f"/api/sessions/{session_id}/agenda",
                json={"title": "Thảo luận", "parent_id": report["id"]})
    tree = api.request("clerk", "GET", f"/api/sessions/{session_id}/agenda").json()
    assert [i["number"] for i in tree] == ["1", "2", "3"]
    assert tree[1]["children"][0]["number"] == "2.1"
    # Move "Bế mạc" to the top, then nest "Khai mạc" under it and back.
    closing = tree[2]
    tree = api.request("clerk", "POST", f"/api/agenda-items/{closing['id']}/move",
                       json={"parent_id": None, "position": 0}).json()
    assert [i["title"] for i in tree] == ["Bế mạc", "Khai mạc", "Báo cáo thiệt hại do mưa lũ"]
    # An item cannot go inside its own child.
    child = tree[2]["children"][0]
    response = api.request("clerk", "POST", f"/api/agenda-items/{tree[2]['id']}/move",
                           json={"parent_id": child["id"], "position": 0})
    assert response.status_code == 422


def test_status_moves_only_forward(api: Api) -> None:
    session_id = _new_session(api)
    assert api.request("clerk", "POST", f"/api/sessions/{session_id}/close").status_code == 409
    for step, status in (("publish", "published"), ("start", "in_progress"), ("close", "closed")):
        response = api.request("clerk", "POST", f"/api/sessions/{session_id}/{step}")
        assert response.status_code == 200 and response.json()["status"] == status
    edit = api.request("clerk", "PATCH", f"/api/sessions/{session_id}", json={"place": "khác"})
    assert edit.status_code == 409 and edit.json()["code"] == "invalid_state"


def test_attendance_and_quorum(api: Api, demo_session_id: int) -> None:
    summary = api.request("secretary", "GET", f"/api/sessions/{demo_session_id}/attendance").json()
    assert summary["total"] >= 25
    assert summary["quorum_needed"] == -(-summary["total"] * 2 // 3)
    for person in summary["people"][: summary["quorum_needed"]]:
        response = api.request("secretary", "PUT",
                               f"/api/sessions/{demo_session_id}/attendance/{person['person_id']}",
                               json={"status": "present"})
        assert response.status_code == 200
    summary = api.request("chair", "GET", f"/api/sessions/{demo_session_id}/attendance").json()
    assert summary["quorum_met"] is True


def test_only_members_have_attendance(api: Api, demo_session_id: int) -> None:
    official = api.request("official1", "GET", "/api/auth/me").json()["person"]["id"]
    response = api.request("clerk", "PUT",
                           f"/api/sessions/{demo_session_id}/attendance/{official}",
                           json={"status": "present"})
    assert response.status_code == 422
