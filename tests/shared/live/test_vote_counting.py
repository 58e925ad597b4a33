"""The counting phase of a verifiable secret ballot, as every device's reducer sees it.

The server appends these events (``server.ballot.live``); here they go through the same
``apply`` and redaction that tablets and the projector run.
"""

from __future__ import annotations

from datetime import timedelta

from shared.live import apply
from shared.live import events as ev
from shared.live.redaction import public_state, redact_for
from shared.live.state import replay
from shared.live.voting import Candidate, VoteResult
from tests.shared.live.harness import CHAIR, ready_hall

COMMITTEE = (3, 4, 5)


def _ballot_hall():
    """A hall with a verifiable election open (as the server opens it: ballot_id set)."""
    hall = ready_hall()
    candidates = (Candidate(candidate_id="k1", full_name="A", person_id=6),
                  Candidate(candidate_id="k2", full_name="B", person_id=7))
    hall.do(CHAIR, "open_vote", item_id=10, question="Bầu Phó Chủ tịch", mode="election",
            candidates=candidates, max_choices=1)
    opened = hall.events[-1]
    assert isinstance(opened, ev.VoteOpened)
    opened = opened.model_copy(update={"ballot_id": 42})
    hall.events[-1] = opened
    hall.state = replay(hall.events)
    return hall, opened.vote_id


def _server_event(hall, cls, **payload):
    """An event the ballot service writes (no command, the server as actor)."""
    hall.now += timedelta(seconds=1)
    event = cls(seq=hall.state.seq + 1, sitting_id=hall.state.sitting_id, at=hall.now,
                actor_id=None, **payload)
    hall.state = apply(hall.state, event)
    hall.events.append(event)
    return event


def test_close_then_a_missing_member_then_the_count():
    hall, vote_id = _ballot_hall()
    for voter in (8, 9, 10):
        _server_event(hall, ev.VoteCast, vote_id=vote_id, voter_id=voter, choice=None)
    assert hall.state.votes[vote_id].status == "open"

    first = _server_event(hall, ev.VoteCounting, vote_id=vote_id, ballots=3,
                          waiting_for=COMMITTEE)
    vote = hall.state.votes[vote_id]
    assert vote.status == "counting" and vote.waiting_for == COMMITTEE
    assert vote.counting_since == first.at and vote.result is None and vote.turnout == 3
    # counting does not hold up the sitting: the chair may open the next vote
    assert hall.state.open_vote is None

    # two members send; member 5 never does: the state says so on every device
    _server_event(hall, ev.VoteCounting, vote_id=vote_id, ballots=3, waiting_for=(5,))
    vote = hall.state.votes[vote_id]
    assert vote.status == "counting" and vote.waiting_for == (5,)
    assert vote.counting_since == first.at  # since the close, not since the last partial
    assert public_state(hall.state).votes[vote_id].waiting_for == (5,)

    # member 5 comes back later: counted, the waiting list is empty
    result = VoteResult(ballots=3, counts={"k1": 2, "k2": 1}, members_total=25,
                        present_at_open=17, threshold="majority_of_all", needed=13,
                        passed=False)
    _server_event(hall, ev.VoteClosed, vote_id=vote_id, result=result)
    vote = hall.state.votes[vote_id]
    assert vote.status == "closed" and vote.waiting_for == () and vote.result == result

    # a device that reconnects replays the same events (redacted) to the same state
    redacted = [redact_for(e, None) for e in hall.events]
    assert replay(redacted).votes[vote_id] == vote


def test_refusals_while_counting():
    hall, vote_id = _ballot_hall()
    _server_event(hall, ev.VoteCounting, vote_id=vote_id, ballots=0, waiting_for=COMMITTEE)
    # devices cannot vote or close a verifiable ballot through commands, counting or not
    assert hall.refused(8, "cast_vote", vote_id=vote_id, choice=["k1"]) == "verifiable_ballot"
    assert hall.refused(CHAIR, "close_vote", vote_id=vote_id) == "verifiable_ballot"
    # the next vote opens while the committee is still decrypting
    hall.do(CHAIR, "open_vote", item_id=10, question="Thông qua", mode="open")
    assert hall.state.open_vote is not None and hall.state.open_vote.vote_id != vote_id
    assert hall.state.votes[vote_id].status == "counting"


def test_the_event_round_trips_as_json():
    hall, vote_id = _ballot_hall()
    event = _server_event(hall, ev.VoteCounting, vote_id=vote_id, ballots=2, waiting_for=(4, 5))
    assert ev.parse_event(event.model_dump_json()) == event
    assert ev.parse_event(event.model_dump(mode="json")).waiting_for == (4, 5)
