"""The device's side of a live sitting: one websocket, the shared reducer, an outbox.

Follows ``docs/protocol.md``: ``hello`` with the last seq applied, then the server's
snapshot or missed events, then live events, each folded into the state with
``shared.live.state.apply`` (the same reducer the server runs, so the tablet cannot
disagree with it). The connection lives on its own thread with its own asyncio loop; the
UI calls ``send`` from its thread and receives callbacks from the client's thread (a
Kivy screen wraps them in ``Clock.schedule_once``).

Commands are kept in an outbox by idempotency key until the server answers. A command
pressed while offline waits there and goes out once the link is back; a command whose
answer was lost in a cut is resent with the *same* key, so the server answers it again
without deciding it twice. A vote is "recorded" only when its ``ack`` has arrived.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import threading
import uuid
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Literal

import websockets
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidStatus, InvalidURI

from shared import clock
from shared.live.commands import COMMAND_ADAPTER, CommandBase
from shared.live.errors import EventOutOfOrder, ProtocolError
from shared.live.protocol import (
    HEARTBEAT_INTERVAL_S,
    PROTOCOL_VERSION,
    RECONNECT_INITIAL_S,
    RECONNECT_MAX_S,
    Ack,
    CommandMessage,
    ErrorMessage,
    EventBatch,
    EventMessage,
    Hello,
    Ping,
    Pong,
    Resync,
    Snapshot,
    Welcome,
    dump,
    parse_server_message,
)
from shared.live.state import SittingState, apply

LinkStatus = Literal["connecting", "online", "offline", "refused", "stopped"]
CommandState = Literal["queued", "sent", "acked", "refused"]
CLOSE_UNAUTHORIZED = 4401


def new_key() -> str:
    return uuid.uuid4().hex


def reconnect_delay(failures: int, rng: random.Random | None = None) -> float:
    """Wait before attempt ``failures + 1``: 1 s doubling to 30 s, times 0.5..1.5 jitter."""
    base = min(RECONNECT_MAX_S, RECONNECT_INITIAL_S * 2 ** max(0, failures))
    return base * (rng or random).uniform(0.5, 1.5)


@dataclass
class PendingCommand:
    """A command and what has become of it; the UI reads ``state``."""

    command: CommandBase
    state: CommandState = "queued"
    seqs: tuple[int, ...] = ()
    error_code: str | None = None
    message_vi: str | None = None
    message_en: str | None = None
    sends: int = 0  # frames sent; >1 only when an answer was lost in a cut

    @property
    def key(self) -> str:
        return self.command.key


@dataclass
class LinkInfo:
    status: LinkStatus
    retry_in: float | None = None  # seconds until the next attempt, when offline
    reason: str | None = None


@dataclass
class Callbacks:
    """Called from the client's thread. Keep them quick; hand work to the UI thread."""

    on_state: Callable[[SittingState], None] | None = None
    on_link: Callable[[LinkInfo], None] | None = None
    on_command: Callable[[PendingCommand], None] | None = None


class _Reconnect(Exception):
    """Drop this connection and start again (gap in seqs, resync, unknown event)."""

    def __init__(self, reason: str, *, forget_state: bool = False) -> None:
        super().__init__(reason)
        self.forget_state = forget_state


