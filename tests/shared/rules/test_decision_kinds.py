"""Every kind of decision walked through the live reducer: its threshold, its quorum
rule, its refusals and the rule line it shows (docs/rules.md)."""

from __future__ import annotations

import pytest

from shared.live.state import replay
from tests.shared.live.harness import CHAIR, OFFICIAL_A, OFFICIAL_B, Hall, make_roster

OFFICIALS = [
    {"candidate_id": "p101", "full_name": "Lò Văn A", "person_id": OFFICIAL_A},
    {"candidate_id": "p102", "full_name": "Giàng Thị B", "person_id": OFFICIAL_B},
]
CANDIDATES = [
    {"candidate_id": "k1", "full_name": "Sùng A Páo"},
    {"candidate_id": "k2", "full_name": "Vàng Thị Mai"},
]


def hall_of(members: int = 27, present: int | None = None) -> Hall:
    hall = Hall(make_roster(members=members))
    hall.do(CHAIR, "open_sitting")
    hall.check_in_all(range(1, (members if present is None else present) + 1))
    hall.do(CHAIR, "open_item", item_id=10)
    return hall


def open_vote(hall: Hall, **fields) -> str:
    fields = {"item_id": 10, "question": "Biểu quyết?", **fields}
    return hall.do(CHAIR, "open_vote", **fields).events[0].vote_id


def vote_yes(hall: Hall, vote_id: str, yes: int, no: int = 0) -> None:
    for person in range(1, yes + 1):
        hall.do(person, "cast_vote", vote_id=vote_id, choice="yes")
    for person in range(yes + 1, yes + no + 1):
        hall.do(person, "cast_vote", vote_id=vote_id, choice="no")


@pytest.mark.parametrize(("yes", "passed"), [(14, True), (13, False)])
def test_resolution_needs_more_than_half_of_all_delegates(yes, passed):
    hall = hall_of()
    vote_id = open_vote(hall, decision="resolution", mode="named")
    vote = hall.state.votes[vote_id]
    assert vote.threshold == "majority_of_all"
    assert vote.rule_vi == (
        "Cần quá nửa tổng số đại biểu (14/27) — Luật Tổ chức chính quyền địa phương 2025, "
        "Điều 35 khoản 2"
    )
    vote_yes(hall, vote_id, yes, no=27 - yes)
    hall.do(CHAIR, "close_vote", vote_id=vote_id)
    result = hall.state.votes[vote_id].result
    assert result.passed is passed and result.needed == 14 and result.decision == "resolution"
    assert result.rule_vi == vote.rule_vi


@pytest.mark.parametrize(("yes", "passed"), [(18, True), (17, False)])
def test_recall_passes_at_two_thirds_and_fails_just_below(yes, passed):
    hall = hall_of()
    vote_id = open_vote(hall, decision="recall", mode="secret", question="Bãi nhiệm đại biểu?")
    vote = hall.state.votes[vote_id]
    assert vote.threshold == "two_thirds_of_all"
    assert vote.rule_vi.startswith("Cần ít nhất hai phần ba tổng số đại biểu (18/27) — ")
    assert "Điều 38 khoản 5" in vote.rule_vi
    vote_yes(hall, vote_id, yes, no=27 - yes)
    hall.do(CHAIR, "close_vote", vote_id=vote_id)
    assert hall.state.votes[vote_id].result.passed is passed


def test_dismissal_follows_the_resolution_threshold():
    hall = hall_of()
    vote_id = open_vote(hall, decision="dismissal", mode="secret")
    assert hall.state.votes[vote_id].threshold == "majority_of_all"
    assert "Điều 37" in hall.state.votes[vote_id].rule_vi


def test_the_law_fixes_the_threshold_and_the_ballot_of_each_kind():
    hall = hall_of()
    for decision in ("resolution", "dismissal", "recall"):
        for threshold in ("majority_of_present", "two_thirds_of_all", "majority_of_all"):
            legal = "two_thirds_of_all" if decision == "recall" else "majority_of_all"
            if threshold == legal:
                continue
            assert hall.refused(
                CHAIR, "open_vote", item_id=10, question="?", decision=decision,
                threshold=threshold,
            ) == "threshold_fixed_by_law", (decision, threshold)
    assert hall.refused(
        CHAIR, "open_vote", item_id=10, question="?", decision="election"
    ) == "decision_mode_mismatch"
    assert hall.refused(
        CHAIR, "open_vote", item_id=10, question="?", decision="confidence_vote",
        mode="confidence", officials=OFFICIALS,
    ) == "decision_mode_mismatch"
    assert hall.refused(
        CHAIR, "open_vote", item_id=10, question="?", decision="procedural", mode="secret"
    ) == "decision_mode_mismatch"


def test_only_a_procedural_vote_may_set_its_own_rule():
    hall = hall_of()
    vote_id = open_vote(hall, decision="procedural", threshold="majority_of_present")
    vote = hall.state.votes[vote_id]
    assert vote.threshold == "majority_of_present"
    assert vote.rule_vi.startswith("Cần quá nửa số đại biểu có mặt (14/27) — Quy chế làm việc")
    assert "chưa kiểm chứng" in vote.rule_vi  # a project rule, never shown as law


