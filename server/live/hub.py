"""The hub: per sitting, one lock, a cached state, and the connections to tell.

``submit`` is the only way a command changes a sitting (websocket and REST alike). It
queues the command for the sitting's writer task, which records everything queued in one
transaction (``recorder.record_batch``: group commit) in a thread under the sitting's
asyncio lock, then answers each sender and hands the committed events to the fan-out,
which brings them back to ``deliver`` on every worker; ``deliver`` sends each connection
one message with the whole batch, redacted for it, in seq order.

The cached state is only a shortcut: before deciding, the recorder loads any events a
different worker committed since, so several workers stay correct. A restarted server
starts with an empty cache and rebuilds each sitting from its events when first asked.
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Callable, Coroutine, Sequence
from dataclasses import dataclass, field
from typing import Any

from anyio import to_thread
from sqlalchemy.engine import Engine

from server.config import Settings
from server.live import store
from server.live.connection import SEND_QUEUE, Connection, EventBatchFrames
from server.live.fanout import Fanout, InProcessFanout, RedisFanout, channel_prefix
from server.live.recorder import Caller, Outcome, Request, record_batch
from server.live.revocations import Revocations, announce_to
from server.live.watch import CLOSE_UNAUTHORIZED, TOKEN_CHECK_S, Watchman
from shared.live.commands import Command
from shared.live.errors import LiveError
from shared.live.events import Event
from shared.live.protocol import Ack, ErrorMessage, dump
from shared.live.state import SittingState, apply

log = logging.getLogger(__name__)

BATCH_LIMIT = 500  # commands in one transaction at most


@dataclass
class _Waiting:
    request: Request
    answer: asyncio.Future[Ack | ErrorMessage]


@dataclass
class _Live:
    """What one worker keeps about one sitting."""

    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    state: SittingState | None = None
    events: list[Event] = field(default_factory=list)  # events[i].seq == i + 1
    delivery_lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    delivered_seq: int | None = None
    connections: set[Connection] = field(default_factory=set)
    waiting: list[_Waiting] = field(default_factory=list)
    writer: asyncio.Task | None = None


class SittingHub:
    def __init__(self, engine: Engine, fanout: Fanout | None = None,
                 send_queue: int = SEND_QUEUE, watchman: Watchman | None = None):
        self.engine = engine
        self.send_queue = send_queue
        self.fanout: Fanout = fanout or InProcessFanout()
        self.watchman = watchman or Watchman(engine)
        self.revocations = Revocations()
        self._sittings: dict[int, _Live] = {}
        # told of every committed batch of events, after the fan-out, in a task of their
        # own: work that follows a decision (a resolution to prepare) never holds a vote
        self.listeners: list[Callable[[int, Sequence[Event]], Coroutine[Any, Any, None]]] = []
        self._listening: set[asyncio.Task] = set()

    async def start(self) -> None:
        await self.fanout.start(self.deliver, self._revoked, self.catch_up, self.watching)
        announce_to(self.engine, asyncio.get_running_loop(), self.revoke)
        self.watchman.start()

    # --- credentials that stop counting ----------------------------------------------

    async def revoke(self, digests: Sequence[str]) -> None:
        """Every worker refuses these access tokens from now on (fanned out)."""
        self.revocations.add(digests)  # here at once, even if the fan-out is down
        try:
            await self.fanout.publish_revoked(digests)  # comes back here too
        except Exception:  # other workers: the watchman's check cuts them
            log.exception("live: fan-out of %d revoked credentials failed", len(digests))
            await self._revoked(list(digests))

    async def _revoked(self, digests: list[str]) -> None:
        self.revocations.add(digests)
        ended = set(digests)
        for connection in tuple(self.watchman.connections):
            if connection.token_digest in ended:
                connection.send(dump(ErrorMessage.of(LiveError("credentials_revoked"))))
                await connection.close(CLOSE_UNAUTHORIZED)

    async def stop(self) -> None:
        await self.watchman.stop()
        await self.fanout.stop()

    def _live(self, sitting_id: int) -> _Live:
        return self._sittings.setdefault(sitting_id, _Live())

    def _remember(self, live: _Live, state: SittingState, events: Sequence[Event]) -> None:
        for event in events:
            if event.seq == len(live.events) + 1:
                live.events.append(event)
        live.state = state

    # --- commands ------------------------------------------------------------------

    async def submit(self, sitting_id: int, command: Command, caller: Caller) -> Ack | ErrorMessage:
        """Decide and store ``command``; the answer comes only after the commit."""
        live = self._live(sitting_id)
        waiting = _Waiting(Request(command, caller), asyncio.get_running_loop().create_future())
        live.waiting.append(waiting)
        if live.writer is None or live.writer.done():
            # a task of its own: a sender that goes away must not strand the others
            live.writer = asyncio.create_task(self._write(sitting_id, live),
                                              name=f"live-writer-{sitting_id}")
        return await asyncio.shield(waiting.answer)

    async def _write(self, sitting_id: int, live: _Live) -> None:
        """Record what is waiting, batch after batch, until nothing is."""
        solo = 0  # after a batch failed, its commands are retried one by one
        while live.waiting:
            size = 1 if solo else BATCH_LIMIT
            batch, live.waiting = live.waiting[:size], live.waiting[size:]
            solo = max(0, solo - 1)
            try:
                answers = await self._record(sitting_id, live, [w.request for w in batch])
            except Exception as error:  # each sender hears of its failure
                if len(batch) > 1:  # one bad command must not sink the others
                    live.waiting[:0] = batch
                    solo = len(batch)
                else:
                    _fail(batch[0], error)
                continue
            for waiting, answer in zip(batch, answers, strict=True):
                _resolve(waiting, answer)

    async def _record(self, sitting_id: int, live: _Live, requests: list[Request]
                      ) -> tuple[Ack | ErrorMessage, ...]:
        async with live.lock:
            outcome: Outcome = await to_thread.run_sync(
                record_batch, self.engine, sitting_id, requests, live.state)
            if live.state is None:
                await self._load_history(live, sitting_id, outcome.state)
            self._remember(live, outcome.state, (*outcome.caught_up, *outcome.events))
            if outcome.events:
                try:
                    await self.fanout.publish(sitting_id, outcome.events)
                except Exception:  # committed is committed; devices catch up
                    log.exception("sitting %s: fan-out failed for seq %s", sitting_id,
                                  [e.seq for e in outcome.events])
                    # this worker's own devices need not wait for the fan-out to return;
                    # the others read these from the database when it does (catch_up)
                    await self.deliver(sitting_id, list(outcome.events))
                for listener in self.listeners:
                    task = asyncio.create_task(listener(sitting_id, outcome.events))
                    self._listening.add(task)
                    task.add_done_callback(self._listening.discard)
        return outcome.answers

    async def _load_history(self, live: _Live, sitting_id: int, state: SittingState) -> None:
        events = await to_thread.run_sync(self._read_events, sitting_id, 0, state.seq)
        live.events = list(events)

    # --- reading -------------------------------------------------------------------

    def _read_events(self, sitting_id: int, after: int, upto: int | None = None) -> list[Event]:
        with store.sitting_session(self.engine, sitting_id) as db:
            return store.events_after(db, sitting_id, after, upto)

    def _read_state(self, sitting_id: int, cached: SittingState | None
                    ) -> tuple[SittingState, list[Event]]:
        with store.sitting_session(self.engine, sitting_id) as db:
            if cached is None:
                cached = store.initial_state(store.get_sitting(db, sitting_id))
            new = store.events_after(db, sitting_id, cached.seq)
        state = cached
        for event in new:
            state = apply(state, event)
        return state, new

    async def current(self, sitting_id: int) -> tuple[SittingState, list[Event]]:
        """The newest committed state and every event up to it (from the cache when current)."""
        live = self._live(sitting_id)
        async with live.lock:
            try:
                state, new = await to_thread.run_sync(self._read_state, sitting_id, live.state)
            except store.SittingNotFound:
                if live.state is None and not live.connections:
                    self._sittings.pop(sitting_id, None)  # probing ids must not grow memory
                raise
            if live.state is None:
                live.events = list(new)
                live.state = state
            else:
                self._remember(live, state, new)
            if live.delivered_seq is None:
                live.delivered_seq = state.seq
            return state, live.events[: state.seq]

    # --- delivery ------------------------------------------------------------------

    def subscribe(self, sitting_id: int, connection: Connection) -> None:
        self._live(sitting_id).connections.add(connection)
        self.watchman.connections.add(connection)

    def unsubscribe(self, sitting_id: int, connection: Connection) -> None:
        self.watchman.connections.discard(connection)
        live = self._sittings.get(sitting_id)
        if live is not None:
            live.connections.discard(connection)
            if not live.connections:
                # the fan-out skips sittings nobody here watches; the next connection
                # starts delivery afresh from its own catch-up (``current``)
                live.delivered_seq = None

    def watching(self, sitting_id: int) -> bool:
        live = self._sittings.get(sitting_id)
        return live is not None and bool(live.connections)

    def connection_count(self, sitting_id: int) -> int:
        live = self._sittings.get(sitting_id)
        return len(live.connections) if live else 0

    async def catch_up(self) -> None:
        """After the fan-out was lost: deliver what every watched sitting missed meanwhile."""
        for sitting_id, live in tuple(self._sittings.items()):
            if not live.connections or live.delivered_seq is None:
                continue
            missed = await to_thread.run_sync(self._read_events, sitting_id, live.delivered_seq)
            await self.deliver(sitting_id, missed)

    async def deliver(self, sitting_id: int, events: list[Event]) -> None:
        """Committed events (from any worker) to this worker's connections, gapless."""
        if not events:
            return
        live = self._live(sitting_id)
        async with live.delivery_lock:
            if live.delivered_seq is None:
                live.delivered_seq = events[0].seq - 1
            if events[0].seq > live.delivered_seq + 1:  # a message was missed: ask the DB
                missing = await to_thread.run_sync(
                    self._read_events, sitting_id, live.delivered_seq, events[0].seq - 1)
                events = [*missing, *events]
            fresh = []
            for event in events:
                if event.seq == live.delivered_seq + 1:
                    fresh.append(event)
                    live.delivered_seq = event.seq
            if not fresh:
                return
            frames = EventBatchFrames(fresh)  # serialised once per kind of viewer
            for connection in tuple(live.connections):
                connection.offer(frames)


def _resolve(waiting: _Waiting, answer: Ack | ErrorMessage) -> None:
    if not waiting.answer.done():
        waiting.answer.set_result(answer)


def _fail(waiting: _Waiting, error: Exception) -> None:
    log.error("sitting command %s failed", waiting.request.command.key, exc_info=error)
    if not waiting.answer.done():
        waiting.answer.set_exception(error)


def make_hub(engine: Engine, settings: Settings) -> SittingHub:
    """In-process fan-out by default; Redis when ``HDND_REDIS_URL`` is set."""
    fanout: Fanout = InProcessFanout()
    if settings.redis_url:
        fanout = RedisFanout(settings.redis_url, channel_prefix(settings.resolved_database_url))
    # HDND_LIVE_SEND_QUEUE: frames a device may lag behind before it is dropped
    queue = int(os.environ.get("HDND_LIVE_SEND_QUEUE", SEND_QUEUE))
    # HDND_LIVE_TOKEN_CHECK_S: shorter only for tests
    watchman = Watchman(engine, float(os.environ.get("HDND_LIVE_TOKEN_CHECK_S", TOKEN_CHECK_S)))
    return SittingHub(engine, fanout, send_queue=queue, watchman=watchman)
