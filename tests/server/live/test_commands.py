"""Idempotent retries and refusals: a refused command answers a code and changes nothing."""

from __future__ import annotations

import asyncio

import pytest

from tests.server.live.conftest import Server
from tests.server.live.device import Device


async def _open_sitting_with_vote(server: Server, sitting_id: int, voters: list[str],
                                  **vote) -> tuple[dict[str, Device], str]:
    users = ["chair", "secretary", *voters]
    d = {u: Device(server.ws(sitting_id), server.token(u)) for u in users}
    await asyncio.gather(*(x.connect() for x in d.values()))
    chair = d["chair"]
    assert (await chair.do("open_sitting"))["type"] == "ack"
    for user in voters:
        assert (await d[user].do("check_in"))["type"] == "ack"
    item_id = chair.state.roster.agenda[0].item_id
    # two delegates present, no quorum: only a procedural vote may open (docs/rules.md)
    opened = await chair.do("open_vote", item_id=item_id, question="Biểu quyết?",
                            decision="procedural", quorum_override_reason="Thử nghiệm", **vote)
    assert opened["type"] == "ack", opened
    return d, f"v{opened['seqs'][0]}"


def test_a_vote_sent_twice_counts_once_with_the_same_answer(server: Server):
    sitting_id = server.new_sitting()

    async def run() -> None:
        d, vote_id = await _open_sitting_with_vote(server, sitting_id, ["delegate01"],
                                                   allow_change=False)
        voter = d["delegate01"]
        first = await voter.do("cast_vote", key="same-key-0001", vote_id=vote_id, choice="yes")
        head = voter.state.seq
        voter.answers.clear()
        again = await voter.do("cast_vote", key="same-key-0001", vote_id=vote_id, choice="yes")
        assert first["type"] == again["type"] == "ack"
        assert again["seqs"] == first["seqs"] and again["duplicate"] is True
        assert first["duplicate"] is False
        # after a reconnect too, the same key gets the same answer and nothing new
        await voter.close()
        await voter.connect()
        voter.answers.clear()
        third = await voter.do("cast_vote", key="same-key-0001", vote_id=vote_id, choice="no")
        assert third["seqs"] == first["seqs"] and third["duplicate"] is True
        closed = await d["chair"].do("close_vote", vote_id=vote_id)
        await voter.wait_seq(closed["seqs"][-1])
        assert voter.state.votes[vote_id].result.counts["yes"] == 1
        assert voter.state.votes[vote_id].result.ballots == 1
        assert closed["seqs"] == [head + 1]  # the repeats made no event
        for device in d.values():
            await device.close()

    asyncio.run(run())


REFUSALS = [
    # (who, command, expected code)
    ("delegate01", {"type": "open_item", "item_id": 1}, "not_chair"),
    ("delegate01", {"type": "check_in", "person_id": 1}, "acting_for_other"),
    ("official1", {"type": "check_in"}, "not_member"),
    ("delegate01", {"type": "reorder_queue", "order": []}, "not_chair_or_secretary"),
    ("chair", {"type": "grant_floor"}, "queue_empty"),
    ("chair", {"type": "open_item", "item_id": 999999}, "unknown_item"),
    ("chair", {"type": "close_vote", "vote_id": "v1"}, "unknown_vote"),
    ("delegate02", {"type": "cast_vote", "vote_id": "VOTE", "choice": "yes"}, "not_present"),
    ("official1", {"type": "cast_vote", "vote_id": "VOTE", "choice": "yes"}, "not_member"),
    ("delegate03", {"type": "cast_vote", "vote_id": "VOTE", "choice": "maybe"}, "invalid_choice"),
    ("delegate01", {"type": "cast_vote", "vote_id": "VOTE", "choice": "no"}, "already_voted"),
    ("chair", {"type": "open_vote", "item_id": "ITEM", "question": "?",
               "quorum_override_reason": "x"}, "vote_in_progress"),
    ("chair", {"type": "open_sitting"}, "sitting_already_open"),
]


def test_every_refusal_has_a_code_and_changes_nothing(server: Server):
    sitting_id = server.new_sitting()

    async def run() -> None:
        d, vote_id = await _open_sitting_with_vote(server, sitting_id,
                                                   ["delegate01", "delegate03"],
                                                   allow_change=False)
        for user in ("delegate02", "official1"):
            d[user] = await Device(server.ws(sitting_id), server.token(user)).connect()
        assert (await d["delegate01"].do("cast_vote", vote_id=vote_id,
                                         choice="yes"))["type"] == "ack"
        item_id = d["chair"].state.roster.agenda[0].item_id
        await d["chair"].wait_seq(d["delegate01"].state.seq)
        before = server.api(None, "GET", f"/api/sittings/{sitting_id}/public").json()
        for who, command, code in REFUSALS:
            command = {k: (vote_id if v == "VOTE" else item_id if v == "ITEM" else v)
                       for k, v in command.items()}
            answer = await d[who].do(**{"type_": command.pop("type")}, **command)
            assert answer["type"] == "error" and answer["code"] == code, (who, command, answer)
            assert answer["message_vi"] and answer["message_en"]
        closed = await d["chair"].do("close_vote", vote_id=vote_id)
        again = await d["chair"].do("close_vote", vote_id=vote_id)
        assert again["code"] == "vote_closed"
        after = server.api(None, "GET", f"/api/sittings/{sitting_id}/public").json()
        assert after["seq"] == before["seq"] + 1 == closed["seqs"][0]
        for device in d.values():
            await device.close()

    asyncio.run(run())


@pytest.mark.parametrize("username", ["delegate01"])
def test_refused_over_rest_is_problem_json(server: Server, username: str):
    sitting_id = server.new_sitting()
    response = server.api(username, "POST", f"/api/sittings/{sitting_id}/commands",
                          json={"key": "rest-key-0001", "type": "check_in"})
    assert response.status_code == 409
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["code"] == "sitting_not_open"
    response = server.api(username, "POST", f"/api/sittings/{sitting_id}/commands",
                          json={"key": "rest-key-0002", "type": "launch_rocket"})
    assert response.status_code == 422 and response.json()["code"] == "unknown_command"
    events = server.api(username, "GET", f"/api/sittings/{sitting_id}/events").json()
    assert events == []