@pytest.mark.parametrize("decision,extra", [
    ("resolution", {}),
    ("dismissal", {"mode": "secret"}),
    ("recall", {"mode": "secret"}),
    ("election", {"mode": "election", "candidates": CANDIDATES}),
    ("confidence_survey", {"mode": "confidence", "officials": OFFICIALS}),
    ("confidence_vote", {"mode": "confidence_vote", "officials": OFFICIALS}),
])
def test_a_binding_vote_is_refused_without_quorum_even_with_a_reason(decision, extra):
    hall = hall_of(present=17)  # 27 delegates: quorum is 18
    assert not hall.state.quorum_met
    assert hall.refused(
        CHAIR, "open_vote", item_id=10, question="?", decision=decision,
        quorum_override_reason="Mưa lũ, đường bị chia cắt", **extra,
    ) == "no_quorum_binding"


def test_a_procedural_vote_without_quorum_is_recorded_with_its_reason():
    hall = hall_of(present=17)
    reason = "Mưa lũ, đường bị chia cắt; biểu quyết lùi giờ họp"
    vote_id = open_vote(hall, decision="procedural", quorum_override_reason=reason)
    opened = hall.events[-1]
    assert opened.decision == "procedural" and opened.quorum_override_reason == reason
    assert replay(hall.events).votes[vote_id].quorum_override_reason == reason


def _elect(members: int, seats: int, ballots: list[tuple[int, list[str]]]):
    hall = hall_of(members=members)
    three = [*CANDIDATES, {"candidate_id": "k3", "full_name": "Lầu A Sình"}]
    vote_id = open_vote(hall, decision="election", mode="election", max_choices=seats,
                        candidates=three)
    assert hall.state.votes[vote_id].threshold == "majority_of_all"
    person = 0
    for count, choice in ballots:
        for _ in range(count):
            person += 1
            hall.do(person, "cast_vote", vote_id=vote_id, choice=choice)
    hall.do(CHAIR, "close_vote", vote_id=vote_id)
    return hall.state.votes[vote_id].result


def test_an_election_tie_across_the_last_seat_elects_none_of_the_tied():
    # 27 delegates, 2 seats: 18 votes each, all above 14; nobody can take the last seat
    result = _elect(27, 2, [(9, ["k1", "k2"]), (9, ["k1", "k3"]), (9, ["k2", "k3"])])
    assert result.counts == {"k1": 18, "k2": 18, "k3": 18}
    assert result.elected == () and result.tied == ("k1", "k2", "k3") and not result.passed
    assert "bầu" in result.rule_vi or "Hướng dẫn 883" in result.rule_vi


def test_an_election_without_a_tie_elects_by_most_votes_above_half():
    result = _elect(27, 2, [(10, ["k1", "k2"]), (9, ["k1", "k3"]), (8, ["k2", "k3"])])
    assert result.counts == {"k1": 19, "k2": 18, "k3": 17}
    assert result.elected == ("k1", "k2") and result.tied == () and result.passed


def test_an_election_tie_below_the_threshold_is_no_tie_to_break():
    # 14 and 14 of 28 delegates: neither has more than half (15)
    result = _elect(28, 1, [(14, ["k1"]), (14, ["k2"])])
    assert result.elected == () and result.tied == () and not result.passed


def test_confidence_survey_counts_low_on_both_bases_until_the_base_is_verified():
    hall = hall_of(members=27)
    vote_id = open_vote(hall, decision="confidence_survey", mode="confidence",
                        officials=OFFICIALS)
    vote = hall.state.votes[vote_id]
    assert "tổng số phiếu và tổng số đại biểu" in vote.rule_vi
    assert "nguồn thứ cấp" in vote.rule_vi
    # 20 of 27 vote; A is rated low by 11: more than half of the ballots, not of all delegates
    for person in range(1, 21):
        level = "low" if person <= 11 else "high"
        hall.do(person, "cast_vote", vote_id=vote_id, choice={"p101": level, "p102": "medium"})
    hall.do(CHAIR, "close_vote", vote_id=vote_id)
    result = hall.state.votes[vote_id].result
    assert result.low_confidence == () and result.low_confidence_of_ballots == ("p101",)


@pytest.mark.parametrize(("distrust", "no_confidence"), [(14, ("p101",)), (13, ())])
def test_confidence_vote_is_secret_and_counts_distrust_against_all_delegates(
    distrust, no_confidence
):
    hall = hall_of(members=27)
    vote_id = open_vote(hall, decision="confidence_vote", mode="confidence_vote",
                        officials=OFFICIALS[:1], question="Bỏ phiếu tín nhiệm Chủ tịch UBND")
    vote = hall.state.votes[vote_id]
    assert [o.key for o in vote.options] == ["trust", "distrust"]
    assert vote.allow_change is False
    for person in range(1, 28):
        level = "distrust" if person <= distrust else "trust"
        decision = hall.do(person, "cast_vote", vote_id=vote_id, choice={"p101": level})
        assert decision.events[0].choice is None  # nothing links the voter to the choice
    hall.do(CHAIR, "close_vote", vote_id=vote_id)
    result = hall.state.votes[vote_id].result
    assert result.no_confidence == no_confidence and result.passed is (not no_confidence)
    assert result.ratings["p101"]["distrust"] == distrust


def test_a_client_of_protocol_v1_is_read_as_the_decision_it_meant():
    hall = hall_of()
    recall = open_vote(hall, threshold="two_thirds_of_all")
    assert hall.state.votes[recall].kind == "recall"
    hall.do(CHAIR, "close_vote", vote_id=recall)
    procedural = open_vote(hall, threshold="majority_of_present")
    assert hall.state.votes[procedural].kind == "procedural"
    hall.do(CHAIR, "close_vote", vote_id=procedural)
    plain = open_vote(hall)
    assert hall.state.votes[plain].kind == "resolution"
