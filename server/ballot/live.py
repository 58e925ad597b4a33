"""The verifiable ballot in the live sitting: the events every tablet and the projector see.

Opening appends ``vote_opened`` (made by ``shared.live.decide`` from an ``open_vote`` by
the chair, so quorum, agenda item and "one vote at a time" rules are the same as for any
vote) with ``ballot_id`` set; each accepted ballot appends a choice-free ``vote_cast``
(the turnout, from the roll of who voted); the close, and each partial decryption that
still leaves a member missing, appends ``vote_counting`` (who the count waits for); the
published result appends ``vote_closed`` with the decrypted counts. Devices cannot send
these for a verifiable ballot: ``decide`` refuses ``cast_vote`` and ``close_vote`` on it.

The events are written in the same transaction as the board entry they reflect, under
the sitting's write lock (``server.live.store.take_write_lock``) that the hub's recorder
also takes, then handed to the hub's fan-out after the commit (``publish``); the hub
loads events other writers committed before it decides again, as it does for a second
worker.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from sqlmodel import Session

from server.live import store
from server.live.hub import SittingHub
from shared import clock
from shared.ballot.ballot import BallotDefinition, levels_of
from shared.live import events as ev
from shared.live.commands import OpenVote
from shared.live.decide import decide
from shared.live.errors import CommandRejected
from shared.live.roster import Actor
from shared.live.state import SittingState, apply
from shared.live.voting import Candidate, Tally, ThresholdRule, VoteSettings, compute_result

log = logging.getLogger(__name__)


def locked_state(db: Session, sitting_id: int, cached: SittingState | None = None) -> SittingState:
    """Take the sitting's write lock and return its newest committed state."""
    store.take_write_lock(db, sitting_id)
    state = cached if cached is not None and cached.sitting_id == sitting_id else None
    if state is None:
        state = store.initial_state(store.get_sitting(db, sitting_id))
    for event in store.events_after(db, sitting_id, state.seq):
        state = apply(state, event)
    return state


def _append(db: Session, events: Sequence[ev.Event]) -> None:
    for event in events:
        store.append_event(db, event)


def open_vote(db: Session, state: SittingState, chair_id: int, ballot_id: int, item_id: int,
              definition: BallotDefinition, threshold: ThresholdRule,
              quorum_override_reason: str | None) -> ev.VoteOpened:
    """``vote_opened`` for the ballot, or CommandRejected (no quorum, another vote open…)."""
    # candidate ids are the chair's strings ("12", "uv-1"), not person ids: never guess one
    people = tuple(Candidate(candidate_id=s.subject_id, full_name=s.full_name)
                   for s in definition.subjects)
    election = definition.kind == "election"
    command = OpenVote(key=f"ballot-{ballot_id}-open", item_id=item_id, question=definition.title,
                       mode=definition.kind, decision=None, threshold=threshold,
                       max_choices=definition.max_choices if election else 1,
                       candidates=people if election else (),
                       officials=() if election else people,
                       quorum_override_reason=quorum_override_reason)
    assert state.roster is not None
    decision = decide(state, command, Actor.of(state.roster, chair_id), clock.now())
    (opened,) = decision.events
    assert isinstance(opened, ev.VoteOpened)
    opened = opened.model_copy(update={"ballot_id": ballot_id})
    _append(db, [opened])
    return opened


def vote_cast(db: Session, state: SittingState, vote_id: str, person_id: int) -> ev.VoteCast:
    event = ev.VoteCast(seq=state.seq + 1, sitting_id=state.sitting_id, at=clock.now(),
                        actor_id=person_id, vote_id=vote_id, voter_id=person_id, choice=None)
    _append(db, [event])
    return event


def vote_counting(db: Session, state: SittingState, vote_id: str, ballots: int,
                  waiting_for: Sequence[int]) -> ev.VoteCounting:
    """``vote_counting``: no more ballots; the members still to send their decryption."""
    event = ev.VoteCounting(seq=state.seq + 1, sitting_id=state.sitting_id, at=clock.now(),
                            actor_id=None, vote_id=vote_id, ballots=ballots,
                            waiting_for=tuple(sorted(waiting_for)))
    _append(db, [event])
    return event


def tally_of(definition: BallotDefinition, counts: Sequence[int], ballots: int) -> Tally:
    """The live ``Tally`` of decrypted per-box counts (sums only: there is nothing else)."""
    if definition.kind == "election":
        return Tally(ballots=ballots, counts={s.subject_id: n for s, n in
                                              zip(definition.subjects, counts, strict=True)})
    ratings = {}
    names = levels_of(definition.kind)
    n = len(names)
    for i, subject in enumerate(definition.subjects):
        levels = dict(zip(names, counts[n * i:n * i + n], strict=True))
        ratings[subject.subject_id] = {k: v for k, v in levels.items() if v}
    return Tally(ballots=ballots, ratings=ratings)


def vote_closed(db: Session, state: SittingState, vote_id: str, definition: BallotDefinition,
                counts: Sequence[int], ballots: int) -> ev.VoteClosed:
    """``vote_closed`` with the result the threshold rule gives on the decrypted counts."""
    vote = state.votes[vote_id]
    assert state.roster is not None
    settings = VoteSettings.model_validate(vote.model_dump(include=set(VoteSettings.model_fields)))
    result = compute_result(settings, tally_of(definition, counts, ballots),
                            state.roster.member_ids, vote.voters)
    event = ev.VoteClosed(seq=state.seq + 1, sitting_id=state.sitting_id, at=clock.now(),
                          actor_id=None, vote_id=vote_id, result=result)
    _append(db, [event])
    return event


async def publish(hub: SittingHub, sitting_id: int, events: Sequence[ev.Event]) -> None:
    """Tell every device after the commit; a device that misses it catches up by seq."""
    if not events:
        return
    try:
        await hub.fanout.publish(sitting_id, list(events))
    except Exception:  # committed is committed; devices catch up
        log.exception("sitting %s: fan-out of ballot events failed", sitting_id)


__all__ = ["CommandRejected", "locked_state", "open_vote", "publish", "tally_of", "vote_cast",
           "vote_closed", "vote_counting"]
