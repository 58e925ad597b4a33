"""Walk the whole table of who may do what (docs/security.md) through the API.

Every row is tried by every role: the allowed ones must succeed, the others must be
refused with 401/403/404 and must change nothing.
"""

from __future__ import annotations

import pytest

from server.demo.calendar import demo_schedule
from tests.server.api.conftest import Api

COMMITTEE_MEETING_TITLE = demo_schedule().committee_meeting_title

ROLES = ["admin", "clerk", "chair", "secretary", "delegate01", "official1", "observer", None]
STAFF = {"admin", "clerk"}
EVERYONE = set(ROLES) - {None}


def _ids(api: Api, demo_session_id: int) -> dict[str, int]:
    clerk = "clerk"
    docs = api.request(clerk, "GET", f"/api/sessions/{demo_session_id}/documents").json()
    restricted = next(d for d in docs if d["confidentiality"] == "restricted")
    public = next(d for d in docs if d["confidentiality"] == "public")
    sessions = api.request(clerk, "GET", "/api/sessions").json()
    draft = next(s for s in sessions if s["status"] == "draft")
    committee = next(s for s in sessions if s["title"] == COMMITTEE_MEETING_TITLE)
    bodies = api.request(clerk, "GET", "/api/bodies").json()
    plenary = next(b for b in bodies if b["kind"] == "plenary")
    me = api.request("delegate01", "GET", "/api/auth/me").json()
    return {"session": demo_session_id, "restricted": restricted["id"], "public": public["id"],
            "draft": draft["id"], "committee": committee["id"], "plenary": plenary["id"],
            "delegate01": me["person"]["id"]}


# (name, method, url, json body, roles allowed)
TABLE: list[tuple[str, str, str, dict | None, set]] = [
    ("read council", "GET", "/api/council", None, EVERYONE),
    ("list bodies", "GET", "/api/bodies", None, EVERYONE),
    ("read published session", "GET", "/api/sessions/{session}", None, EVERYONE),
    ("read agenda", "GET", "/api/sessions/{session}/agenda", None, EVERYONE),
    ("read public document", "GET", "/api/documents/{public}", None, EVERYONE),
    ("download public document", "GET", "/api/documents/{public}/versions/1/file", None,
     EVERYONE),
    ("read restricted document", "GET", "/api/documents/{restricted}", None,
     STAFF | {"chair"}),
    ("download restricted document", "GET", "/api/documents/{restricted}/versions/1/file",
     None, STAFF | {"chair"}),
    ("read draft session", "GET", "/api/sessions/{draft}", None, STAFF | {"chair"}),
    ("read other committee's session", "GET", "/api/sessions/{committee}", None,
     STAFF | {"observer"}),
    ("create session", "POST", "/api/sessions",
     {"body_id": "{plenary}", "title": "Kỳ họp thử", "kind": "thematic",
      "start_date": "2026-12-20"}, STAFF),
    ("edit session", "PATCH", "/api/sessions/{draft}", {"place": "Hội trường UBND xã"}, STAFF),
    ("add agenda item", "POST", "/api/sessions/{draft}/agenda", {"title": "Mục mới"}, STAFF),
    ("mark attendance", "PUT", "/api/sessions/{session}/attendance/{delegate01}",
     {"status": "present"}, STAFF | {"chair", "secretary"}),
    ("add person", "POST", "/api/people", {"full_name": "Lý Thị Mai"}, STAFF),
    ("change body quorum", "PATCH", "/api/bodies/{plenary}", {"quorum_numerator": 2}, STAFF),
    ("list accounts", "GET", "/api/accounts", None, {"admin"}),
    ("read audit log", "GET", "/api/audit", None, {"admin"}),
    ("verify audit log", "GET", "/api/audit/verify", None, {"admin"}),
]


def _granted_roles(api: Api, document_id: int) -> set[str]:
    """Roles of the table whose person is named on the restricted document."""
    granted = set(api.request("clerk", "GET", f"/api/documents/{document_id}/grants").json())
    return {role for role in ROLES if role is not None
            and api.request(role, "GET", "/api/auth/me").json()["person"] is not None
            and api.request(role, "GET", "/api/auth/me").json()["person"]["id"] in granted}


def _fill(value, ids: dict[str, int]):
    if isinstance(value, str):
        if value.startswith("{") and value.endswith("}") and value[1:-1] in ids:
            return ids[value[1:-1]]
        return value.format(**ids)
    if isinstance(value, dict):
        return {k: _fill(v, ids) for k, v in value.items()}
    return value


@pytest.mark.parametrize("name,method,url,body,allowed", TABLE, ids=[row[0] for row in TABLE])
def test_role_table(api: Api, demo_session_id: int, name, method, url, body, allowed) -> None:
    ids = _ids(api, demo_session_id)
    if "{restricted}" in url:
        allowed = allowed | _granted_roles(api, ids["restricted"])
    for role in ROLES:
        response = api.request(role, method, _fill(url, ids),
                               json=_fill(body, ids) if body is not None else None)
        if role in allowed:
            assert response.status_code < 300, (name, role, response.status_code, response.text)
        else:
            expected = {401} if role is None else {403, 404}
            assert response.status_code in expected, (name, role, response.status_code)
            assert response.headers["content-type"].startswith("application/problem+json")
            problem = response.json()
            assert problem["code"] and problem["message_vi"] and problem["message_en"]


def test_granted_delegate_reads_restricted_document(api: Api, demo_session_id: int) -> None:
    ids = _ids(api, demo_session_id)
    granted = api.request("clerk", "GET", f"/api/documents/{ids['restricted']}/grants").json()
    assert granted, "the demo grants its restricted document to some people"
    people = {p["id"]: p for p in api.request("clerk", "GET", "/api/people").json()}
    accounts = api.request("admin", "GET", "/api/accounts").json()
    by_person = {a["person_id"]: a["username"] for a in accounts if a["person_id"]}
    allowed_user = by_person[granted[0]]
    refused_user = next(u for pid, u in by_person.items()
                        if pid not in granted and u.startswith("delegate"))
    assert api.request(allowed_user, "GET", f"/api/documents/{ids['restricted']}").status_code == 200
    assert api.request(refused_user, "GET", f"/api/documents/{ids['restricted']}").status_code == 404
    listed = api.request(refused_user, "GET", f"/api/sessions/{demo_session_id}/documents").json()
    assert ids["restricted"] not in {d["id"] for d in listed}
    assert people[granted[0]]["full_name"]


def test_refused_write_changes_nothing(api: Api) -> None:
    before = api.request("clerk", "GET", "/api/people").json()
    response = api.request("delegate02", "POST", "/api/people", json={"full_name": "Kẻ Giả Mạo"})
    assert response.status_code == 403
    assert api.request("clerk", "GET", "/api/people").json() == before
