"""A commitment an official makes while answering in a live sitting becomes a followed
item when the sitting closes; the clerk's re-import adds nothing."""

from __future__ import annotations

import itertools
from datetime import date

from server.demo.calendar import demo_schedule
from tests.server.conftest import Api

_keys = itertools.count(1)


def _command(api: Api, username: str, sitting_id: int, type_: str, **fields) -> list[int]:
    response = api.request(username, "POST", f"/api/sittings/{sitting_id}/commands",
                           json={"key": f"commitment-test-{next(_keys):04d}", "type": type_,
                                 **fields})
    assert response.status_code == 200, (type_, response.text)
    return response.json()["seqs"]


def _sitting_with_a_commitment(api: Api) -> tuple[int, str, str]:
    """(sitting id, commitment id, official's name) of a sitting run through to its close."""
    sessions = api.request("clerk", "GET", "/api/sessions").json()
    session_id = next(s["id"] for s in sessions
                      if s["status"] in ("published", "in_progress")
                      and s["title"] == demo_schedule().session_title)
    created = api.request("clerk", "POST", f"/api/sessions/{session_id}/sittings",
                          json={"title": "Phiên chất vấn"})
    assert created.status_code == 201, created.text
    sitting_id = created.json()["id"]
    _command(api, "chair", sitting_id, "open_sitting")
    _command(api, "delegate01", sitting_id, "check_in")
    roster = api.request("clerk", "GET", f"/api/sittings/{sitting_id}").json()["state"]["roster"]
    item_id = roster["agenda"][0]["item_id"]
    me = api.request("official1", "GET", "/api/auth/me").json()
    official = next(o for o in roster["officials"] if o["person_id"] == me["person"]["id"])
    _command(api, "chair", sitting_id, "open_item", item_id=item_id)
    question_id = "q{}".format(*_command(
        api, "delegate01", sitting_id, "register_question", addressee_id=official["person_id"],
        text="Khi nào sửa xong đường liên thôn Lao Chải?", item_id=item_id))
    _command(api, "chair", sitting_id, "start_question_turn", question_id=question_id,
             phase="question")
    _command(api, "chair", sitting_id, "end_turn")
    _command(api, "chair", sitting_id, "start_question_turn", question_id=question_id,
             phase="answer")
    commitment_id = "c{}".format(*_command(
        api, "official1", sitting_id, "record_commitment", question_id=question_id,
        text="Hoàn thành sửa đường liên thôn trước mùa mưa", due="2026-09-30"))
    _command(api, "chair", sitting_id, "close_question", question_id=question_id,
             outcome="answered")
    _command(api, "chair", sitting_id, "close_item")
    _command(api, "chair", sitting_id, "close_sitting")
    return sitting_id, commitment_id, official["full_name"], item_id


def test_a_commitment_is_followed_once_the_sitting_closes(api: Api):
    sitting_id, commitment_id, official_name, agenda_item_id = _sitting_with_a_commitment(api)

    listed = api.request("clerk", "GET", "/api/followup/items",
                         params={"kind": "questioning_commitment", "limit": 500}).json()
    items = [i for i in listed["items"] if i["sitting_id"] == sitting_id]
    assert len(items) == 1
    item = items[0]
    assert item["commitment_id"] == commitment_id
    assert "Hoàn thành sửa đường liên thôn trước mùa mưa" in item["title"]
    assert "Khi nào sửa xong đường liên thôn Lao Chải?" in item["text"]
    assert official_name in item["responsible_agency"]
    assert date.fromisoformat(item["due_on"]) == date(2026, 9, 30)
    assert item["status"] == "received"
    assert item["agenda_item_id"] == agenda_item_id  # the item the question was asked under

    again = api.request("clerk", "POST",
                        f"/api/followup/sittings/{sitting_id}/import-commitments")
    assert again.status_code == 200, again.text
    assert [i["id"] for i in again.json()] == [item["id"]]
    relisted = api.request("clerk", "GET", "/api/followup/items",
                           params={"kind": "questioning_commitment", "limit": 500}).json()
    assert relisted["total"] == listed["total"]


def test_only_staff_import_commitments(api: Api):
    response = api.request("delegate01", "POST", "/api/followup/sittings/1/import-commitments")
    assert response.status_code == 403
    response = api.request("clerk", "POST", "/api/followup/sittings/999999/import-commitments")
    assert response.status_code == 404
