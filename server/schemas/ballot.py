"""Shapes of the verifiable secret ballot's REST side (server/routes/ballot.py).

The answers are built as dicts by ``server.ballot.service`` (the portal shows the same
views); these models describe them for /openapi.json, field for field in the same order.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from server.schemas.base import DbId, example
from shared.live.voting import Candidate, ThresholdRule

_B64 = Field(min_length=1, max_length=200, pattern=r"^[A-Za-z0-9_-]+$")


class BallotSubject(Candidate):
    """A candidate or official; for a survey, what Điều 2 khoản 5 of NQ 96 needs to know."""

    elected_on: date | None = None
    retirement_announced: bool = False


class BallotCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "item_id": 3, "kind": "election", "title": "Bầu Phó Chủ tịch HĐND",
        "candidates": [{"candidate_id": "12", "full_name": "Nguyễn Văn A"},
                       {"candidate_id": "13", "full_name": "Lò Thị B"}],
        "max_choices": 1, "committee": [5, 6, 7]}]})
    item_id: DbId
    # election; confidence: the survey (lấy phiếu tín nhiệm); confidence_vote: bỏ phiếu tín nhiệm
    kind: Literal["election", "confidence", "confidence_vote"]
    title: str = Field(min_length=1, max_length=2000)
    candidates: list[BallotSubject] = Field(min_length=1, max_length=200)
    committee: list[DbId] = Field(min_length=1, max_length=15)
    # the live vote by which the council elected the committee (docs/rules.md)
    committee_vote_id: str | None = Field(default=None, max_length=40)
    max_choices: int = Field(default=1, ge=1, le=200)
    min_choices: int = Field(default=0, ge=0, le=200)
    # fixed by law from the kind; a different one is refused (threshold_fixed_by_law)
    threshold: ThresholdRule | None = None
    allow_revote: bool = False


class KeySharePost(BaseModel):
    model_config = example({"public": "4tYq3rVv…", "proof": "Qm9v…"})
    public: Annotated[str, _B64]
    proof: Annotated[str, _B64]


class OpenBallot(BaseModel):
    model_config = example({"quorum_override_reason": None})
    quorum_override_reason: str | None = Field(default=None, max_length=1000)


class PartialPost(BaseModel):
    model_config = example({"shares": ["8a1c…", "2f9e…"], "proofs": ["c0ff…", "d00d…"]})
    shares: list[Annotated[str, _B64]] = Field(max_length=2000)
    proofs: list[Annotated[str, _B64]] = Field(max_length=2000)


class CastAnswer(BaseModel):
    receipt: str
    ballot: dict[str, Any]


class CommitteeMemberRead(BaseModel):
    person_id: int
    member_id: str
    full_name: str
    key_posted: bool
    partial_posted: bool


class PersonName(BaseModel):
    person_id: int
    full_name: str


class BallotRead(BaseModel):
    """Everything public about a ballot; never a choice (there is none to show)."""

    id: int
    sitting_id: int
    item_id: int
    vote_id: str
    live_vote_id: str | None
    kind: str
    status: str
    threshold: str
    allow_revote: bool
    definition: dict[str, Any]  # the ballot form as the tablet encrypts against it
    public_key: str | None  # the committee's joint key once every member posted a share
    committee: list[CommitteeMemberRead]
    waiting_for: list[PersonName]
    voted: list[PersonName]
    turnout: int
    voters_total: int | None
    board_head: str | None
    board_entries: int
    result: dict[str, Any] | None


class BallotCreated(BallotRead):
    # departures from the rules the chair is shown with their source (docs/rules.md)
    warnings: list[dict[str, Any]]


class TallyRead(BaseModel):
    vote_id: str
    tally: Any  # encoded ciphertexts, as ``shared.ballot`` encodes them
    missing_members: Any


class BoardEntryRead(BaseModel):
    index: int
    kind: str
    prev: str
    body: dict[str, Any]
    hash: str


class BoardRead(BaseModel):
    """BOARD.json, the public bulletin board ``hdnd ballot verify`` checks."""

    format: str
    entries: list[BoardEntryRead]


class ReceiptRead(BaseModel):
    receipt: str
    index: int
    hash: str
    voter_id: Any
    counted: bool
