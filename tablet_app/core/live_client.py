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

Signing in: the credential goes in ``hello`` (never in the URL). With a ``credentials``
source (``tablet_app.core.live_credentials``: the device key obtains them) the client
fetches one before connecting, renews it in the background before it ends and hands the
new one to the open connection (``auth``); a command refused as ``credentials_expired``
is sent again after renewing. Only a refusal that trying again cannot change (device
revoked, account locked) stops the client, and it says why in words.
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
    MAX_SERVER_MESSAGE_BYTES,
    PROTOCOL_VERSION,
    RECONNECT_INITIAL_S,
    RECONNECT_MAX_S,
    Ack,
    Authenticate,
    Authenticated,
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
from tablet_app.core.live_credentials import Credential, CredentialSource, is_final_refusal

LinkStatus = Literal["connecting", "online", "offline", "refused", "stopped"]
CommandState = Literal["queued", "sent", "acked", "refused"]
CLOSE_UNAUTHORIZED = 4401
RENEW_CHECK_S = 2.0  # how often an open connection looks at its credential's clock
CREDENTIAL_CODES = frozenset({"credentials_invalid", "credentials_revoked"})


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
    # why, in words, when refused (the server's or the credential request's message)
    message_vi: str | None = None
    message_en: str | None = None


@dataclass
class Callbacks:
    """Called from the client's thread. Keep them quick; hand work to the UI thread."""

    on_state: Callable[[SittingState], None] | None = None
    on_link: Callable[[LinkInfo], None] | None = None
    on_command: Callable[[PendingCommand], None] | None = None
    on_message: Callable[[Any], None] | None = None  # every server message, as parsed


class _Refused(Exception):
    """Stop for good: the credential was refused in a way retrying cannot change."""

    def __init__(self, info: LinkInfo) -> None:
        super().__init__(info.reason)
        self.info = info


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
    token: str = ""
    callbacks: Callbacks = field(default_factory=Callbacks)
    credentials: CredentialSource | None = None  # renews ``token`` with the device key
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
        self.credential: Credential | None = None
        self.renewals = 0  # credentials obtained while connected, for tests and the log
        self._said: ErrorMessage | None = None  # the server's last words without a key
        self._renew_now = False
        self._welcomed = False  # the current socket got its welcome
        self._final: _Refused | None = None

    @classmethod
    def for_server(cls, server_url: str, sitting_id: int, token: str = "",
                   **kwargs: Any) -> LiveClient:
        """``http://host:8000`` -> ``ws://host:8000/ws/sittings/{id}`` (https -> wss)."""
        base = server_url.rstrip("/")
        if base.startswith("https://"):
            base = "wss://" + base[len("https://"):]
        elif base.startswith("http://"):
            base = "ws://" + base[len("http://"):]
        return cls(f"{base}/ws/sittings/{sitting_id}", sitting_id, token, **kwargs)

    def reauthenticate_from(self, credential: Credential) -> None:
        """Use an already-fetched credential (the app fetched it to list the sittings)."""
        self.credential, self.token = credential, credential.token

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
        refused_after_renewal = 0
        while not self._stopping:
            self._set_link(LinkInfo("connecting"))
            try:
                if self.credentials is not None and (
                        not self.token or self.credential is None or self.credential.due()):
                    await self._renew()
                welcomed = await self._connect_once()
                if self._final is not None:
                    raise self._final
                if welcomed:
                    failures = 0
            except _Refused as refusal:
                self._set_link(refusal.info)
                return
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
                    said = self._said
                    # refused again and again with fresh credentials: stop, and say why
                    refused_after_renewal = 1 if self._welcomed else refused_after_renewal + 1
                    if self.credentials is None or refused_after_renewal > 2:
                        self._set_link(LinkInfo(
                            "refused", reason=said.code if said else "unauthorized",
                            message_vi=said.message_vi if said else None,
                            message_en=said.message_en if said else None))
                        return
                    self.credential = None  # fetch a new one, then connect again at once
                    continue
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

    async def _renew(self) -> None:
        """A new credential from the source (off this loop: it is a blocking request)."""
        assert self.credentials is not None
        loop = asyncio.get_running_loop()
        try:
            credential = await loop.run_in_executor(None, self.credentials)
        except Exception as error:  # every failure is sorted and shown
            if is_final_refusal(error):
                raise _Refused(LinkInfo(
                    "refused", reason=str(getattr(error, "code", "refused")),
                    message_vi=getattr(error, "message_vi", None),
                    message_en=getattr(error, "message_en", None))) from error
            raise OSError(f"no live credential: {error}") from error  # offline: retry
        self.credential, self.token = credential, credential.token

    async def _renewing(self, socket: ClientConnection) -> None:
        """Renew before the credential ends and hand it to the open connection."""
        while True:
            await asyncio.sleep(RENEW_CHECK_S)
            credential = self.credential
            if self.credentials is None or credential is None:
                continue
            if not (self._renew_now or credential.due()):
                continue
            self._renew_now = False
            try:
                await self._renew()
            except OSError:
                continue  # the server is unreachable for a moment: the socket says so
            except _Refused as refusal:  # revoked or locked: this connection ends too
                self._final = refusal
                await socket.close()
                return
            await socket.send(dump(Authenticate(token=self.token)))
            self.renewals += 1

    async def _connect_once(self) -> bool:
        welcomed = False
        self._said = None
        self._welcomed = False
        async with connect(self.url, open_timeout=10,
                           ping_interval=None, max_size=MAX_SERVER_MESSAGE_BYTES) as socket:
            self._socket = socket
            last_seq = self.state.seq if self.state is not None else 0
            # the credential in the first message: URLs (and their query) end up in logs
            await socket.send(dump(Hello(protocol_version=PROTOCOL_VERSION, last_seq=last_seq,
                                         token=self.token or None)))
            receiver = asyncio.create_task(self._receive(socket))
            heart = asyncio.create_task(self._heartbeat(socket))
            renewer = asyncio.create_task(self._renewing(socket))
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
                renewer.cancel()
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
        if self.callbacks.on_message:
            self.callbacks.on_message(message)
        if isinstance(message, Welcome):
            self.person_id = message.person_id
            self.clock_offset = message.server_time - clock.now()
            self.connects += 1
            self._welcomed = True
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
            if message.key is None or message.code in CREDENTIAL_CODES:
                self._said = message  # the words that come before a 4401 close
            if message.key is None:
                return
            if message.code in ("rate_limited", "credentials_expired"):
                # not decided: send it again later (after renewing the credential)
                if message.code == "credentials_expired":
                    self._renew_now = True
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
        elif isinstance(message, Authenticated):
            self._poke()  # in force on this connection: send what waited for it

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
