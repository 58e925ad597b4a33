"""What each audience may see of an event or a state.

Three audiences:
- a person in the sitting (``viewer`` an Actor): sees everything except other people's
  choices in a vote. Nobody, the chair included, sees a partial result while a vote is
  open; choices of secret modes never exist in events at all;
- the hall's projector (``viewer`` None): the same without anyone's choice;
- the public feed (``public_view``): the projector's view, and the named roll-call only
  when the body publishes named votes (``result.roll_published``).

Redaction commutes with the reducer: replaying redacted events gives the redacted state.
"""

from __future__ import annotations

from typing import TypeVar

from shared.live.events import Event, VoteCast, VoteClosed
from shared.live.roster import Actor
from shared.live.state import SittingState, VoteState

E = TypeVar("E", bound=Event)


def redact_for(event: E, viewer: Actor | None) -> E:
    """``event`` as ``viewer`` may see it (None: the hall's projector)."""
    if isinstance(event, VoteCast) and event.choice is not None:
        if viewer is None or viewer.person_id != event.voter_id:
            return event.model_copy(update={"choice": None})
    return event


def public_view(event: E) -> E:
    """``event`` as the public may see it."""
    event = redact_for(event, None)
    if isinstance(event, VoteClosed) and event.result.roll is not None:
        if not event.result.roll_published:
            result = event.result.model_copy(update={"roll": None})
            return event.model_copy(update={"result": result})
    return event


def redact_state(state: SittingState, viewer: Actor | None) -> SittingState:
    """``state`` as ``viewer`` may see it: what a snapshot sends to that device."""
    keep = viewer.person_id if viewer is not None else None
    votes = {vote_id: _keep_choice(vote, keep) for vote_id, vote in state.votes.items()}
    return state.model_copy(update={"votes": votes})


def public_state(state: SittingState) -> SittingState:
    """``state`` as the public feed may see it."""
    state = redact_state(state, None)
    votes = {}
    for vote_id, vote in state.votes.items():
        result = vote.result
        if result is not None and result.roll is not None and not result.roll_published:
            vote = vote.model_copy(update={"result": result.model_copy(update={"roll": None})})
        votes[vote_id] = vote
    return state.model_copy(update={"votes": votes})


def _keep_choice(vote: VoteState, person_id: int | None) -> VoteState:
    mine = {p: c for p, c in vote.choices.items() if p == person_id}
    return vote if mine == vote.choices else vote.model_copy(update={"choices": mine})
