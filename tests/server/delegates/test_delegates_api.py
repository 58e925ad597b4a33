"""Delegate profiles (privacy), training with certificates, group supervision, congress
targets, each delegate's record, and the plan's targets counted by hand on the demo
(server/services/delegate_demo.py)."""

from __future__ import annotations

import pymupdf
from sqlmodel import Session, col, select

from server.models import AuditEntry
from tests.server.delegates.conftest import SEEDED_YEAR

DELEGATE01 = "Phu Lỳ Chờ"  # Phó Chủ tịch HĐND, full-time, speaks at each hearing
DELEGATE02 = "Sần Chà Xá"


def _delegates(api) -> dict[str, dict]:
    return {d["full_name"]: d for d in api.request("clerk", "GET", "/api/delegates").json()}


def _indicators(api, year: int) -> dict[str, dict]:
    report = api.request("clerk", "GET", "/api/followup/indicators",
                         params={"year": year}).json()
    return {i["key"]: i for i in report["indicators"]}


def _pdf(text: str) -> bytes:
    document = pymupdf.open()
    document.new_page().insert_text((72, 72), text)
    return document.tobytes()


def test_plan_targets_counted_by_hand(followup_api):
    got = _indicators(followup_api, SEEDED_YEAR)
    people = _delegates(followup_api)
    assert len(people) == 27
    # (1) 8 congress targets, 1 3 4 5 6 linked; 2 7 8 listed as missing.
    congress = got["congress_targets_concretised"]
    assert (congress["numerator"], congress["denominator"], congress["met"]) == (5, 8, False)
    assert congress["plan_target"] == "(1)" and len(congress["missing_ids"]) == 3
    targets = {t["id"]: t for t in followup_api.request("clerk", "GET",
                                                         "/api/congress-targets").json()}
    assert sorted(targets[i]["code"] for i in congress["missing_ids"]) == ["2", "7", "8"]
    # (2) from the sitting compliance check: the three hearings' sittings, the third's pack
    # sent 2 days ahead (fewer than the 5 of docs/rules.md).
    lawful = got["sittings_lawful"]
    assert lawful["measured"] is True and lawful["plan_target"] == "(2)"
    assert (lawful["numerator"], lawful["denominator"], lawful["met"]) == (2, 3, False)
    # (3) groups 1-3 supervised, group 4 did not.
    groups = got["groups_supervising"]
    assert (groups["numerator"], groups["denominator"], groups["met"]) == (3, 4, False)
    group4 = [name for name, d in people.items()
              if any(u["name"].startswith("Tổ đại biểu số 4") for u in d["units"])]
    part = got["delegates_in_group_supervision"]
    assert part["denominator"] == 27
    assert part["numerator"] == 27 - len(group4) - 1  # group 4, and one of group 2
    assert len(part["missing_ids"]) == len(group4) + 1
    # (6) digital skills: 24 delegates + the clerk of 27 + 1; AI: 10 + the clerk.
    assert (got["digital_skills_trained"]["numerator"],
            got["digital_skills_trained"]["denominator"]) == (25, 28)
    assert got["ai_trained"]["numerator"] == 11 and got["ai_trained"]["met"] is False
    # (7) two of the three full-time delegates qualified; everyone attended a course.
    assert (got["full_time_qualified"]["numerator"],
            got["full_time_qualified"]["denominator"]) == (2, 3)
    assert got["full_time_qualified"]["missing_ids"] == [people[
        "Nguyễn Hữu Thắng"]["person_id"]]
    assert (got["delegates_trained"]["numerator"], got["delegates_trained"]["met"]) == (27, True)
    # Every numbered target of section II.2, (1) to (8), is on the dashboard.
    assert {i["plan_target"] for i in got.values()} == {f"({n})" for n in range(1, 9)}


