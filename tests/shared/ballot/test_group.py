import pytest

from shared.ballot import group
from shared.ballot.errors import InvalidEncoding


def test_small_multiples_add_up_and_zero_is_the_identity() -> None:
    assert group.add(group.small_base_mult(2), group.small_base_mult(3)) == group.small_base_mult(5)
    assert group.small_base_mult(0) == group.IDENTITY
    assert group.mult(group.random_scalar(), group.IDENTITY) == group.IDENTITY
    assert group.sub(group.GENERATOR, group.GENERATOR) == group.IDENTITY


@pytest.mark.parametrize(
    "raw",
    [
        b"\x01" + bytes(31),  # not a canonical ristretto encoding
        b"\xff" * 32,
        bytes(31),  # wrong length
    ],
)
def test_invalid_points_are_refused(raw: bytes) -> None:
    with pytest.raises(InvalidEncoding):
        group.decode_point(raw)


def test_a_scalar_above_the_group_order_is_refused() -> None:
    with pytest.raises(InvalidEncoding):
        group.decode_scalar(b"\xff" * 32)
    s = group.random_scalar()
    assert group.decode_scalar(s) == s


def test_challenges_depend_on_tag_and_on_part_boundaries() -> None:
    a = group.hash_to_scalar("hdnd-ballot/v1/range", b"ab", b"c")
    assert a != group.hash_to_scalar("hdnd-ballot/v1/range", b"a", b"bc")
    assert a != group.hash_to_scalar("hdnd-ballot/v1/key-share", b"ab", b"c")
    assert a == group.hash_to_scalar("hdnd-ballot/v1/range", b"ab", b"c")
