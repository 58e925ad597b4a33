import pytest

from shared.ballot import elgamal, group
from shared.ballot.committee import (
    Count,
    KeyShare,
    generate_member_key,
    joint_public_key,
    partial_decrypt,
    solve_counts,
)
from shared.ballot.errors import CountOutOfRange, InvalidKeyShare, TallyIncomplete


def test_a_rogue_key_without_its_own_proof_is_refused() -> None:
    _, honest = generate_member_key("v", "m1")
    _, mine = generate_member_key("v", "m2")
    # m2 tries to cancel m1's key (Y2' = Y2 - Y1) so that m2 alone could decrypt.
    rogue = KeyShare("m2", group.sub(mine.public, honest.public), mine.proof)
    with pytest.raises(InvalidKeyShare):
        joint_public_key("v", [honest, rogue])


def test_a_share_proven_for_another_vote_or_member_is_refused() -> None:
    _, share = generate_member_key("another-vote", "m1")
    with pytest.raises(InvalidKeyShare):
        joint_public_key("v", [share])
    _, other = generate_member_key("v", "m1")
    with pytest.raises(InvalidKeyShare):
        joint_public_key("v", [KeyShare("m9", other.public, other.proof)])


def test_two_members_short_of_the_whole_committee_cannot_decrypt() -> None:
    made = [generate_member_key("v", f"m{i}") for i in range(3)]
    pk = joint_public_key("v", [s for _, s in made])
    tally = [elgamal.encrypt(pk, 4, group.random_scalar())]
    count = Count("v", [s for _, s in made], tally, ballots_counted=10)
    for key, _ in made[:2]:
        count.add(partial_decrypt("v", key, tally))
    with pytest.raises(TallyIncomplete) as caught:
        count.result()
    assert caught.value.missing == ["m2"]
    assert "Ban kiểm phiếu" in caught.value.message_vi
    count.add(partial_decrypt("v", made[2][0], tally))
    assert count.result() == [4]


def test_discrete_log_is_bounded_by_the_number_of_ballots() -> None:
    assert solve_counts([group.small_base_mult(0), group.small_base_mult(500)], 500) == [0, 500]
    with pytest.raises(CountOutOfRange):
        solve_counts([group.small_base_mult(11)], 10)
