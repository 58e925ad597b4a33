"""A whole sitting of a 25-member commune council, scripted through decide + apply."""

from __future__ import annotations

from datetime import date, timedelta

from shared.live import remaining_seconds, replay, warning
from shared.live.events import VoteCast, parse_event
from tests.shared.live.harness import CHAIR, OFFICIAL_A, OFFICIAL_B, SECRETARY, Hall


def test_attendance_reaches_quorum_at_17_of_25():
    hall = Hall()
    hall.do(CHAIR, "open_sitting")
    assert hall.state.status == "open"
    assert (hall.state.members_total, hall.state.quorum_needed) == (25, 17)
    hall.check_in_all(range(1, 15))
    hall.do(SECRETARY, "check_in", person_id=15)  # the secretary marks those without a tablet
    hall.do(SECRETARY, "check_in", person_id=16)
    assert len(hall.state.present) == 16 and not hall.state.quorum_met
    hall.do(17, "check_in")
    assert len(hall.state.present) == 17 and hall.state.quorum_met
    assert hall.last()[0].by_person_id == 17
    assert hall.events[-2].by_person_id == SECRETARY


def _script() -> Hall:
    hall = Hall()
    hall.do(CHAIR, "open_sitting")
    hall.check_in_all(range(1, 18))

    # agenda and follow-me
    hall.do(CHAIR, "open_item", item_id=10)
    hall.do(CHAIR, "follow_me", document_id=501, page=3)
    assert hall.state.follow_me.page == 3
    opened = hall.do(CHAIR, "open_item", item_id=11).events
    assert [e.type for e in opened] == ["follow_me_stopped", "item_closed", "item_opened"]
    assert hall.state.current_item_id == 11 and hall.state.items_done == (10,)
    assert hall.state.follow_me is None

    # speaker queue
    r3 = hall.do(3, "request_to_speak").events[0].request_id
    r4 = hall.do(4, "request_to_speak", kind="debate").events[0].request_id
    r5 = hall.do(5, "request_to_speak").events[0].request_id
    hall.do(SECRETARY, "reorder_queue", order=[r5, r3, r4])
    assert [r.person_id for r in hall.state.queue] == [5, 3, 4]
    hall.do(CHAIR, "grant_floor")
    turn = hall.state.turn
    assert (turn.person_id, turn.kind, turn.limit_s) == (5, "speech", 420)
    assert remaining_seconds(turn, turn.started_at + timedelta(seconds=20)) == 400
    assert warning(turn, turn.started_at + timedelta(seconds=370)) == "warning"
    hall.do(CHAIR, "extend_turn", seconds=60, advance=400)
    assert warning(hall.state.turn, hall.now) == "running"  # 80 s left after the extension
    hall.do(CHAIR, "end_turn", reason="stopped", advance=100)
    assert hall.state.spoken[-1].seconds == 500 and hall.state.spoken[-1].reason == "stopped"
    hall.do(CHAIR, "grant_floor")
    hall.do(3, "end_turn", advance=200)  # the speaker says they have finished
    hall.do(4, "withdraw_request", request_id=r4)
    assert hall.state.queue == () and hall.state.turn is None
    assert [(s.person_id, s.kind) for s in hall.state.spoken] == [(5, "speech"), (3, "speech")]

    # questioning with a commitment
    q6 = hall.do(6, "register_question", addressee_id=OFFICIAL_A, text="Tiến độ đường?").events
    q7 = hall.do(7, "register_question", addressee_id=OFFICIAL_B, text="Giá phân bón?").events
    q6, q7 = q6[0].question_id, q7[0].question_id
    hall.do(CHAIR, "reorder_questions", order=[q7, q6])
    assert hall.state.question_order == (q7, q6)
    hall.do(CHAIR, "close_question", question_id=q7, outcome="in_writing")
    hall.do(CHAIR, "start_question_turn", question_id=q6, phase="question")
    assert (hall.state.turn.kind, hall.state.turn.limit_s) == ("question", 120)
    hall.do(6, "end_turn", advance=90)
    hall.do(CHAIR, "start_question_turn", question_id=q6, phase="answer")
    assert (hall.state.turn.person_id, hall.state.turn.limit_s) == (OFFICIAL_A, 300)
    hall.do(
        OFFICIAL_A, "record_commitment", question_id=q6,
        text="Hoàn thành đường liên thôn trước 30/9", due="2026-09-30",
    )
    hall.do(OFFICIAL_A, "end_turn", advance=240)
    hall.do(CHAIR, "start_question_turn", question_id=q6, phase="follow_up")
    hall.do(CHAIR, "close_question", question_id=q6, outcome="answered", advance=50)
    question = hall.state.questions[q6]
    assert question.status == "answered" and question.phases == ("question", "answer", "follow_up")
    assert question.commitments[0].due == date(2026, 9, 30)
    assert question.commitments[0].recorded_by == OFFICIAL_A
    assert hall.state.questions[q7].status == "in_writing"
    assert [s.kind for s in hall.state.spoken][-3:] == ["question", "answer", "follow_up"]
    assert hall.state.turn is None and hall.state.question_order == ()
    return hall


def test_agenda_queue_and_questioning():
    _script()


