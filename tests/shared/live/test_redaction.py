"""Who sees which choice, and that redaction commutes with the reducer."""

from __future__ import annotations

from shared.live import (
    SittingState,
    public_state,
    public_view,
    redact_for,
    redact_state,
    replay,
)
from shared.live.events import VoteCast
from shared.live.protocol import Snapshot, dump, parse_server_message
from tests.shared.live.harness import CHAIR, SECRETARY, ready_hall


def _named_vote(publish: bool):
    hall = ready_hall(publish_named_votes=publish)
    vote_id = hall.do(
        CHAIR, "open_vote", item_id=10, question="Thông qua?", mode="named"
    ).events[0].vote_id
    for person in range(3, 10):
        hall.do(person, "cast_vote", vote_id=vote_id, choice="yes" if person % 2 else "no")
    return hall, vote_id


def test_only_the_voter_sees_their_choice():
    hall, vote_id = _named_vote(publish=False)
    cast_by_5 = next(e for e in hall.events if isinstance(e, VoteCast) and e.voter_id == 5)
    assert redact_for(cast_by_5, hall.actor(5)).choice == "yes"
    for viewer in (hall.actor(6), hall.actor(CHAIR), hall.actor(SECRETARY), None):
        seen = redact_for(cast_by_5, viewer)
        assert seen.choice is None and seen.voter_id == 5
    assert cast_by_5.choice == "yes"  # the original is untouched


def test_nobody_sees_a_partial_result_while_the_vote_is_open():
    hall, vote_id = _named_vote(publish=False)
    for viewer in (hall.actor(CHAIR), hall.actor(6), None):
        vote = redact_state(hall.state, viewer).votes[vote_id]
        assert vote.turnout == 7 and vote.result is None
        mine = {6: "no"} if viewer is not None and viewer.person_id == 6 else {}
        assert vote.choices == mine


def test_replaying_redacted_events_gives_the_redacted_state():
    hall, vote_id = _named_vote(publish=False)
    hall.do(CHAIR, "close_vote", vote_id=vote_id)
    for viewer in (hall.actor(5), hall.actor(6), hall.actor(CHAIR), hall.actor(20), None):
        tablet = replay(redact_for(e, viewer) for e in hall.events)
        assert tablet == redact_state(hall.state, viewer)
    assert replay(public_view(e) for e in hall.events) == public_state(hall.state)


def test_named_roll_is_public_only_when_the_body_publishes_it():
    for publish in (False, True):
        hall, vote_id = _named_vote(publish=publish)
        hall.do(CHAIR, "close_vote", vote_id=vote_id)
        closed = hall.events[-1]
        assert redact_for(closed, hall.actor(20)).result.roll[5] == "yes"  # the hall saw it
        public_roll = public_view(closed).result.roll
        assert (public_roll is not None) is publish
        assert (public_state(hall.state).votes[vote_id].result.roll is not None) is publish


def test_a_snapshot_round_trips_through_the_wire():
    hall, vote_id = _named_vote(publish=False)
    state = redact_state(hall.state, hall.actor(5))
    message = parse_server_message(dump(Snapshot(seq=state.seq, state=state)))
    assert isinstance(message.state, SittingState) and message.state == state
    assert message.state.votes[vote_id].choices == {5: "yes"}
    assert message.state.quorum_met is True
