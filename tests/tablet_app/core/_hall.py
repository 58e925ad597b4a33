"""A tiny real hall server for the tablet's tests: websockets + the shared reducer.

It speaks the protocol of ``docs/protocol.md`` with the same ``decide``, ``apply`` and
``redact_for`` as the project's server, keeps key -> answer for idempotency, and can cut
every connection (``drop_all``) to test reconnection. It runs on its own thread and
loop so synchronous tests and the Kivy window can use it alike.
"""

from __future__ import annotations

import asyncio
import threading

from websockets.asyncio.server import ServerConnection, serve

from shared import clock
from shared.live import commands as cmd
from shared.live.decide import decide
from shared.live.errors import CommandRejected, ProtocolError
from shared.live.protocol import (
    Ack,
    CommandMessage,
    ErrorMessage,
    EventBatch,
    EventMessage,
    Hello,
    Ping,
    Pong,
    Snapshot,
    Welcome,
    dump,
    parse_client_message,
)
from shared.live.redaction import redact_for, redact_state
from shared.live.roster import Actor, AgendaDocument, AgendaItem, Member, Official, Roster
from shared.live.state import SittingState, apply

SITTING = 7
CHAIR, SECRETARY, DELEGATE, DELEGATE_2 = 1, 2, 3, 4
TOKENS = {"chair-token": CHAIR, "secretary-token": SECRETARY,
          "delegate-token": DELEGATE, "delegate2-token": DELEGATE_2}

ROSTER = Roster(
    members=(
        Member(person_id=CHAIR, full_name="Vàng A Chư", delegate_group="Tổ 1"),
        Member(person_id=SECRETARY, full_name="Lý Thị Mai", delegate_group="Tổ 1"),
        Member(person_id=DELEGATE, full_name="Sần Văn Páo", delegate_group="Tổ 2"),
        Member(person_id=DELEGATE_2, full_name="Hoàng Thị Dung", delegate_group="Tổ 2"),
    ),
    officials=(Official(person_id=101, full_name="Lò Văn Sinh", title="Chủ tịch UBND xã"),),
    chair_ids=frozenset({CHAIR}),
    secretary_ids=frozenset({SECRETARY}),
    agenda=(
        AgendaItem(item_id=10, number="1", title="Báo cáo kinh tế - xã hội 6 tháng đầu năm",
                   documents=(AgendaDocument(document_id=501, title="Báo cáo số 45/BC-UBND"),)),
        AgendaItem(item_id=11, number="2", title="Nghị quyết dự toán ngân sách bổ sung",
                   documents=(AgendaDocument(document_id=502, title="Dự thảo Nghị quyết"),)),
    ),
)


