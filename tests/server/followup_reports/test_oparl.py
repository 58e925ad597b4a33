"""The OParl-style public API: the shapes other systems rely on, and nothing internal."""

from __future__ import annotations

import json

SCHEMA = "https://schema.oparl.org/1.1/"
BASE = "http://testserver/api/oparl/v1"


def _get(api, path: str, **params) -> dict:
    response = api.request(None, "GET", f"/api/oparl/v1{path}", params=params)
    assert response.status_code == 200, response.text
    return response.json()


def _is_list(page: dict, path: str) -> None:
    assert set(page) == {"data", "pagination", "links"}
    assert page["links"]["first"] == f"{BASE}/{path}?page=1"
    assert page["links"]["self"].startswith(f"{BASE}/{path}?page=")
    assert {"totalElements", "elementsPerPage", "currentPage", "totalPages"} <= set(
        page["pagination"])


def test_system_body_and_the_lists_they_point_to(api):
    system = _get(api, "/system")
    assert system["type"] == f"{SCHEMA}System"
    assert system["id"] == f"{BASE}/system" and system["oparlVersion"] == SCHEMA
    bodies = _get(api, "/body")
    _is_list(bodies, "body")
    body = bodies["data"][0]
    assert body["type"] == f"{SCHEMA}Body" and body["name"] == "Hội đồng nhân dân xã Y Tý"
    assert body == _get(api, body["id"].removeprefix(BASE))
    assert body["legislativeTerm"][0]["startDate"] == "2026-01-01"
    for key in ("meeting", "paper", "person", "organization"):
        assert body[key] == f"{BASE}/{key}"
        _is_list(_get(api, f"/{key}"), key)
    organizations = _get(api, "/organization")["data"]
    assert any(o["organizationType"] == "Thường trực HĐND" for o in organizations)


def test_meetings_agenda_items_papers_and_files_are_public_only(api):
    meetings = _get(api, "/meeting")
    sessions = api.request("clerk", "GET", "/api/sessions").json()
    public = {s["id"] for s in sessions if s["status"] != "draft"}
    drafts = {s["id"] for s in sessions if s["status"] == "draft"}
    shown = {int(m["id"].rsplit("/", 1)[1]) for m in meetings["data"]}
    assert shown == public and not shown & drafts
    for draft in drafts:
        assert api.request(None, "GET", f"/api/oparl/v1/meeting/{draft}").status_code == 404

    meeting = next(m for m in meetings["data"] if m["agendaItem"] and m["auxiliaryFile"])
    assert meeting["type"] == f"{SCHEMA}Meeting"
    assert meeting["meetingState"] in {"scheduled", "running", "finished"}
    item = meeting["agendaItem"][0]
    assert item["type"] == f"{SCHEMA}AgendaItem" and item["meeting"] == meeting["id"]
    assert _get(api, item["id"].removeprefix(BASE)) == item

    session_id = int(meeting["id"].rsplit("/", 1)[1])
    documents = api.request("clerk", "GET", f"/api/sessions/{session_id}/documents").json()
    restricted = [d for d in documents if d["confidentiality"] != "public"]
    published_files = {f["id"] for f in meeting["auxiliaryFile"]}
    assert restricted, "the demo session has restricted documents"
    for document in restricted:
        assert f"{BASE}/file/{document['id']}" not in published_files
        assert api.request(None, "GET",
                           f"/api/oparl/v1/file/{document['id']}").status_code == 404
    file = _get(api, meeting["auxiliaryFile"][0]["id"].removeprefix(BASE))
    assert file["type"] == f"{SCHEMA}File" and file["mimeType"] == "application/pdf"
    assert api.request(None, "GET", file["accessUrl"].removeprefix("http://testserver")
                       ).status_code == 200

    papers = _get(api, "/paper")["data"]
    assert {p["type"] for p in papers} == {f"{SCHEMA}Paper"}
    resolutions = [p for p in papers if p["paperType"] == "Nghị quyết"]
    public_resolutions = api.request(None, "GET", "/api/public/followup/resolutions").json()
    assert {p["reference"] for p in resolutions} == {r["number"] for r in public_resolutions}
    assert _get(api, papers[0]["id"].removeprefix(BASE)) == papers[0]
    for document in restricted:
        assert api.request(None, "GET", f"/api/oparl/v1/paper/document-{document['id']}"
                           ).status_code == 404


def test_people_are_delegates_without_contact_data_and_nothing_internal_leaks(api):
    people = _get(api, "/person")
    assert people["pagination"]["totalElements"] == 27  # the demo's delegates
    person = people["data"][0]
    assert set(person) == {"id", "type", "body", "name", "title", "membership"}
    everything = json.dumps([_get(api, p) for p in (
        "/system", "/body", "/organization", "/meeting", "/paper", "/person")],
        ensure_ascii=False)
    for secret in ("@", "password", "0912", "complaint", "khiếu nại", "tố cáo",
                   "storage_key", "Công chức Văn phòng"):
        assert secret not in everything, secret
    clerk = api.request("clerk", "GET", "/api/people").json()
    non_delegate = next(p for p in clerk if not p["is_delegate"])
    assert api.request(None, "GET",
                       f"/api/oparl/v1/person/{non_delegate['id']}").status_code == 404


def test_pages_link_to_each_other(api):
    first = _get(api, "/person")
    assert first["pagination"]["elementsPerPage"] == 50 and "next" not in first["links"]
    empty = _get(api, "/person", page=2)
    assert empty["data"] == [] and empty["links"]["prev"] == f"{BASE}/person?page=1"
    assert api.request(None, "GET", "/api/oparl/v1/person", params={"page": 0}
                       ).status_code == 422
    assert api.request(None, "GET", "/api/oparl/v1/paper/whatever-1").status_code == 404


def test_a_persons_membership_links_resolve(api):
    person = next(p for p in _get(api, "/person")["data"] if p["membership"])
    link = person["membership"][0]
    membership = _get(api, link["id"].removeprefix(BASE))
    assert membership == link
    assert membership["person"] == person["id"]
    organization = _get(api, membership["organization"].removeprefix(BASE))
    assert organization["type"] == f"{SCHEMA}Organization"
    assert api.request(None, "GET", "/api/oparl/v1/membership/999999").status_code == 404
