"""Real committees, real keys, real ballots: small enough to run in a second."""

from __future__ import annotations

import pytest

from shared.ballot.ballot import BallotDefinition, Subject
from shared.ballot.committee import KeyShare, MemberKey, generate_member_key, joint_public_key
from shared.ballot.group import Point

VOTE_ID = "hdnd-y-ty/2026-k3/bau-uy-vien-ubnd"
CONFIDENCE_VOTE_ID = "hdnd-y-ty/2026-k3/lay-phieu-tin-nhiem"


class Committee:
    """The Ban kiểm phiếu of one vote: members' secrets (their devices) and shares (board)."""

    def __init__(self, vote_id: str, size: int = 3) -> None:
        made = [generate_member_key(vote_id, f"kiem-phieu-{i + 1}") for i in range(size)]
        self.keys: list[MemberKey] = [k for k, _ in made]
        self.shares: list[KeyShare] = [s for _, s in made]
        self.public_key: Point = joint_public_key(vote_id, self.shares)


@pytest.fixture
def election() -> BallotDefinition:
    """Elect 2 of 4 candidates."""
    names = ["Lò Văn A", "Thào Thị B", "Sần Văn C", "Phàn Thị D"]
    return BallotDefinition(
        vote_id=VOTE_ID,
        kind="election",
        title="Bầu Ủy viên Ủy ban nhân dân xã",
        subjects=tuple(Subject(f"ung-vien-{i + 1}", n) for i, n in enumerate(names)),
        max_choices=2,
        members_total=10,
    )


@pytest.fixture
def confidence() -> BallotDefinition:
    return BallotDefinition(
        vote_id=CONFIDENCE_VOTE_ID,
        kind="confidence",
        title="Lấy phiếu tín nhiệm",
        subjects=(
            Subject("chu-tich-ubnd", "Chủ tịch UBND xã"),
            Subject("pho-chu-tich-hdnd", "Phó Chủ tịch HĐND xã"),
        ),
        members_total=9,
    )


@pytest.fixture
def committee(election: BallotDefinition) -> Committee:
    return Committee(election.vote_id)


@pytest.fixture
def voters() -> list[str]:
    return [f"dai-bieu-{i:02d}" for i in range(1, 11)]
