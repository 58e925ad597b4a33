"""A confidence vote on two officials, counted by the committee, judged by the rule."""

from __future__ import annotations

import dataclasses

import pytest

from shared.ballot.ballot import make_ballot
from shared.ballot.box import SecretBallotBox
from shared.ballot.committee import partial_decrypt
from shared.ballot.confidence import confidence_result, flag_for
from shared.ballot.verify import verify_board
from tests.shared.ballot.conftest import Committee


def test_confidence_vote_for_two_officials(confidence) -> None:
    committee = Committee(confidence.vote_id)
    voters = [f"dai-bieu-{i}" for i in range(1, 10)]  # all 9 delegates vote
    # Chủ tịch UBND: 2 high, 1 medium, 6 low (6 >= 2/3 of 9). Phó Chủ tịch: 5 low of 9.
    levels_1 = ["high", "high", "medium"] + ["low"] * 6
    levels_2 = ["high"] * 2 + ["medium"] * 2 + ["low"] * 5
    box = SecretBallotBox.open(confidence, committee.shares, voters)
    for voter, l1, l2 in zip(voters, levels_1, levels_2, strict=True):
        choice = {"chu-tich-ubnd": l1, "pho-chu-tich-hdnd": l2}
        box.cast(
            make_ballot(confidence, choice, committee.public_key, voter).to_json(), voter_id=voter
        )
    box.close()
    for key in committee.keys:
        box.add_partial(partial_decrypt(confidence.vote_id, key, box.tally))
    counts = box.publish_result()
    assert counts == [2, 1, 6, 2, 2, 5]
    assert verify_board(box.board.dumps()).ok

    result = confidence_result(confidence, counts)
    first, second = result.officials
    assert (first.high, first.medium, first.low, first.flag) == (2, 1, 6, "two_thirds_low")
    # Điều 13 is "Các trường hợp bỏ phiếu tín nhiệm": the consequence is another article
    assert first.rule_article.startswith("Nghị quyết 96/2023/QH15, Điều 12")
    assert "Điều 13" not in first.rule_article
    assert "chưa đối chiếu" in first.rule_article  # until a lawyer checks the clause
    assert "miễn nhiệm" in first.rule_text_vi and "dismissal" in first.rule_text_en
    assert (second.low, second.flag) == (5, "more_than_half_low")
    assert "xin từ chức" in second.rule_text_vi
    assert result.ballots_counted == 9
    assert result.to_json()["source"].startswith("Nghị quyết số 96/2023/QH15")
    assert "01/7/2023" in result.to_json()["source"]  # Điều 22 khoản 1, not 1/8/2023
    assert result.to_json()["rule_text_verified"] is False and result.to_json()["note_vi"]
    assert result.to_json()["rule_status"] == "secondary_source"
    assert "tổng số phiếu" in result.to_json()["note_vi"]  # both bases are named


@pytest.mark.parametrize(
    ("low", "total", "flag"),
    [
        (5, 10, "none"),  # exactly half is not "quá nửa"
        (6, 10, "more_than_half_low"),
        (6, 9, "two_thirds_low"),  # exactly two thirds counts ("từ hai phần ba trở lên")
        (5, 9, "more_than_half_low"),
        (20, 30, "two_thirds_low"),
        (19, 30, "more_than_half_low"),
    ],
)
def test_thresholds_are_over_all_delegates(low: int, total: int, flag: str) -> None:
    assert flag_for(low, total) == flag


def test_both_bases_are_shown_until_the_official_text_settles_it(confidence) -> None:
    # 9 delegates, only 5 vote, 3 of them rate "low": not more than half of all 9
    # delegates (the older texts' base), but more than half of the 5 ballots (the base
    # the public summaries of NQ 96 give): both are reported, neither is hidden
    counts = [2, 0, 3, 5, 0, 0]
    first = confidence_result(confidence, counts).officials[0]
    assert (first.flag, first.flag_of_ballots) == ("none", "more_than_half_low")
    out = confidence_result(confidence, counts).to_json()["officials"][0]
    assert out["rule"] is None and "xin từ chức" in out["rule_of_ballots"]["text_vi"]
    smaller = dataclasses.replace(confidence, members_total=5)
    assert confidence_result(smaller, counts).officials[0].flag == "more_than_half_low"


def test_a_confidence_vote_ballot_has_two_levels_and_counts_distrust_over_all(
    confidence,
) -> None:
    from shared.ballot.confidence import confidence_vote_result

    vote = dataclasses.replace(confidence, kind="confidence_vote",
                               subjects=confidence.subjects[:1])
    assert vote.width == 2 and vote.box_labels() == ["chu-tich-ubnd/trust",
                                                     "chu-tich-ubnd/distrust"]
    committee = Committee(vote.vote_id)
    voters = [f"dai-bieu-{i}" for i in range(1, 10)]
    box = SecretBallotBox.open(vote, committee.shares, voters)
    for i, voter in enumerate(voters):
        choice = {"chu-tich-ubnd": "distrust" if i < 5 else "trust"}
        box.cast(make_ballot(vote, choice, committee.public_key, voter).to_json(), voter_id=voter)
    box.close()
    for key in committee.keys:
        box.add_partial(partial_decrypt(vote.vote_id, key, box.tally))
    counts = box.publish_result()
    assert counts == [4, 5] and verify_board(box.board.dumps()).ok
    result = confidence_vote_result(vote, counts)
    assert result["officials"][0]["no_confidence"] is True  # 5 of 9 is more than half
    assert result["rule"]["status"] == "secondary_source"
    assert confidence_vote_result(vote, [5, 4])["officials"][0]["no_confidence"] is False
