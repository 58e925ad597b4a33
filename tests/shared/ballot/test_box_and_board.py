"""A whole secret vote through the server's box, and the published board verified alone."""

from __future__ import annotations

import json

import pytest

from shared.ballot import board as b
from shared.ballot.ballot import BallotDefinition, make_ballot
from shared.ballot.board import Board
from shared.ballot.box import SecretBallotBox
from shared.ballot.committee import partial_decrypt
from shared.ballot.errors import (
    InvalidBallot,
    ReceiptNotFound,
    TallyIncomplete,
    VoteStateError,
    WrongPartialDecryption,
)
from shared.ballot.verify import lookup_receipt, verify_board
from tests.shared.ballot.conftest import Committee

# Ten delegates, 2 of 4 candidates: ung-vien-1 gets 7, -2 gets 5, -3 gets 3, -4 gets 1.
CHOICES = [
    ["ung-vien-1", "ung-vien-2"],
    ["ung-vien-1", "ung-vien-2"],
    ["ung-vien-1", "ung-vien-3"],
    ["ung-vien-1", "ung-vien-3"],
    ["ung-vien-1", "ung-vien-2"],
    ["ung-vien-1"],
    ["ung-vien-2", "ung-vien-4"],
    ["ung-vien-2", "ung-vien-3"],
    ["ung-vien-1"],
    [],
]


def _run_vote(
    election: BallotDefinition,
    committee: Committee,
    voters: list[str],
    *,
    allow_revote: bool = False,
) -> SecretBallotBox:
    box = SecretBallotBox.open(election, committee.shares, voters, allow_revote=allow_revote)
    for voter, choice in zip(voters, CHOICES, strict=True):
        _vote(box, committee, voter, choice)
    return box


def _vote(box: SecretBallotBox, committee: Committee, voter: str, choice: list[str]) -> str:
    """The delegate's tablet makes the ballot; the server casts it for the signed-in voter."""
    ballot = make_ballot(box.definition, choice, committee.public_key, voter)
    return box.cast(ballot.to_json(), voter_id=voter)


def _count(box: SecretBallotBox, committee: Committee) -> list[int]:
    box.close()
    for key in committee.keys:
        box.add_partial(partial_decrypt(box.definition.vote_id, key, box.tally))
    return box.publish_result()


def test_an_honest_election_gives_the_right_counts(election, committee, voters) -> None:
    box = _run_vote(election, committee, voters)
    assert box.voted == voters
    assert _count(box, committee) == [7, 5, 3, 1]

    report = verify_board(box.board.dumps(), expected_head=box.board.head)
    assert report.ok, report.findings
    assert report.status == "counted"
    assert report.counts == [7, 5, 3, 1]
    assert report.labels == ["ung-vien-1", "ung-vien-2", "ung-vien-3", "ung-vien-4"]
    assert report.voters_who_voted == voters
    assert report.first_bad_entry is None


def test_nothing_on_the_board_says_how_anyone_voted(election, committee, voters) -> None:
    box = _run_vote(election, committee, voters)
    text = box.board.dumps()
    for name in ("Lò Văn A",):  # names appear in the setup only, never next to a voter
        assert text.count(name) == 1
    cast = [e for e in box.board.entries if e.kind == b.BALLOT_CAST]
    assert {e.body["voter_id"] for e in cast} == set(voters)
    assert all("choice" not in json.dumps(e.body) for e in cast)


def test_the_board_rejects_uninvited_double_and_late_ballots(election, committee, voters):
    box = _run_vote(election, committee, voters)
    with pytest.raises(InvalidBallot) as caught:
        _vote(box, committee, voters[0], ["ung-vien-4"])
    assert caught.value.code == "ballot_already_cast"
    with pytest.raises(InvalidBallot) as caught:
        _vote(box, committee, "nguoi-ngoai", [])
    assert caught.value.code == "ballot_not_eligible"
    box.close()
    with pytest.raises(InvalidBallot) as caught:
        _vote(box, committee, voters[1], [])
    assert caught.value.code == "vote_not_open"
    assert len([e for e in box.board.entries if e.kind == b.BALLOT_CAST]) == 10


def test_with_revoting_only_the_last_ballot_counts(election, committee, voters) -> None:
    box = _run_vote(election, committee, voters, allow_revote=True)
    first = [e for e in box.board.entries if e.kind == b.BALLOT_CAST][0].body["receipt"]
    receipt = _vote(box, committee, voters[0], ["ung-vien-4"])
    assert _count(box, committee) == [6, 4, 3, 2]
    assert lookup_receipt(box.board, receipt).counted
    assert not lookup_receipt(box.board, first).counted
    report = verify_board(box.board.to_json())
    assert report.ok, report.findings
    assert report.ballots_counted == 10


def test_a_second_ballot_on_a_board_without_revoting_is_found(election, committee, voters):
    box = _run_vote(election, committee, voters)
    # A dishonest server appends a second ballot for a delegate and re-chains the board.
    extra = make_ballot(election, ["ung-vien-4"], committee.public_key, voters[0])
    box.board.append(
        b.BALLOT_CAST,
        {"voter_id": voters[0], "ballot": extra.to_json(), "receipt": extra.receipt()},
    )
    report = verify_board(box.board.to_json())
    assert not report.ok
    assert report.findings[0].code == "second_ballot"
    assert report.first_bad_entry == 11


