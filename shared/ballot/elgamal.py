"""Exponential ElGamal on ristretto255: the plaintext m is carried as m·G.

A ciphertext under the public key Y is (a, b) = (r·G, m·G + r·Y). Adding ciphertexts
adds plaintexts, so the tally of an option is the sum of every counted ballot's
ciphertext for it, decrypted once; individual ballots are never decrypted. Recovering m
from m·G is a small discrete log, fine because m is at most the number of voters.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from shared.ballot import group
from shared.ballot.errors import InvalidEncoding
from shared.ballot.group import Point, Scalar


@dataclass(frozen=True, slots=True)
class Ciphertext:
    a: Point  # r·G
    b: Point  # m·G + r·Y

    def to_bytes(self) -> bytes:
        return self.a + self.b

    @classmethod
    def from_bytes(cls, raw: bytes) -> Ciphertext:
        if len(raw) != 2 * group.POINT_BYTES:
            raise InvalidEncoding(what="ciphertext", length=len(raw))
        return cls(group.decode_point(raw[:32]), group.decode_point(raw[32:]))


ZERO_CIPHERTEXT = Ciphertext(group.IDENTITY, group.IDENTITY)


def encrypt(pk: Point, m: int, r: Scalar) -> Ciphertext:
    """Encrypt the small integer m with the randomness r (kept by the caller for proofs)."""
    return Ciphertext(group.base_mult(r), group.add(group.small_base_mult(m), group.mult(r, pk)))


def add(x: Ciphertext, y: Ciphertext) -> Ciphertext:
    return Ciphertext(group.add(x.a, y.a), group.add(x.b, y.b))


def sum_ciphertexts(items: Iterable[Ciphertext]) -> Ciphertext:
    total = ZERO_CIPHERTEXT
    for c in items:
        total = add(total, c)
    return total


def tally(ballots: Iterable[Sequence[Ciphertext]], width: int) -> list[Ciphertext]:
    """Column sums: one ciphertext per option, over every counted ballot's row."""
    totals = [ZERO_CIPHERTEXT] * width
    for row in ballots:
        if len(row) != width:
            raise ValueError(f"a ballot row has {len(row)} ciphertexts, expected {width}")
        totals = [add(t, c) for t, c in zip(totals, row, strict=True)]
    return totals
