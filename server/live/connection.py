"""One device's connection: what it may see, and how frames reach it without delay.

Fan-out is the hot path (one event, 500 tablets). A committed batch is serialised once
per kind of viewer and made into one websocket frame, and under uvicorn's sans-I/O
protocol that same frame is written to each device's transport (``Wire``, as
``websockets.broadcast`` does): no task switch, no await, no per-device encoding or
compression. Whenever the socket cannot take more (the kernel's buffer is full: the
device is not reading), messages wait in a bounded backlog drained by the connection's
own sender task; when that is full the device is sent ``resync`` (if the socket still
takes it) and dropped, and it catches up after reconnecting. One device that does not
read only ever fills its own backlog.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from starlette.websockets import WebSocket
from websockets.frames import Frame, Opcode
from websockets.protocol import State

from shared.live.events import Event, VoteCast
from shared.live.protocol import Resync, dump
from shared.live.redaction import public_view, redact_for
from shared.live.roster import Actor

log = logging.getLogger(__name__)

SEND_QUEUE = 256  # messages a device may lag behind (socket full) before it is dropped
DROP_CLOSE_CODE = 4429  # closed for being too slow; reconnect and catch up
SEND_GIVE_UP_S = 1.0


class EventFrames:
    """The JSON of one event per audience, made once and shared by every connection."""

    def __init__(self, event: Event):
        self.event = event
        self._full: str | None = None
        self._redacted: str | None = None
        self._public: str | None = None
        # only an open or named vote_cast differs between viewers (the voter's own choice)
        self._per_viewer = isinstance(event, VoteCast) and event.choice is not None

    def for_viewer(self, viewer: Actor | None, public: bool) -> str:
        """The event's JSON as ``viewer`` may see it (``shared.live.redaction`` rules)."""
        if public:
            if self._public is None:
                self._public = public_view(self.event).model_dump_json()
            return self._public
        sees_all = not self._per_viewer or (
            viewer is not None and viewer.person_id == self.event.voter_id)  # type: ignore[union-attr]
        if sees_all:
            if self._full is None:
                self._full = self.event.model_dump_json()
            return self._full
        if self._redacted is None:
            self._redacted = redact_for(self.event, None).model_dump_json()
        return self._redacted


def _wrap(events: Sequence[str]) -> str:
    """One ``event`` message, or one ``events`` message for several events."""
    if len(events) == 1:
        return '{"type":"event","event":' + events[0] + "}"
    return '{"type":"events","events":[' + ",".join(events) + "]}"


def text_frame(message: str) -> bytes:
    """``message`` as a whole websocket text frame from a server: unmasked, uncompressed.

    The same bytes suit every device. With permessage-deflate negotiated, a frame without
    the RSV1 bit is simply not compressed (RFC 7692 lets the sender choose per message)
    and leaves the compression context untouched; compressing a 1 KB event separately
    for each of 500 devices would cost more than writing it.
    """
    return Frame(Opcode.TEXT, message.encode()).serialize(mask=False)


class EventBatchFrames:
    """The message of a batch of committed events, made once per kind of viewer.

    Only a voter's own open or named ``vote_cast`` differs between signed-in viewers, so
    everyone but the voters of this batch shares one string (and one websocket frame);
    the public feed has its own.
    """

    def __init__(self, events: Sequence[Event]):
        self.frames = [EventFrames(event) for event in events]
        self.first_seq = events[0].seq
        self.last_seq = events[-1].seq
        self._voters = {e.voter_id for e in events if isinstance(e, VoteCast)
                        and e.choice is not None}
        self._messages: dict[object, str] = {}
        self._wire_frames: dict[object, bytes] = {}

    def _audience(self, viewer: Actor | None, public: bool) -> object:
        if public:
            return "public"
        if viewer is not None and viewer.person_id in self._voters:
            return viewer.person_id
        return "members"

    def message_for(self, viewer: Actor | None, public: bool, skip: int = 0) -> str:
        """The batch (less its first ``skip`` events) as ``viewer`` may see it."""
        if skip:  # the device already had some of them (rare): not worth caching
            return _wrap([f.for_viewer(viewer, public) for f in self.frames[skip:]])
        audience = self._audience(viewer, public)
        message = self._messages.get(audience)
        if message is None:
            message = _wrap([f.for_viewer(viewer, public) for f in self.frames])
            self._messages[audience] = message
        return message

    def frame_for(self, viewer: Actor | None, public: bool) -> bytes:
        """The whole batch as ``viewer`` may see it, as a ready websocket frame."""
        audience = self._audience(viewer, public)
        frame = self._wire_frames.get(audience)
        if frame is None:
            frame = text_frame(self.message_for(viewer, public))
            self._wire_frames[audience] = frame
        return frame


