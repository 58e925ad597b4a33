"""A power cut while 50 delegates vote: nothing acknowledged is lost, nothing counts twice,
and every device gets back to the server's state by itself."""

from __future__ import annotations

import asyncio
import random
import uuid

import pytest
import websockets

from shared.live.state import SittingState
from tests.server.live.conftest import Server, add_delegates, copy_template
from tests.server.live.device import Device

VOTERS = 50


async def vote_until_answered(device: Device, vote_id: str, choice: str, key: str,
                              acked: dict[str, dict]) -> None:
    """What a tablet does: send, and on a cut reconnect with back-off and resend the key."""
    # delegates press within a second of each other: the kill must find votes in flight
    await asyncio.sleep(random.uniform(0, 1.0))
    delay = 0.2
    while True:
        try:
            if device.closed.is_set():
                await device.connect()
            answer = await device.do("cast_vote", key=key, vote_id=vote_id, choice=choice,
                                     timeout=3)
            acked[key] = answer
            return
        except (OSError, TimeoutError, AssertionError, websockets.WebSocketException):
            await asyncio.sleep(delay * random.uniform(0.5, 1.5))
            delay = min(delay * 2, 2.0)


@pytest.mark.slow
def test_sigkill_while_fifty_delegates_vote(seeded_template, tmp_path_factory):
    data_dir = copy_template(seeded_template, tmp_path_factory.mktemp("live-crash"))
    extra_tokens = add_delegates(data_dir, VOTERS - 25)
    server = Server(data_dir).start()
    sitting_id = server.new_sitting("Phiên mất điện")
    tokens = [server.token(f"delegate{n:02d}") for n in range(1, 26)] + extra_tokens

    async def run() -> None:
        chair = await Device(server.ws(sitting_id), server.token("chair")).connect()
        devices = [Device(server.ws(sitting_id), t) for t in tokens]
        await asyncio.gather(*(d.connect() for d in devices))
        await chair.do("open_sitting")
        for device in devices:
            assert (await device.do("check_in"))["type"] == "ack"
        item_id = chair.state.roster.agenda[0].item_id
        opened = await chair.do("open_vote", item_id=item_id, question="Thông qua?",
                                allow_change=False)
        assert opened["type"] == "ack", opened
        vote_id = f"v{opened['seqs'][0]}"
        choices = ["yes" if n % 3 else "no" for n in range(VOTERS)]
        keys = [str(uuid.uuid4()) for _ in range(VOTERS)]
        acked: dict[str, dict] = {}
        voting = [asyncio.create_task(vote_until_answered(d, vote_id, c, k, acked))
                  for d, c, k in zip(devices, choices, keys, strict=True)]
        while len(acked) < 10:
            await asyncio.sleep(0.005)
        server.kill()  # SIGKILL: no shutdown, no flush beyond what was committed
        acked_before_kill = dict(acked)
        await asyncio.sleep(0.3)
        server.start()  # same port, same database
        await asyncio.wait_for(asyncio.gather(*voting), 60)
        assert 10 <= len(acked_before_kill) < VOTERS
        assert all(a["type"] == "ack" for a in acked.values())
        # every ack after the restart names the same seq as a repeat would: ask again
        # a tablet whose link died reconnects by itself; a resent vote is a repeat
        repeats: dict[str, dict] = {}
        await asyncio.gather(*(vote_until_answered(d, vote_id, c, k, repeats)
                               for d, c, k in zip(devices, choices, keys, strict=True)))
        for key, first in acked.items():
            assert repeats[key]["duplicate"] and repeats[key]["seqs"] == first["seqs"]

        if chair.closed.is_set():
            await chair.connect()
        closed = await chair.do("close_vote", vote_id=vote_id)
        assert closed["type"] == "ack", closed
        await chair.wait_seq(closed["seqs"][-1])
        result = chair.state.votes[vote_id].result
        roster = chair.state.roster
        assert result.ballots == VOTERS  # the chair and the secretary did not vote
        assert set(result.did_not_vote) == roster.chair_ids | roster.secretary_ids
        assert result.counts["yes"] == choices.count("yes")
        assert result.counts["no"] == choices.count("no")
        for device, token in zip(devices, tokens, strict=True):
            try:
                await device.wait_seq(closed["seqs"][-1])
            except TimeoutError:
                raise AssertionError((device.state.seq, closed, device.closed.is_set(),
                                      device.messages[-5:])) from None
            response = await asyncio.to_thread(
                server.api_with_token, token, "GET", f"/api/sittings/{sitting_id}")
            assert device.state == SittingState.model_validate(response.json()["state"])
        for device in (chair, *devices):
            await device.close()

    try:
        asyncio.run(run())
    finally:
        server.stop()