@dataclass
class LiveClient:
    """Follows one sitting for one person. ``start()`` it, ``stop()`` it."""

    url: str  # ws://host:port/ws/sittings/{id}
    sitting_id: int
    token: str
    callbacks: Callbacks = field(default_factory=Callbacks)
    state: SittingState | None = None
    rng: random.Random = field(default_factory=random.Random)
    heartbeat_s: float = HEARTBEAT_INTERVAL_S

    def __post_init__(self) -> None:
        self.person_id: int | None = None
        self.clock_offset = timedelta(0)
        self.link = LinkInfo("stopped")
        self.connects = 0  # successful welcomes, for tests and the status line
        self.log: deque = deque(maxlen=200)  # recent events applied, for the chair's log
        self._outbox: dict[str, PendingCommand] = {}
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._wake: asyncio.Event | None = None
        self._socket: ClientConnection | None = None
        self._thread: threading.Thread | None = None
        self._stopping = False
        self._ready = threading.Event()

    @classmethod
    def for_server(cls, server_url: str, sitting_id: int, token: str, **kwargs: Any) -> LiveClient:
        """``http://host:8000`` -> ``ws://host:8000/ws/sittings/{id}`` (https -> wss)."""
        base = server_url.rstrip("/")
        if base.startswith("https://"):
            base = "wss://" + base[len("https://"):]
        elif base.startswith("http://"):
            base = "ws://" + base[len("http://"):]
        return cls(f"{base}/ws/sittings/{sitting_id}", sitting_id, token, **kwargs)

    # --- the UI's side -------------------------------------------------------------------

    def start(self) -> None:
        if self._thread is not None:
            return
        self._stopping = False
        self._thread = threading.Thread(target=self._thread_main, name="live-client",
                                        daemon=True)
        self._thread.start()
        self._ready.wait(5)

    def stop(self) -> None:
        self._stopping = True
        loop = self._loop
        if loop is not None and not loop.is_closed():
            with contextlib.suppress(RuntimeError):
                loop.call_soon_threadsafe(self._poke)
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._thread = None
        self._set_link(LinkInfo("stopped"))

    def now(self) -> datetime:
        """The server's clock as best known (for countdowns)."""
        return clock.now() + self.clock_offset

    def send(self, command: CommandBase | dict[str, Any]) -> PendingCommand:
        """Queue a command; it goes out now if online, else as soon as the link is back."""
        if isinstance(command, dict):
            command = COMMAND_ADAPTER.validate_python({"key": new_key(), **command})
        pending = PendingCommand(command)
        with self._lock:
            existing = self._outbox.get(command.key)
            if existing is not None:  # the same press twice: one command, one answer
                return existing
            self._outbox[command.key] = pending
        self._notify_command(pending)
        loop = self._loop
        if loop is not None and not loop.is_closed():
            with contextlib.suppress(RuntimeError):
                loop.call_soon_threadsafe(self._poke)
        return pending

    def pending(self) -> list[PendingCommand]:
        with self._lock:
            return [p for p in self._outbox.values() if p.state in ("queued", "sent")]

    def command(self, key: str) -> PendingCommand | None:
        with self._lock:
            return self._outbox.get(key)

    def my_vote(self, vote_id: str) -> PendingCommand | None:
        """The latest vote this device sent in ``vote_id`` (acked, waiting or refused)."""
        with self._lock:
            votes = [p for p in self._outbox.values()
                     if getattr(p.command, "type", "") == "cast_vote"
                     and getattr(p.command, "vote_id", "") == vote_id]
        return votes[-1] if votes else None

    # --- the client's thread ----------------------------------------------------------------

    def _poke(self) -> None:
        if self._wake is not None:
            self._wake.set()

    def _thread_main(self) -> None:
        loop = asyncio.new_event_loop()
        self._loop = loop
        try:
            loop.run_until_complete(self._run())
        finally:
            loop.close()

    async def _run(self) -> None:
        self._wake = asyncio.Event()
        self._ready.set()
        failures = 0
        while not self._stopping:
            self._set_link(LinkInfo("connecting"))
            try:
                welcomed = await self._connect_once()
                if welcomed:
                    failures = 0
            except _Reconnect as reason:
                if reason.forget_state:
                    self.state = None
                failures = 0
                continue  # at once: the server is there, we only need a fresh start
            except InvalidStatus as exc:
                self._set_link(LinkInfo("refused", reason=f"http {exc.response.status_code}"))
            except (OSError, ConnectionClosed, TimeoutError, InvalidURI,
                    websockets.InvalidHandshake) as exc:
                if isinstance(exc, ConnectionClosed) and exc.rcvd is not None \
                        and exc.rcvd.code == CLOSE_UNAUTHORIZED:
                    self._set_link(LinkInfo("refused", reason="unauthorized"))
                    return
            if self._stopping:
                break
            delay = reconnect_delay(failures, self.rng)
            failures += 1
            self._set_link(LinkInfo("offline", retry_in=delay))
            self._wake.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopped(), delay)

    async def _stopped(self) -> None:
        while not self._stopping:
            await self._wake.wait()
            self._wake.clear()

    async def _connect_once(self) -> bool:
        welcomed = False
        headers = {"Authorization": f"Bearer {self.token}"}
        async with connect(self.url, additional_headers=headers, open_timeout=10,
                           ping_interval=None, max_size=64 * 1024) as socket:
            self._socket = socket
            last_seq = self.state.seq if self.state is not None else 0
            await socket.send(dump(Hello(protocol_version=PROTOCOL_VERSION, last_seq=last_seq)))
            receiver = asyncio.create_task(self._receive(socket))
            heart = asyncio.create_task(self._heartbeat(socket))
            try:
                while not self._stopping and not receiver.done():
                    if self.link.status == "online":
                        welcomed = True
                        await self._flush(socket)
                    self._wake.clear()
                    waiter = asyncio.create_task(self._wake.wait())
                    await asyncio.wait({receiver, waiter}, return_when=asyncio.FIRST_COMPLETED)
                    waiter.cancel()
                if receiver.done():
                    receiver.result()  # raises what ended it (closed, _Reconnect)
            finally:
                heart.cancel()
                receiver.cancel()
                self._socket = None
                for pending in self.pending():  # unanswered: resend after reconnecting
                    pending.state = "queued"
        return welcomed

    async def _flush(self, socket: ClientConnection) -> None:
        for pending in self.pending():
            if pending.state != "queued":
                continue
            pending.state = "sent"
            pending.sends += 1
            await socket.send(dump(CommandMessage(command=pending.command)))
            self._notify_command(pending)

    async def _heartbeat(self, socket: ClientConnection) -> None:
        while True:
            await asyncio.sleep(self.heartbeat_s)
            await socket.send(dump(Ping()))

    async def _receive(self, socket: ClientConnection) -> None:
        async for raw in socket:
            try:
                message = parse_server_message(raw)
            except ProtocolError as exc:
                # an event type this app does not know: ask for a snapshot instead
                raise _Reconnect(f"unreadable message: {exc}", forget_state=True) from exc
            self._handle(message)

    def _handle(self, message: Any) -> None:
        if isinstance(message, Welcome):
            self.person_id = message.person_id
            self.clock_offset = message.server_time - clock.now()
            self.connects += 1
            if self.state is not None and message.head_seq < self.state.seq:
                pass  # the server sends resync; nothing to do until then
            self._set_link(LinkInfo("online"))
            self._poke()
        elif isinstance(message, Snapshot):
            self.state = message.state
            self._notify_state()
        elif isinstance(message, EventBatch):
            for event in message.events:
                self._apply(event)
            self._notify_state()
        elif isinstance(message, EventMessage):
            if self._apply(message.event):
                self._notify_state()
        elif isinstance(message, Ack):
            self._answer(message.key, "acked", seqs=message.seqs)
        elif isinstance(message, ErrorMessage):
            if message.key is None:
                return
            if message.code == "rate_limited":  # not decided: send it again later
                pending = self.command(message.key)
                if pending is not None:
                    pending.state = "queued"
                return
            self._answer(message.key, "refused", code=message.code,
                         vi=message.message_vi, en=message.message_en)
        elif isinstance(message, Resync):
            raise _Reconnect(message.reason, forget_state=True)
        elif isinstance(message, Pong):
            self.clock_offset = message.server_time - clock.now()

    def _apply(self, event: Any) -> bool:
        if self.state is None:
            if event.seq != 1:
                raise _Reconnect("event before snapshot", forget_state=True)
            self.state = SittingState(sitting_id=event.sitting_id)
        if event.seq <= self.state.seq:
            return False  # a duplicate
        try:
            self.state = apply(self.state, event)
        except EventOutOfOrder as exc:
            raise _Reconnect(f"missed events before {event.seq}") from exc
        self.log.append(event)
        return True

    def _answer(self, key: str, state: CommandState, *, seqs: tuple[int, ...] = (),
                code: str | None = None, vi: str | None = None, en: str | None = None) -> None:
        pending = self.command(key)
        if pending is None:
            return
        pending.state, pending.seqs = state, seqs
        pending.error_code, pending.message_vi, pending.message_en = code, vi, en
        self._notify_command(pending)

    # --- callbacks -----------------------------------------------------------------------

    def _set_link(self, info: LinkInfo) -> None:
        self.link = info
        if self.callbacks.on_link:
            self.callbacks.on_link(info)

    def _notify_state(self) -> None:
        if self.callbacks.on_state and self.state is not None:
            self.callbacks.on_state(self.state)

    def _notify_command(self, pending: PendingCommand) -> None:
        if self.callbacks.on_command:
            self.callbacks.on_command(pending)
