"""Tables of the verifiable secret ballot (docs/ballot.md): the ballot, its committee, its
public board, and the roll of who voted.

There is deliberately no table or column that links a voter to a choice: the board holds
ElGamal ciphertexts only, and the only plaintext numbers ever stored are the per-option
sums in the ``result`` entry. ``BallotBoardEntry`` rows are the board itself, in order,
append-only and hash-chained, so ``SecretBallotBox(board)`` rebuilds the ballot after a
restart; (ballot_id, position) is unique, so two writers can never both append entry N.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from server.models.base import Tenanted, UTCDateTime, short_text, utcnow


class Ballot(Tenanted, SQLModel, table=True):
    """One verifiable secret vote of a sitting: setup → open → closed → counted."""

    id: int | None = Field(default=None, primary_key=True)
    council_id: int | None = Field(default=None, foreign_key="council.id", index=True)
    sitting_id: int = Field(foreign_key="sitting.id", index=True)
    item_id: int
    vote_key: str = Field(max_length=80, unique=True)  # the board's vote_id, bound into proofs
    live_vote_id: str | None = Field(default=None, max_length=40)  # "v30" once open
    kind: str = Field(sa_type=short_text(16))  # election | confidence
    definition: str = Field(sa_type=Text)  # BallotDefinition JSON
    threshold: str = Field(sa_type=short_text(24))
    allow_revote: bool = False
    status: str = Field(default="setup", sa_type=short_text(16))
    created_by: int | None = Field(default=None, foreign_key="account.id")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class BallotCommitteeMember(Tenanted, SQLModel, table=True):
    """A member of the vote-counting committee (Ban kiểm phiếu) and their public key share."""

    __tablename__ = "ballot_committee_member"
    __table_args__ = (UniqueConstraint("ballot_id", "person_id"),)

    id: int | None = Field(default=None, primary_key=True)
    council_id: int | None = Field(default=None, foreign_key="council.id", index=True)
    ballot_id: int = Field(foreign_key="ballot.id", index=True)
    person_id: int = Field(foreign_key="person.id")
    public: str | None = Field(default=None, max_length=64)  # b64url Y_i
    proof: str | None = Field(default=None, max_length=128)  # b64url Schnorr proof c‖s
    key_posted_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class BallotBoardEntry(Tenanted, SQLModel, table=True):
    """One entry of the public bulletin board, exactly as ``shared.ballot.board`` made it."""

    __tablename__ = "ballot_board_entry"
    __table_args__ = (UniqueConstraint("ballot_id", "position"),)

    id: int | None = Field(default=None, primary_key=True)
    council_id: int | None = Field(default=None, foreign_key="council.id", index=True)
    ballot_id: int = Field(foreign_key="ballot.id", index=True)
    position: int  # the entry's index on the board
    kind: str = Field(sa_type=short_text(24))
    prev: str = Field(max_length=64)
    hash: str = Field(max_length=64)
    body: str = Field(sa_type=Text)  # canonical JSON of the entry body


class BallotVoter(Tenanted, SQLModel, table=True):
    """The public roll: who has a ballot in the box (never what it says)."""

    __tablename__ = "ballot_voter"
    __table_args__ = (UniqueConstraint("ballot_id", "person_id"),)

    id: int | None = Field(default=None, primary_key=True)
    council_id: int | None = Field(default=None, foreign_key="council.id", index=True)
    ballot_id: int = Field(foreign_key="ballot.id", index=True)
    person_id: int = Field(foreign_key="person.id")
    ballots_cast: int = 1  # more than one only when re-voting is allowed