@dataclass
class RateLimit:
    """Token bucket: ``per_second`` commands, bursts up to the same number."""

    per_second: float
    tokens: float = 0.0
    stamp: float = field(default_factory=time.monotonic)

    def __post_init__(self) -> None:
        self.tokens = self.per_second

    def allow(self) -> bool:
        now = time.monotonic()
        self.tokens = min(self.per_second, self.tokens + (now - self.stamp) * self.per_second)
        self.stamp = now
        if self.tokens >= 1:
            self.tokens -= 1
            return True
        return False


class Connection:
    def __init__(self, websocket: WebSocket, viewer: Actor | None, *, public: bool = False,
                 queue_size: int = SEND_QUEUE):
        self.websocket = websocket
        self.viewer = viewer
        self.public = public
        self.queue_size = queue_size
        self.wire = Wire.behind(websocket)
        self.backlog: deque[str] = deque()  # messages waiting for the socket to take them
        self.sent_seq = 0  # last event seq sent (or queued) to this device
        self.ready = False  # false while the catch-up is being prepared
        self.pending: list[EventBatchFrames] = []
        self.dropped = asyncio.Event()
        # what the watchman checks: the access token's digest and when it expires
        self.token_digest: str | None = None
        self.expires_at: datetime | None = None
        self._wake = asyncio.Event()
        self._sender: asyncio.Task | None = None

    def start(self) -> None:
        self._sender = asyncio.create_task(self._drain(), name="live-sender")

    async def _drain(self) -> None:
        """Send the backlog whenever the socket can take it again."""
        try:
            while True:
                await self._wake.wait()
                self._wake.clear()
                while self.backlog:
                    if self.wire is None:
                        await self.websocket.send_text(self.backlog.popleft())
                        continue
                    await self.wire.until_writable()
                    while self.backlog and self.wire.writable():
                        self.wire.send_text(self.backlog.popleft())
        except asyncio.CancelledError:
            raise
        except Exception:  # the socket closed under us; the reader ends it
            self.dropped.set()

    def _direct(self) -> Wire | None:
        """The wire, when a frame can be written now without overtaking queued ones."""
        wire = self.wire
        if wire is not None and not self.backlog and wire.writable():
            return wire
        return None

    def send(self, message: str) -> None:
        """Send now if the socket takes it, else queue; a full queue drops the device."""
        if self.dropped.is_set():
            return
        wire = self._direct()
        if wire is not None:
            try:
                wire.send_text(message)
            except Exception:  # the socket closed under us; the reader ends it
                self.dropped.set()
            return
        if len(self.backlog) >= self.queue_size:
            self.drop("slow_consumer")
            return
        self.backlog.append(message)
        self._wake.set()

    def offer(self, batch: EventBatchFrames) -> None:
        """Committed events; each sent once, in seq order, after the catch-up."""
        if not self.ready:
            self.pending.append(batch)
            return
        if batch.last_seq <= self.sent_seq:
            return
        if batch.first_seq > self.sent_seq + 1:
            self.drop("gap")
            return
        skip = self.sent_seq + 1 - batch.first_seq
        self.sent_seq = batch.last_seq
        wire = self._direct() if not skip else None
        if wire is not None and not self.dropped.is_set():
            # the hot path: the very frame every device of this audience gets
            try:
                wire.write_frame(batch.frame_for(self.viewer, self.public))
            except Exception:  # the socket closed under us; the reader ends it
                self.dropped.set()
            return
        self.send(batch.message_for(self.viewer, self.public, skip))

    def go_live(self, head_seq: int) -> None:
        """The catch-up up to ``head_seq`` is queued; flush what arrived meanwhile."""
        self.sent_seq = head_seq
        self.ready = True
        pending, self.pending = self.pending, []
        for batch in pending:
            self.offer(batch)

    def drop(self, reason: str) -> None:
        if self.dropped.is_set():
            return
        self.dropped.set()
        log.warning("live connection dropped: %s (queued %s)", reason, len(self.backlog))
        if self._sender is not None:
            self._sender.cancel()
        asyncio.get_running_loop().create_task(self._say_goodbye(reason))

    async def _say_goodbye(self, reason: str) -> None:
        # a device that does not read may never take these; never wait on it for long
        with contextlib.suppress(Exception):
            await asyncio.wait_for(self.websocket.send_text(dump(Resync(reason=reason))),
                                   SEND_GIVE_UP_S)
        with contextlib.suppress(Exception):
            await asyncio.wait_for(self.websocket.close(code=DROP_CLOSE_CODE), SEND_GIVE_UP_S)
        # the close frame sits behind everything the device did not read: give it a moment
        await asyncio.sleep(SEND_GIVE_UP_S)
        _abort(self.websocket)

    async def close(self, code: int) -> None:
        """End the conversation with ``code`` (4401 token no longer valid, 4408 silent).

        A link that is dead or a device that does not read cannot take the close frame:
        after ``SEND_GIVE_UP_S`` the TCP connection is cut instead.
        """
        self.dropped.set()
        with contextlib.suppress(Exception):  # already closing or closed: nothing to end
            try:
                await asyncio.wait_for(self.websocket.close(code=code), SEND_GIVE_UP_S)
            except TimeoutError:
                _abort(self.websocket)

    async def stop(self) -> None:
        if self._sender is not None:
            self._sender.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._sender


