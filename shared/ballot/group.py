"""The ristretto255 group, through libsodium (binding: ``pysodium``).

Thin typed wrappers and nothing clever: every point and scalar operation is one libsodium
call. ``Point`` and ``Scalar`` are bytes newtypes (32 bytes each, libsodium's encodings),
so values go straight into hashes and JSON. Decoders refuse what libsodium refuses
(invalid or non-canonical points, scalars >= the group order).

libsodium returns an error whenever a scalar multiplication gives the identity element
(scalar 0, or the identity as input); both cases are answered here with ``IDENTITY``
without calling it, so an honest tally of zero votes works.
"""

from __future__ import annotations

import hashlib
import struct
from typing import NewType

import pysodium

from shared.ballot.errors import InvalidEncoding

Point = NewType("Point", bytes)
Scalar = NewType("Scalar", bytes)

POINT_BYTES = 32
SCALAR_BYTES = 32
IDENTITY = Point(bytes(POINT_BYTES))
ZERO = Scalar(bytes(SCALAR_BYTES))

# Small integers (vote counts, plaintexts) become scalars by their little-endian bytes;
# anything below 2**252 is already reduced modulo the group order.
_SMALL_LIMIT = 1 << 252


def scalar_from_int(value: int) -> Scalar:
    if not 0 <= value < _SMALL_LIMIT:
        raise ValueError(f"scalar_from_int needs 0 <= value < 2**252, got {value}")
    return Scalar(value.to_bytes(SCALAR_BYTES, "little"))


ONE = scalar_from_int(1)


def decode_point(raw: bytes) -> Point:
    """Accept only a canonical ristretto255 encoding (the identity included)."""
    if not isinstance(raw, bytes | bytearray) or len(raw) != POINT_BYTES:
        raise InvalidEncoding(what="point", length=len(raw) if raw is not None else None)
    raw = bytes(raw)
    if not pysodium.crypto_core_ristretto255_is_valid_point(raw):
        raise InvalidEncoding(what="point")
    return Point(raw)


def decode_scalar(raw: bytes) -> Scalar:
    """Accept only a canonical scalar (< the group order): one value, one encoding."""
    if not isinstance(raw, bytes | bytearray) or len(raw) != SCALAR_BYTES:
        raise InvalidEncoding(what="scalar")
    raw = bytes(raw)
    # libsodium reduces 64-byte inputs; a canonical scalar is its own reduction.
    if pysodium.crypto_core_ristretto255_scalar_reduce(raw + bytes(32)) != raw:
        raise InvalidEncoding(what="scalar")
    return Scalar(raw)


def random_scalar() -> Scalar:
    return Scalar(pysodium.crypto_core_ristretto255_scalar_random())


def scalar_add(x: Scalar, y: Scalar) -> Scalar:
    return Scalar(pysodium.crypto_core_ristretto255_scalar_add(x, y))


def scalar_sub(x: Scalar, y: Scalar) -> Scalar:
    return Scalar(pysodium.crypto_core_ristretto255_scalar_sub(x, y))


def scalar_mul(x: Scalar, y: Scalar) -> Scalar:
    return Scalar(pysodium.crypto_core_ristretto255_scalar_mul(x, y))


def scalar_neg(x: Scalar) -> Scalar:
    return Scalar(pysodium.crypto_core_ristretto255_scalar_negate(x))


def base_mult(n: Scalar) -> Point:
    """n·G, G the standard ristretto255 generator."""
    if n == ZERO:
        return IDENTITY
    return Point(pysodium.crypto_scalarmult_ristretto255_base(n))


def mult(n: Scalar, p: Point) -> Point:
    """n·P."""
    if n == ZERO or p == IDENTITY:
        return IDENTITY
    return Point(pysodium.crypto_scalarmult_ristretto255(n, p))


def add(p: Point, q: Point) -> Point:
    return Point(pysodium.crypto_core_ristretto255_add(p, q))


def sub(p: Point, q: Point) -> Point:
    return Point(pysodium.crypto_core_ristretto255_sub(p, q))


def small_base_mult(value: int) -> Point:
    """m·G for a small non-negative integer m (an ElGamal plaintext, a count)."""
    return base_mult(scalar_from_int(value))


GENERATOR = base_mult(ONE)


def frame(*parts: bytes) -> bytes:
    """Length-prefixed concatenation: u32 big-endian length, then the bytes, for each part.

    Every hash input in the protocol is built this way so that no two different lists of
    parts give the same bytes.
    """
    return b"".join(struct.pack(">I", len(p)) + p for p in parts)


def u32(value: int) -> bytes:
    return struct.pack(">I", value)


def hash_to_scalar(tag: str, *parts: bytes) -> Scalar:
    """Fiat–Shamir challenge: SHA-512(frame(tag, *parts)) reduced modulo the group order."""
    digest = hashlib.sha512(frame(tag.encode("ascii"), *parts)).digest()
    return Scalar(pysodium.crypto_core_ristretto255_scalar_reduce(digest))