def test_personal_data_only_for_staff_and_the_delegate(followup_api):
    people = _delegates(followup_api)
    mine = people[DELEGATE01]["person_id"]
    other = people[DELEGATE02]["person_id"]
    url = f"/api/delegates/{mine}/profile"
    own = followup_api.request("delegate01", "GET", url)
    assert own.status_code == 200 and own.json()["education"] == "university"
    assert own.json()["full_time"] is True and own.json()["education_recorded_by"] == "clerk"
    refused = followup_api.request("delegate01", "GET", f"/api/delegates/{other}/profile")
    assert refused.status_code == 403 and "thông tin cá nhân" in refused.json()["detail"]
    assert followup_api.request("observer", "GET", url).status_code == 403
    assert followup_api.request(None, "GET", url).status_code == 401
    public = followup_api.request(None, "GET", f"/api/public/delegates/{mine}").json()
    assert public["full_name"] == DELEGATE01 and public["constituency"] == "Phìn Hồ"
    assert {u["kind"] for u in public["units"]} >= {"delegate_group"}
    for private in ("education", "theory", "full_time"):
        assert private not in public
    listing = followup_api.request(None, "GET", "/api/public/delegates").text
    assert "university" not in listing and "intermediate" not in listing
    # A delegate cannot edit; the clerk's edit records who and when, and is audited
    # without the values.
    assert followup_api.request("delegate01", "PATCH", url,
                                json={"theory": "advanced"}).status_code == 403
    edited = followup_api.request("clerk", "PATCH", f"/api/delegates/{other}/profile", json={
        "theory": "advanced", "theory_recorded_on": f"{SEEDED_YEAR}-06-01"})
    assert edited.status_code == 200, edited.text
    assert edited.json()["theory_recorded_on"] == f"{SEEDED_YEAR}-06-01"
    assert edited.json()["theory_recorded_by"] == "clerk"
    bad = followup_api.request("clerk", "PATCH", f"/api/delegates/{other}/profile",
                               json={"education": "phd-of-everything"})
    assert bad.status_code == 422
    with Session(followup_api.client.app.state.engine) as db:
        entry = db.exec(select(AuditEntry).where(AuditEntry.action == "delegate.profile_updated")
                        .order_by(col(AuditEntry.id).desc())).first()
        assert entry is not None and "advanced" not in str(entry.detail)


def test_training_course_attendance_and_certificate(followup_api):
    people = _delegates(followup_api)
    mine = people[DELEGATE01]["person_id"]
    other = people[DELEGATE02]["person_id"]
    later = SEEDED_YEAR + 5  # outside the seeded year's figures
    wrong = followup_api.request("clerk", "POST", "/api/training/courses", json={
        "title": "Lớp sai ngày", "starts_on": f"{later}-05-10", "ends_on": f"{later}-05-01"})
    assert wrong.status_code == 422 and "trước ngày bắt đầu" in wrong.json()["detail"]
    assert followup_api.request("delegate01", "POST", "/api/training/courses", json={
        "title": "x", "starts_on": f"{later}-05-01", "ends_on": f"{later}-05-02"}
    ).status_code == 403
    course = followup_api.request("clerk", "POST", "/api/training/courses", json={
        "title": "Khai thác dữ liệu số trong giám sát", "topic": "Kỹ năng số",
        "digital_skills": True, "ai": True, "starts_on": f"{later}-05-10",
        "ends_on": f"{later}-05-12", "organiser": "Sở KH&CN"}).json()
    url = f"/api/training/courses/{course['id']}/attendance"
    rows = followup_api.request("clerk", "PUT", url, json={"person_ids": [mine]}).json()
    assert [r["person_id"] for r in rows] == [mine] and rows[0]["has_certificate"] is False
    cert = f"{url}/{mine}/certificate"
    png = followup_api.request("clerk", "POST", cert,
                               files={"file": ("a.png", b"not a png", "image/png")})
    assert png.status_code in (415, 422)
    pdf = _pdf("Chung chi")
    stored = followup_api.request("clerk", "POST", cert,
                                  files={"file": ("../chung chi.pdf", pdf, "application/pdf")})
    assert stored.status_code == 201, stored.text
    assert stored.json()["certificate_name"] == "chung chi.pdf"
    assert followup_api.request("delegate01", "GET", cert).content == pdf
    assert followup_api.request("delegate02", "GET", cert).status_code == 403
    assert followup_api.request("clerk", "POST", f"{url}/{other}/certificate",
                                files={"file": ("c.pdf", pdf, "application/pdf")}
                                ).status_code == 404
    got = _indicators(followup_api, later)
    assert mine in got["ai_trained"]["item_ids"]
    record = followup_api.request("delegate01", "GET", f"/api/delegates/{mine}/record",
                                  params={"year": later}).json()
    assert [t["title"] for t in record["training"]] == ["Khai thác dữ liệu số trong giám sát"]


