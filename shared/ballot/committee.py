"""The vote-counting committee (Ban kiểm phiếu): key shares, partial decryptions, count.

Each of the n members (3 by default) makes a key share x_i on their own device and
publishes Y_i = x_i·G with a proof of knowledge. The ballot key is Y = Y_1 + ... + Y_n,
whose secret x_1 + ... + x_n nobody holds. Decryption needs **all n members** (this is
n-of-n, not a t-of-n threshold): a missing member stops the count, which resumes as soon
as they send their share; no coalition short of the whole committee can decrypt.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from shared.ballot import group, proofs
from shared.ballot.elgamal import Ciphertext
from shared.ballot.errors import (
    CountOutOfRange,
    InvalidKeyShare,
    TallyIncomplete,
    WrongPartialDecryption,
)
from shared.ballot.group import Point, Scalar
from shared.ballot.proofs import SchnorrProof

DEFAULT_COMMITTEE_SIZE = 3


@dataclass(frozen=True, slots=True)
class MemberKey:
    """A committee member's secret: it never leaves the member's device."""

    member_id: str
    secret: Scalar
    public: Point


@dataclass(frozen=True, slots=True)
class KeyShare:
    """What a member publishes on the board."""

    member_id: str
    public: Point
    proof: SchnorrProof


@dataclass(frozen=True, slots=True)
class PartialDecryption:
    """D_j = x_i·a_j for each option's tally ciphertext (a_j, b_j), each with its proof."""

    member_id: str
    shares: tuple[Point, ...]
    proofs: tuple[SchnorrProof, ...]


def key_context(vote_id: str, member_id: str) -> bytes:
    return group.frame(b"key-share", vote_id.encode(), member_id.encode())


def decryption_context(vote_id: str, option_index: int) -> bytes:
    return group.frame(b"decryption", vote_id.encode(), group.u32(option_index))


def generate_member_key(vote_id: str, member_id: str) -> tuple[MemberKey, KeyShare]:
    """Run on the member's device: keep the ``MemberKey``, send the ``KeyShare``."""
    x = group.random_scalar()
    y = group.base_mult(x)
    proof = proofs.prove_key(key_context(vote_id, member_id), x, y)
    return MemberKey(member_id, x, y), KeyShare(member_id, y, proof)


def verify_key_share(vote_id: str, share: KeyShare) -> None:
    if share.public == group.IDENTITY or not proofs.verify_key(
        key_context(vote_id, share.member_id), share.public, share.proof
    ):
        raise InvalidKeyShare(member_id=share.member_id)


def joint_public_key(vote_id: str, shares: Sequence[KeyShare]) -> Point:
    """Check every share's proof and add the shares: the key ballots are encrypted under."""
    if not shares:
        raise InvalidKeyShare(reason="no_members")
    if len({s.member_id for s in shares}) != len(shares):
        raise InvalidKeyShare(reason="duplicate_member")
    if len({s.public for s in shares}) != len(shares):
        raise InvalidKeyShare(reason="duplicate_key")
    pk = group.IDENTITY
    for share in shares:
        verify_key_share(vote_id, share)
        pk = group.add(pk, share.public)
    return pk


def partial_decrypt(vote_id: str, key: MemberKey, tally: Sequence[Ciphertext]) -> PartialDecryption:
    """Run on the member's device once the vote is closed and its tally published."""
    shares, made = [], []
    for j, ct in enumerate(tally):
        d, proof = proofs.prove_decryption(
            decryption_context(vote_id, j), key.secret, key.public, ct.a
        )
        shares.append(d)
        made.append(proof)
    return PartialDecryption(key.member_id, tuple(shares), tuple(made))


def verify_partial(
    vote_id: str, share: KeyShare, tally: Sequence[Ciphertext], partial: PartialDecryption
) -> None:
    ok = (
        partial.member_id == share.member_id
        and len(partial.shares) == len(tally)
        and len(partial.proofs) == len(tally)
        and all(
            proofs.verify_decryption(decryption_context(vote_id, j), share.public, ct.a, d, p)
            for j, (ct, d, p) in enumerate(zip(tally, partial.shares, partial.proofs, strict=True))
        )
    )
    if not ok:
        raise WrongPartialDecryption(member_id=partial.member_id)


def combine(tally: Sequence[Ciphertext], partials: Sequence[PartialDecryption]) -> list[Point]:
    """m_j·G = b_j - (D_1j + ... + D_nj) for each option j."""
    out = []
    for j, ct in enumerate(tally):
        plain = ct.b
        for partial in partials:
            plain = group.sub(plain, partial.shares[j])
        out.append(plain)
    return out


def solve_counts(points: Sequence[Point], max_count: int) -> list[int]:
    """Small discrete logs by a table of 0·G .. max_count·G (max_count <= a few thousand)."""
    table: dict[bytes, int] = {}
    acc = group.IDENTITY
    for m in range(max_count + 1):
        table[acc] = m
        acc = group.add(acc, group.GENERATOR)
    counts = []
    for j, point in enumerate(points):
        if point not in table:
            raise CountOutOfRange(option=j, max_count=max_count)
        counts.append(table[point])
    return counts


class Count:
    """The count of one closed vote: gathers the members' partial decryptions.

    ``add`` refuses a partial whose proof fails (the member may send a correct one
    later); ``result`` refuses while any member is missing and names them.
    """

    def __init__(
        self,
        vote_id: str,
        shares: Sequence[KeyShare],
        tally: Sequence[Ciphertext],
        ballots_counted: int,
    ) -> None:
        self.vote_id = vote_id
        self.shares: Mapping[str, KeyShare] = {s.member_id: s for s in shares}
        self.tally = list(tally)
        self.ballots_counted = ballots_counted
        self.partials: dict[str, PartialDecryption] = {}

    def add(self, partial: PartialDecryption) -> None:
        share = self.shares.get(partial.member_id)
        if share is None:
            raise WrongPartialDecryption(member_id=partial.member_id, reason="not_a_member")
        verify_partial(self.vote_id, share, self.tally, partial)
        self.partials[partial.member_id] = partial

    @property
    def missing(self) -> list[str]:
        return [m for m in self.shares if m not in self.partials]

    def result(self) -> list[int]:
        if self.missing:
            raise TallyIncomplete(self.missing)
        ordered = [self.partials[m] for m in self.shares]
        return solve_counts(combine(self.tally, ordered), self.ballots_counted)
