"""Questions registered before the sitting, called in the hall, answered in writing after:
over the real API, the real hub and database, and real PDFs."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pymupdf
import pytest

from shared import clock


def _pdf(text: str) -> bytes:
    doc = pymupdf.open()
    doc.new_page().insert_text((72, 72), text)
    return doc.tobytes()


def _command(api, username: str, sitting_id: int, **command) -> dict:
    response = api.request(username, "POST", f"/api/sittings/{sitting_id}/commands",
                           json={"key": str(uuid.uuid4()), **command})
    assert response.status_code == 200, response.text
    return response.json()


def _person(api, session_id: int, username: str) -> int:
    me = api.request(username, "GET", "/api/auth/me").json()
    return me["person"]["id"]


@pytest.fixture(scope="module")
def session_id(demo_session_id: int) -> int:
    return demo_session_id


def test_only_a_delegate_registers_and_only_the_standing_committee_arranges(api, session_id):
    body = {"to_whom": "Chủ tịch UBND xã", "topic": "Nước sạch", "text": "Khi nào có nước?"}
    assert api.request("official1", "POST", f"/api/sessions/{session_id}/questions",
                       json=body).status_code == 403
    made = api.request("delegate07", "POST", f"/api/sessions/{session_id}/questions", json=body)
    assert made.status_code == 201, made.text
    qid = made.json()["id"]
    refused = api.request("delegate07", "PUT", f"/api/questions/{qid}/schedule",
                          json={"addressee_id": 1, "position": 1})
    assert refused.status_code == 403 and refused.json()["code"] == "not_standing_committee"
    # another delegate cannot read it; a petition that does not exist is refused
    assert api.request("delegate09", "GET", f"/api/questions/{qid}").status_code == 404
    bad = api.request("delegate07", "POST", f"/api/sessions/{session_id}/questions",
                      json={**body, "petition_ids": [999999]})
    assert bad.status_code == 422 and bad.json()["code"] == "unknown_petition"


def test_from_registration_to_written_answer(api, session_id):
    official = _person(api, session_id, "official1")
    ids = []
    for username, topic in (("delegate08", "Đường liên thôn"), ("delegate10", "Trường mầm non")):
        made = api.request(username, "POST", f"/api/sessions/{session_id}/questions", json={
            "to_whom": "Chủ tịch UBND xã", "topic": topic, "text": f"Khi nào xong {topic}?"})
        assert made.status_code == 201, made.text
        ids.append(made.json()["id"])
    # the Standing Committee orders them: the second registered goes first
    for qid, place in ((ids[1], 1), (ids[0], 2)):
        r = api.request("clerk", "PUT", f"/api/questions/{qid}/schedule", json={
            "addressee_id": official, "position": place, "prepare_by": "2026-11-25",
            "group_label": "Hạ tầng"})
        assert r.status_code == 200, r.text
    mine = api.request("delegate08", "GET", f"/api/sessions/{session_id}/questions/mine").json()
    mine_now = next(q for q in mine if q["id"] == ids[0])
    assert mine_now["status"] == "scheduled" and mine_now["prepare_by"] == "2026-11-25"
    theirs = api.request("delegate10", "GET", f"/api/sessions/{session_id}/questions/mine").json()
    assert next(q for q in theirs if q["id"] == ids[1])["place"] < mine_now["place"]

    published = api.request("clerk", "POST", f"/api/sessions/{session_id}/questions/programme")
    assert published.status_code == 200, published.text
    doc_id = published.json()["document_id"]
    doc = api.request("delegate08", "GET", f"/api/documents/{doc_id}").json()
    assert doc["title"] == "Chương trình chất vấn"
    pdf = api.request("clerk", "GET", f"/api/sessions/{session_id}/questions/programme.pdf")
    text = pymupdf.open(stream=pdf.content, filetype="pdf")[0].get_text()
    assert "CHƯƠNG TRÌNH CHẤT VẤN" in text and "Trường mầm non" in text

    sitting = api.request("clerk", "POST", f"/api/sessions/{session_id}/sittings",
                          json={"title": "Phiên chất vấn"}).json()["id"]
    _command(api, "chair", sitting, type="open_sitting")
    # the operator calls them: a clerk who was not delegated, or a delegate, may not
    for username in ("clerk", "delegate08"):
        refused = api.request(username, "POST", f"/api/sittings/{sitting}/questions/call")
        assert refused.status_code == 403, refused.text
    called = api.request("chair", "POST", f"/api/sittings/{sitting}/questions/call")
    assert called.status_code == 200 and called.json()["sent"] >= 2, called.text
    state = api.request("chair", "GET", f"/api/sittings/{sitting}").json()["state"]
    first, second = state["question_order"][:2]
    assert "Trường mầm non" in state["questions"][first]["text"]
    # the first is asked, answered and concluded; the second is never reached
    _command(api, "chair", sitting, type="start_question_turn", question_id=first,
             phase="question")
    state = api.request("chair", "GET", f"/api/sittings/{sitting}").json()["state"]
    assert state["turn"]["kind"] == "question" and state["turn"]["limit_s"] == 120
    _command(api, "chair", sitting, type="end_turn")
    _command(api, "chair", sitting, type="start_question_turn", question_id=first,
             phase="answer")
    _command(api, "chair", sitting, type="close_question", question_id=first,
             outcome="answered")
    _command(api, "chair", sitting, type="conclude_question", question_id=first,
             text="Đề nghị UBND xã khởi công trường trong quý I.")
    _command(api, "chair", sitting, type="close_sitting")

    rows = {q["id"]: q for q in api.request(
        "clerk", "GET", f"/api/sessions/{session_id}/questions").json()}
    assert rows[ids[1]]["status"] == "answered"
    assert rows[ids[1]]["conclusion"] == "Đề nghị UBND xã khởi công trường trong quý I."
    assert rows[ids[0]]["status"] == "in_writing"
    due = clock.today() + timedelta(days=30)
    assert rows[ids[0]]["written_due"] == due.isoformat()

    # only the addressed official (or the Standing Committee) uploads the answer
    files = {"file": ("tra-loi.pdf", _pdf("Tra loi bang van ban"), "application/pdf")}
    assert api.request("delegate08", "POST", f"/api/questions/{ids[0]}/answer",
                       files=files).status_code == 403
    answered = api.request("official1", "POST", f"/api/questions/{ids[0]}/answer", files=files)
    assert answered.status_code == 200, answered.text
    answer_doc = answered.json()["answer_document_id"]
    mine = api.request("delegate08", "GET", f"/api/sessions/{session_id}/questions/mine").json()
    assert next(q for q in mine if q["id"] == ids[0])["answer_document_id"] == answer_doc
    public = api.request(None, "GET", "/api/public/questions").json()
    row = next(q for q in public if q["id"] == ids[0])
    assert row["status"] == "written" and row["answer_document_id"] == answer_doc
    download = api.request(None, "GET", f"/phien-hop/{session_id}/tai-lieu/{answer_doc}")
    assert download.status_code == 200 and download.content.startswith(b"%PDF")
    page = api.request(None, "GET", "/chat-van")
    assert page.status_code == 200 and "Đường liên thôn" in page.text

    conclusion = api.request("clerk", "GET",
                             f"/api/sessions/{session_id}/questions/conclusion.pdf?number=true")
    assert conclusion.status_code == 200, conclusion.text
    text = pymupdf.open(stream=conclusion.content, filetype="pdf")[0].get_text()
    assert "/TB-TTHĐND" in text and "khởi công trường" in text
    audit = api.request("admin", "GET", "/api/audit?limit=200").json()
    actions = {e["action"] for e in (audit if isinstance(audit, list) else audit["items"])}
    assert {"question.registered", "question.scheduled", "question.called",
            "question.answered_in_writing"} <= actions
