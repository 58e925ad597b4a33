"""The websocket protocol between a device and the server, as pydantic models.

One JSON object per websocket text frame, discriminated by ``type``. See
``docs/protocol.md`` for the conversation; this module is its single source of truth.
"""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal, get_args

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

from shared.live.commands import COMMAND_TYPES, Command
from shared.live.errors import LiveError, ProtocolError
from shared.live.events import Event
from shared.live.state import SittingState

PROTOCOL_VERSION = 1
MAX_MESSAGE_BYTES = 64 * 1024
"""What the server accepts in one frame from a device (a command is a few hundred bytes)."""
MAX_SERVER_MESSAGE_BYTES = 16 * 1024 * 1024
"""What a device accepts in one frame from the server. A snapshot carries the whole
sitting; ``shared.live.decide`` bounds what the sitting can hold (question text, count
per person and per sitting) so that the largest snapshot stays well under this."""
HEARTBEAT_INTERVAL_S = 15
HEARTBEAT_DEAD_AFTER_S = 45
RATE_LIMIT_PER_S = 20
RECONNECT_INITIAL_S = 1.0
RECONNECT_MAX_S = 30.0


class _ClientMessage(BaseModel):
    # the server is strict about what it accepts...
    model_config = ConfigDict(frozen=True, extra="forbid")


class _ServerMessage(BaseModel):
    # ...and clients are lenient, so a server can add fields within a protocol version
    model_config = ConfigDict(frozen=True, extra="ignore")


# --- client -> server ----------------------------------------------------------------


class Hello(_ClientMessage):
    """First message on a connection: the last event seq this device holds (0: none)."""

    type: Literal["hello"] = "hello"
    protocol_version: int
    last_seq: int = Field(default=0, ge=0)
    # the live credential, in the first message and never in the URL (URLs are logged);
    # absent on the public feed
    token: str | None = Field(default=None, min_length=1, max_length=256, repr=False)


class Authenticate(_ClientMessage):
    """A renewed live credential for this connection; it stays open, nothing is replayed."""

    type: Literal["auth"] = "auth"
    token: str = Field(min_length=1, max_length=256, repr=False)


class CommandMessage(_ClientMessage):
    type: Literal["command"] = "command"
    command: Command


class Ping(_ClientMessage):
    type: Literal["ping"] = "ping"
    nonce: str | None = Field(default=None, max_length=64)


ClientMessage = Annotated[Hello | Authenticate | CommandMessage | Ping, Field(discriminator="type")]

# --- server -> client ----------------------------------------------------------------


class Welcome(_ServerMessage):
    """Answer to hello. ``server_time`` lets a client correct its clock for countdowns;
    ``expires_at`` says when the credential ends (send ``auth`` with a new one before)."""

    type: Literal["welcome"] = "welcome"
    sitting_id: int
    protocol_version: int = PROTOCOL_VERSION
    server_time: AwareDatetime
    head_seq: int
    person_id: int | None = None
    expires_at: AwareDatetime | None = None


class Snapshot(_ServerMessage):
    """The whole state as this device may see it, up to and including ``seq``."""

    type: Literal["snapshot"] = "snapshot"
    seq: int
    state: SittingState


class EventMessage(_ServerMessage):
    type: Literal["event"] = "event"
    event: Event


class EventBatch(_ServerMessage):
    """Events the device missed, in seq order, sent right after welcome."""

    type: Literal["events"] = "events"
    events: tuple[Event, ...]


class Ack(_ServerMessage):
    """The command with ``key`` was accepted and made events ``seqs`` (may be empty)."""

    type: Literal["ack"] = "ack"
    key: str
    seqs: tuple[int, ...]
    duplicate: bool = False


