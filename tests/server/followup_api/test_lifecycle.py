"""Each kind through its life cycle over HTTP; illegal actions refused with nothing changed."""

from __future__ import annotations

import pytest

URL = "/api/followup/items"


def _create(api, kind: str, **extra) -> dict:
    body = {"kind": kind, "title": f"Việc thử {kind}", "text": "Nội dung", **extra}
    response = api.request("clerk", "POST", URL, json=body)
    assert response.status_code == 201, response.text
    return response.json()


def _act(api, item_id: int, action: str, user: str = "clerk", **extra):
    return api.request(user, "POST", f"{URL}/{item_id}/actions",
                       json={"action": action, **extra})


@pytest.mark.parametrize("kind", ["resolution_task", "supervision_recommendation",
                                  "questioning_commitment", "voter_petition"])
def test_full_life_cycle_with_history(followup_api, kind):
    item = _create(followup_api, kind, due_on="2031-12-31", responsible_agency="UBND xã")
    assert item["status"] == "received"
    for action, status in (("forward", "forwarded"), ("record_progress", "in_progress")):
        response = _act(followup_api, item["id"], action, note="ghi chú")
        assert response.status_code == 200, response.text
        assert response.json()["status"] == status
    answered = _act(followup_api, item["id"], "record_answer", as_role="agency",
                    answer="Đã sửa xong").json()
    assert answered["status"] == "answered" and answered["answer"] == "Đã sửa xong"
    # a resolution's task is carried out, not answered (the clerk's finding)
    assert (answered["status_label_vi"], answered["status_label_en"]) == (
        ("Đã hoàn thành (chờ kiểm tra)", "Completed (awaiting check)")
        if kind == "resolution_task" else ("Đã trả lời", "Answered"))
    done = _act(followup_api, item["id"], "verify_done", as_role="standing_committee").json()
    assert done["status"] == "verified_done" and done["verified_at"]
    reopened = _act(followup_api, item["id"], "reopen").json()
    assert reopened["status"] == "reopened"
    history = [(e["action"], e["from_status"], e["to_status"]) for e in reopened["history"]]
    assert history == [("receive", "", "received"), ("forward", "received", "forwarded"),
                       ("record_progress", "forwarded", "in_progress"),
                       ("record_answer", "in_progress", "answered"),
                       ("verify_done", "answered", "verified_done"),
                       ("reopen", "verified_done", "reopened")]
    assert reopened["history"][3]["actor_role"] == "agency"
    audit = followup_api.request("admin", "GET", "/api/audit").json()
    entries = audit if isinstance(audit, list) else audit.get("entries", audit.get("items", []))
    assert any(e["action"] == "followup.reopen" and e["target_id"] == str(item["id"])
               for e in entries)


def test_illegal_transition_refused_and_nothing_changed(followup_api):
    item = _create(followup_api, "resolution_task")
    refused = _act(followup_api, item["id"], "verify_done")
    assert refused.status_code == 409
    assert refused.json()["code"] == "followup_illegal_transition"
    assert refused.headers["content-type"].startswith("application/problem+json")
    after = followup_api.request("clerk", "GET", f"{URL}/{item['id']}").json()
    assert after["status"] == "received" and len(after["history"]) == 1
    unknown = _act(followup_api, item["id"], "burn")
    assert unknown.status_code == 422
    not_permitted = _act(followup_api, item["id"], "forward", as_role="agency")
    assert not_permitted.status_code == 403
    assert not_permitted.json()["code"] == "followup_action_not_permitted"


def test_delegates_read_but_may_not_act(followup_api):
    item = _create(followup_api, "voter_petition")
    assert followup_api.request("delegate01", "GET", f"{URL}/{item['id']}").status_code == 200
    assert followup_api.request("observer", "GET", URL).status_code == 200
    assert _act(followup_api, item["id"], "forward", user="delegate01").status_code == 403
    created = followup_api.request("delegate01", "POST", URL,
                                   json={"kind": "voter_petition", "title": "x"})
    assert created.status_code == 403
    assert followup_api.request(None, "GET", URL).status_code == 401


def test_overdue_is_derived_and_filterable(followup_api):
    late = _create(followup_api, "supervision_recommendation", due_on="2026-01-05",
                   received_on="2025-12-20", field="Thử quá hạn")
    assert late["effective_status"] == "overdue" and late["status"] == "received"
    assert late["days_left"] < 0
    found = followup_api.request("clerk", "GET", URL, params={"status": "overdue",
                                                              "field": "Thử quá hạn"}).json()
    assert [i["id"] for i in found["items"]] == [late["id"]]
    assert followup_api.request("clerk", "GET", URL, params={
        "status": "received", "field": "Thử quá hạn"}).json()["total"] == 0