class Wire:
    """uvicorn's sans-I/O websocket protocol behind an ASGI websocket, written directly.

    ASGI's ``send`` is a coroutine through several middleware layers, and it cannot send
    bytes prepared for many devices at once; for the frame every device gets, that costs
    more than the write itself. uvicorn's protocol object (``websockets_sansio_impl``)
    keeps a ``websockets`` sans-I/O connection (``conn``) and the transport, so a frame
    made once (``text_frame``) can be written to each transport as ``websockets.broadcast``
    would. ``writable`` mirrors what uvicorn's own ``send`` waits for (the transport is
    not paused, no close sent), so ordering and flow control stay the same.

    These are uvicorn's internals, not an API: ``behind`` checks every attribute used
    here and returns None when one is missing (another server, another uvicorn protocol
    or version), and frames then go through ASGI, only slower.
    ``tests/server/live/test_wire.py`` fails when the fast path is lost.
    """

    def __init__(self, protocol: object):
        self.protocol = protocol

    @classmethod
    def behind(cls, websocket: WebSocket) -> Wire | None:
        protocol = _protocol_behind(getattr(websocket, "_send", None))
        if protocol is None or not _usable(protocol):
            return None
        return cls(protocol)

    def writable(self) -> bool:
        p = self.protocol
        return (p.writable.is_set() and not p.close_sent  # type: ignore[attr-defined]
                and not p.disconnected)  # type: ignore[attr-defined]

    async def until_writable(self) -> None:
        await self.protocol.writable.wait()  # type: ignore[attr-defined]
        if not self.writable():
            raise ConnectionError("websocket closed")

    def send_text(self, text: str) -> None:
        """One message through the connection (compressed if the device asked for it)."""
        if not self.writable():
            raise ConnectionError("websocket closed")
        p = self.protocol
        p.conn.send_text(text.encode())  # type: ignore[attr-defined]
        p.transport.write(b"".join(p.conn.data_to_send()))  # type: ignore[attr-defined]

    def write_frame(self, frame: bytes) -> None:
        """A whole frame made once for many devices (``text_frame``), written as it is."""
        p = self.protocol
        conn = p.conn  # type: ignore[attr-defined]
        if (not self.writable() or conn.state is not State.OPEN
                or conn.expect_continuation_frame):
            raise ConnectionError("websocket closed")
        p.transport.write(frame)  # type: ignore[attr-defined]


def _usable(protocol: object) -> bool:
    """Whether ``protocol`` has everything ``Wire`` touches, of the kinds it expects."""
    conn = getattr(protocol, "conn", None)
    transport = getattr(protocol, "transport", None)
    return (callable(getattr(conn, "send_text", None))
            and callable(getattr(conn, "data_to_send", None))
            and isinstance(getattr(conn, "state", None), State)
            and isinstance(getattr(conn, "expect_continuation_frame", None), bool)
            and callable(getattr(transport, "write", None))
            and isinstance(getattr(protocol, "writable", None), asyncio.Event)
            and isinstance(getattr(protocol, "close_sent", None), bool)
            and isinstance(getattr(protocol, "disconnected", None), bool))


def _abort(websocket: WebSocket) -> None:
    """Cut the TCP connection: a polite close waits for buffers the device never reads.

    ASGI has no "abort", so find the server's transport behind ``send`` (uvicorn's
    protocol, under Starlette's wrappers); without one, the idle timeout ends it later.
    """
    protocol = _protocol_behind(getattr(websocket, "_send", None))
    transport = getattr(protocol, "transport", None)
    if transport is not None:
        transport.abort()


def _protocol_behind(send: object, depth: int = 0) -> object | None:
    """The server's protocol object (the one holding the transport) behind ``send``."""
    owner = getattr(send, "__self__", None)
    if hasattr(getattr(owner, "transport", None), "abort"):  # asyncio's or uvloop's
        return owner
    if depth > 5:
        return None
    for cell in getattr(send, "__closure__", None) or ():
        try:
            inner = cell.cell_contents
        except ValueError:  # an empty cell
            continue
        if callable(inner):
            found = _protocol_behind(inner, depth + 1)
            if found is not None:
                return found
    return None