class TinyHall:
    def __init__(self, roster: Roster = ROSTER) -> None:
        self.roster = roster
        self.state = SittingState.new(SITTING, roster)
        self.events: list = []
        self.answers: dict[tuple[int, str], Ack | ErrorMessage] = {}
        self.decided: list[str] = []  # keys decided, in order (a repeat would show twice)
        self.connections: dict[ServerConnection, Actor] = {}
        self.hellos: list[int] = []  # last_seq of every hello received
        self.loop = asyncio.new_event_loop()
        self.port = 0
        self._started = threading.Event()
        self._thread = threading.Thread(target=self._main, daemon=True)

    # --- control from the test's thread --------------------------------------------------

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/ws/sittings/{SITTING}"

    def start(self) -> TinyHall:
        self._thread.start()
        self._started.wait(5)
        return self

    def stop(self) -> None:
        self.loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(5)

    def run(self, person_id: int, command: cmd.CommandBase) -> None:
        """Decide a command as ``person_id`` directly (setting the scene for a test)."""
        future = asyncio.run_coroutine_threadsafe(self._decide(person_id, command), self.loop)
        future.result(5)

    def drop_all(self) -> None:
        """Cut every connection, as a Wi-Fi access point going away would."""
        async def drop() -> None:
            for socket in list(self.connections):
                socket.transport.abort()
        asyncio.run_coroutine_threadsafe(drop(), self.loop).result(5)

    # --- the server ---------------------------------------------------------------------

    def _main(self) -> None:
        asyncio.set_event_loop(self.loop)
        self.loop.run_until_complete(self._serve())

    async def _serve(self) -> None:
        self._stop = asyncio.Event()
        async with serve(self._handler, "127.0.0.1", 0) as server:
            self.port = server.sockets[0].getsockname()[1]
            self._started.set()
            await self._stop.wait()

    async def _decide(self, person_id: int, command: cmd.CommandBase) -> Ack | ErrorMessage:
        answer_key = (person_id, command.key)
        if answer_key in self.answers:
            return self.answers[answer_key].model_copy(update={"duplicate": True}) \
                if isinstance(self.answers[answer_key], Ack) else self.answers[answer_key]
        actor = Actor.of(self.roster, person_id)
        try:
            decision = decide(self.state, command, actor, clock.now())
        except CommandRejected as error:
            answer: Ack | ErrorMessage = ErrorMessage.of(error, key=command.key)
        else:
            self.decided.append(command.key)
            for event in decision.events:
                self.state = apply(self.state, event)
                self.events.append(event)
                for socket, viewer in list(self.connections.items()):
                    await _send(socket, EventMessage(event=redact_for(event, viewer)))
            answer = Ack(key=command.key, seqs=tuple(e.seq for e in decision.events))
        self.answers[answer_key] = answer
        return answer

    async def _handler(self, socket: ServerConnection) -> None:
        hello = parse_client_message(await socket.recv())
        if not isinstance(hello, Hello):
            await socket.close(4400)
            return
        person_id = TOKENS.get(hello.token or "")  # the credential is in hello, as the server
        if person_id is None:
            await socket.close(4401, "unauthorized")
            return
        actor = Actor.of(self.roster, person_id)
        self.hellos.append(hello.last_seq)
        await _send(socket, Welcome(sitting_id=SITTING, server_time=clock.now(),
                                    head_seq=self.state.seq, person_id=person_id))
        if hello.last_seq == 0:
            await _send(socket, Snapshot(seq=self.state.seq,
                                         state=redact_state(self.state, actor)))
        elif hello.last_seq < self.state.seq:
            missed = tuple(redact_for(e, actor) for e in self.events[hello.last_seq:])
            await _send(socket, EventBatch(events=missed))
        self.connections[socket] = actor
        try:
            async for raw in socket:
                try:
                    message = parse_client_message(raw)
                except ProtocolError as error:
                    await _send(socket, ErrorMessage.of(error))
                    continue
                if isinstance(message, CommandMessage):
                    await _send(socket, await self._decide(person_id, message.command))
                elif isinstance(message, Ping):
                    await _send(socket, Pong(nonce=message.nonce, server_time=clock.now()))
        except Exception:  # a dropped socket ends this handler, nothing more
            pass
        finally:
            self.connections.pop(socket, None)


async def _send(socket: ServerConnection, message) -> None:
    try:
        await socket.send(dump(message))
    except Exception:  # the device went away; it will catch up on reconnect
        pass


def open_vote_scene(hall: TinyHall) -> None:
    """An open sitting, everyone present, item 2 open, a vote on the draft resolution."""
    hall.run(CHAIR, cmd.OpenSitting(key="open-sitting-1"))
    for person in (CHAIR, SECRETARY, DELEGATE, DELEGATE_2):
        hall.run(person, cmd.CheckIn(key=f"check-in-{person:04d}"))
    hall.run(CHAIR, cmd.OpenItem(key="open-item-11", item_id=11))
    hall.run(CHAIR, cmd.OpenVote(key="open-vote-11", item_id=11,
                                 question="Thông qua Nghị quyết dự toán ngân sách bổ sung"))
