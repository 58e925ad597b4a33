"""The live client against a real websocket hall: state, acks, cuts, offline votes."""

from __future__ import annotations

import random
import threading
import time

import pytest
from websockets.asyncio.server import ServerConnection

from shared import clock
from shared.live import commands as cmd
from shared.live.protocol import Resync, Snapshot, Welcome, dump, parse_client_message
from shared.live.redaction import redact_state
from shared.live.roster import Actor
from tablet_app.core.live_client import Callbacks, LiveClient, reconnect_delay
from tests.tablet_app.core._hall import DELEGATE, DELEGATE_2, SITTING, TinyHall, open_vote_scene


def wait_for(condition, timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        time.sleep(0.01)


@pytest.fixture
def hall():
    server = TinyHall().start()
    open_vote_scene(server)
    yield server
    server.stop()


def client_for(hall: TinyHall, token: str = "delegate-token", **kwargs) -> LiveClient:
    # a seeded rng keeps the back-off short and the test deterministic
    client = LiveClient(hall.url, SITTING, token, rng=random.Random(1), **kwargs)
    return client


def test_back_off_doubles_to_thirty_seconds_with_jitter() -> None:
    rng = random.Random(3)
    waits = [reconnect_delay(n, rng) for n in range(8)]
    for n, wait in enumerate(waits):
        base = min(30.0, 2.0 ** n)
        assert 0.5 * base <= wait <= 1.5 * base
    assert max(waits) <= 45.0


def test_snapshot_then_vote_recorded_only_after_ack(hall: TinyHall) -> None:
    states, links = [], []
    client = client_for(hall, callbacks=Callbacks(on_state=states.append,
                                                  on_link=lambda i: links.append(i.status)))
    client.start()
    try:
        wait_for(lambda: client.state is not None and client.state.open_vote is not None)
        vote = client.state.open_vote
        assert vote.question.startswith("Thông qua Nghị quyết")
        assert client.state.quorum_met and client.person_id == DELEGATE
        pending = client.send(cmd.CastVote(key="vote-delegate-3", vote_id=vote.vote_id,
                                           choice="yes"))
        wait_for(lambda: pending.state == "acked")
        assert client.my_vote(vote.vote_id) is pending and pending.seqs
        wait_for(lambda: DELEGATE in client.state.votes[vote.vote_id].voters)
        assert client.state.votes[vote.vote_id].choices == {DELEGATE: "yes"}  # only mine
        assert "connecting" in links and "online" in links
        refused = client.send({"type": "cast_vote", "vote_id": vote.vote_id, "choice": "maybe"})
        wait_for(lambda: refused.state == "refused")
        assert refused.error_code == "invalid_choice" and refused.message_vi
    finally:
        client.stop()


def test_a_vote_pressed_offline_is_sent_once_when_back(hall: TinyHall) -> None:
    changed = threading.Event()
    client = client_for(hall, callbacks=Callbacks(on_state=lambda s: changed.set()))
    client.start()
    try:
        wait_for(lambda: client.link.status == "online" and client.state is not None)
        vote_id = client.state.open_vote.vote_id
        hall.drop_all()
        wait_for(lambda: client.link.status in ("offline", "connecting"))
        pending = client.send(cmd.CastVote(key="offline-vote-3", vote_id=vote_id, choice="no"))
        assert client.send(pending.command) is pending  # pressing twice is one command
        wait_for(lambda: pending.state == "acked", timeout=8)
        assert hall.decided.count("offline-vote-3") == 1
        assert pending.sends == 1
        assert client.connects == 2
        assert hall.hellos[-1] > 0  # came back with its last seq, not from scratch
    finally:
        client.stop()


def test_an_answer_lost_in_a_cut_is_resent_with_the_same_key(hall: TinyHall) -> None:
    client = client_for(hall)
    client.start()
    try:
        wait_for(lambda: client.link.status == "online" and client.state is not None)
        # the hall decides the command but the device never hears back
        command = cmd.RequestToSpeak(key="speak-req-0003")
        hall.run(DELEGATE, command)
        hall.drop_all()
        pending = client.send(command)
        wait_for(lambda: pending.state == "acked", timeout=8)
        assert hall.decided.count("speak-req-0003") == 1  # answered from the stored answer
        wait_for(lambda: len(client.state.queue) == 1)
        assert client.state.queue[0].person_id == DELEGATE
    finally:
        client.stop()


def test_a_bad_token_is_refused_and_not_retried(hall: TinyHall) -> None:
    client = client_for(hall, token="stolen")
    client.start()
    try:
        wait_for(lambda: client.link.status == "refused")
    finally:
        client.stop()


class ResyncingHall(TinyHall):
    """Sends a snapshot, then orders a resync (as a server does to a device that fell too
    far behind, or one that is ahead of a server restored from a backup); next time only
    the snapshot."""

    async def _handler(self, socket: ServerConnection) -> None:
        hello = parse_client_message(await socket.recv())
        self.hellos.append(hello.last_seq)
        viewer = Actor.of(self.roster, DELEGATE)
        await socket.send(dump(Welcome(sitting_id=SITTING, server_time=clock.now(),
                                       head_seq=self.state.seq, person_id=DELEGATE)))
        await socket.send(dump(Snapshot(seq=self.state.seq,
                                        state=redact_state(self.state, viewer))))
        if len(self.hellos) == 1:
            await self._decide(DELEGATE_2, cmd.RequestToSpeak(key="speak-in-the-gap"))
            await socket.send(dump(Resync(reason="slow_consumer")))
        await socket.wait_closed()


def test_a_resync_forgets_the_state_and_starts_again_from_a_snapshot() -> None:
    hall = ResyncingHall().start()
    open_vote_scene(hall)
    seen: list[int] = []
    client = client_for(hall, callbacks=Callbacks(on_state=lambda s: seen.append(s.seq)))
    client.start()
    try:
        wait_for(lambda: len(hall.hellos) == 2 and client.state is not None
                 and client.state.seq == hall.state.seq)
        assert hall.hellos == [0, 0]  # it held a state (seen[0]) yet asked from scratch
        assert seen[0] < seen[-1] == hall.state.seq
        assert [r.person_id for r in client.state.queue] == [DELEGATE_2]  # the missed event
        assert client.connects == 2 and client.state.open_vote is not None
    finally:
        client.stop()
        hall.stop()


def test_a_tablet_joins_a_sitting_whose_snapshot_is_far_over_64_kib() -> None:
    """Issue 16 finding 2: 105 questions of 418 characters locked every tablet out."""
    from shared.live.roster import Member
    from tests.tablet_app.core._hall import ROSTER

    members = ROSTER.members + tuple(
        Member(person_id=200 + n, full_name=f"Đại biểu {n}", delegate_group="Tổ 3")
        for n in range(12))
    hall = TinyHall(ROSTER.model_copy(update={"members": members})).start()
    try:
        hall.run(1, cmd.OpenSitting(key="open-sitting"))
        text = ("Đề nghị Chủ tịch UBND xã cho biết tiến độ sửa chữa kè suối Ngải Thầu. " * 6)[:418]
        for number in range(105):
            person = members[number % len(members)].person_id
            hall.run(person, cmd.RegisterQuestion(key=f"question-{number:04d}", addressee_id=101, text=text))
        assert len(hall.state.questions) == 105
        snapshot = dump(Snapshot(seq=hall.events[-1].seq,
                                 state=redact_state(hall.state, Actor.of(hall.roster, DELEGATE))))
        assert len(snapshot.encode()) > 64 * 1024
        client = client_for(hall)
        client.start()
        try:
            wait_for(lambda: client.state is not None and len(client.state.questions) == 105,
                     timeout=10)
        finally:
            client.stop()
    finally:
        hall.stop()