class ErrorMessage(_ServerMessage):
    type: Literal["error"] = "error"
    code: str
    message_vi: str
    message_en: str
    key: str | None = None

    @classmethod
    def of(cls, error: LiveError, key: str | None = None) -> ErrorMessage:
        key = key if key is not None else getattr(error, "key", None)
        return cls(
            code=error.code, message_vi=error.message_vi, message_en=error.message_en, key=key
        )


class Pong(_ServerMessage):
    type: Literal["pong"] = "pong"
    nonce: str | None = None
    server_time: AwareDatetime


class Authenticated(_ServerMessage):
    """The credential of ``auth`` is accepted; it is valid until ``expires_at``."""

    type: Literal["authenticated"] = "authenticated"
    expires_at: AwareDatetime


class Resync(_ServerMessage):
    """Drop local state and reconnect with ``last_seq`` 0 (e.g. after being too slow)."""

    type: Literal["resync"] = "resync"
    reason: str


ServerMessage = Annotated[
    Welcome | Snapshot | EventMessage | EventBatch | Ack | ErrorMessage | Pong | Authenticated
    | Resync,
    Field(discriminator="type"),
]
Message = _ClientMessage | _ServerMessage

CLIENT_ADAPTER: TypeAdapter[ClientMessage] = TypeAdapter(ClientMessage)
SERVER_ADAPTER: TypeAdapter[ServerMessage] = TypeAdapter(ServerMessage)
CLIENT_MESSAGE_TYPES: tuple[type[_ClientMessage], ...] = get_args(get_args(ClientMessage)[0])
SERVER_MESSAGE_TYPES: tuple[type[_ServerMessage], ...] = get_args(get_args(ServerMessage)[0])

_CLIENT_TYPES = {m.model_fields["type"].default for m in CLIENT_MESSAGE_TYPES}
_SERVER_TYPES = {m.model_fields["type"].default for m in SERVER_MESSAGE_TYPES}
_COMMAND_TYPES = {c.model_fields["type"].default for c in COMMAND_TYPES}


def _load(raw: str | bytes, limit: int = MAX_MESSAGE_BYTES) -> dict[str, Any]:
    size = len(raw) if isinstance(raw, bytes) else len(raw.encode("utf-8", "surrogatepass"))
    if size > limit:
        raise ProtocolError("too_large")
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError) as exc:  # JSONDecodeError and bad UTF-8 alike
        raise ProtocolError("malformed_json") from exc
    if not isinstance(data, dict):
        raise ProtocolError("invalid_message")
    return data


def parse_client_message(raw: str | bytes) -> Hello | Authenticate | CommandMessage | Ping:
    """Read one frame from a device, or raise ProtocolError with a stable code."""
    data = _load(raw)
    if data.get("type") not in _CLIENT_TYPES:
        raise ProtocolError("unknown_type")
    key = None
    if data["type"] == "command":
        command = data.get("command")
        if isinstance(command, dict):
            key = command.get("key") if isinstance(command.get("key"), str) else None
            if command.get("type") not in _COMMAND_TYPES:
                raise ProtocolError("unknown_command", key=key)  # as over REST (issue 19)
    try:
        return CLIENT_ADAPTER.validate_python(data)
    except ValidationError as exc:
        raise ProtocolError("invalid_message", key=key) from exc


def parse_server_message(raw: str | bytes) -> ServerMessage:
    """Read one frame from the server (for clients)."""
    data = _load(raw, MAX_SERVER_MESSAGE_BYTES)
    if data.get("type") not in _SERVER_TYPES:
        raise ProtocolError("unknown_type")
    try:
        return SERVER_ADAPTER.validate_python(data)
    except ValidationError as exc:
        raise ProtocolError("invalid_message") from exc


def check_hello(hello: Hello) -> None:
    """Raise ``unsupported_version`` unless the device speaks our protocol version."""
    if hello.protocol_version != PROTOCOL_VERSION:
        raise ProtocolError("unsupported_version")


def dump(message: Message) -> str:
    """The JSON text of a message, as sent in one websocket frame."""
    return message.model_dump_json()