def test_complaint_deadlines_across_the_year_end(followup_api):
    """Denunciation: 7 working days from Fri 25/12/2026 skip the weekend and 1/1 → 6/1/2027.
    Complaint: 10 days from 22/12/2026 end on Fri 1/1/2027, a holiday → Mon 4/1/2027."""
    sender = {"full_name": "Giàng A Thử", "address": "Thôn Lao Chải"}
    denunciation = followup_api.request("clerk", "POST", "/api/followup/complaints", json={
        "complaint_type": "denunciation", "title": "Tố cáo thử", "received_on": "2026-12-25",
        "sender": sender}).json()
    assert denunciation["due_on"] == "2027-01-06"
    complaint = followup_api.request("clerk", "POST", "/api/followup/complaints", json={
        "complaint_type": "complaint", "title": "Khiếu nại thử", "received_on": "2026-12-22",
        "sender": sender}).json()
    assert complaint["due_on"] == "2027-01-04"
    assert complaint["public"] is False


def test_petition_merge_and_group_follows_first(followup_api):
    meeting = followup_api.request("clerk", "POST", "/api/followup/voter-meetings", json={
        "held_on": "2026-11-20", "place": "Nhà văn hóa thôn Mù Khum", "area": "Mù Khum"}).json()
    texts = ["Đường vào thôn Mù Khum lầy lội, đề nghị bê tông hóa",
             "De nghi be tong hoa duong vao thon Mu Khum lay loi",
             "Đề nghị bê tông hóa đường vào thôn Mù Khum vì lầy lội mùa mưa",
             "Thôn Mù Khum cần thêm lớp học mầm non"]
    ids = [followup_api.request("clerk", "POST",
                                f"/api/followup/voter-meetings/{meeting['id']}/petitions",
                                json={"title": t, "field": "Giao thông"}).json()["id"]
           for t in texts]
    groups = followup_api.request("clerk", "GET", "/api/followup/petitions/similar",
                                  params={"year": 2026}).json()
    proposed = next(g for g in groups if ids[0] in g["ids"])
    assert set(ids[:3]) <= set(proposed["ids"]) and ids[3] not in proposed["ids"]
    merged = followup_api.request("clerk", "POST", "/api/followup/petitions/merge",
                                  json={"ids": ids[:3]}).json()
    assert merged == {"group_id": ids[0], "ids": ids[:3]}
    _act(followup_api, ids[0], "forward")
    statuses = [followup_api.request("clerk", "GET", f"{URL}/{i}").json()["status"] for i in ids]
    assert statuses == ["forwarded", "forwarded", "forwarded", "received"]
    again = followup_api.request("clerk", "GET", "/api/followup/petitions/similar",
                                 params={"year": 2026}).json()
    assert not any(ids[1] in g["ids"] for g in again)


def test_a_late_petition_once_forwarded_shows_both_facts_everywhere(followup_api):
    """Forwarded and late: the console, the API, the portal and the report say both."""
    from datetime import date, timedelta

    from shared import clock

    today = clock.today()
    year = today.year
    # late already at the annual review's cut-off (14/11), or today if that is earlier
    due = min(today, date(year, 11, 14)) - timedelta(days=10)
    late_by = (today - due).days
    item = _create(followup_api, "voter_petition", public=True, area="Lao Chải",
                   title="Đề nghị sửa cầu treo bản Lao Chải (thử quá hạn)",
                   received_on=(due - timedelta(days=30)).isoformat(), due_on=due.isoformat())
    assert item["overdue_days"] == late_by and item["status_label_vi"] == "Đã tiếp nhận"
    forwarded = _act(followup_api, item["id"], "forward").json()
    assert forwarded["status"] == "forwarded"
    assert forwarded["status_label_vi"] == "Đã chuyển cơ quan có thẩm quyền"
    assert forwarded["overdue_days"] == late_by and forwarded["effective_status"] == "overdue"

    page = followup_api.request(None, "GET", f"/theo-doi/kien-nghi/{item['id']}")
    assert page.status_code == 200
    assert "Đã chuyển cơ quan có thẩm quyền" in page.text
    assert f"Quá hạn {late_by} ngày" in page.text

    report = followup_api.request("clerk", "GET", f"/api/followup/reports/{year}/annual.pdf")
    import pymupdf

    with pymupdf.open(stream=report.content, filetype="pdf") as pdf:
        text = " ".join(" ".join(p.get_text() for p in pdf).split())
    assert "Đề nghị sửa cầu treo bản Lao Chải" in text
    row = text[text.index("Đề nghị sửa cầu treo bản Lao Chải"):][:200]
    assert "Đã chuyển cơ quan có thẩm quyền" in row

    answered = _act(followup_api, item["id"], "record_answer", as_role="agency",
                    answer="Đã sửa xong").json()
    assert answered["overdue_days"] is None  # answered: nothing owed any more
