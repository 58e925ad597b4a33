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
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal, assert_never

import websockets
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidStatus, InvalidURI

from shared import clock
from shared.live.commands import COMMAND_ADAPTER, Command
from shared.live.events import Event
from shared.live.protocol import (
    HEARTBEAT_INTERVAL_S,
    MAX_SERVER_MESSAGE_BYTES,
    RECONNECT_INITIAL_S,
    RECONNECT_MAX_S,
    dump,
)
from shared.live.session_client import (
    ClientOutput,
    ClientSession,
    CommandChanged,
    CommandState,
    Online,
    PendingCommand,
    Received,
    Reconnect,
    Renew,
    StateChanged,
    Transmit,
)
from shared.live.session_server import CLOSE_UNAUTHORIZED
from shared.live.state import SittingState
from tablet_app.core.live_credentials import Credential, CredentialSource, is_final_refusal

__all__ = ["Callbacks", "CommandState", "LinkInfo", "LiveClient", "PendingCommand",
           "new_key", "reconnect_delay"]

LinkStatus = Literal["connecting", "online", "offline", "refused", "stopped"]
RENEW_CHECK_S = 2.0  # how often an open connection looks at its credential's clock


def new_key() -> str:
    return uuid.uuid4().hex


def reconnect_delay(failures: int, rng: random.Random | None = None) -> float:
    """Wait before attempt ``failures + 1``: 1 s doubling to 30 s, times 0.5..1.5 jitter."""
    base = min(RECONNECT_MAX_S, RECONNECT_INITIAL_S * 2.0 ** max(0, failures))
    return base * (rng or random).uniform(0.5, 1.5)


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


