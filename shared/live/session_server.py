"""The server's side of one live connection, without I/O (see ``shared.live.session``).

What to answer to each frame a device sends: the hello and its version check, the
credential (first in ``hello``, renewed with ``auth``), the catch-up after ``welcome``,
pings, the read-only public feed, revoked and expired credentials and the rate limit.
Whatever needs the database or the hub (checking a token, joining the sitting, deciding
a command) is handed back to the caller as a request (``CheckCredential``, ``Join``,
``Submit``); the caller does it and reports back (``credential_accepted``,
``credential_refused``, ``joined``). The caller awaits each request before it reads
the next frame, so the session never sees a frame in the middle of one.
"""

from __future__ import annotations

import enum
from collections.abc import Container, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import assert_never

from shared.live.commands import Command
from shared.live.errors import LiveError, ProtocolError
from shared.live.events import Event
from shared.live.protocol import (
    RATE_LIMIT_PER_S,
    Authenticate,
    Authenticated,
    CommandMessage,
    ErrorMessage,
    EventBatch,
    Hello,
    Ping,
    Pong,
    Resync,
    ServerMessage,
    Snapshot,
    Welcome,
    check_hello,
    parse_client_message,
)
from shared.live.redaction import public_state, public_view, redact_for, redact_state
from shared.live.roster import Actor
from shared.live.state import SittingState

CLOSE_BAD_VERSION = 4400
CLOSE_UNAUTHORIZED = 4401
CLOSE_NOT_FOUND = 4404
CLOSE_IDLE = 4408
SNAPSHOT_AFTER_GAP = 200  # a longer gap gets a snapshot instead of every missed event

ClientFrame = Hello | Authenticate | CommandMessage | Ping


@dataclass(frozen=True)
class Login:
    """A credential the server accepted: whose it is, its digest and when it ends."""

    person_id: int | None
    account_id: int | None
    token_digest: str
    expires_at: datetime  # aware


# --- what the session asks of its caller -----------------------------------------------


@dataclass(frozen=True)
class Send:
    """Send this message to the device."""

    message: ServerMessage


@dataclass(frozen=True)
class Close:
    """Close the connection with ``code``, once what was sent before has gone out."""

    code: int


@dataclass(frozen=True)
class CheckCredential:
    """Check ``token`` (None: none was given) for this sitting, then call
    ``credential_accepted`` or ``credential_refused``."""

    token: str | None
    renewal: bool


@dataclass(frozen=True)
class Join:
    """Subscribe the connection to the sitting, then call ``joined`` with its state."""

    last_seq: int


@dataclass(frozen=True)
class Submit:
    """Have the sitting decide ``command`` for ``login``; send the device the answer."""

    command: Command
    login: Login


ServerOutput = Send | Close | CheckCredential | Join | Submit


class Phase(enum.Enum):
    HELLO = "hello"  # waiting for the first message
    CHECKING = "checking"  # the credential of the hello is being checked
    JOINING = "joining"  # accepted: the caller joins the sitting
    OPEN = "open"
    CLOSED = "closed"


@dataclass
class TokenBucket:
    """``per_second`` commands, bursts up to the same number; times are monotonic seconds."""

    per_second: float
    tokens: float = field(default=-1.0)
    stamp: float | None = None

    def __post_init__(self) -> None:
        if self.tokens < 0:
            self.tokens = self.per_second

    def allow(self, at: float) -> bool:
        if self.stamp is not None:
            elapsed = max(0.0, at - self.stamp)
            self.tokens = min(self.per_second, self.tokens + elapsed * self.per_second)
        self.stamp = at
        if self.tokens >= 1:
            self.tokens -= 1
            return True
        return False


def _error(code: str, key: str | None = None, vi: str | None = None,
           en: str | None = None) -> Send:
    return Send(ErrorMessage.of(LiveError(code, vi, en), key=key))


