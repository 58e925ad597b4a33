"""Events of a live sitting: facts that happened, numbered per sitting.

Every event carries ``seq`` (1, 2, 3... per sitting, no gaps), ``sitting_id``, ``at``
(UTC, timezone-aware), ``actor_id`` (the person whose command made it; ``None`` for
the server) and ``v`` (schema version of that event type, for upgrading stored events).

Identifiers: things that live in the database (people, agenda items, documents, the
sitting) are ints; things born inside the sitting (speak requests, questions, votes,
commitments) are short strings made from the seq of the event that created them:
``r12``, ``q7``, ``v30``, ``c31``. They are unique per sitting and need no counter.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated, Literal, get_args

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, TypeAdapter, field_validator

from shared.live.roster import Roster
from shared.live.voting import Choice, VoteResult, VoteSettings

SpeakKind = Literal["speech", "debate"]
QuestionPhase = Literal["question", "answer", "follow_up"]
TurnEndReason = Literal["finished", "stopped"]
QuestionOutcome = Literal["answered", "in_writing"]


class EventBase(BaseModel):
    # extra="ignore": an older tablet must still read events a newer server adds fields to
    model_config = ConfigDict(frozen=True, extra="ignore")

    seq: int = Field(ge=1)
    sitting_id: int
    at: AwareDatetime
    actor_id: int | None = None
    v: int = 1

    @field_validator("at")
    @classmethod
    def _utc(cls, value: datetime) -> datetime:
        return value.astimezone(UTC)


class SittingOpened(EventBase):
    type: Literal["sitting_opened"] = "sitting_opened"
    roster: Roster


class SittingClosed(EventBase):
    type: Literal["sitting_closed"] = "sitting_closed"


class SittingPaused(EventBase):
    """The chair suspends the sitting (tạm dừng): nothing but attendance until resumed."""

    type: Literal["sitting_paused"] = "sitting_paused"


class SittingResumed(EventBase):
    type: Literal["sitting_resumed"] = "sitting_resumed"


class CheckedIn(EventBase):
    type: Literal["checked_in"] = "checked_in"
    person_id: int
    by_person_id: int


class CheckedOut(EventBase):
    type: Literal["checked_out"] = "checked_out"
    person_id: int
    by_person_id: int


class ItemOpened(EventBase):
    type: Literal["item_opened"] = "item_opened"
    item_id: int


class ItemClosed(EventBase):
    type: Literal["item_closed"] = "item_closed"
    item_id: int


class FollowMe(EventBase):
    """Every device that follows jumps to this page of this document."""

    type: Literal["follow_me"] = "follow_me"
    document_id: int
    page: int = Field(ge=1)
    presenter_id: int


class FollowMeStopped(EventBase):
    type: Literal["follow_me_stopped"] = "follow_me_stopped"


class SpeakRequested(EventBase):
    type: Literal["speak_requested"] = "speak_requested"
    request_id: str
    person_id: int
    kind: SpeakKind


class SpeakWithdrawn(EventBase):
    type: Literal["speak_withdrawn"] = "speak_withdrawn"
    request_id: str


class SpeakQueueReordered(EventBase):
    type: Literal["speak_queue_reordered"] = "speak_queue_reordered"
    order: tuple[str, ...]


class SpeakSkipped(EventBase):
    type: Literal["speak_skipped"] = "speak_skipped"
    request_id: str


class FloorGranted(EventBase):
    """A speech or debate turn starts at ``at`` and lasts ``limit_s`` (plus extensions)."""

    type: Literal["floor_granted"] = "floor_granted"
    request_id: str
    person_id: int
    kind: SpeakKind
    limit_s: int = Field(ge=1)


class TurnExtended(EventBase):
    type: Literal["turn_extended"] = "turn_extended"
    seconds: int = Field(ge=1)


class TurnEnded(EventBase):
    """Ends whatever turn runs (speech, debate or a question phase) at ``at``."""

    type: Literal["turn_ended"] = "turn_ended"
    reason: TurnEndReason


class QuestionRegistered(EventBase):
    type: Literal["question_registered"] = "question_registered"
    question_id: str
    person_id: int
    addressee_id: int
    text: str
    item_id: int | None = None


class QuestionsReordered(EventBase):
    type: Literal["questions_reordered"] = "questions_reordered"
    order: tuple[str, ...]


class QuestionTurnStarted(EventBase):
    """One timed phase of a question: the question, the official's answer, a follow-up."""

    type: Literal["question_turn_started"] = "question_turn_started"
    question_id: str
    phase: QuestionPhase
    person_id: int
    limit_s: int = Field(ge=1)


class QuestionTurnEnded(EventBase):
    """The question is done: answered in the hall, or to be answered in writing later."""

    type: Literal["question_turn_ended"] = "question_turn_ended"
    question_id: str
    outcome: QuestionOutcome


class QuestionConcluded(EventBase):
    """The chair's conclusion on a question; a later one replaces it."""

    type: Literal["question_concluded"] = "question_concluded"
    question_id: str
    text: str


class CommitmentRecorded(EventBase):
    """A promise made in an answer, to be followed up after the sitting."""

    type: Literal["commitment_recorded"] = "commitment_recorded"
    question_id: str
    commitment_id: str
    text: str
    due: date | None = None


class VoteOpened(EventBase, VoteSettings):
    type: Literal["vote_opened"] = "vote_opened"


class VoteCast(EventBase):
    """A ballot was cast. ``choice`` is always ``None`` for secret modes, and is removed
    by redaction for everyone but the voter in the other modes."""

    type: Literal["vote_cast"] = "vote_cast"
    vote_id: str
    voter_id: int
    choice: Choice | None = None


class VoteCounting(EventBase):
    """A verifiable secret ballot stopped taking ballots; the vote-counting committee is
    decrypting the tally. ``waiting_for`` names the members whose partial decryption is
    still missing (every member at close); the event comes again each time one arrives,
    and ``vote_closed`` follows with the result once nobody is missing."""

    type: Literal["vote_counting"] = "vote_counting"
    vote_id: str
    ballots: int = Field(ge=0)
    waiting_for: tuple[int, ...]


class VoteClosed(EventBase):
    type: Literal["vote_closed"] = "vote_closed"
    vote_id: str
    result: VoteResult


Event = Annotated[
    SittingOpened
    | SittingClosed
    | SittingPaused
    | SittingResumed
    | CheckedIn
    | CheckedOut
    | ItemOpened
    | ItemClosed
    | FollowMe
    | FollowMeStopped
    | SpeakRequested
    | SpeakWithdrawn
    | SpeakQueueReordered
    | SpeakSkipped
    | FloorGranted
    | TurnExtended
    | TurnEnded
    | QuestionRegistered
    | QuestionsReordered
    | QuestionTurnStarted
    | QuestionTurnEnded
    | QuestionConcluded
    | CommitmentRecorded
    | VoteOpened
    | VoteCast
    | VoteCounting
    | VoteClosed,
    Field(discriminator="type"),
]

EVENT_ADAPTER: TypeAdapter[Event] = TypeAdapter(Event)
EVENT_TYPES: tuple[type[EventBase], ...] = get_args(get_args(Event)[0])


def parse_event(data: dict[str, object] | str | bytes) -> Event:
    """An event from its JSON form (as stored in the database or received)."""
    if isinstance(data, dict):
        return EVENT_ADAPTER.validate_python(data)
    return EVENT_ADAPTER.validate_json(data)
