"""Random command sequences: the reducer stays a pure fold and votes stay one per voter."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shared.live import CommandRejected, public_state, public_view, redact_for, redact_state, replay
from shared.live.voting import SECRET_MODES
from tests.shared.live.harness import CHAIR, OFFICIAL_A, OFFICIAL_B, SECRETARY, Hall, make_roster

MEMBERS = range(1, 7)
PEOPLE = [*MEMBERS, OFFICIAL_A, OFFICIAL_B]
CANDIDATES = [{"candidate_id": f"k{i}", "full_name": f"K {i}"} for i in range(1, 4)]
OFFICIALS = [{"candidate_id": "a", "full_name": "A"}, {"candidate_id": "b", "full_name": "B"}]


def _choice(draw, vote):
    if vote is None or vote.mode in ("open", "named", "secret"):
        return draw(st.sampled_from(["yes", "no", "abstain", "yes", "no", "bogus"]))
    if vote.mode == "election":
        return draw(st.lists(st.sampled_from(["k1", "k2", "k3"]), max_size=3))
    levels = st.sampled_from(["high", "medium", "low"])
    return {"a": draw(levels), "b": draw(levels)}


def _step(draw, state) -> tuple[int, str, dict]:
    """One plausible command: ids come from the state so that many are accepted."""
    requests = [r.request_id for r in state.queue] or ["r1"]
    questions = list(state.questions) or ["q1"]
    votes = list(state.votes) or ["v1"]
    vote = state.open_vote or state.votes.get(draw(st.sampled_from(votes)))
    kind = draw(
        st.sampled_from(
            ["check_in", "check_in", "check_out", "open_item", "close_item", "follow_me",
             "request_to_speak", "withdraw_request", "reorder_queue", "skip_request",
             "grant_floor", "extend_turn", "end_turn", "register_question",
             "start_question_turn", "close_question", "record_commitment", "open_vote",
             "open_vote", *["cast_vote"] * 8, "close_vote"]
        )
    )
    fields: dict = {}
    person = draw(st.sampled_from(PEOPLE))
    if kind in ("open_item", "close_item", "grant_floor", "extend_turn", "start_question_turn",
                "close_question", "open_vote", "close_vote", "follow_me"):
        person = draw(st.sampled_from([CHAIR, CHAIR, CHAIR, SECRETARY, person]))
    if kind == "cast_vote" and state.present and draw(st.integers(0, 4)):
        person = draw(st.sampled_from(sorted(state.present)))
    if kind == "check_in" or kind == "check_out":
        fields = {"person_id": draw(st.sampled_from([None, *MEMBERS]))}
    elif kind == "open_item":
        fields = {"item_id": draw(st.sampled_from([10, 11, 12]))}
    elif kind == "follow_me":
        fields = {"document_id": draw(st.sampled_from([501, 503])), "page": 2}
    elif kind == "request_to_speak":
        fields = {"kind": draw(st.sampled_from(["speech", "debate"]))}
    elif kind in ("withdraw_request", "skip_request"):
        fields = {"request_id": draw(st.sampled_from(requests))}
    elif kind == "reorder_queue":
        fields = {"order": draw(st.permutations([r.request_id for r in state.queue]))}
    elif kind == "extend_turn":
        fields = {"seconds": 30}
    elif kind == "end_turn":
        fields = {"reason": draw(st.sampled_from(["finished", "stopped"]))}
    elif kind == "register_question":
        fields = {"addressee_id": draw(st.sampled_from([OFFICIAL_A, OFFICIAL_B])), "text": "?"}
    elif kind == "start_question_turn":
        phase = draw(st.sampled_from(["question", "answer", "follow_up"]))
        fields = {"question_id": draw(st.sampled_from(questions)), "phase": phase}
    elif kind == "close_question":
        outcome = draw(st.sampled_from(["answered", "in_writing"]))
        fields = {"question_id": draw(st.sampled_from(questions)), "outcome": outcome}
    elif kind == "record_commitment":
        fields = {"question_id": draw(st.sampled_from(questions)), "text": "Sẽ làm"}
    elif kind == "open_vote":
        mode = draw(st.sampled_from(["open", "named", "secret", "confidence", "election"]))
        fields = {"item_id": 10, "question": "?", "mode": mode,
                  "allow_change": draw(st.sampled_from([None, False])),
                  "quorum_override_reason": draw(st.sampled_from([None, "lý do"]))}
        if mode == "election":
            fields |= {"candidates": CANDIDATES, "max_choices": 2}
        if mode == "confidence":
            fields |= {"officials": OFFICIALS}
    elif kind in ("cast_vote", "close_vote"):
        fields = {"vote_id": vote.vote_id if vote else "v1"}
        if kind == "cast_vote":
            fields["choice"] = _choice(draw, vote)
    return person, kind, fields


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_random_sittings(data):
    hall = Hall(make_roster(members=6))
    hall.do(CHAIR, "open_sitting")
    stepwise = [hall.state]
    for _ in range(data.draw(st.integers(10, 60))):
        person, kind, fields = _step(data.draw, hall.state)
        before = hall.state.model_dump_json()
        count = len(hall.events)
        try:
            hall.do(person, kind, **fields)
        except CommandRejected:
            assert hall.state.model_dump_json() == before and len(hall.events) == count
            continue
        assert stepwise[-1].model_dump_json() == before  # apply did not touch its input
        stepwise.append(hall.state)

    assert replay(hall.events) == hall.state
    members = hall.state.members_total
    for vote in hall.state.votes.values():
        assert vote.turnout <= members and vote.voters <= hall.roster.member_ids
        if vote.result is not None:
            assert vote.result.ballots == vote.turnout
            if vote.mode in ("open", "named", "secret"):
                assert sum(vote.result.counts.values()) == vote.turnout
        if vote.mode in SECRET_MODES:
            assert vote.choices == {}
    viewer = hall.actor(data.draw(st.sampled_from(PEOPLE)))
    assert replay(redact_for(e, viewer) for e in hall.events) == redact_state(hall.state, viewer)
    assert replay(public_view(e) for e in hall.events) == public_state(hall.state)
