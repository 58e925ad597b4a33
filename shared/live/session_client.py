"""A device's side of one live sitting, without I/O (see ``shared.live.session``).

Keeps the state by running the shared reducer over what the server sends, the outbox of
commands by idempotency key until each is answered, the server's clock offset and the
last words the server said before closing. It outlives connections: the caller calls
``connect`` for each new one (it gives the ``hello``) and ``disconnected`` when it ends
(answers lost in the cut are sent again, with the same key, after the next ``welcome``).

Everything it wants done comes back from the call as a list: frames to send
(``Transmit``), what changed for the screen (``StateChanged``, ``CommandChanged``,
``Online``), ``Renew`` (get a new credential now) and ``Reconnect`` (drop this
connection and start again; nothing more is read from it).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal, assert_never

from shared.live.commands import CastVote, Command
from shared.live.errors import EventOutOfOrder, ProtocolError
from shared.live.events import Event
from shared.live.protocol import (
    PROTOCOL_VERSION,
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
    ServerMessage,
    Snapshot,
    Welcome,
    parse_server_message,
)
from shared.live.state import SittingState, apply

CommandState = Literal["queued", "sent", "acked", "refused"]
CREDENTIAL_CODES = frozenset({"credentials_invalid", "credentials_revoked"})
RETRY_CODES = frozenset({"rate_limited", "credentials_expired"})  # not decided: send again
LOG_SIZE = 200


@dataclass
class PendingCommand:
    """A command and what has become of it; the UI reads ``state``."""

    command: Command
    state: CommandState = "queued"
    seqs: tuple[int, ...] = ()
    error_code: str | None = None
    message_vi: str | None = None
    message_en: str | None = None
    sends: int = 0  # frames sent; >1 only when an answer was lost in a cut

    @property
    def key(self) -> str:
        return self.command.key


# --- what the session asks of its caller -----------------------------------------------


@dataclass(frozen=True)
class Transmit:
    """Send this message to the server."""

    message: Hello | Authenticate | CommandMessage | Ping


@dataclass(frozen=True)
class Received:
    """A message from the server, as read (for a caller that shows or logs them)."""

    message: ServerMessage


@dataclass(frozen=True)
class Online:
    """``welcome``: the connection is in use."""


@dataclass(frozen=True)
class StateChanged:
    state: SittingState


@dataclass(frozen=True)
class CommandChanged:
    pending: PendingCommand


@dataclass(frozen=True)
class Renew:
    """The credential has expired on the server: get a new one and send ``auth``."""


@dataclass(frozen=True)
class Reconnect:
    """Drop this connection and connect again (``forget_state``: from a snapshot)."""

    reason: str
    forget_state: bool = False


ClientOutput = Transmit | Received | Online | StateChanged | CommandChanged | Renew | Reconnect


class ClientSession:
    """What a device knows of one sitting and of its conversation with the server."""

    def __init__(self, state: SittingState | None = None) -> None:
        self.state = state
        self.person_id: int | None = None
        self.clock_offset = timedelta(0)
        self.connects = 0  # welcomes received
        self.log: deque[Event] = deque(maxlen=LOG_SIZE)  # recent events, for the chair's log
        self.outbox: dict[str, PendingCommand] = {}
        self.welcomed = False  # on the current connection
        self.last_words: ErrorMessage | None = None  # what came before a 4401 close
        self._ended = False  # a Reconnect was asked: nothing more from this connection

    # --- the connection ------------------------------------------------------------------

    def connect(self, token: str | None) -> Transmit:
        """A new connection is open: the ``hello`` to send first (the credential goes
        in it, never in the URL)."""
        self.welcomed = False
        self.last_words = None
        self._ended = False
        last_seq = self.state.seq if self.state is not None else 0
        return Transmit(Hello(protocol_version=PROTOCOL_VERSION, last_seq=last_seq,
                              token=token or None))

    def disconnected(self) -> None:
        """The connection ended: what was sent and not answered goes again next time."""
        for pending in self.pending():
            pending.state = "queued"

    def ping(self) -> Transmit:
        return Transmit(Ping())

    def renewed(self, token: str) -> Transmit:
        """A new credential for the open connection."""
        return Transmit(Authenticate(token=token))

    def forget_state(self) -> None:
        self.state = None

    # --- commands ------------------------------------------------------------------------

    def submit(self, command: Command) -> tuple[PendingCommand, bool]:
        """Queue ``command`` (it goes out at the next ``flush``); the same key twice is
        one command. Returns it and whether it is new."""
        existing = self.outbox.get(command.key)
        if existing is not None:  # the same press twice: one command, one answer
            return existing, False
        pending = PendingCommand(command)
        self.outbox[command.key] = pending
        return pending, True

    def flush(self) -> list[ClientOutput]:
        """Queued commands to send now, if the connection is welcomed."""
        if not self.welcomed or self._ended:
            return []
        out: list[ClientOutput] = []
        for pending in self.pending():
            if pending.state != "queued":
                continue
            pending.state = "sent"
            pending.sends += 1
            out += [Transmit(CommandMessage(command=pending.command)), CommandChanged(pending)]
        return out

    def pending(self) -> list[PendingCommand]:
        return [p for p in self.outbox.values() if p.state in ("queued", "sent")]

    def my_vote(self, vote_id: str) -> PendingCommand | None:
        """The latest vote this device sent in ``vote_id`` (acked, waiting or refused)."""
        votes = [p for p in self.outbox.values()
                 if isinstance(p.command, CastVote) and p.command.vote_id == vote_id]
        return votes[-1] if votes else None

    # --- frames from the server ----------------------------------------------------------

    def receive(self, frame: str | bytes, now: datetime) -> list[ClientOutput]:
        """What to do about one frame; ``now`` is the device's clock on receipt."""
        if self._ended:
            return []
        try:
            message = parse_server_message(frame)
        except ProtocolError as exc:
            # an event type this app does not know: ask for a snapshot instead
            return [self._reconnect(f"unreadable message: {exc}", forget_state=True)]
        return [Received(message), *self.handle(message, now)]

    def handle(self, message: ServerMessage, now: datetime) -> list[ClientOutput]:
        """What to do about one message already read."""
        if self._ended:
            return []
        match message:
            case Welcome():
                self.person_id = message.person_id
                self.clock_offset = message.server_time - now
                self.connects += 1
                self.welcomed = True
                return [Online(), *self.flush()]
            case Snapshot(state=state):
                self.state = state
                return [StateChanged(state)]
            case EventBatch(events=events):
                return self._fold(events, notify=True)
            case EventMessage(event=event):
                return self._fold((event,), notify=False)
            case Ack(key=key, seqs=seqs):
                return self._answer(key, "acked", seqs=seqs)
            case ErrorMessage():
                return self._error(message)
            case Resync(reason=reason):
                return [self._reconnect(reason, forget_state=True)]
            case Pong(server_time=server_time):
                self.clock_offset = server_time - now
                return []
            case Authenticated():
                return self.flush()  # in force on this connection: send what waited for it
            case _:
                assert_never(message)

    def _error(self, message: ErrorMessage) -> list[ClientOutput]:
        if message.key is None or message.code in CREDENTIAL_CODES:
            self.last_words = message  # the words that come before a 4401 close
        if message.key is None:
            return []
        if message.code in RETRY_CODES:
            # not decided: send it again later (after renewing the credential)
            pending = self.outbox.get(message.key)
            if pending is not None:
                pending.state = "queued"
            return [Renew()] if message.code == "credentials_expired" else []
        return self._answer(message.key, "refused", code=message.code,
                            vi=message.message_vi, en=message.message_en)

    def _fold(self, events: Sequence[Event], *, notify: bool) -> list[ClientOutput]:
        """Apply ``events`` in order; the state is shown when it changed (or ``notify``)."""
        changed = False
        for event in events:
            applied = self._apply(event)
            if isinstance(applied, Reconnect):
                return [applied]
            changed = changed or applied
        return self._state_changed() if changed or notify else []

    def _apply(self, event: Event) -> bool | Reconnect:
        """Fold ``event`` into the state: False for a duplicate, Reconnect for a gap."""
        if self.state is None:
            if event.seq != 1:
                return self._reconnect("event before snapshot", forget_state=True)
            self.state = SittingState(sitting_id=event.sitting_id)
        if event.seq <= self.state.seq:
            return False
        try:
            self.state = apply(self.state, event)
        except EventOutOfOrder:
            return self._reconnect(f"missed events before {event.seq}")
        self.log.append(event)
        return True

    def _state_changed(self) -> list[ClientOutput]:
        return [StateChanged(self.state)] if self.state is not None else []

    def _answer(self, key: str, state: CommandState, *, seqs: tuple[int, ...] = (),
                code: str | None = None, vi: str | None = None,
                en: str | None = None) -> list[ClientOutput]:
        pending = self.outbox.get(key)
        if pending is None:
            return []
        pending.state, pending.seqs = state, seqs
        pending.error_code, pending.message_vi, pending.message_en = code, vi, en
        return [CommandChanged(pending)]

    def _reconnect(self, reason: str, *, forget_state: bool = False) -> Reconnect:
        self._ended = True
        if forget_state:
            self.state = None
        return Reconnect(reason, forget_state)
