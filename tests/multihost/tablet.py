"""A tablet that survives its host: reconnects through the load balancer and resends.

Like the delegate's app, it keeps the sitting state with the shared reducer, reconnects
with ``last_seq`` when its socket drops, and resends every command that has no answer yet
under the same key (the server answers a known key with its first receipt, so a vote is
never counted twice). It records every event seq it applies, any gap it is shown and the
host (``X-Hdnd-Host`` from HAProxy) of each connection.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import random
import time
import uuid
from typing import Any

import websockets

from shared.live.events import parse_event
from shared.live.protocol import PROTOCOL_VERSION
from shared.live.state import SittingState, apply


class Tablet:
    def __init__(self, url: str, token: str):
        self.url, self.token = url, token
        self.state: SittingState | None = None
        self.seqs: list[int] = []  # every event applied, in order
        self.gaps: list[tuple[int, int]] = []  # (had, got) whenever an event skipped ahead
        self.answers: dict[str, dict] = {}
        self.answered_at: dict[str, float] = {}
        self.pending: dict[str, dict] = {}  # sent, no answer yet: resent after a reconnect
        self.hosts: list[str] = []  # the host of each connection, in order
        self.opened: dict[str, float] = {}  # vote id -> when vote_opened arrived
        self.ws: Any = None
        self._task: asyncio.Task | None = None
        self._welcomed = asyncio.Event()
        self._stopping = False

    @property
    def seq(self) -> int:
        return self.state.seq if self.state else 0

    @property
    def host(self) -> str | None:
        return self.hosts[-1] if self.hosts else None

    async def start(self) -> Tablet:
        self._task = asyncio.create_task(self._run())
        await asyncio.wait_for(self._welcomed.wait(), 60)
        return self

    async def _run(self) -> None:
        while not self._stopping:
            try:
                await self._session()
            except (TimeoutError, OSError, websockets.WebSocketException):
                pass
            if not self._stopping:  # a dead host: back off a little, then the LB again
                await asyncio.sleep(0.2 + random.random() * 0.3)

    async def _session(self) -> None:
        async with websockets.connect(self.url, max_size=2**24, open_timeout=30) as ws:
            self.ws = ws
            self.hosts.append(ws.response.headers.get("X-Hdnd-Host", "?"))
            await ws.send(json.dumps({"type": "hello", "protocol_version": PROTOCOL_VERSION,
                                      "last_seq": self.seq, "token": self.token}))
            async for raw in ws:
                message = json.loads(raw)
                if message["type"] == "welcome":
                    self._welcomed.set()
                    for command in list(self.pending.values()):  # same key: never twice
                        await ws.send(json.dumps({"type": "command", "command": command}))
                self._apply(message)
        self.ws = None

    def _apply(self, message: dict) -> None:
        kind = message["type"]
        now = time.monotonic()
        if kind == "snapshot":
            self.state = SittingState.model_validate(message["state"])
        elif kind in ("event", "events"):
            for data in [message["event"]] if kind == "event" else message["events"]:
                event = parse_event(data)
                if self.state is None or event.seq <= self.state.seq:
                    continue  # already had it (a resend after reconnecting)
                if event.seq != self.state.seq + 1:
                    self.gaps.append((self.state.seq, event.seq))
                    continue
                self.state = apply(self.state, event)
                self.seqs.append(event.seq)
                if event.type == "vote_opened":
                    self.opened[event.vote_id] = now
        elif kind in ("ack", "error") and message.get("key"):
            self.answers[message["key"]] = message
            self.answered_at[message["key"]] = now
            self.pending.pop(message["key"], None)

    async def command(self, type_: str, **fields: Any) -> str:
        key = str(uuid.uuid4())
        command = {"key": key, "type": type_, **fields}
        self.pending[key] = command
        if self.ws is not None:
            with contextlib.suppress(websockets.WebSocketException, OSError):
                await self.ws.send(json.dumps({"type": "command", "command": command}))
        return key

    async def do(self, type_: str, timeout: float = 30, **fields: Any) -> dict:
        key = await self.command(type_, **fields)
        await until(lambda: key in self.answers, timeout)
        return self.answers[key]

    async def stop(self) -> None:
        self._stopping = True
        if self.ws is not None:
            with contextlib.suppress(Exception):
                await self.ws.close()
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._task


async def until(predicate, timeout: float = 30, what: str = "condition") -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise TimeoutError(what)
        await asyncio.sleep(0.01)
