"""One device's connection: what it may see, and a bounded queue of frames to send.

Each connection has its own sender task draining its queue, so a device that does not
read only ever fills its own queue; when it is full the device is sent ``resync`` (if
the socket still takes it) and dropped, and it catches up after reconnecting.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from dataclasses import dataclass, field

from starlette.websockets import WebSocket

from shared.live.events import Event, VoteCast
from shared.live.protocol import Resync, dump
from shared.live.redaction import public_view, redact_for
from shared.live.roster import Actor

log = logging.getLogger(__name__)

SEND_QUEUE = 256
DROP_CLOSE_CODE = 4429  # closed for being too slow; reconnect and catch up
SEND_GIVE_UP_S = 1.0
BATCH_MAX = 64  # events grouped into one message at most


def _messages(items: list[tuple[str, str]]) -> list[str]:
    """Queued items in order, consecutive events grouped."""
    out: list[str] = []
    events: list[str] = []
    for kind, text in items:
        if kind == "event":
            events.append(text)
            continue
        if events:
            out.append(_wrap(events))
            events = []
        out.append(text)
    if events:
        out.append(_wrap(events))
    return out


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


def _wrap(events: list[str]) -> str:
    """One ``event`` message, or one ``events`` message for several waiting events."""
    if len(events) == 1:
        return '{"type":"event","event":' + events[0] + "}"
    return '{"type":"events","events":[' + ",".join(events) + "]}"


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
        # items: ("frame", message) or ("event", event JSON); events waiting together are
        # sent as one ``events`` message, so a burst costs one frame per device, not 500
        self.queue: asyncio.Queue[tuple[str, str]] = asyncio.Queue(maxsize=queue_size)
        self.sent_seq = 0  # last event seq queued for this device
        self.ready = False  # false while the catch-up is being prepared
        self.pending: list[EventFrames] = []
        self.dropped = asyncio.Event()
        self._sender: asyncio.Task | None = None

    def start(self) -> None:
        self._sender = asyncio.create_task(self._drain(), name="live-sender")

    async def _drain(self) -> None:
        try:
            while True:
                items = [await self.queue.get()]
                while not self.queue.empty() and len(items) < BATCH_MAX:
                    items.append(self.queue.get_nowait())
                for message in _messages(items):
                    await self.websocket.send_text(message)
        except asyncio.CancelledError:
            raise
        except Exception:  # noqa: BLE001 - the socket closed under us; the reader ends it
            self.dropped.set()

    def send(self, frame: str, kind: str = "frame") -> None:
        """Queue a message; a full queue means the device is too slow: drop it."""
        if self.dropped.is_set():
            return
        try:
            self.queue.put_nowait((kind, frame))
        except asyncio.QueueFull:
            self.drop("slow_consumer")

    def offer(self, frames: EventFrames) -> None:
        """A committed event; sent once, in seq order, after the catch-up."""
        if not self.ready:
            self.pending.append(frames)
            return
        seq = frames.event.seq
        if seq <= self.sent_seq:
            return
        if seq != self.sent_seq + 1:
            self.drop("gap")
            return
        self.sent_seq = seq
        self.send(frames.for_viewer(self.viewer, self.public), kind="event")

    def go_live(self, head_seq: int) -> None:
        """The catch-up up to ``head_seq`` is queued; flush what arrived meanwhile."""
        self.sent_seq = head_seq
        self.ready = True
        pending, self.pending = self.pending, []
        for frames in pending:
            self.offer(frames)

    def drop(self, reason: str) -> None:
        if self.dropped.is_set():
            return
        self.dropped.set()
        log.warning("live connection dropped: %s (queued %s)", reason, self.queue.qsize())
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

    async def stop(self) -> None:
        if self._sender is not None:
            self._sender.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._sender


def _abort(websocket: WebSocket) -> None:
    """Cut the TCP connection: a polite close waits for buffers the device never reads.

    ASGI has no "abort", so find the server's transport behind ``send`` (uvicorn's
    protocol, under Starlette's wrappers); without one, the idle timeout ends it later.
    """
    transport = _transport_behind(websocket._send)  # noqa: SLF001
    if transport is not None:
        transport.abort()


def _transport_behind(send: object, depth: int = 0) -> asyncio.Transport | None:
    transport = getattr(getattr(send, "__self__", None), "transport", None)
    if hasattr(transport, "abort"):  # asyncio's or uvloop's transport
        return transport
    if depth > 5:
        return None
    for cell in getattr(send, "__closure__", None) or ():
        try:
            inner = cell.cell_contents
        except ValueError:  # an empty cell
            continue
        if callable(inner):
            found = _transport_behind(inner, depth + 1)
            if found is not None:
                return found
    return None
