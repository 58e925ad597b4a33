"""The server refuses every ballot whose proofs do not hold, whoever forged it."""

from __future__ import annotations

import dataclasses

import pytest

from shared.ballot import elgamal, group, proofs
from shared.ballot.ballot import (
    BINARY,
    BallotDefinition,
    EncryptedBallot,
    box_context,
    check_ballot,
    group_context,
    make_ballot,
)
from shared.ballot.errors import InvalidBallot, InvalidChoice
from tests.shared.ballot.conftest import Committee


def forge(
    definition: BallotDefinition, marks: list[int], claims: list[int], pk, voter_id: str
) -> EncryptedBallot:
    """A dishonest tablet: encrypts ``marks`` but runs the honest provers on ``claims``.

    ``claims`` are the box values the prover pretends; group sums are claimed as the
    nearest allowed value. The cryptography, not this helper, decides whether it passes.
    """
    rs = [group.random_scalar() for _ in marks]
    boxes = tuple(elgamal.encrypt(pk, m, r) for m, r in zip(marks, rs, strict=True))
    box_proofs = tuple(
        proofs.prove_range(box_context(definition, voter_id, i), pk, boxes[i], rs[i], c, BINARY)
        for i, c in enumerate(claims)
    )
    group_proofs = []
    for g, bg in enumerate(definition.groups):
        total = elgamal.sum_ciphertexts(boxes[i] for i in bg.boxes)
        r_total = group.ZERO
        for i in bg.boxes:
            r_total = group.scalar_add(r_total, rs[i])
        real = sum(marks[i] for i in bg.boxes)
        claim = min(bg.allowed, key=lambda v: abs(v - real))
        group_proofs.append(
            proofs.prove_range(
                group_context(definition, voter_id, g), pk, total, r_total, claim, bg.allowed
            )
        )
    return EncryptedBallot(definition.vote_id, voter_id, boxes, box_proofs, tuple(group_proofs))


def test_an_honest_ballot_passes_and_survives_json(election, committee: Committee) -> None:
    ballot = make_ballot(
        election, ["ung-vien-1", "ung-vien-3"], committee.public_key, "dai-bieu-01"
    )
    check_ballot(election, ballot, committee.public_key)
    again = EncryptedBallot.from_json(ballot.to_json())
    check_ballot(election, again, committee.public_key)
    assert again.receipt() == ballot.receipt()
    assert len(ballot.receipt()) == 64


def test_a_blank_election_ballot_is_allowed(election, committee: Committee) -> None:
    check_ballot(
        election, make_ballot(election, [], committee.public_key, "d"), committee.public_key
    )


def test_an_option_encrypting_two_is_rejected(election, committee: Committee) -> None:
    forged = forge(election, [2, 0, 0, 0], [1, 0, 0, 0], committee.public_key, "dai-bieu-01")
    with pytest.raises(InvalidBallot) as caught:
        check_ballot(election, forged, committee.public_key)
    assert caught.value.code == "ballot_option_proof_invalid"
    assert caught.value.extra == {"box": 0}
    assert "0 hoặc 1" in caught.value.message_vi


def test_more_than_k_candidates_marked_is_rejected(election, committee: Committee) -> None:
    forged = forge(election, [1, 1, 1, 0], [1, 1, 1, 0], committee.public_key, "dai-bieu-01")
    with pytest.raises(InvalidBallot) as caught:
        check_ballot(election, forged, committee.public_key)
    assert caught.value.code == "ballot_sum_proof_invalid"


def test_two_levels_for_one_official_is_rejected(confidence) -> None:
    committee = Committee(confidence.vote_id)
    marks = [1, 0, 1, 0, 1, 0]  # official 1: high and low; official 2: medium
    forged = forge(confidence, marks, marks, committee.public_key, "dai-bieu-01")
    with pytest.raises(InvalidBallot) as caught:
        check_ballot(confidence, forged, committee.public_key)
    assert caught.value.code == "ballot_sum_proof_invalid"
    assert caught.value.extra == {"group": 0}


def test_no_level_for_an_official_is_rejected(confidence) -> None:
    committee = Committee(confidence.vote_id)
    marks = [0, 0, 0, 0, 1, 0]
    forged = forge(confidence, marks, marks, committee.public_key, "dai-bieu-01")
    with pytest.raises(InvalidBallot, match="marks"):
        check_ballot(confidence, forged, committee.public_key)


def test_a_ballot_replayed_from_another_vote_fails_its_proofs(election) -> None:
    other_vote = dataclasses.replace(election, vote_id="hdnd-y-ty/2026-k3/bau-pho-chu-tich")
    committee = Committee(election.vote_id)
    old = make_ballot(other_vote, ["ung-vien-2"], committee.public_key, "dai-bieu-01")
    with pytest.raises(InvalidBallot) as caught:
        check_ballot(election, old, committee.public_key)
    assert caught.value.code == "ballot_wrong_vote"
    relabelled = dataclasses.replace(old, vote_id=election.vote_id)
    with pytest.raises(InvalidBallot) as caught:
        check_ballot(election, relabelled, committee.public_key)
    assert caught.value.code == "ballot_option_proof_invalid"


def test_a_ballot_copied_by_another_voter_fails_its_proofs(election, committee) -> None:
    mine = make_ballot(election, ["ung-vien-2"], committee.public_key, "dai-bieu-01")
    copied = dataclasses.replace(mine, voter_id="dai-bieu-02")
    with pytest.raises(InvalidBallot) as caught:
        check_ballot(election, copied, committee.public_key)
    assert caught.value.code == "ballot_option_proof_invalid"


def test_a_ballot_under_another_key_fails(election, committee) -> None:
    rogue = Committee(election.vote_id)
    ballot = make_ballot(election, ["ung-vien-2"], rogue.public_key, "dai-bieu-01")
    with pytest.raises(InvalidBallot):
        check_ballot(election, ballot, committee.public_key)


def test_swapping_two_boxes_breaks_the_proofs(election, committee) -> None:
    ballot = make_ballot(election, ["ung-vien-1"], committee.public_key, "dai-bieu-01")
    boxes = list(ballot.boxes)
    box_proofs = list(ballot.box_proofs)
    boxes[0], boxes[1] = boxes[1], boxes[0]
    box_proofs[0], box_proofs[1] = box_proofs[1], box_proofs[0]
    swapped = dataclasses.replace(ballot, boxes=tuple(boxes), box_proofs=tuple(box_proofs))
    with pytest.raises(InvalidBallot):
        check_ballot(election, swapped, committee.public_key)


def test_malformed_json_is_a_clear_rejection(election, committee) -> None:
    data = make_ballot(election, [], committee.public_key, "d").to_json()
    data["boxes"][0]["ct"] = "AAAA"
    with pytest.raises(InvalidBallot) as caught:
        EncryptedBallot.from_json(data)
    assert caught.value.code == "ballot_bad_encoding"
    with pytest.raises(InvalidBallot):
        EncryptedBallot.from_json({"format": "hdnd-ballot/1"})


def test_the_tablet_refuses_a_choice_outside_the_rules(election, confidence) -> None:
    pk = Committee(election.vote_id).public_key
    with pytest.raises(InvalidChoice) as caught:
        make_ballot(election, ["ung-vien-1", "ung-vien-2", "ung-vien-3"], pk, "d")
    assert caught.value.message_vi == "Phải chọn từ 0 đến 2 người."
    with pytest.raises(InvalidChoice):
        make_ballot(election, ["ung-vien-9"], pk, "d")
    with pytest.raises(InvalidChoice):
        make_ballot(confidence, {"chu-tich-ubnd": "high"}, pk, "d")
