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
    assert first.rule_article.startswith("Nghị quyết 96/2023/QH15, Điều 13")
    assert "chưa đối chiếu" in first.rule_article  # until a lawyer checks the clause
    assert "miễn nhiệm" in first.rule_text_vi and "dismissal" in first.rule_text_en
    assert (second.low, second.flag) == (5, "more_than_half_low")
    assert "xin từ chức" in second.rule_text_vi
    assert result.ballots_counted == 9
    assert result.to_json()["source"].startswith("Nghị quyết số 96/2023/QH15")
    assert "01/7/2023" in result.to_json()["source"]  # Điều 22 khoản 1, not 1/8/2023
    assert result.to_json()["rule_text_verified"] is False and result.to_json()["note_vi"]


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


def test_absent_delegates_still_count_in_the_base(confidence) -> None:
    # 9 delegates, only 5 vote, 4 of them rate "low": 4 is not more than half of 9.
    counts = [1, 0, 4, 5, 0, 0]
    assert confidence_result(confidence, counts).officials[0].flag == "none"
    smaller = dataclasses.replace(confidence, members_total=7)
    assert confidence_result(smaller, counts).officials[0].flag == "more_than_half_low"
