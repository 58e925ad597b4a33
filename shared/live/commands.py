"""Commands a device sends to change the sitting; ``decide`` turns them into events.

Each carries ``key``: an idempotency key the client makes (8–100 characters, e.g. a
UUID) and reuses when it resends the same command after a cut. The server remembers
key -> answer per sitting and person, in the same transaction as the events, and
answers a repeat with the stored answer (``duplicate: true``) without calling
``decide`` again, so a vote sent twice counts once.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

from shared.live.events import QuestionOutcome, QuestionPhase, SpeakKind, TurnEndReason
from shared.live.voting import (
    Candidate,
    Choice,
    DecisionKind,
    ThresholdRule,
    VoteMode,
    VoteOption,
)


class CommandBase(BaseModel):
    # extra="forbid": a typo in a field name must be an error, not a silent default
    model_config = ConfigDict(frozen=True, extra="forbid")

    key: str = Field(min_length=8, max_length=100)


class OpenSitting(CommandBase):
    type: Literal["open_sitting"] = "open_sitting"


class CloseSitting(CommandBase):
    type: Literal["close_sitting"] = "close_sitting"


class PauseSitting(CommandBase):
    type: Literal["pause_sitting"] = "pause_sitting"


class ResumeSitting(CommandBase):
    type: Literal["resume_sitting"] = "resume_sitting"


class CheckIn(CommandBase):
    """Check in yourself (``person_id`` omitted) or, as secretary or chair, someone else."""

    type: Literal["check_in"] = "check_in"
    person_id: int | None = None


class CheckOut(CommandBase):
    type: Literal["check_out"] = "check_out"
    person_id: int | None = None


class OpenItem(CommandBase):
    """Open an agenda item; an item already open is closed first."""

    type: Literal["open_item"] = "open_item"
    item_id: int


class CloseItem(CommandBase):
    type: Literal["close_item"] = "close_item"


class StartFollowMe(CommandBase):
    type: Literal["follow_me"] = "follow_me"
    document_id: int
    page: int = Field(ge=1)


class StopFollowMe(CommandBase):
    type: Literal["stop_follow_me"] = "stop_follow_me"


class RequestToSpeak(CommandBase):
    type: Literal["request_to_speak"] = "request_to_speak"
    kind: SpeakKind = "speech"
    person_id: int | None = None


class WithdrawRequest(CommandBase):
    type: Literal["withdraw_request"] = "withdraw_request"
    request_id: str


class ReorderQueue(CommandBase):
    type: Literal["reorder_queue"] = "reorder_queue"
    order: tuple[str, ...]


class SkipRequest(CommandBase):
    type: Literal["skip_request"] = "skip_request"
    request_id: str


class GrantFloor(CommandBase):
    """Give the floor to ``request_id`` (default: the head of the queue)."""

    type: Literal["grant_floor"] = "grant_floor"
    request_id: str | None = None
    limit_s: int | None = Field(default=None, ge=1, le=7200)


class ExtendTurn(CommandBase):
    type: Literal["extend_turn"] = "extend_turn"
    seconds: int = Field(ge=1, le=1800)


class EndTurn(CommandBase):
    type: Literal["end_turn"] = "end_turn"
    reason: TurnEndReason = "finished"


MAX_QUESTION_CHARS = 2000
"""A registered question (chất vấn) is read out in the hall: a page of text at most."""


MAX_COMMITMENT_CHARS = 1000


class RegisterQuestion(CommandBase):
    type: Literal["register_question"] = "register_question"
    addressee_id: int
    text: str = Field(min_length=1, max_length=MAX_QUESTION_CHARS)
    person_id: int | None = None
    item_id: int | None = None


class ReorderQuestions(CommandBase):
    type: Literal["reorder_questions"] = "reorder_questions"
    order: tuple[str, ...]


class StartQuestionTurn(CommandBase):
    type: Literal["start_question_turn"] = "start_question_turn"
    question_id: str
    phase: QuestionPhase
    limit_s: int | None = Field(default=None, ge=1, le=7200)


class CloseQuestion(CommandBase):
    type: Literal["close_question"] = "close_question"
    question_id: str
    outcome: QuestionOutcome


class ConcludeQuestion(CommandBase):
    """The chair's conclusion on one question (kết luận), read out after the answer."""

    type: Literal["conclude_question"] = "conclude_question"
    question_id: str
    text: str = Field(min_length=1, max_length=MAX_QUESTION_CHARS)


class RecordCommitment(CommandBase):
    type: Literal["record_commitment"] = "record_commitment"
    question_id: str
    text: str = Field(min_length=1, max_length=MAX_COMMITMENT_CHARS)
    due: date | None = None


class OpenVote(CommandBase):
    """Open a vote. ``decision`` (resolution, election, dismissal, recall,
    confidence_survey, confidence_vote, procedural) fixes the threshold; only a
    procedural vote may set ``threshold`` to another rule, or be opened without quorum
    (with ``quorum_override_reason``). Without ``decision`` (a client written before
    decision kinds) it is inferred from ``mode`` and ``threshold``. ``options`` default
    to Tán thành / Không tán thành / Không biểu quyết (confidence modes use their own
    levels); ``allow_change`` defaults to true for open and named votes and must stay
    false for secret modes."""

    type: Literal["open_vote"] = "open_vote"
    item_id: int
    question: str = Field(min_length=1, max_length=2000)
    mode: VoteMode = "open"
    decision: DecisionKind | None = None
    options: tuple[VoteOption, ...] | None = None
    threshold: ThresholdRule | None = None
    allow_change: bool | None = None
    max_choices: int = Field(default=1, ge=1)
    candidates: tuple[Candidate, ...] = ()
    officials: tuple[Candidate, ...] = ()
    quorum_override_reason: str | None = Field(default=None, max_length=1000)


class CastVote(CommandBase):
    """Vote for yourself; there is no way to vote for someone else."""

    type: Literal["cast_vote"] = "cast_vote"
    vote_id: str
    choice: Choice


class CloseVote(CommandBase):
    type: Literal["close_vote"] = "close_vote"
    vote_id: str


Command = Annotated[
    OpenSitting
    | CloseSitting
    | PauseSitting
    | ResumeSitting
    | CheckIn
    | CheckOut
    | OpenItem
    | CloseItem
    | StartFollowMe
    | StopFollowMe
    | RequestToSpeak
    | WithdrawRequest
    | ReorderQueue
    | SkipRequest
    | GrantFloor
    | ExtendTurn
    | EndTurn
    | RegisterQuestion
    | ReorderQuestions
    | StartQuestionTurn
    | CloseQuestion
    | ConcludeQuestion
    | RecordCommitment
    | OpenVote
    | CastVote
    | CloseVote,
    Field(discriminator="type"),
]

COMMAND_ADAPTER: TypeAdapter[Command] = TypeAdapter(Command)
COMMAND_TYPES: tuple[type[CommandBase], ...] = get_args(get_args(Command)[0])
