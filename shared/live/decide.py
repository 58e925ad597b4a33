"""Command validation: who may do what, when, turned into events.

``decide(state, command, actor, now)`` either returns the events the command causes
(numbered ``state.seq + 1, + 2...``) or raises :class:`CommandRejected` and changes
nothing. It reads no clock and does no I/O.

The server calls it while holding the sitting's lock, appends the events under a unique
(sitting_id, seq) constraint before telling anyone, and on a conflict (another worker
appended first) reloads the state and decides again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, assert_never

from shared.live import commands as cmd
from shared.live import events as ev
from shared.live.commands import Command
from shared.live.errors import CommandRejected
from shared.live.roster import Actor, Roster
from shared.live.state import QuestionState, SittingState, SpeakRequest, VoteState
from shared.live.voting import (
    CONFIDENCE_LEVELS,
    CONFIDENCE_VOTE_LEVELS,
    DEFAULT_OPTIONS,
    SECRET_MODES,
    Candidate,
    Choice,
    Tally,
    VoteSettings,
    check_choice,
    compute_result,
)
from shared.rules.decisions import MODES, infer_decision, is_binding, threshold_for


@dataclass(frozen=True)
class SecretBallot:
    """A secret choice for the ballot box: deliberately carries no voter."""

    vote_id: str
    choice: Choice


@dataclass(frozen=True)
class Decision:
    events: tuple[ev.Event, ...]
    secret_choice: SecretBallot | None = None


def decide(
    state: SittingState,
    command: Command,
    actor: Actor,
    now: datetime,
    *,
    tally: Tally | None = None,
) -> Decision:
    """Events for ``command`` by ``actor`` at ``now``, or CommandRejected.

    ``tally`` is the ballot box's count, which the server passes when closing a vote of
    a secret mode (secret, confidence, election); it is ignored otherwise.
    """
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    if command.type != "open_sitting":
        _require_open(state, command.type)
    ctx = _Context(state, actor, now.astimezone(UTC), tally)
    _handle(ctx, command)
    return Decision(events=tuple(ctx.events), secret_choice=ctx.secret_choice)


class _Context:
    """The state being decided on plus the events made so far."""

    def __init__(self, state: SittingState, actor: Actor, now: datetime, tally: Tally | None):
        self.state = state
        self.actor = actor
        self.now = now
        self.tally = tally
        self.events: list[ev.Event] = []
        self.secret_choice: SecretBallot | None = None

    @property
    def roster(self) -> Roster:
        assert self.state.roster is not None  # an open sitting always has one
        return self.state.roster

    @property
    def next_seq(self) -> int:
        return self.state.seq + len(self.events) + 1

    def emit(self, event_type: type[ev.Event], **payload: Any) -> None:
        self.events.append(
            event_type(
                seq=self.next_seq,
                sitting_id=self.state.sitting_id,
                at=self.now,
                actor_id=self.actor.person_id,
                **payload,
            )
        )

    # --- rights -------------------------------------------------------------------
    def require_chair(self) -> None:
        if not self.actor.is_chair:
            raise CommandRejected("not_chair")

    @property
    def is_staff(self) -> bool:
        return self.actor.is_chair or self.actor.is_secretary

    def require_staff(self) -> None:
        if not self.is_staff:
            raise CommandRejected("not_chair_or_secretary")

    def subject(self, person_id: int | None) -> int:
        """The person a command is for; only the chair and secretary act for others."""
        if person_id is None or person_id == self.actor.person_id:
            return self.actor.person_id
        if not self.is_staff:
            raise CommandRejected("acting_for_other")
        return person_id

    def require_presenter(self) -> None:
        turn = self.state.turn
        holds_floor = turn is not None and turn.person_id == self.actor.person_id
        if not (self.is_staff or holds_floor):
            raise CommandRejected("not_presenter")


# while paused (tạm dừng) the hall may still take attendance; the chair resumes or closes
_WHILE_PAUSED = frozenset({"resume_sitting", "close_sitting", "check_in", "check_out"})


def _require_open(state: SittingState, command_type: str) -> None:
    if state.status == "paused" and command_type not in _WHILE_PAUSED:
        raise CommandRejected("sitting_paused")
    if state.status == "scheduled":
        raise CommandRejected("sitting_not_open")
    if state.status == "closed":
        raise CommandRejected("sitting_closed")


# --- sitting and attendance ----------------------------------------------------------


def _open_sitting(ctx: _Context, c: cmd.OpenSitting) -> None:
    ctx.require_chair()
    if ctx.state.status == "open":
        raise CommandRejected("sitting_already_open")
    if ctx.state.status == "closed":
        raise CommandRejected("sitting_closed")
    if ctx.state.roster is None:
        raise ValueError("start the sitting from SittingState.new(sitting_id, roster)")
    ctx.emit(ev.SittingOpened, roster=ctx.state.roster)


def _close_sitting(ctx: _Context, c: cmd.CloseSitting) -> None:
    ctx.require_chair()
    if ctx.state.open_vote is not None:
        raise CommandRejected("vote_in_progress")
    if ctx.state.turn is not None:
        ctx.emit(ev.TurnEnded, reason="stopped")
    _leave_item(ctx)
    ctx.emit(ev.SittingClosed)


def _pause_sitting(ctx: _Context, c: cmd.PauseSitting) -> None:
    ctx.require_chair()
    if ctx.state.status == "paused":
        raise CommandRejected("sitting_paused")
    if ctx.state.open_vote is not None:
        raise CommandRejected("vote_in_progress")
    if ctx.state.turn is not None:
        ctx.emit(ev.TurnEnded, reason="stopped")
    ctx.emit(ev.SittingPaused)


def _resume_sitting(ctx: _Context, c: cmd.ResumeSitting) -> None:
    ctx.require_chair()
    if ctx.state.status != "paused":
        raise CommandRejected("sitting_not_paused")
    ctx.emit(ev.SittingResumed)


def _check_in(ctx: _Context, c: cmd.CheckIn) -> None:
    person = ctx.subject(c.person_id)
    if person not in ctx.roster.member_ids:
        raise CommandRejected("not_member")
    if person in ctx.state.present:
        raise CommandRejected("already_present")
    ctx.emit(ev.CheckedIn, person_id=person, by_person_id=ctx.actor.person_id)


def _check_out(ctx: _Context, c: cmd.CheckOut) -> None:
    person = ctx.subject(c.person_id)
    if person not in ctx.roster.member_ids:
        raise CommandRejected("not_member")
    if person not in ctx.state.present:
        raise CommandRejected("not_present")
    ctx.emit(ev.CheckedOut, person_id=person, by_person_id=ctx.actor.person_id)


# --- agenda and follow-me ------------------------------------------------------------


def _leave_item(ctx: _Context) -> None:
    """Stop following and close the open item, if any: documents belong to an item."""
    if ctx.state.follow_me is not None:
        ctx.emit(ev.FollowMeStopped)
    if ctx.state.current_item_id is not None:
        ctx.emit(ev.ItemClosed, item_id=ctx.state.current_item_id)


def _open_item(ctx: _Context, c: cmd.OpenItem) -> None:
    ctx.require_chair()
    if ctx.roster.item(c.item_id) is None:
        raise CommandRejected("unknown_item")
    if ctx.state.current_item_id == c.item_id:
        raise CommandRejected("item_already_open")
    _leave_item(ctx)
    ctx.emit(ev.ItemOpened, item_id=c.item_id)


def _close_item(ctx: _Context, c: cmd.CloseItem) -> None:
    ctx.require_chair()
    if ctx.state.current_item_id is None:
        raise CommandRejected("item_not_open")
    _leave_item(ctx)


def _follow_me(ctx: _Context, c: cmd.StartFollowMe) -> None:
    ctx.require_presenter()
    item_id = ctx.state.current_item_id
    if item_id is None:
        raise CommandRejected("item_not_open")
    item = ctx.roster.item(item_id)
    if item is None or c.document_id not in {d.document_id for d in item.documents}:
        raise CommandRejected("unknown_document")
    ctx.emit(ev.FollowMe, document_id=c.document_id, page=c.page, presenter_id=ctx.actor.person_id)


def _stop_follow_me(ctx: _Context, c: cmd.StopFollowMe) -> None:
    ctx.require_presenter()
    if ctx.state.follow_me is None:
        raise CommandRejected("not_following")
    ctx.emit(ev.FollowMeStopped)


# --- speaker queue and turns ---------------------------------------------------------


def _pending(ctx: _Context, request_id: str) -> SpeakRequest:
    request = next((r for r in ctx.state.queue if r.request_id == request_id), None)
    if request is None:
        raise CommandRejected("unknown_request")
    return request


def _request_to_speak(ctx: _Context, c: cmd.RequestToSpeak) -> None:
    person = ctx.subject(c.person_id)
    if person not in ctx.roster.member_ids | ctx.roster.official_ids:
        raise CommandRejected("not_member")
    if any(r.person_id == person and r.kind == c.kind for r in ctx.state.queue):
        raise CommandRejected("already_in_queue")
    ctx.emit(ev.SpeakRequested, request_id=f"r{ctx.next_seq}", person_id=person, kind=c.kind)


def _withdraw_request(ctx: _Context, c: cmd.WithdrawRequest) -> None:
    request = _pending(ctx, c.request_id)
    ctx.subject(request.person_id)
    ctx.emit(ev.SpeakWithdrawn, request_id=c.request_id)


def _reorder_queue(ctx: _Context, c: cmd.ReorderQueue) -> None:
    ctx.require_staff()
    waiting = [r.request_id for r in ctx.state.queue]
    if sorted(c.order) != sorted(waiting):
        raise CommandRejected("bad_order")
    ctx.emit(ev.SpeakQueueReordered, order=c.order)


def _skip_request(ctx: _Context, c: cmd.SkipRequest) -> None:
    ctx.require_staff()
    _pending(ctx, c.request_id)
    ctx.emit(ev.SpeakSkipped, request_id=c.request_id)


def _grant_floor(ctx: _Context, c: cmd.GrantFloor) -> None:
    ctx.require_chair()
    if ctx.state.turn is not None:
        raise CommandRejected("turn_in_progress")
    if not ctx.state.queue:
        raise CommandRejected("queue_empty")
    request = ctx.state.queue[0] if c.request_id is None else _pending(ctx, c.request_id)
    limit = c.limit_s or ctx.roster.limits.for_kind(request.kind)
    ctx.emit(
        ev.FloorGranted,
        request_id=request.request_id,
        person_id=request.person_id,
        kind=request.kind,
        limit_s=limit,
    )


def _extend_turn(ctx: _Context, c: cmd.ExtendTurn) -> None:
    ctx.require_chair()
    if ctx.state.turn is None:
        raise CommandRejected("no_turn")
    ctx.emit(ev.TurnExtended, seconds=c.seconds)


def _end_turn(ctx: _Context, c: cmd.EndTurn) -> None:
    turn = ctx.state.turn
    # the speaker may say they have finished; only the chair cuts someone off
    own_finish = (
        turn is not None and turn.person_id == ctx.actor.person_id and c.reason == "finished"
    )
    if not (ctx.actor.is_chair or own_finish):
        raise CommandRejected("not_chair")
    if turn is None:
        raise CommandRejected("no_turn")
    ctx.emit(ev.TurnEnded, reason=c.reason)


# --- questioning ---------------------------------------------------------------------


def _question(ctx: _Context, question_id: str) -> QuestionState:
    question = ctx.state.questions.get(question_id)
    if question is None:
        raise CommandRejected("unknown_question")
    return question


MAX_QUESTIONS_PER_PERSON = 10
"""Questions one delegate may register in a sitting, from any device or over REST."""
MAX_QUESTIONS_PER_SITTING = 500
MAX_COMMITMENTS_PER_QUESTION = 5
# With MAX_QUESTION_CHARS these keep the largest snapshot a few megabytes, under
# shared.live.protocol.MAX_SERVER_MESSAGE_BYTES (tests/shared/live/test_big_sitting.py).


def _register_question(ctx: _Context, c: cmd.RegisterQuestion) -> None:
    person = ctx.subject(c.person_id)
    if person not in ctx.roster.member_ids:
        raise CommandRejected("not_member")
    questions = ctx.state.questions.values()
    if sum(1 for q in questions if q.person_id == person) >= MAX_QUESTIONS_PER_PERSON:
        raise CommandRejected("too_many_questions")
    if len(ctx.state.questions) >= MAX_QUESTIONS_PER_SITTING:
        raise CommandRejected("sitting_questions_full")
    if c.addressee_id not in ctx.roster.official_ids:
        raise CommandRejected("unknown_official")
    if c.item_id is not None and ctx.roster.item(c.item_id) is None:
        raise CommandRejected("unknown_item")
    ctx.emit(
        ev.QuestionRegistered,
        question_id=f"q{ctx.next_seq}",
        person_id=person,
        addressee_id=c.addressee_id,
        text=c.text,
        item_id=c.item_id,
    )


def _reorder_questions(ctx: _Context, c: cmd.ReorderQuestions) -> None:
    ctx.require_chair()
    if sorted(c.order) != sorted(ctx.state.question_order):
        raise CommandRejected("bad_order")
    ctx.emit(ev.QuestionsReordered, order=c.order)


_PHASE_NEEDS = {"question": None, "answer": "question", "follow_up": "answer"}


def _start_question_turn(ctx: _Context, c: cmd.StartQuestionTurn) -> None:
    ctx.require_chair()
    question = _question(ctx, c.question_id)
    if question.closed:
        raise CommandRejected("question_closed")
    if ctx.state.turn is not None:
        raise CommandRejected("turn_in_progress")
    needs = _PHASE_NEEDS[c.phase]
    if c.phase in question.phases or (needs is not None and needs not in question.phases):
        raise CommandRejected("wrong_phase")
    person = question.addressee_id if c.phase == "answer" else question.person_id
    limit = c.limit_s or ctx.roster.limits.for_kind(c.phase)
    ctx.emit(
        ev.QuestionTurnStarted,
        question_id=c.question_id,
        phase=c.phase,
        person_id=person,
        limit_s=limit,
    )


def _close_question(ctx: _Context, c: cmd.CloseQuestion) -> None:
    ctx.require_chair()
    question = _question(ctx, c.question_id)
    if question.closed:
        raise CommandRejected("question_closed")
    if c.outcome == "answered" and "answer" not in question.phases:
        raise CommandRejected("wrong_phase")
    turn = ctx.state.turn
    if turn is not None and turn.question_id == c.question_id:
        ctx.emit(ev.TurnEnded, reason="finished")
    ctx.emit(ev.QuestionTurnEnded, question_id=c.question_id, outcome=c.outcome)


def _conclude_question(ctx: _Context, c: cmd.ConcludeQuestion) -> None:
    """Only after the official answered, or once the question went to writing."""
    ctx.require_chair()
    question = _question(ctx, c.question_id)
    if "answer" not in question.phases and question.status != "in_writing":
        raise CommandRejected("wrong_phase")
    ctx.emit(ev.QuestionConcluded, question_id=c.question_id, text=c.text)


def _record_commitment(ctx: _Context, c: cmd.RecordCommitment) -> None:
    question = _question(ctx, c.question_id)
    if not ctx.is_staff:
        if not (ctx.actor.is_official and ctx.actor.person_id == question.addressee_id):
            raise CommandRejected("not_addressee")
        if "answer" not in question.phases:
            raise CommandRejected("wrong_phase")
    if len(question.commitments) >= MAX_COMMITMENTS_PER_QUESTION:
        raise CommandRejected("too_many_commitments")
    ctx.emit(
        ev.CommitmentRecorded,
        question_id=c.question_id,
        commitment_id=f"c{ctx.next_seq}",
        text=c.text,
        due=c.due,
    )


# --- voting --------------------------------------------------------------------------


def _ballot_layout(c: cmd.OpenVote) -> dict[str, Any]:
    """Options, candidates and officials the ballot shows, or invalid_vote."""

    def unique(people: tuple[Candidate, ...]) -> bool:
        return len({p.candidate_id for p in people}) == len(people)

    if c.mode == "election":
        ok = (
            c.candidates
            and unique(c.candidates)
            and not c.officials
            and c.options is None
            and c.max_choices <= len(c.candidates)
        )
        layout = {"options": (), "candidates": c.candidates, "max_choices": c.max_choices}
    elif c.mode in ("confidence", "confidence_vote"):
        ok = c.officials and unique(c.officials) and not c.candidates and c.options is None
        ok = ok and c.max_choices == 1
        levels = CONFIDENCE_LEVELS if c.mode == "confidence" else CONFIDENCE_VOTE_LEVELS
        layout = {"options": levels, "officials": c.officials}
    else:
        options = c.options or DEFAULT_OPTIONS
        ok = (
            len(options) >= 2
            and len({o.key for o in options}) == len(options)
            and not c.candidates
            and not c.officials
            and c.max_choices == 1
        )
        layout = {"options": options}
    if not ok:
        raise CommandRejected("invalid_vote")
    return layout


def _open_vote(ctx: _Context, c: cmd.OpenVote) -> None:
    ctx.require_chair()
    if ctx.state.open_vote is not None:
        raise CommandRejected("vote_in_progress")
    if ctx.roster.item(c.item_id) is None:
        raise CommandRejected("unknown_item")
    layout = _ballot_layout(c)
    # the kind of decision fixes the threshold (docs/rules.md); an older client
    # sends none and is read as the decision its mode and threshold meant
    decision = c.decision or infer_decision(c.mode, c.threshold)
    if c.mode not in MODES[decision]:
        raise CommandRejected("decision_mode_mismatch")
    try:
        threshold = threshold_for(decision, c.threshold)
    except ValueError as exc:
        raise CommandRejected("threshold_fixed_by_law") from exc
    secret = c.mode in SECRET_MODES
    # a secret box cannot replace a ballot without knowing whose it was
    if secret and c.allow_change:
        raise CommandRejected("secret_vote_no_change")
    reason = (c.quorum_override_reason or "").strip() or None
    if not ctx.state.quorum_met:
        # a resolution, election, dismissal, recall or confidence ballot taken without
        # quorum is not valid: no reason makes it so
        if is_binding(decision):
            raise CommandRejected("no_quorum_binding")
        if reason is None:
            raise CommandRejected("no_quorum")
    ctx.emit(
        ev.VoteOpened,
        vote_id=f"v{ctx.next_seq}",
        item_id=c.item_id,
        question=c.question,
        mode=c.mode,
        decision=decision,
        threshold=threshold,
        allow_change=not secret if c.allow_change is None else c.allow_change,
        quorum_override_reason=reason if not ctx.state.quorum_met else None,
        members_total=ctx.state.members_total,
        present_at_open=len(ctx.state.present),
        **layout,
    )


def _vote(ctx: _Context, vote_id: str) -> VoteState:
    vote = ctx.state.votes.get(vote_id)
    if vote is None:
        raise CommandRejected("unknown_vote")
    return vote


def _cast_vote(ctx: _Context, c: cmd.CastVote) -> None:
    vote = _vote(ctx, c.vote_id)
    if vote.ballot_id is not None:
        raise CommandRejected("verifiable_ballot")
    voter = ctx.actor.person_id
    if not ctx.actor.is_member or voter not in ctx.roster.member_ids:
        raise CommandRejected("not_member")
    if vote.status != "open":
        raise CommandRejected("vote_closed")
    if voter not in ctx.state.present:
        raise CommandRejected("not_present")
    if voter in vote.voters and not vote.allow_change:
        raise CommandRejected("already_voted")
    try:
        choice = check_choice(vote, c.choice)
    except ValueError as exc:
        raise CommandRejected("invalid_choice") from exc
    if vote.mode in SECRET_MODES:
        ctx.emit(ev.VoteCast, vote_id=c.vote_id, voter_id=voter, choice=None)
        ctx.secret_choice = SecretBallot(vote_id=c.vote_id, choice=choice)
    else:
        ctx.emit(ev.VoteCast, vote_id=c.vote_id, voter_id=voter, choice=choice)


def _close_vote(ctx: _Context, c: cmd.CloseVote) -> None:
    ctx.require_chair()
    vote = _vote(ctx, c.vote_id)
    if vote.ballot_id is not None:
        raise CommandRejected("verifiable_ballot")
    if vote.status != "open":
        raise CommandRejected("vote_closed")
    if vote.mode in SECRET_MODES:
        if ctx.tally is None:
            raise CommandRejected("tally_missing")
        if ctx.tally.ballots != len(vote.voters):
            raise CommandRejected("tally_mismatch")
        tally, roll = ctx.tally, None
    else:
        tally, roll = Tally.of(vote.choices.values()), vote.choices
    settings = VoteSettings.model_validate(vote.model_dump(include=set(VoteSettings.model_fields)))
    result = compute_result(
        settings,
        tally,
        ctx.roster.member_ids,
        vote.voters,
        roll,
        publish_roll=ctx.roster.publish_named_votes,
    )
    ctx.emit(ev.VoteClosed, vote_id=c.vote_id, result=result)


def _handle(ctx: _Context, c: Command) -> None:
    """Run the handler of ``c``'s class; a new command class without one is a type error
    (``assert_never``), not a KeyError at a sitting."""
    match c:
        case cmd.OpenSitting():
            _open_sitting(ctx, c)
        case cmd.CloseSitting():
            _close_sitting(ctx, c)
        case cmd.PauseSitting():
            _pause_sitting(ctx, c)
        case cmd.ResumeSitting():
            _resume_sitting(ctx, c)
        case cmd.CheckIn():
            _check_in(ctx, c)
        case cmd.CheckOut():
            _check_out(ctx, c)
        case cmd.OpenItem():
            _open_item(ctx, c)
        case cmd.CloseItem():
            _close_item(ctx, c)
        case cmd.StartFollowMe():
            _follow_me(ctx, c)
        case cmd.StopFollowMe():
            _stop_follow_me(ctx, c)
        case cmd.RequestToSpeak():
            _request_to_speak(ctx, c)
        case cmd.WithdrawRequest():
            _withdraw_request(ctx, c)
        case cmd.ReorderQueue():
            _reorder_queue(ctx, c)
        case cmd.SkipRequest():
            _skip_request(ctx, c)
        case cmd.GrantFloor():
            _grant_floor(ctx, c)
        case cmd.ExtendTurn():
            _extend_turn(ctx, c)
        case cmd.EndTurn():
            _end_turn(ctx, c)
        case cmd.RegisterQuestion():
            _register_question(ctx, c)
        case cmd.ReorderQuestions():
            _reorder_questions(ctx, c)
        case cmd.StartQuestionTurn():
            _start_question_turn(ctx, c)
        case cmd.CloseQuestion():
            _close_question(ctx, c)
        case cmd.ConcludeQuestion():
            _conclude_question(ctx, c)
        case cmd.RecordCommitment():
            _record_commitment(ctx, c)
        case cmd.OpenVote():
            _open_vote(ctx, c)
        case cmd.CastVote():
            _cast_vote(ctx, c)
        case cmd.CloseVote():
            _close_vote(ctx, c)
        case _:
            assert_never(c)