def test_a_missing_member_holds_the_count_until_they_return(election, committee, voters):
    box = _run_vote(election, committee, voters)
    box.close()
    first, second, third = committee.keys
    for key in (first, third):
        box.add_partial(partial_decrypt(election.vote_id, key, box.tally))
    with pytest.raises(TallyIncomplete) as caught:
        box.publish_result()
    assert caught.value.missing == ["kiem-phieu-2"]
    assert box.state == "closed"
    report = verify_board(box.board.dumps())
    assert report.ok and report.status == "closed"
    assert report.missing_members == ["kiem-phieu-2"]

    box.add_partial(partial_decrypt(election.vote_id, second, box.tally))
    assert box.publish_result() == [7, 5, 3, 1]


def test_a_wrong_partial_decryption_is_refused(election, committee, voters) -> None:
    box = _run_vote(election, committee, voters)
    box.close()
    impostor = Committee(election.vote_id).keys[0]  # a key that is not the member's
    fake = partial_decrypt(election.vote_id, impostor, box.tally)
    fake = type(fake)("kiem-phieu-1", fake.shares, fake.proofs)
    with pytest.raises(WrongPartialDecryption):
        box.add_partial(fake)
    assert box.missing_members == ["kiem-phieu-1", "kiem-phieu-2", "kiem-phieu-3"]
    assert not any(e.kind == b.PARTIAL_DECRYPTION for e in box.board.entries)


def test_a_restart_loses_nothing_and_counts_nothing_twice(election, committee, voters):
    box = _run_vote(election, committee, voters)
    saved = box.board.dumps()  # what the server had written when it crashed

    restarted = SecretBallotBox(Board.from_json(saved))
    assert restarted.voted == voters
    with pytest.raises(InvalidBallot):  # the tablet retries an accepted ballot
        _vote(restarted, committee, voters[0], ["ung-vien-1"])
    restarted.close()
    restarted.add_partial(partial_decrypt(election.vote_id, committee.keys[0], restarted.tally))
    again = SecretBallotBox(Board.from_json(restarted.board.dumps()))
    again.add_partial(partial_decrypt(election.vote_id, committee.keys[0], again.tally))  # retry
    for key in committee.keys[1:]:
        again.add_partial(partial_decrypt(election.vote_id, key, again.tally))
    assert again.publish_result() == [7, 5, 3, 1]
    assert verify_board(again.board.dumps()).ok
    with pytest.raises(VoteStateError):
        again.close()


def test_an_edited_board_names_the_first_bad_entry(election, committee, voters) -> None:
    box = _run_vote(election, committee, voters)
    _count(box, committee)
    data = box.board.to_json()
    # Someone swaps the 4th delegate's ballot for the 5th's after the fact.
    data["entries"][4]["body"]["ballot"] = data["entries"][5]["body"]["ballot"]
    report = verify_board(json.dumps(data))
    assert not report.ok
    assert report.first_bad_entry == 4
    assert report.findings[0].code == "chain_broken"


def test_a_rechained_forgery_is_still_caught(election, committee, voters) -> None:
    box = _run_vote(election, committee, voters)
    _count(box, committee)
    honest_head = box.board.head
    # The editor recomputes every hash after changing the published counts.
    forged = Board()
    for e in box.board.entries:
        body = dict(e.body)
        if e.kind == b.RESULT:
            body["counts"] = [5, 7, 3, 1]
        forged.append(e.kind, body)
    report = verify_board(forged.to_json())
    assert [f.code for f in report.findings] == ["result_mismatch"]
    assert report.first_bad_entry == len(forged.entries) - 1
    assert not verify_board(forged.to_json(), expected_head=honest_head).ok


def test_a_delegate_finds_their_receipt(election, committee, voters) -> None:
    box = SecretBallotBox.open(election, committee.shares, voters)
    receipt = _vote(box, committee, voters[3], ["ung-vien-2"])
    found = lookup_receipt(box.board.dumps(), receipt)
    assert found.entry.body["voter_id"] == voters[3] and found.counted
    with pytest.raises(ReceiptNotFound):
        lookup_receipt(box.board, "0" * 64)


def test_a_board_whose_committee_key_is_swapped_fails_setup(election, committee, voters):
    box = SecretBallotBox.open(election, committee.shares, voters)
    data = box.board.to_json()
    data["entries"][0]["body"]["committee"][0] = b.encode_key_share(
        Committee(election.vote_id).shares[0]
    )
    forged = Board()
    for e in data["entries"]:
        forged.append(e["kind"], e["body"])
    report = verify_board(forged.to_json())
    assert report.findings[0].code == "setup_invalid"
    assert report.first_bad_entry == 0


def test_a_delegate_cannot_cast_in_another_delegates_name(election, committee, voters):
    box = SecretBallotBox.open(election, committee.shares, voters)
    ballot = make_ballot(election, ["ung-vien-1"], committee.public_key, voters[1])
    with pytest.raises(InvalidBallot) as caught:
        box.cast(ballot.to_json(), voter_id=voters[0])  # signed in as voters[0]
    assert caught.value.code == "ballot_wrong_voter"
    assert box.voted == []
