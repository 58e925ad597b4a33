"""The law's refusals and warnings on the verifiable ballot, as the chair meets them on
the real API: who may count, who may be surveyed, when, and the confidence vote."""

from __future__ import annotations

from shared.ballot.verify import verify_board
from tests.server.ballot.conftest import COMMITTEE, VOTERS, Hall

OFFICIALS = [{"candidate_id": "301", "full_name": "Chủ tịch UBND xã"}]


def _post(hall: Hall, **body) -> dict:
    response = hall.call("chair", "POST", f"/api/sittings/{hall.sitting_id}/ballots", json={
        "item_id": hall.item_id, "title": "Phiếu", "candidates": OFFICIALS,
        "committee": [hall.pid(u) for u in COMMITTEE], **body})
    return {**response.json(), "http": response.status_code}


def test_a_candidate_may_not_sit_on_the_counting_committee(hall: Hall) -> None:
    candidate = {"candidate_id": "k1", "full_name": "Đại biểu 01",
                 "person_id": hall.pid(COMMITTEE[0])}
    answer = _post(hall, kind="election", candidates=[candidate, {"candidate_id": "k2",
                                                                  "full_name": "Người khác"}])
    assert answer["http"] == 422 and answer["code"] == "committee_member_on_ballot"
    assert "không được là thành viên Ban kiểm phiếu" in answer["message_vi"]
    assert answer["people"] == [hall.pid(COMMITTEE[0])]


def test_a_commune_committee_needs_three_members(hall: Hall) -> None:
    answer = _post(hall, kind="election", committee=[hall.pid(u) for u in COMMITTEE[:2]],
                   candidates=[{"candidate_id": "k1", "full_name": "A"}])
    assert answer["http"] == 422 and answer["code"] == "committee_too_small"
    assert "ít nhất 3" in answer["message_vi"]


def test_the_threshold_of_a_secret_ballot_is_the_laws(hall: Hall) -> None:
    answer = _post(hall, kind="election", threshold="majority_of_present",
                   candidates=[{"candidate_id": "k1", "full_name": "A"}])
    assert answer["http"] == 409 and answer["code"] == "threshold_fixed_by_law"


def _session_facts(hall: Hall):
    from sqlmodel import Session

    from server.ballot.service import _council_and_session

    with Session(hall.api.client.app.state.engine) as db:
        council, session = _council_and_session(db, hall.sitting_id)
        return council.level, council.term_start, session.start_date


def test_a_survey_warns_for_a_commune_council_and_outside_its_window(hall: Hall) -> None:
    level, term_start, opening = _session_facts(hall)
    assert level == "xa"  # the demo council of Y Tý is a commune council
    answer = _post(hall, kind="confidence")
    assert answer["http"] == 201
    codes = {w["code"]: w for w in answer["warnings"]}
    assert {"survey_commune_council", "committee_not_elected"} <= set(codes)
    assert "Điều 2 khoản 2" in codes["survey_commune_council"]["message_vi"]
    assert codes["survey_commune_council"]["status"] == "official_text"
    # the demo's sessions live relative to the day the suite runs: the window warning is
    # there unless this session is the year-end regular session of the term's third year
    if opening.year != term_start + 2:
        assert f"năm {term_start + 2}" in codes["survey_outside_window"]["message_vi"]
        assert codes["survey_outside_window"]["status"] == "secondary_source"
    audit = hall.api.request("admin", "GET", "/api/audit?limit=20").json()
    created = next(e for e in audit if e["action"] == "ballot.created"
                   and e["target_id"] == str(answer["id"]))
    assert "survey_commune_council" in str(created)


def test_the_survey_leaves_out_who_retires_or_was_elected_this_year(hall: Hall) -> None:
    year = _session_facts(hall)[2].year  # the survey year is the session's
    answer = _post(hall, kind="confidence", candidates=[
        {"candidate_id": "301", "full_name": "Chủ tịch UBND xã", "retirement_announced": True},
        {"candidate_id": "302", "full_name": "Phó Chủ tịch", "elected_on": f"{year}-03-02"},
        {"candidate_id": "303", "full_name": "Ủy viên", "elected_on": f"{year - 2}-05-01"}])
    assert answer["http"] == 422 and answer["code"] == "survey_subject_excluded"
    assert answer["excluded"] == {"301": "retirement_announced", "302": "elected_in_survey_year"}
    assert "Điều 2 khoản 5" in answer["message_vi"]


