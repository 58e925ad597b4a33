"""Non-interactive zero-knowledge proofs (Fiat–Shamir with SHA-512, domain-separated).

Three proofs, each a standard sigma protocol:

* ``prove_key``: Schnorr proof that the committee member knows x with Y = x·G, so nobody
  can register a key built from the others' keys (rogue-key attack).
* ``prove_range``: disjunctive Chaum–Pedersen (Cramer–Damgård–Schoenmakers) proof that a
  ciphertext encrypts one value of a small public set, without saying which.
* ``prove_decryption``: Chaum–Pedersen proof that D = x·a for the x behind Y = x·G, so a
  committee member cannot publish a wrong partial decryption unnoticed.

Each challenge hashes a caller-built ``context`` (vote id, ballot form, voter, position on
the ballot: see docs/ballot.md), the public key and the whole statement, so a proof made
for one vote, one voter or one box cannot be replayed for another.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from shared.ballot import group
from shared.ballot.elgamal import Ciphertext
from shared.ballot.errors import InvalidEncoding
from shared.ballot.group import Point, Scalar

TAG_KEY = "hdnd-ballot/v1/key-share"
TAG_RANGE = "hdnd-ballot/v1/range"
TAG_DECRYPTION = "hdnd-ballot/v1/decryption"


@dataclass(frozen=True, slots=True)
class SchnorrProof:
    """(c, s) with s·G - c·Y = T and c = H(context, Y, T). Also the decryption proof."""

    challenge: Scalar
    response: Scalar

    def to_bytes(self) -> bytes:
        return self.challenge + self.response

    @classmethod
    def from_bytes(cls, raw: bytes) -> SchnorrProof:
        if len(raw) != 64:
            raise InvalidEncoding(what="proof", length=len(raw))
        return cls(group.decode_scalar(raw[:32]), group.decode_scalar(raw[32:]))


DecryptionProof = SchnorrProof


@dataclass(frozen=True, slots=True)
class RangeProof:
    """One (c_j, s_j) pair per allowed value, in the order of the allowed values."""

    branches: tuple[tuple[Scalar, Scalar], ...]

    def to_bytes(self) -> bytes:
        return b"".join(c + s for c, s in self.branches)

    @classmethod
    def from_bytes(cls, raw: bytes, n_values: int) -> RangeProof:
        if len(raw) != 64 * n_values:
            raise InvalidEncoding(what="range_proof", length=len(raw))
        return cls(
            tuple(
                (group.decode_scalar(raw[i : i + 32]), group.decode_scalar(raw[i + 32 : i + 64]))
                for i in range(0, len(raw), 64)
            )
        )


# --- proof of knowledge of a key share ------------------------------------------------


def prove_key(context: bytes, x: Scalar, y: Point) -> SchnorrProof:
    w = group.random_scalar()
    t = group.base_mult(w)
    c = group.hash_to_scalar(TAG_KEY, context, y, t)
    return SchnorrProof(c, group.scalar_add(w, group.scalar_mul(c, x)))


def verify_key(context: bytes, y: Point, proof: SchnorrProof) -> bool:
    t = group.sub(group.base_mult(proof.response), group.mult(proof.challenge, y))
    return group.hash_to_scalar(TAG_KEY, context, y, t) == proof.challenge


# --- a ciphertext encrypts one value of a small set -----------------------------------


def _range_hash(
    context: bytes,
    pk: Point,
    ct: Ciphertext,
    allowed: Sequence[int],
    commitments: Sequence[tuple[Point, Point]],
) -> Scalar:
    parts = [context, pk, ct.a, ct.b, group.u32(len(allowed))]
    parts += [group.u32(v) for v in allowed]
    for a_j, b_j in commitments:
        parts += [a_j, b_j]
    return group.hash_to_scalar(TAG_RANGE, *parts)


def _simulated_commitment(
    pk: Point, ct: Ciphertext, value: int, c: Scalar, s: Scalar
) -> tuple[Point, Point]:
    """The commitments that make (c, s) verify for the claim "ct encrypts value"."""
    shifted_b = group.sub(ct.b, group.small_base_mult(value))
    a_j = group.sub(group.base_mult(s), group.mult(c, ct.a))
    b_j = group.sub(group.mult(s, pk), group.mult(c, shifted_b))
    return a_j, b_j


def prove_range(
    context: bytes,
    pk: Point,
    ct: Ciphertext,
    r: Scalar,
    value: int,
    allowed: Sequence[int],
) -> RangeProof:
    """Prove ``ct = encrypt(pk, value, r)`` with value in ``allowed``, hiding which.

    The function trusts ``value``: given a ciphertext of anything else it still returns a
    proof, and that proof fails to verify (this is how the tests forge ballots).
    """
    if value not in allowed:
        raise ValueError(f"value {value} is not one of the allowed values {list(allowed)}")
    real = list(allowed).index(value)
    w = group.random_scalar()
    commitments: list[tuple[Point, Point]] = []
    branches: list[tuple[Scalar, Scalar]] = []
    for j, v in enumerate(allowed):
        if j == real:
            commitments.append((group.base_mult(w), group.mult(w, pk)))
            branches.append((group.ZERO, group.ZERO))  # filled in below
        else:
            c_j, s_j = group.random_scalar(), group.random_scalar()
            commitments.append(_simulated_commitment(pk, ct, v, c_j, s_j))
            branches.append((c_j, s_j))
    c = _range_hash(context, pk, ct, allowed, commitments)
    c_real = c
    for j, (c_j, _) in enumerate(branches):
        if j != real:
            c_real = group.scalar_sub(c_real, c_j)
    branches[real] = (c_real, group.scalar_add(w, group.scalar_mul(c_real, r)))
    return RangeProof(tuple(branches))


def verify_range(
    context: bytes, pk: Point, ct: Ciphertext, allowed: Sequence[int], proof: RangeProof
) -> bool:
    if len(proof.branches) != len(allowed):
        return False
    commitments = [
        _simulated_commitment(pk, ct, v, c_j, s_j)
        for v, (c_j, s_j) in zip(allowed, proof.branches, strict=True)
    ]
    total = group.ZERO
    for c_j, _ in proof.branches:
        total = group.scalar_add(total, c_j)
    return _range_hash(context, pk, ct, allowed, commitments) == total


# --- correct partial decryption -------------------------------------------------------


def _decryption_hash(context: bytes, y: Point, a: Point, d: Point, t1: Point, t2: Point) -> Scalar:
    return group.hash_to_scalar(TAG_DECRYPTION, context, y, a, d, t1, t2)


def prove_decryption(context: bytes, x: Scalar, y: Point, a: Point) -> tuple[Point, SchnorrProof]:
    """Return D = x·a and a proof that log_G(Y) = log_a(D)."""
    d = group.mult(x, a)
    w = group.random_scalar()
    t1, t2 = group.base_mult(w), group.mult(w, a)
    c = _decryption_hash(context, y, a, d, t1, t2)
    return d, SchnorrProof(c, group.scalar_add(w, group.scalar_mul(c, x)))


def verify_decryption(context: bytes, y: Point, a: Point, d: Point, proof: SchnorrProof) -> bool:
    c, s = proof.challenge, proof.response
    t1 = group.sub(group.base_mult(s), group.mult(c, y))
    t2 = group.sub(group.mult(s, a), group.mult(c, d))
    return _decryption_hash(context, y, a, d, t1, t2) == c