class LiveClient:
    """Follows one sitting for one person. ``start()`` it, ``stop()`` it.

    The protocol is ``self.session`` (``shared.live.session_client.ClientSession``); this
    class is its I/O: the socket, the thread and its loop, heartbeats, renewing the
    credential and reconnecting. Every call into the session holds ``_lock`` (the UI
    queues commands from its own thread).
    """

    def __init__(self, url: str, sitting_id: int, token: str = "",
                 callbacks: Callbacks | None = None,
                 credentials: CredentialSource | None = None,
                 state: SittingState | None = None, rng: random.Random | None = None,
                 heartbeat_s: float = HEARTBEAT_INTERVAL_S,
                 renew_check_s: float = RENEW_CHECK_S) -> None:
        self.url = url  # ws://host:port/ws/sittings/{id}
        self.sitting_id = sitting_id
        self.token = token
        self.callbacks = callbacks or Callbacks()
        self.credentials = credentials  # renews ``token`` with the device key
        self.rng = rng or random.Random()
        self.heartbeat_s = heartbeat_s
        self.renew_check_s = renew_check_s
        self.session = ClientSession(state)
        self.link = LinkInfo("stopped")
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._wake: asyncio.Event | None = None
        self._thread: threading.Thread | None = None
        self._stopping = False
        self._ready = threading.Event()
        self.credential: Credential | None = None
        self.renewals = 0  # credentials obtained while connected, for tests and the log
        self._renew_now = False
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

    # --- what the session knows ------------------------------------------------------------

    @property
    def state(self) -> SittingState | None:
        return self.session.state

    @property
    def person_id(self) -> int | None:
        return self.session.person_id

    @property
    def clock_offset(self) -> timedelta:
        return self.session.clock_offset

    @property
    def connects(self) -> int:
        """Successful welcomes, for tests and the status line."""
        return self.session.connects

    @property
    def log(self) -> deque[Event]:
        """Recent events applied, for the chair's log."""
        return self.session.log

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
        self._poke_soon()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._thread = None
        self._set_link(LinkInfo("stopped"))

    def now(self) -> datetime:
        """The server's clock as best known (for countdowns)."""
        return clock.now() + self.session.clock_offset

    def send(self, command: Command | dict[str, Any]) -> PendingCommand:
        """Queue a command; it goes out now if online, else as soon as the link is back."""
        if isinstance(command, dict):
            command = COMMAND_ADAPTER.validate_python({"key": new_key(), **command})
        with self._lock:
            pending, new = self.session.submit(command)
        if new:
            self._notify_command(pending)
            self._poke_soon()
        return pending

    def pending(self) -> list[PendingCommand]:
        with self._lock:
            return self.session.pending()

    def command(self, key: str) -> PendingCommand | None:
        with self._lock:
            return self.session.outbox.get(key)

    def my_vote(self, vote_id: str) -> PendingCommand | None:
        """The latest vote this device sent in ``vote_id`` (acked, waiting or refused)."""
        with self._lock:
            return self.session.my_vote(vote_id)

    # --- the client's thread ----------------------------------------------------------------

    def _poke_soon(self) -> None:
        loop = self._loop
        if loop is not None and not loop.is_closed():
            with contextlib.suppress(RuntimeError):
                loop.call_soon_threadsafe(self._poke)

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
            except _Reconnect:
                failures = 0
                continue  # at once: the server is there, we only need a fresh start
            except InvalidStatus as exc:
                self._set_link(LinkInfo("refused", reason=f"http {exc.response.status_code}"))
            except (OSError, ConnectionClosed, TimeoutError, InvalidURI,
                    websockets.InvalidHandshake) as exc:
                if isinstance(exc, ConnectionClosed) and exc.rcvd is not None \
                        and exc.rcvd.code == CLOSE_UNAUTHORIZED:
                    said = self.session.last_words
                    # refused again and again with fresh credentials: stop, and say why
                    refused_after_renewal = (1 if self.session.welcomed
                                             else refused_after_renewal + 1)
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
        assert self._wake is not None
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
            await asyncio.sleep(self.renew_check_s)
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
            with self._lock:
                hand_over = self.session.renewed(self.token)
            await self._perform(socket, [hand_over])
            self.renewals += 1

    async def _connect_once(self) -> bool:
        """One connection, until it ends; whether it was welcomed."""
        assert self._wake is not None
        async with connect(self.url, open_timeout=10,
                           ping_interval=None, max_size=MAX_SERVER_MESSAGE_BYTES) as socket:
            with self._lock:
                hello = self.session.connect(self.token)
            await self._perform(socket, [hello])
            receiver = asyncio.create_task(self._receive(socket))
            heart = asyncio.create_task(self._heartbeat(socket))
            renewer = asyncio.create_task(self._renewing(socket))
            try:
                while not self._stopping and not receiver.done():
                    with self._lock:
                        flushed = self.session.flush()
                    await self._perform(socket, flushed)
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
                with self._lock:
                    self.session.disconnected()  # unanswered: resend after reconnecting
        return self.session.welcomed

    async def _heartbeat(self, socket: ClientConnection) -> None:
        while True:
            await asyncio.sleep(self.heartbeat_s)
            with self._lock:
                ping = self.session.ping()
            await self._perform(socket, [ping])

    async def _receive(self, socket: ClientConnection) -> None:
        async for raw in socket:
            with self._lock:
                outputs = self.session.receive(raw, clock.now())
            await self._perform(socket, outputs)

    async def _perform(self, socket: ClientConnection, outputs: list[ClientOutput]) -> None:
        """Do what the session asks, in order (callbacks run outside the lock)."""
        for output in outputs:
            match output:
                case Transmit(message=message):
                    await socket.send(dump(message))
                case Received(message=message):
                    if self.callbacks.on_message:
                        self.callbacks.on_message(message)
                case Online():
                    self._set_link(LinkInfo("online"))
                case StateChanged(state=state):
                    if self.callbacks.on_state:
                        self.callbacks.on_state(state)
                case CommandChanged(pending=pending):
                    self._notify_command(pending)
                case Renew():
                    self._renew_now = True
                case Reconnect(reason=reason):
                    raise _Reconnect(reason)
                case _:
                    assert_never(output)

    # --- callbacks -----------------------------------------------------------------------

    def _set_link(self, info: LinkInfo) -> None:
        self.link = info
        if self.callbacks.on_link:
            self.callbacks.on_link(info)

    def _notify_command(self, pending: PendingCommand) -> None:
        if self.callbacks.on_command:
            self.callbacks.on_command(pending)
