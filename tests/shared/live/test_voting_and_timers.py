"""Threshold arithmetic, elections with ties, the ballot box and countdowns."""

from __future__ import annotations

from datetime import timedelta

from shared.live import InMemoryBallotBox, remaining_seconds, threshold_text, warning
from shared.live.roster import QuorumRule
from shared.live.state import Turn
from shared.live.voting import Candidate, Tally, VoteSettings, compute_result, votes_needed
from tests.shared.live.harness import T0


def test_thresholds_and_quorum():
    assert votes_needed("majority_of_all", 25, 17) == 13
    assert votes_needed("majority_of_all", 24, 17) == 13
    assert votes_needed("two_thirds_of_all", 25, 17) == 17
    assert votes_needed("two_thirds_of_all", 24, 17) == 16
    assert votes_needed("majority_of_present", 25, 17) == 9
    assert QuorumRule().needed(25) == 17 and QuorumRule().needed(30) == 20
    assert QuorumRule(numerator=1, denominator=2).needed(25) == 13
    vi, en = threshold_text("two_thirds_of_all")
    assert "hai phần ba tổng số đại biểu" in vi and "two thirds of all members" in en


def _election(counts: dict[str, int], seats: int):
    settings = VoteSettings(
        vote_id="v1", item_id=1, question="Bầu", mode="election", options=(),
        candidates=tuple(Candidate(candidate_id=c, full_name=c) for c in counts),
        max_choices=seats, members_total=10, present_at_open=10,
    )
    tally = Tally(ballots=10, counts=counts)
    return compute_result(settings, tally, range(1, 11), range(1, 11))


def test_election_tie_across_the_last_seat_elects_none_of_the_tied():
    result = _election({"a": 9, "b": 7, "c": 7, "d": 2}, seats=2)
    assert result.elected == ("a",) and result.passed is False
    result = _election({"a": 9, "b": 7, "c": 5, "d": 2}, seats=2)
    assert result.elected == ("a", "b") and result.passed is True
    assert _election({"a": 5, "b": 4}, seats=1).elected == ()  # 5 of 10 is not more than half


def test_ballot_box_counts_without_order():
    box = InMemoryBallotBox()
    for choice in ("yes", "no", "yes"):
        box.record("v1", choice)
    box.record("v2", ("k2", "k1"))
    box.record("v3", {"p1": "low", "p2": "high"})
    assert box.tally("v1") == Tally(ballots=3, counts={"no": 1, "yes": 2})
    assert box.tally("v2").counts == {"k1": 1, "k2": 1}
    assert box.tally("v3").ratings == {"p1": {"low": 1}, "p2": {"high": 1}}
    assert box.tally("v404") == Tally()


def test_countdown_and_warning_windows():
    debate = Turn(kind="debate", person_id=3, started_at=T0, limit_s=180)
    assert remaining_seconds(debate, T0 + timedelta(seconds=149)) == 31
    assert warning(debate, T0 + timedelta(seconds=149)) == "running"
    assert warning(debate, T0 + timedelta(seconds=150)) == "warning"
    assert warning(debate, T0 + timedelta(seconds=181)) == "overtime"
    assert remaining_seconds(debate, T0 + timedelta(seconds=190)) == -10
    extended = debate.model_copy(update={"extended_s": 60})
    assert warning(extended, T0 + timedelta(seconds=181)) == "running"
