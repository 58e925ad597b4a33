"""The state of a live sitting and the pure reducer over its events.

``apply(state, event)`` returns a new state and never touches the input, never reads the
clock and never does I/O: the server, every tablet and the tests compute the same state
from the same events. A tablet applies *redacted* events (other people's choices
removed) and gets the server's state minus those choices.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Literal, assert_never

from pydantic import AwareDatetime, BaseModel, ConfigDict, computed_field

from shared.live import events as ev
from shared.live.errors import EventOutOfOrder
from shared.live.events import Event, QuestionPhase, SpeakKind, TurnEndReason
from shared.live.roster import Roster
from shared.live.voting import Choice, VoteResult, VoteSettings

TurnKind = Literal["speech", "debate", "question", "answer", "follow_up"]
QuestionStatus = Literal["registered", "in_progress", "answered", "in_writing"]
SittingStatus = Literal["scheduled", "open", "paused", "closed"]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")


class SpeakRequest(_Frozen):
    request_id: str
    person_id: int
    kind: SpeakKind
    requested_at: AwareDatetime


class Turn(_Frozen):
    """Whoever has the floor now; clients count down from ``started_at`` + limit."""

    kind: TurnKind
    person_id: int
    started_at: AwareDatetime
    limit_s: int
    extended_s: int = 0
    request_id: str | None = None
    question_id: str | None = None


class SpokenTurn(_Frozen):
    """One finished turn, for the minutes: who, what kind, when, how long."""

    person_id: int
    kind: TurnKind
    started_at: AwareDatetime
    ended_at: AwareDatetime
    seconds: int
    reason: TurnEndReason
    request_id: str | None = None
    question_id: str | None = None


class Commitment(_Frozen):
    commitment_id: str
    text: str
    due: date | None = None
    recorded_at: AwareDatetime
    recorded_by: int | None = None


class QuestionState(_Frozen):
    question_id: str
    person_id: int
    addressee_id: int
    text: str
    item_id: int | None = None
    registered_at: AwareDatetime
    status: QuestionStatus = "registered"
    phases: tuple[QuestionPhase, ...] = ()  # phases started so far, in order
    commitments: tuple[Commitment, ...] = ()
    conclusion: str | None = None  # the chair's kết luận, once given

    @property
    def closed(self) -> bool:
        return self.status in ("answered", "in_writing")


class VoteState(VoteSettings):
    # "counting": a verifiable ballot that takes no more ballots, waiting for the
    # committee's partial decryptions (``waiting_for``); it does not block a new vote
    status: Literal["open", "counting", "closed"] = "open"
    opened_at: AwareDatetime
    counting_since: AwareDatetime | None = None
    waiting_for: tuple[int, ...] = ()
    closed_at: AwareDatetime | None = None
    voters: frozenset[int] = frozenset()
    # open and named modes only; on a tablet, only the viewer's own choice
    choices: dict[int, Choice] = {}
    result: VoteResult | None = None

    @computed_field  # type: ignore[prop-decorator]
    @property
    def turnout(self) -> int:
        return len(self.voters)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def rule_vi(self) -> str:
        """The rule applied, with numbers and legal source: for every view of the vote."""
        return self.rule_line()[0]

    @computed_field  # type: ignore[prop-decorator]
    @property
    def rule_en(self) -> str:
        return self.rule_line()[1]


class FollowTarget(_Frozen):
    document_id: int
    page: int
    presenter_id: int


class SittingState(_Frozen):
    sitting_id: int
    seq: int = 0
    status: SittingStatus = "scheduled"
    roster: Roster | None = None
    opened_at: AwareDatetime | None = None
    closed_at: AwareDatetime | None = None
    present: frozenset[int] = frozenset()
    current_item_id: int | None = None
    items_done: tuple[int, ...] = ()
    follow_me: FollowTarget | None = None
    queue: tuple[SpeakRequest, ...] = ()
    turn: Turn | None = None
    spoken: tuple[SpokenTurn, ...] = ()
    questions: dict[str, QuestionState] = {}
    question_order: tuple[str, ...] = ()  # questions not yet closed, in the chair's order
    votes: dict[str, VoteState] = {}

    @classmethod
    def new(cls, sitting_id: int, roster: Roster) -> SittingState:
        """A sitting not opened yet; the server starts ``decide`` from here."""
        return cls(sitting_id=sitting_id, roster=roster)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def members_total(self) -> int:
        return len(self.roster.members) if self.roster else 0

    @computed_field  # type: ignore[prop-decorator]
    @property
    def quorum_needed(self) -> int:
        return self.roster.quorum.needed(self.members_total) if self.roster else 0

    @computed_field  # type: ignore[prop-decorator]
    @property
    def quorum_met(self) -> bool:
        return self.roster is not None and len(self.present) >= self.quorum_needed

    @property
    def open_vote(self) -> VoteState | None:
        return next((v for v in self.votes.values() if v.status == "open"), None)


def apply(state: SittingState, event: Event) -> SittingState:
    """The state after ``event``. Raises EventOutOfOrder unless ``event.seq`` is next."""
    if event.seq != state.seq + 1:
        raise EventOutOfOrder(state.seq + 1, event.seq)
    if event.sitting_id != state.sitting_id:
        raise ValueError(f"event of sitting {event.sitting_id} applied to {state.sitting_id}")
    changes = _changes(state, event)
    return state.model_copy(update={**changes, "seq": event.seq})


def replay(events: Iterable[Event], state: SittingState | None = None) -> SittingState:
    """Fold events from the start (or from ``state``, e.g. a snapshot)."""
    for event in events:
        if state is None:
            state = SittingState(sitting_id=event.sitting_id)
        state = apply(state, event)
    if state is None:
        raise ValueError("replay needs at least one event or a starting state")
    return state


Changes = dict[str, object]


def _sitting_opened(s: SittingState, e: ev.SittingOpened) -> Changes:
    return {"status": "open", "roster": e.roster, "opened_at": e.at}


def _sitting_closed(s: SittingState, e: ev.SittingClosed) -> Changes:
    return {"status": "closed", "closed_at": e.at}


def _sitting_paused(s: SittingState, e: ev.SittingPaused) -> Changes:
    return {"status": "paused"}


def _sitting_resumed(s: SittingState, e: ev.SittingResumed) -> Changes:
    return {"status": "open"}


def _checked_in(s: SittingState, e: ev.CheckedIn) -> Changes:
    return {"present": s.present | {e.person_id}}


def _checked_out(s: SittingState, e: ev.CheckedOut) -> Changes:
    return {"present": s.present - {e.person_id}}


def _item_opened(s: SittingState, e: ev.ItemOpened) -> Changes:
    return {"current_item_id": e.item_id}


def _item_closed(s: SittingState, e: ev.ItemClosed) -> Changes:
    done = s.items_done if e.item_id in s.items_done else (*s.items_done, e.item_id)
    return {"current_item_id": None, "items_done": done}


def _follow_me(s: SittingState, e: ev.FollowMe) -> Changes:
    target = FollowTarget(document_id=e.document_id, page=e.page, presenter_id=e.presenter_id)
    return {"follow_me": target}


def _follow_me_stopped(s: SittingState, e: ev.FollowMeStopped) -> Changes:
    return {"follow_me": None}


def _speak_requested(s: SittingState, e: ev.SpeakRequested) -> Changes:
    request = SpeakRequest(
        request_id=e.request_id, person_id=e.person_id, kind=e.kind, requested_at=e.at
    )
    return {"queue": (*s.queue, request)}


def _without_request(s: SittingState, request_id: str) -> Changes:
    return {"queue": tuple(r for r in s.queue if r.request_id != request_id)}


def _speak_withdrawn(s: SittingState, e: ev.SpeakWithdrawn) -> Changes:
    return _without_request(s, e.request_id)


def _speak_skipped(s: SittingState, e: ev.SpeakSkipped) -> Changes:
    return _without_request(s, e.request_id)


def _speak_queue_reordered(s: SittingState, e: ev.SpeakQueueReordered) -> Changes:
    by_id = {r.request_id: r for r in s.queue}
    return {"queue": tuple(by_id[i] for i in e.order if i in by_id)}


def _floor_granted(s: SittingState, e: ev.FloorGranted) -> Changes:
    turn = Turn(
        kind=e.kind,
        person_id=e.person_id,
        started_at=e.at,
        limit_s=e.limit_s,
        request_id=e.request_id,
    )
    return {**_without_request(s, e.request_id), "turn": turn}


def _turn_extended(s: SittingState, e: ev.TurnExtended) -> Changes:
    if s.turn is None:
        return {}
    return {"turn": s.turn.model_copy(update={"extended_s": s.turn.extended_s + e.seconds})}


def _turn_ended(s: SittingState, e: ev.TurnEnded) -> Changes:
    turn = s.turn
    if turn is None:
        return {}
    spoken = SpokenTurn(
        person_id=turn.person_id,
        kind=turn.kind,
        started_at=turn.started_at,
        ended_at=e.at,
        seconds=max(0, round((e.at - turn.started_at).total_seconds())),
        reason=e.reason,
        request_id=turn.request_id,
        question_id=turn.question_id,
    )
    return {"turn": None, "spoken": (*s.spoken, spoken)}


def _question_registered(s: SittingState, e: ev.QuestionRegistered) -> Changes:
    question = QuestionState(
        question_id=e.question_id,
        person_id=e.person_id,
        addressee_id=e.addressee_id,
        text=e.text,
        item_id=e.item_id,
        registered_at=e.at,
    )
    return {
        "questions": {**s.questions, e.question_id: question},
        "question_order": (*s.question_order, e.question_id),
    }


def _questions_reordered(s: SittingState, e: ev.QuestionsReordered) -> Changes:
    return {"question_order": tuple(q for q in e.order if q in s.question_order)}


def _with_question(
    s: SittingState, question_id: str, **update: object
) -> dict[str, QuestionState]:
    question = s.questions[question_id].model_copy(update=update)
    return {**s.questions, question_id: question}


def _question_turn_started(s: SittingState, e: ev.QuestionTurnStarted) -> Changes:
    question = s.questions[e.question_id]
    turn = Turn(
        kind=e.phase,
        person_id=e.person_id,
        started_at=e.at,
        limit_s=e.limit_s,
        question_id=e.question_id,
    )
    questions = _with_question(
        s, e.question_id, status="in_progress", phases=(*question.phases, e.phase)
    )
    return {"turn": turn, "questions": questions}


def _question_turn_ended(s: SittingState, e: ev.QuestionTurnEnded) -> Changes:
    return {
        "questions": _with_question(s, e.question_id, status=e.outcome),
        "question_order": tuple(q for q in s.question_order if q != e.question_id),
    }


def _question_concluded(s: SittingState, e: ev.QuestionConcluded) -> Changes:
    return {"questions": _with_question(s, e.question_id, conclusion=e.text)}


def _commitment_recorded(s: SittingState, e: ev.CommitmentRecorded) -> Changes:
    commitment = Commitment(
        commitment_id=e.commitment_id,
        text=e.text,
        due=e.due,
        recorded_at=e.at,
        recorded_by=e.actor_id,
    )
    question = s.questions[e.question_id]
    commitments = (*question.commitments, commitment)
    return {"questions": _with_question(s, e.question_id, commitments=commitments)}


def _vote_opened(s: SittingState, e: ev.VoteOpened) -> Changes:
    settings = {name: getattr(e, name) for name in VoteSettings.model_fields}
    vote = VoteState(**settings, opened_at=e.at)
    return {"votes": {**s.votes, e.vote_id: vote}}


def _vote_cast(s: SittingState, e: ev.VoteCast) -> Changes:
    vote = s.votes[e.vote_id]
    update: dict[str, object] = {"voters": vote.voters | {e.voter_id}}
    if e.choice is not None:
        update["choices"] = {**vote.choices, e.voter_id: e.choice}
    return {"votes": {**s.votes, e.vote_id: vote.model_copy(update=update)}}


def _vote_counting(s: SittingState, e: ev.VoteCounting) -> Changes:
    vote = s.votes[e.vote_id]
    vote = vote.model_copy(update={
        "status": "counting", "counting_since": vote.counting_since or e.at,
        "waiting_for": e.waiting_for,
    })
    return {"votes": {**s.votes, e.vote_id: vote}}


def _vote_closed(s: SittingState, e: ev.VoteClosed) -> Changes:
    vote = s.votes[e.vote_id].model_copy(
        update={"status": "closed", "closed_at": e.at, "result": e.result, "waiting_for": ()}
    )
    return {"votes": {**s.votes, e.vote_id: vote}}


def _changes(s: SittingState, e: Event) -> Changes:
    """What ``e`` changes: one reducer per event class; a new event class without one is a
    type error (``assert_never``), not a KeyError at a sitting."""
    match e:
        case ev.SittingOpened():
            return _sitting_opened(s, e)
        case ev.SittingClosed():
            return _sitting_closed(s, e)
        case ev.SittingPaused():
            return _sitting_paused(s, e)
        case ev.SittingResumed():
            return _sitting_resumed(s, e)
        case ev.CheckedIn():
            return _checked_in(s, e)
        case ev.CheckedOut():
            return _checked_out(s, e)
        case ev.ItemOpened():
            return _item_opened(s, e)
        case ev.ItemClosed():
            return _item_closed(s, e)
        case ev.FollowMe():
            return _follow_me(s, e)
        case ev.FollowMeStopped():
            return _follow_me_stopped(s, e)
        case ev.SpeakRequested():
            return _speak_requested(s, e)
        case ev.SpeakWithdrawn():
            return _speak_withdrawn(s, e)
        case ev.SpeakQueueReordered():
            return _speak_queue_reordered(s, e)
        case ev.SpeakSkipped():
            return _speak_skipped(s, e)
        case ev.FloorGranted():
            return _floor_granted(s, e)
        case ev.TurnExtended():
            return _turn_extended(s, e)
        case ev.TurnEnded():
            return _turn_ended(s, e)
        case ev.QuestionRegistered():
            return _question_registered(s, e)
        case ev.QuestionsReordered():
            return _questions_reordered(s, e)
        case ev.QuestionTurnStarted():
            return _question_turn_started(s, e)
        case ev.QuestionTurnEnded():
            return _question_turn_ended(s, e)
        case ev.QuestionConcluded():
            return _question_concluded(s, e)
        case ev.CommitmentRecorded():
            return _commitment_recorded(s, e)
        case ev.VoteOpened():
            return _vote_opened(s, e)
        case ev.VoteCast():
            return _vote_cast(s, e)
        case ev.VoteCounting():
            return _vote_counting(s, e)
        case ev.VoteClosed():
            return _vote_closed(s, e)
        case _:
            assert_never(e)