def test_open_vote_passes_with_more_than_half_of_all_members():
    hall = _script()
    vote_id = hall.do(CHAIR, "open_vote", item_id=11, question="Thông qua nghị quyết?")
    vote_id = vote_id.events[0].vote_id
    for person in range(1, 15):
        hall.do(person, "cast_vote", vote_id=vote_id, choice="yes")
    hall.do(15, "cast_vote", vote_id=vote_id, choice="no")
    hall.do(16, "cast_vote", vote_id=vote_id, choice="yes")
    hall.do(16, "cast_vote", vote_id=vote_id, choice="no")  # changed their mind
    vote = hall.state.votes[vote_id]
    assert vote.turnout == 16 and vote.result is None  # turnout, never a partial result
    hall.do(CHAIR, "close_vote", vote_id=vote_id)
    result = hall.state.votes[vote_id].result
    assert result.counts == {"yes": 14, "no": 2, "abstain": 0}
    assert (result.needed, result.members_total, result.passed) == (13, 25, True)
    assert result.did_not_vote == tuple([17, *range(18, 26)])
    assert result.roll is None  # open mode: totals only


def test_named_vote_records_each_choice_and_who_did_not_vote():
    hall = _script()
    vote_id = hall.do(
        CHAIR, "open_vote", item_id=11, question="Điều chỉnh kế hoạch?", mode="named",
        threshold="two_thirds_of_all",
    ).events[0].vote_id
    for person in range(1, 16):
        hall.do(person, "cast_vote", vote_id=vote_id, choice="yes" if person <= 12 else "abstain")
    hall.do(CHAIR, "close_vote", vote_id=vote_id)
    result = hall.state.votes[vote_id].result
    assert result.counts == {"yes": 12, "no": 0, "abstain": 3}
    assert (result.needed, result.passed) == (17, False)
    assert result.did_not_vote == (16, 17, *range(18, 26))
    assert result.roll[13] == "abstain" and len(result.roll) == 15
    assert result.roll_published is False


def test_secret_vote_events_never_carry_a_choice():
    hall = _script()
    decision = hall.do(CHAIR, "open_vote", item_id=11, question="Miễn nhiệm?", mode="secret")
    vote_id = decision.events[0].vote_id
    assert decision.events[0].allow_change is False
    for person in range(1, 18):
        cast = hall.do(person, "cast_vote", vote_id=vote_id, choice="no" if person % 3 else "yes")
        assert cast.events[0].choice is None and cast.secret_choice.choice in ("yes", "no")
        assert "voter" not in repr(cast.secret_choice)
    assert hall.state.votes[vote_id].choices == {}
    hall.do(CHAIR, "close_vote", vote_id=vote_id)
    result = hall.state.votes[vote_id].result
    assert result.counts == {"yes": 5, "no": 12, "abstain": 0} and result.ballots == 17
    assert result.passed is False and result.did_not_vote is None
    for event in hall.events:
        if isinstance(event, VoteCast) and event.vote_id == vote_id:
            assert event.choice is None and '"choice":null' in event.model_dump_json()


def test_confidence_vote_for_two_officials_with_three_levels():
    hall = _script()
    officials = [
        {"candidate_id": "p101", "full_name": "Lò Văn A", "person_id": OFFICIAL_A},
        {"candidate_id": "p102", "full_name": "Giàng Thị B", "person_id": OFFICIAL_B},
    ]
    vote_id = hall.do(
        CHAIR, "open_vote", item_id=10, question="Lấy phiếu tín nhiệm", mode="confidence",
        officials=officials,
    ).events[0].vote_id
    assert [o.label_vi for o in hall.state.votes[vote_id].options] == [
        "Tín nhiệm cao", "Tín nhiệm", "Tín nhiệm thấp",
    ]
    for person in range(1, 18):
        low_for_b = "low" if person <= 13 else "medium"
        hall.do(person, "cast_vote", vote_id=vote_id, choice={"p101": "high", "p102": low_for_b})
    hall.do(CHAIR, "close_vote", vote_id=vote_id)
    result = hall.state.votes[vote_id].result
    assert result.ratings == {"p101": {"high": 17}, "p102": {"low": 13, "medium": 4}}
    assert result.low_confidence == ("p102",) and result.passed is False


def test_election_of_up_to_two_of_four():
    hall = _script()
    candidates = [
        {"candidate_id": f"k{i}", "full_name": f"Ứng cử viên {i}"} for i in range(1, 5)
    ]
    vote_id = hall.do(
        CHAIR, "open_vote", item_id=12, question="Bầu Phó Chủ tịch HĐND", mode="election",
        candidates=candidates, max_choices=2,
    ).events[0].vote_id
    for person in range(1, 18):
        picks = ["k1", "k3"] if person <= 14 else ["k2"]
        hall.do(person, "cast_vote", vote_id=vote_id, choice=picks)
    hall.do(CHAIR, "close_vote", vote_id=vote_id)
    result = hall.state.votes[vote_id].result
    assert result.counts == {"k1": 14, "k2": 3, "k3": 14, "k4": 0}
    assert result.elected == ("k1", "k3") and result.passed is True


def test_closing_the_sitting_and_replaying_every_event():
    hall = _script()
    hall.do(CHAIR, "open_item", item_id=12)
    hall.do(CHAIR, "follow_me", document_id=503, page=1)
    hall.do(8, "request_to_speak")
    hall.do(CHAIR, "grant_floor")
    closing = hall.do(CHAIR, "close_sitting").events
    assert [e.type for e in closing] == [
        "turn_ended", "follow_me_stopped", "item_closed", "sitting_closed",
    ]
    assert hall.state.status == "closed"
    assert replay(hall.events) == hall.state
    assert [e.seq for e in hall.events] == list(range(1, len(hall.events) + 1))
    for event in hall.events:  # the database stores events as JSON; nothing may be lost
        assert parse_event(event.model_dump_json()) == event
