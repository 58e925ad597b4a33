"""A sitting end to end over real websockets against a real uvicorn server."""

from __future__ import annotations

import asyncio

from tests.server.live.conftest import Server
from tests.server.live.device import Device

DELEGATES = [f"delegate0{i}" for i in range(1, 6)]


async def _devices(server: Server, sitting_id: int, users: list[str]) -> dict[str, Device]:
    devices = {u: Device(server.ws(sitting_id), server.token(u)) for u in users}
    await asyncio.gather(*(d.connect() for d in devices.values()))
    return devices


def test_a_sitting_from_opening_to_result(server: Server):
    sitting_id = server.new_sitting()
    checked_in: list[int] = []

    async def run() -> None:
        d = await _devices(server, sitting_id, ["chair", "secretary", *DELEGATES])
        checked_in.extend(d[u].person_id for u in DELEGATES)
        public = await Device(server.ws(sitting_id, public=True)).connect()
        chair = d["chair"]
        assert chair.state.status == "scheduled" and chair.state.members_total == 27

        assert (await chair.do("open_sitting"))["type"] == "ack"
        for user in DELEGATES:
            answer = await d[user].do("check_in")
            assert answer["type"] == "ack", answer
        head = chair.state.seq
        for device in (*d.values(), public):
            await device.wait_seq(head)
            assert len(device.state.present) == 5
            assert device.state.quorum_needed == 18 and not device.state.quorum_met

        item_id = chair.state.roster.agenda[0].item_id
        assert (await chair.do("open_item", item_id=item_id))["type"] == "ack"
        first = d["delegate01"]
        assert (await first.do("request_to_speak", kind="speech"))["type"] == "ack"
        assert (await chair.do("grant_floor"))["type"] == "ack"
        await d["delegate05"].wait_seq(chair.state.seq)
        assert d["delegate05"].state.turn.person_id == first.person_id
        assert d["delegate05"].state.turn.limit_s == 420
        assert (await first.do("end_turn", reason="finished"))["type"] == "ack"

        refused = await chair.do("open_vote", item_id=item_id, question="Thông qua?")
        assert refused["type"] == "error" and refused["code"] == "no_quorum_binding"
        refused = await chair.do("open_vote", item_id=item_id, question="Thông qua?",
                                 quorum_override_reason="Thử nghiệm")
        assert refused["type"] == "error" and refused["code"] == "no_quorum_binding"
        # without quorum only a procedural vote opens, with the chair's reason
        opened = await chair.do("open_vote", item_id=item_id, question="Lùi giờ họp?",
                                decision="procedural", quorum_override_reason="Thử nghiệm")
        assert opened["type"] == "ack"
        vote_id = f"v{opened['seqs'][0]}"

        choices = {"delegate01": "yes", "delegate02": "yes", "delegate03": "yes",
                   "delegate04": "yes", "delegate05": "no"}
        assert (await first.do("cast_vote", vote_id=vote_id, choice="yes"))["type"] == "ack"
        other = d["delegate02"]
        await other.wait_seq(first.state.seq)
        seen = other.state.votes[vote_id]
        assert seen.turnout == 1 and seen.choices == {}  # turnout, never a partial result
        assert first.state.votes[vote_id].choices == {first.person_id: "yes"}
        await chair.wait_seq(first.state.seq)
        assert chair.state.votes[vote_id].choices == {}
        for user, choice in list(choices.items())[1:]:
            assert (await d[user].do("cast_vote", vote_id=vote_id, choice=choice))["type"] == "ack"

        closed = await chair.do("close_vote", vote_id=vote_id)
        assert closed["type"] == "ack"
        head = closed["seqs"][-1]
        for device in (*d.values(), public):
            await device.wait_seq(head)
            result = device.state.votes[vote_id].result
            assert result.counts == {"yes": 4, "no": 1, "abstain": 0}
            assert result.needed == 14 and result.passed is False
            assert len(result.did_not_vote) == 22
        assert public.state.votes[vote_id].result.roll is None
        assert (await chair.do("close_sitting"))["type"] == "ack"
        for device in (*d.values(), public):
            await device.close()

    asyncio.run(run())
    rest = server.api(None, "GET", f"/api/sittings/{sitting_id}/public").json()
    (vote,) = rest["votes"].values()
    assert vote["result"]["counts"]["yes"] == 4 and vote["choices"] == {}
    mine = server.api("delegate05", "GET", f"/api/sittings/{sitting_id}").json()["state"]
    (vote,) = mine["votes"].values()
    assert list(vote["choices"].values()) == ["no"]  # only my own choice
    # the check-ins reached the session's attendance; creation and closing are audited
    attendance = server.api("clerk", "GET", f"/api/sessions/{server.session_id()}/attendance")
    present = {p["person_id"] for p in attendance.json()["people"] if p["status"] == "present"}
    assert present >= set(checked_in)
    audit = server.api("admin", "GET", "/api/audit?limit=50").json()
    actions = {(e["action"], e["target_id"]) for e in audit}
    assert {("sitting.created", str(sitting_id)), ("sitting.closed", str(sitting_id))} <= actions


def test_rest_and_websocket_share_one_log(server: Server):
    sitting_id = server.new_sitting("Phiên REST")
    response = server.api("chair", "POST", f"/api/sittings/{sitting_id}/commands",
                          json={"key": "rest-open-0001", "type": "open_sitting"})
    assert response.status_code == 200 and response.json()["seqs"] == [1]
    response = server.api("delegate01", "POST", f"/api/sittings/{sitting_id}/commands",
                          json={"key": "rest-open-0002", "type": "open_item", "item_id": 1})
    assert response.status_code == 403 and response.json()["code"] == "not_chair"
    events = server.api("delegate01", "GET", f"/api/sittings/{sitting_id}/events?after=0").json()
    assert [e["type"] for e in events] == ["sitting_opened"]
    listed = server.api("clerk", "GET", f"/api/sessions/{server.session_id()}/sittings").json()
    assert any(s["id"] == sitting_id and s["status"] == "open" for s in listed)
