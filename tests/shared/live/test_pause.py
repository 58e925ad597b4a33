"""Tạm dừng: a paused sitting takes attendance only, until the chair resumes or closes it."""

from __future__ import annotations

from tests.shared.live.harness import CHAIR, SECRETARY, ready_hall


def test_pause_stops_the_turn_and_refuses_all_but_attendance_resume_and_close():
    hall = ready_hall()
    hall.do(5, "request_to_speak")
    hall.do(CHAIR, "grant_floor")
    types = [e.type for e in hall.do(CHAIR, "pause_sitting").events]
    assert types == ["turn_ended", "sitting_paused"]
    assert hall.state.status == "paused" and hall.state.turn is None
    assert hall.refused(CHAIR, "open_item", item_id=11) == "sitting_paused"
    assert hall.refused(CHAIR, "pause_sitting") == "sitting_paused"
    assert hall.refused(SECRETARY, "resume_sitting") == "not_chair"
    hall.do(SECRETARY, "check_out", person_id=5)
    hall.do(CHAIR, "resume_sitting")
    assert hall.state.status == "open"
    assert hall.refused(CHAIR, "resume_sitting") == "sitting_not_paused"
    hall.do(CHAIR, "pause_sitting")
    hall.do(CHAIR, "close_sitting")
    assert hall.state.status == "closed"


def test_no_pause_while_a_vote_is_open():
    hall = ready_hall()
    hall.do(CHAIR, "open_vote", item_id=10, question="Thông qua?")
    assert hall.refused(CHAIR, "pause_sitting") == "vote_in_progress"