class ServerSession:
    """One device's conversation with the server, as ``docs/protocol.md`` tells it.

    ``public``: the projector's feed, without a credential and read-only.
    ``header_token``: a bearer token from the upgrade request, used when ``hello`` has none.
    ``revoked``: the token digests revoked since (read at every command, never changed).
    """

    def __init__(self, sitting_id: int, *, public: bool, header_token: str | None = None,
                 revoked: Container[str] = frozenset(),
                 rate_per_s: float = RATE_LIMIT_PER_S) -> None:
        self.sitting_id = sitting_id
        self.public = public
        self.header_token = header_token
        self.revoked = revoked
        self.phase = Phase.HELLO
        self.login: Login | None = None
        self.viewer: Actor | None = None
        self._last_seq = 0
        self._renewing = False
        self._bucket = TokenBucket(rate_per_s)

    # --- frames from the device ----------------------------------------------------------

    def receive(self, frame: str | bytes, now: datetime, monotonic: float) -> list[ServerOutput]:
        """What to do about one frame; ``now`` answers pings and checks expiry, the
        ``monotonic`` seconds pace the rate limit."""
        if self.phase is Phase.CLOSED:
            return []
        try:
            message = parse_client_message(frame)
        except ProtocolError as error:
            return [Send(ErrorMessage.of(error))]
        return self.handle(message, now, monotonic)

    def handle(self, message: ClientFrame, now: datetime, monotonic: float) -> list[ServerOutput]:
        """What to do about one message already read."""
        if self.phase is Phase.CLOSED:
            return []
        if self.phase is not Phase.OPEN:
            return self._greet(message)
        match message:
            case Ping(nonce=nonce):
                return [Send(Pong(nonce=nonce, server_time=now))]
            case Hello():
                return [_error("invalid_message")]
            case Authenticate(token=token):
                if self.login is None:
                    return [_error("read_only")]
                self._renewing = True
                return [CheckCredential(token, renewal=True)]
            case CommandMessage(command=command):
                return self._command(command, now, monotonic)
            case _:
                assert_never(message)

    def _greet(self, message: ClientFrame) -> list[ServerOutput]:
        if self.phase is not Phase.HELLO or not isinstance(message, Hello):
            return [_error("hello_required")]
        try:
            check_hello(message)
        except ProtocolError as error:
            return [Send(ErrorMessage.of(error)), *self._close(CLOSE_BAD_VERSION)]
        self._last_seq = message.last_seq
        if self.public:
            self.phase = Phase.JOINING
            return [Join(message.last_seq)]
        self.phase = Phase.CHECKING
        return [CheckCredential(message.token or self.header_token, renewal=False)]

    def _command(self, command: Command, now: datetime, monotonic: float) -> list[ServerOutput]:
        key = command.key
        login = self.login
        if login is None:
            return [_error("read_only", key, "Kênh công khai chỉ để theo dõi.",
                           "The public feed is read-only.")]
        if login.token_digest in self.revoked:
            # logged out, account locked or device revoked since: cut off now
            return self._refuse("credentials_revoked", key)
        if login.expires_at <= now:
            # not decided: the device renews (``auth``) and sends it again
            return [_error("credentials_expired", key)]
        if not self._bucket.allow(monotonic):
            return [_error("rate_limited", key)]
        return [Submit(command, login)]

    # --- answers from the caller ---------------------------------------------------------

    def credential_accepted(self, login: Login) -> list[ServerOutput]:
        """The credential of the last ``CheckCredential`` is valid."""
        renewal, self._renewing = self._renewing, False
        if login.token_digest in self.revoked:
            return self._refuse("credentials_revoked")
        if not renewal:
            self.login = login
            self.phase = Phase.JOINING
            return [Join(self._last_seq)]
        if self.login is None or login.account_id != self.login.account_id:
            return self._refuse("credentials_invalid")  # renew, never switch
        self.login = login
        return [Send(Authenticated(expires_at=login.expires_at))]

    def credential_refused(self, code: str) -> list[ServerOutput]:
        """The credential was refused: ``not_found`` (the sitting is not there or not
        for this caller) or a credential code (``credentials_invalid`` ...)."""
        self._renewing = False
        return self._refuse(code)

    def joined(self, state: SittingState, events: Sequence[Event],
               now: datetime) -> list[ServerOutput]:
        """``welcome`` and the catch-up from the device's last seq to ``state.seq``
        (``events[i]`` has seq ``i + 1``), as this viewer may see them."""
        login = self.login
        person_id = login.person_id if login is not None else None
        viewer = None
        if login is not None and state.roster is not None:
            viewer = Actor.of(state.roster, person_id if person_id else -1)
        self.viewer = viewer
        self.phase = Phase.OPEN
        out: list[ServerOutput] = [Send(Welcome(
            sitting_id=self.sitting_id, server_time=now, head_seq=state.seq,
            person_id=person_id, expires_at=login.expires_at if login else None))]
        last_seq = self._last_seq
        if last_seq > state.seq:
            out.append(Send(Resync(reason="ahead_of_server")))
        elif last_seq == 0 or state.seq - last_seq > SNAPSHOT_AFTER_GAP:
            shown = public_state(state) if login is None else redact_state(state, viewer)
            out.append(Send(Snapshot(seq=state.seq, state=shown)))
        elif last_seq < state.seq:
            missed = events[last_seq:state.seq]
            out.append(Send(EventBatch(events=tuple(
                public_view(e) if login is None else redact_for(e, viewer) for e in missed))))
        return out

    # --- endings ---------------------------------------------------------------------------

    def _refuse(self, code: str, key: str | None = None) -> list[ServerOutput]:
        """Say why in words, then close (the device shows the words, not the number)."""
        close = CLOSE_NOT_FOUND if code == "not_found" else CLOSE_UNAUTHORIZED
        return [_error(code, key), *self._close(close)]

    def _close(self, code: int) -> list[ServerOutput]:
        self.phase = Phase.CLOSED
        return [Close(code)]