def test_a_committee_elected_by_a_vote_that_did_not_pass_is_refused(hall: Hall) -> None:
    opened = hall.command("chair", type="open_vote", item_id=hall.item_id,
                          question="Bầu Ban kiểm phiếu gồm 3 đại biểu?", decision="procedural")
    vote_id = f"v{opened['seqs'][0]}"
    hall.command("chair", type="close_vote", vote_id=vote_id)  # nobody voted: not passed
    answer = _post(hall, kind="election", committee_vote_id=vote_id,
                   candidates=[{"candidate_id": "k1", "full_name": "A"}])
    assert answer["http"] == 422 and answer["code"] == "committee_vote_invalid"

    opened = hall.command("chair", type="open_vote", item_id=hall.item_id,
                          question="Bầu Ban kiểm phiếu gồm 3 đại biểu?", decision="procedural")
    vote_id = f"v{opened['seqs'][0]}"
    for user in [*VOTERS, *COMMITTEE, *(f"delegate{n:02d}" for n in range(12, 16))]:
        hall.command(user, type="cast_vote", vote_id=vote_id, choice="yes")
    hall.command("chair", type="close_vote", vote_id=vote_id)
    answer = _post(hall, kind="election", committee_vote_id=vote_id,
                   candidates=[{"candidate_id": "k1", "full_name": "A"}])
    assert answer["http"] == 201, answer
    assert "committee_not_elected" not in {w["code"] for w in answer["warnings"]}


def test_a_confidence_vote_through_the_verifiable_ballot(hall: Hall) -> None:
    ballot_id = hall.setup_and_open("confidence_vote", OFFICIALS)
    view = hall.view(ballot_id)
    assert view["definition"]["kind"] == "confidence_vote"
    state = hall.state()
    vote = state["votes"][view["live_vote_id"]]
    assert vote["decision"] == "confidence_vote" and [o["key"] for o in vote["options"]] == [
        "trust", "distrust"]
    assert vote["rule_vi"].startswith("Cần quá nửa tổng số đại biểu")
    for n, user in enumerate(VOTERS):
        hall.tablet(user).cast(ballot_id, {"301": "distrust" if n < 5 else "trust"},
                               str(hall.pid(user)))
    hall.close(ballot_id)
    view = hall.count(ballot_id)
    result = view["result"]["confidence_vote"]
    assert result["officials"][0]["counts"] == {"trust": 3, "distrust": 5}
    # 5 of all delegates is not more than half: no consequence
    assert result["officials"][0]["no_confidence"] is False
    live = hall.public()["votes"][view["live_vote_id"]]["result"]
    assert live["no_confidence"] == [] and live["ratings"]["301"] == {"trust": 3, "distrust": 5}
    assert verify_board(hall.board(ballot_id)).ok


def test_the_sitting_checklist_and_the_lawful_sittings_target(hall: Hall) -> None:
    from sqlmodel import Session

    from server.services import compliance

    opened = hall.command("chair", type="open_vote", item_id=hall.item_id,
                          question="Thông qua Nghị quyết?", decision="resolution")
    vote_id = f"v{opened['seqs'][0]}"
    hall.command("chair", type="close_vote", vote_id=vote_id)
    hall.command("chair", type="close_sitting")
    with Session(hall.api.client.app.state.engine) as db:
        checks = {c.key: c for c in compliance.sitting_checks(db, hall.sitting_id)}
    assert checks["quorum_at_binding_votes"].ok is True
    assert checks["legal_thresholds"].ok is True
    assert checks["minutes_signed"].ok is None  # no data yet: shown, never counted
    assert "chưa kiểm chứng" in checks["documents_in_time"].source
    year = _session_facts(hall)[2].year
    report = hall.call("clerk", "GET", f"/api/followup/indicators?year={year}").json()
    target = next(i for i in report["indicators"] if i["key"] == "sittings_lawful")
    assert target["target"] == 1.0 and target["item_type"] == "sitting"
    lawful = checks["documents_in_time"].ok is not False
    assert hall.sitting_id in (target["item_ids"] if lawful else target["missing_ids"])
