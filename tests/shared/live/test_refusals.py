"""Every refusal gives a stable code, a message in both languages, and changes nothing."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from shared.live.messages import MESSAGES
from tests.shared.live.harness import CHAIR, OFFICIAL_A, OUTSIDER, SECRETARY, Hall, ready_hall


def _open_vote(hall: Hall, **fields) -> str:
    fields = {"item_id": 10, "question": "Thông qua?", **fields}
    return hall.do(CHAIR, "open_vote", **fields).events[0].vote_id


def test_rights():
    hall = ready_hall()
    assert hall.refused(5, "open_item", item_id=11) == "not_chair"
    assert hall.refused(SECRETARY, "open_vote", item_id=10, question="?") == "not_chair"
    assert hall.refused(5, "reorder_queue", order=[]) == "not_chair_or_secretary"
    assert hall.refused(5, "check_in", person_id=20) == "acting_for_other"
    assert hall.refused(5, "request_to_speak", person_id=6) == "acting_for_other"
    assert hall.refused(
        5, "register_question", addressee_id=OFFICIAL_A, text="?", person_id=6
    ) == "acting_for_other"
    assert hall.refused(SECRETARY, "check_in", person_id=OUTSIDER) == "not_member"
    assert hall.refused(5, "follow_me", document_id=501, page=1) == "not_presenter"
    r6 = hall.do(6, "request_to_speak").events[0].request_id
    assert hall.refused(5, "withdraw_request", request_id=r6) == "acting_for_other"
    hall.do(CHAIR, "grant_floor")
    assert hall.refused(6, "end_turn", reason="stopped") == "not_chair"
    assert hall.refused(6, "extend_turn", seconds=30) == "not_chair"


def test_non_member_cannot_vote_and_others_cannot_vote_twice():
    hall = ready_hall()
    vote_id = _open_vote(hall, allow_change=False)
    assert hall.refused(OFFICIAL_A, "cast_vote", vote_id=vote_id, choice="yes") == "not_member"
    assert hall.refused(OUTSIDER, "cast_vote", vote_id=vote_id, choice="yes") == "not_member"
    assert hall.refused(20, "cast_vote", vote_id=vote_id, choice="yes") == "not_present"
    hall.do(5, "cast_vote", vote_id=vote_id, choice="yes")
    assert hall.refused(5, "cast_vote", vote_id=vote_id, choice="no") == "already_voted"
    assert hall.refused(6, "cast_vote", vote_id=vote_id, choice="maybe") == "invalid_choice"
    assert hall.refused(6, "cast_vote", vote_id="v404", choice="yes") == "unknown_vote"
    hall.do(CHAIR, "close_vote", vote_id=vote_id)
    assert hall.state.votes[vote_id].result.counts["yes"] == 1  # one per voter
    assert hall.refused(6, "cast_vote", vote_id=vote_id, choice="yes") == "vote_closed"
    assert hall.refused(CHAIR, "close_vote", vote_id=vote_id) == "vote_closed"


def test_changing_a_choice_keeps_one_ballot_per_voter():
    hall = ready_hall()
    vote_id = _open_vote(hall)
    for choice in ("yes", "no", "abstain", "no"):
        hall.do(5, "cast_vote", vote_id=vote_id, choice=choice)
    hall.do(CHAIR, "close_vote", vote_id=vote_id)
    result = hall.state.votes[vote_id].result
    assert result.counts == {"yes": 0, "no": 1, "abstain": 0} and result.ballots == 1


def test_without_quorum_only_a_procedural_vote_opens_and_only_with_a_reason():
    hall = ready_hall(present=16)
    reason = "Đại biểu vắng do lũ chia cắt; Thường trực đồng ý tiến hành"
    # a resolution is not valid without quorum, whatever the reason
    assert hall.refused(CHAIR, "open_vote", item_id=10, question="?") == "no_quorum_binding"
    assert hall.refused(
        CHAIR, "open_vote", item_id=10, question="?", quorum_override_reason=reason
    ) == "no_quorum_binding"
    assert hall.refused(
        CHAIR, "open_vote", item_id=10, question="?", decision="procedural",
        quorum_override_reason="   ",
    ) == "no_quorum"
    vote_id = _open_vote(hall, decision="procedural", quorum_override_reason=reason)
    assert hall.events[-1].quorum_override_reason == reason
    assert hall.events[-1].decision == "procedural"
    assert hall.state.votes[vote_id].present_at_open == 16


def test_vote_settings():
    hall = ready_hall()
    assert hall.refused(CHAIR, "open_vote", item_id=99, question="?") == "unknown_item"
    bad = [
        {"mode": "election", "candidates": [], "max_choices": 1},
        {"mode": "election", "max_choices": 3,
         "candidates": [{"candidate_id": "a", "full_name": "A"}]},
        {"mode": "confidence", "officials": []},
        {"options": [{"key": "yes", "label_vi": "Có", "label_en": "Yes"}]},
        {"mode": "open", "max_choices": 2},
    ]
    for fields in bad:
        code = hall.refused(CHAIR, "open_vote", item_id=10, question="?", **fields)
        assert code == "invalid_vote", fields
    assert hall.refused(
        CHAIR, "open_vote", item_id=10, question="?", mode="secret", allow_change=True
    ) == "secret_vote_no_change"
    _open_vote(hall)
    assert hall.refused(CHAIR, "open_vote", item_id=10, question="?") == "vote_in_progress"
    assert hall.refused(CHAIR, "close_sitting") == "vote_in_progress"


def test_secret_vote_close_needs_a_matching_tally():
    from shared.live import CommandRejected, decide
    from shared.live.commands import CloseVote
    from shared.live.voting import Tally

    hall = ready_hall()
    vote_id = _open_vote(hall, mode="secret")
    hall.do(5, "cast_vote", vote_id=vote_id, choice="yes")
    command = CloseVote(key="close-secret", vote_id=vote_id)
    chair = hall.actor(CHAIR)
    for tally, code in [(None, "tally_missing"), (Tally(ballots=2), "tally_mismatch")]:
        with pytest.raises(CommandRejected) as caught:
            decide(hall.state, command, chair, hall.now, tally=tally)
        assert caught.value.code == code


def test_out_of_state_commands():
    hall = Hall()
    assert hall.refused(CHAIR, "check_in") == "sitting_not_open"
    hall.do(CHAIR, "open_sitting")
    assert hall.refused(CHAIR, "open_sitting") == "sitting_already_open"
    assert hall.refused(CHAIR, "grant_floor") == "queue_empty"
    assert hall.refused(CHAIR, "extend_turn", seconds=10) == "no_turn"
    assert hall.refused(CHAIR, "end_turn") == "no_turn"
    assert hall.refused(CHAIR, "close_item") == "item_not_open"
    assert hall.refused(CHAIR, "follow_me", document_id=501, page=1) == "item_not_open"
    assert hall.refused(CHAIR, "stop_follow_me") == "not_following"
    assert hall.refused(5, "check_out") == "not_present"
    hall.do(5, "check_in")
    assert hall.refused(5, "check_in") == "already_present"
    hall.do(CHAIR, "open_item", item_id=10)
    assert hall.refused(CHAIR, "open_item", item_id=10) == "item_already_open"
    assert hall.refused(CHAIR, "open_item", item_id=77) == "unknown_item"
    assert hall.refused(CHAIR, "follow_me", document_id=503, page=1) == "unknown_document"
    r5 = hall.do(5, "request_to_speak").events[0].request_id
    assert hall.refused(5, "request_to_speak") == "already_in_queue"
    assert hall.refused(CHAIR, "skip_request", request_id="r0") == "unknown_request"
    assert hall.refused(CHAIR, "grant_floor", request_id="r0") == "unknown_request"
    assert hall.refused(SECRETARY, "reorder_queue", order=[r5, r5]) == "bad_order"
    hall.do(CHAIR, "grant_floor")
    hall.do(6, "request_to_speak")
    assert hall.refused(CHAIR, "grant_floor") == "turn_in_progress"
    hall.do(CHAIR, "close_sitting")
    assert hall.refused(CHAIR, "open_sitting") == "sitting_closed"
    assert hall.refused(5, "request_to_speak") == "sitting_closed"


def test_questioning_refusals():
    hall = ready_hall()
    assert hall.refused(5, "register_question", addressee_id=6, text="?") == "unknown_official"
    assert hall.refused(
        OFFICIAL_A, "register_question", addressee_id=OFFICIAL_A, text="?"
    ) == "not_member"
    assert hall.refused(
        5, "register_question", addressee_id=OFFICIAL_A, text="?", item_id=404
    ) == "unknown_item"
    q = hall.do(5, "register_question", addressee_id=OFFICIAL_A, text="?").events[0].question_id
    assert hall.refused(CHAIR, "start_question_turn", question_id="q0", phase="question") == (
        "unknown_question"
    )
    assert hall.refused(CHAIR, "start_question_turn", question_id=q, phase="answer") == (
        "wrong_phase"
    )
    assert hall.refused(OFFICIAL_A, "record_commitment", question_id=q, text="x") == "wrong_phase"
    assert hall.refused(6, "record_commitment", question_id=q, text="x") == "not_addressee"
    assert hall.refused(CHAIR, "close_question", question_id=q, outcome="answered") == (
        "wrong_phase"
    )
    assert hall.refused(CHAIR, "reorder_questions", order=[q, "q0"]) == "bad_order"
    assert hall.refused(5, "reorder_questions", order=[q]) == "not_chair"
    hall.do(CHAIR, "start_question_turn", question_id=q, phase="question")
    assert hall.refused(CHAIR, "start_question_turn", question_id=q, phase="question") == (
        "turn_in_progress"
    )
    closing = hall.do(CHAIR, "close_question", question_id=q, outcome="in_writing").events
    assert [e.type for e in closing] == ["turn_ended", "question_turn_ended"]
    assert hall.refused(CHAIR, "close_question", question_id=q, outcome="in_writing") == (
        "question_closed"
    )
    assert hall.refused(CHAIR, "start_question_turn", question_id=q, phase="answer") == (
        "question_closed"
    )


def test_every_code_decide_raises_has_both_messages():
    source = (Path(__file__).parents[3] / "shared/live/decide.py").read_text()
    codes = set(re.findall(r'CommandRejected\("([a-z_]+)"\)', source))
    assert len(codes) > 30
    for code in codes:
        vi, en = MESSAGES[code]
        assert vi and en and vi != en