def test_group_supervision_participants(followup_api):
    year = SEEDED_YEAR + 3
    people = _delegates(followup_api)
    group = next(u for u in people[DELEGATE01]["units"] if u["kind"] == "delegate_group")
    members = [d["person_id"] for d in people.values()
               if any(u["body_id"] == group["body_id"] for u in d["units"])]
    supervision = followup_api.request("clerk", "POST", "/api/followup/supervisions", json={
        "body_id": group["body_id"], "year": year, "kind": "regular",
        "subject": "Giám sát việc cấp phát gạo cứu đói"}).json()
    url = f"/api/followup/supervisions/{supervision['id']}/participants"
    clerk_person = next(iter(set(range(1, 60)) - {d["person_id"] for d in people.values()}))
    refused = followup_api.request("clerk", "PUT", url, json={"person_ids": [clerk_person]})
    assert refused.status_code == 422
    assert followup_api.request("delegate01", "PUT", url,
                                json={"person_ids": members}).status_code == 403
    assert followup_api.request("clerk", "PUT", url, json={"person_ids": members[:-1]}
                                ).json() == sorted(members[:-1])
    got = _indicators(followup_api, year)
    assert (got["groups_supervising"]["numerator"], got["groups_supervising"]["denominator"]) \
        == (1, 4)
    assert got["groups_supervising"]["item_ids"] == [group["body_id"]]
    part = got["delegates_in_group_supervision"]
    assert part["numerator"] == len(members) - 1
    assert part["detail"]["per_group"][str(group["body_id"])] == [len(members) - 1,
                                                                 len(members)]


def test_congress_targets_entered_once_and_linked(followup_api):
    before = followup_api.request("clerk", "GET", "/api/congress-targets").json()
    source = before[0]["source"]
    listed = [{"code": t["code"], "text": t["text"]} for t in before]
    assert followup_api.request("delegate01", "PUT", "/api/congress-targets", json={
        "source": source, "targets": listed}).status_code == 403
    twice = followup_api.request("clerk", "PUT", "/api/congress-targets", json={
        "source": source, "targets": listed + [listed[0]]})
    assert twice.status_code == 422
    added = followup_api.request("clerk", "PUT", "/api/congress-targets", json={
        "source": source, "targets": listed + [{"code": "9", "text": "Chỉ tiêu mới"}]}).json()
    assert len(added) == 9
    # links of targets kept survive the new list
    assert [len(t["resolutions"]) for t in added[:8]] == [len(t["resolutions"]) for t in before]
    assert _indicators(followup_api, SEEDED_YEAR)["congress_targets_concretised"][
        "denominator"] == 9
    resolution = followup_api.request("clerk", "GET", "/api/followup/resolutions").json()[0]
    linked = followup_api.request("clerk", "PUT",
                                  f"/api/congress-targets/{added[8]['id']}/resolutions",
                                  json={"resolution_ids": [resolution["id"]]})
    assert linked.json()["resolutions"][0]["number"] == resolution["number"]
    assert followup_api.request("clerk", "PUT",
                                f"/api/congress-targets/{added[8]['id']}/resolutions",
                                json={"resolution_ids": [2_000_000]}).status_code == 422
    got = _indicators(followup_api, SEEDED_YEAR)["congress_targets_concretised"]
    assert (got["numerator"], got["denominator"]) == (6, 9)
    # back to the demo's list: the new target and its link go
    followup_api.request("clerk", "PUT", "/api/congress-targets",
                         json={"source": source, "targets": listed})
    got = _indicators(followup_api, SEEDED_YEAR)["congress_targets_concretised"]
    assert (got["numerator"], got["denominator"]) == (5, 8)


def test_delegate_record_from_the_event_log(followup_api):
    people = _delegates(followup_api)
    mine = people[DELEGATE01]["person_id"]
    url = f"/api/delegates/{mine}/record"
    record = followup_api.request("delegate01", "GET", url,
                                  params={"year": SEEDED_YEAR}).json()
    # Three Standing Committee hearings, each a sitting with a check-in and one open vote.
    assert len(record["sittings"]) == 3 and len(record["sessions"]) == 3
    assert record["votes"] == 3
    speeches = [s for s in record["speeches"] if s["kind"] == "speech"]
    assert len(speeches) == 3 and all(360 <= s["seconds"] <= 362 for s in speeches)
    assert record["training"]  # the course of skills for delegates
    assert record["voter_meetings"] and isinstance(record["petitions"], list)
    # Another delegate and the public see the public part: no training, a petition count.
    for user in ("delegate02", None):
        prefix = "/api/public" if user is None else "/api"
        path = f"{prefix}/delegates/{mine}/record"
        seen = followup_api.request(user, "GET", path, params={"year": SEEDED_YEAR}).json()
        assert seen["training"] == [] and seen["petitions"] == len(record["petitions"])
        assert seen["votes"] == 3 and len(seen["speeches"]) == len(record["speeches"])
    # A delegate who asked a question: its text and time are in the record.
    askers = {p["person_id"] for p in people.values()
              if any(s["kind"] == "question" for s in followup_api.request(
                  "clerk", "GET", f"/api/delegates/{p['person_id']}/record",
                  params={"year": SEEDED_YEAR}).json()["speeches"])}
    assert len(askers) == 2  # delegate06 and delegate07 alternate
    assert followup_api.request(None, "GET", "/api/public/delegates/999999/record"
                                ).status_code == 404
