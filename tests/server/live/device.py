"""A test device: a real websockets client that keeps the sitting state with the shared
reducer, exactly as a tablet would."""

from __future__ import annotations

import asyncio
import json
import uuid
from typing import Any

import websockets

from shared.live.events import parse_event
from shared.live.protocol import PROTOCOL_VERSION
from shared.live.state import SittingState, apply


class Device:
    def __init__(self, url: str, token: str | None = None):
        self.url = url
        self.token = token
        self.ws: Any = None
        self.state: SittingState | None = None
        self.person_id: int | None = None
        self.messages: list[dict] = []  # every message received, in order
        self.answers: dict[str, dict] = {}  # key -> ack or error
        self.errors: list[dict] = []
        self.event_seqs: list[int] = []
        self._inbox: asyncio.Queue[dict] = asyncio.Queue()
        self._reader: asyncio.Task | None = None
        self.closed = asyncio.Event()
        self.close_code: int | None = None

    async def connect(self, last_seq: int | None = None, hello: bool = True, **kwargs) -> Device:
        self.ws = await websockets.connect(self.url, max_size=2**22, **kwargs)
        self.closed.clear()
        self._reader = asyncio.create_task(self._read())
        if hello:
            seq = last_seq if last_seq is not None else (self.state.seq if self.state else 0)
            hello = {"type": "hello", "protocol_version": PROTOCOL_VERSION, "last_seq": seq}
            if self.token:  # the credential travels in the first message, never the URL
                hello["token"] = self.token
            await self.send(hello)
            welcome = await self.wait_for(lambda m: m["type"] in ("welcome", "error"))
            assert welcome["type"] == "welcome", welcome
            self.person_id = welcome.get("person_id")
            if welcome["head_seq"] > 0 or seq == 0:
                await self.wait_for(lambda m: self.state is not None
                                    and self.state.seq >= welcome["head_seq"], consume=False)
        return self

    async def _read(self) -> None:
        try:
            async for raw in self.ws:
                message = json.loads(raw)
                self.messages.append(message)
                self._apply(message)
                await self._inbox.put(message)
        except websockets.ConnectionClosed:
            pass
        finally:
            self.close_code = self.ws.close_code
            self.closed.set()

    def _apply(self, message: dict) -> None:
        kind = message["type"]
        if kind == "snapshot":
            self.state = SittingState.model_validate(message["state"])
        elif kind in ("event", "events"):
            events = [message["event"]] if kind == "event" else message["events"]
            for data in events:
                event = parse_event(data)
                self.event_seqs.append(event.seq)
                if self.state is not None and event.seq == self.state.seq + 1:
                    self.state = apply(self.state, event)
                elif self.state is None or event.seq > self.state.seq:
                    raise AssertionError(f"gap: have {self.state and self.state.seq}, "
                                         f"got {event.seq}")
        elif kind in ("ack", "error") and message.get("key"):
            self.answers[message["key"]] = message
        if kind == "error":
            self.errors.append(message)

    async def send(self, message: dict | str) -> None:
        await self.ws.send(message if isinstance(message, str) else json.dumps(message))

    async def command(self, type_: str, key: str | None = None, **fields) -> str:
        key = key or str(uuid.uuid4())
        self.answers.pop(key, None)  # a resend waits for a new answer
        await self.send({"type": "command", "command": {"key": key, "type": type_, **fields}})
        return key

    async def do(self, type_: str, key: str | None = None, timeout: float = 5, **fields) -> dict:
        """Send a command and wait for its answer (ack or error)."""
        key = await self.command(type_, key, **fields)
        return await self.answer(key, timeout)

    async def answer(self, key: str, timeout: float = 5) -> dict:
        await self.wait_for(lambda m: key in self.answers, timeout, consume=False)
        return self.answers[key]

    async def wait_for(self, predicate, timeout: float = 5, consume: bool = True) -> dict:
        """The first new message matching ``predicate`` (or, consume=False, a condition)."""
        deadline = asyncio.get_running_loop().time() + timeout
        if not consume:
            while not predicate(None):
                remaining = deadline - asyncio.get_running_loop().time()
                if remaining <= 0:
                    raise TimeoutError("condition not met")
                try:
                    await asyncio.wait_for(self._inbox.get(), remaining)
                except TimeoutError:
                    raise TimeoutError("condition not met") from None
            return {}
        while True:
            remaining = deadline - asyncio.get_running_loop().time()
            message = await asyncio.wait_for(self._inbox.get(), max(remaining, 0.001))
            if predicate(message):
                return message

    async def wait_seq(self, seq: int, timeout: float = 5) -> None:
        await self.wait_for(lambda _m: self.state is not None and self.state.seq >= seq,
                            timeout, consume=False)

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()
        if self._reader is not None:
            await asyncio.wait_for(self.closed.wait(), 5)
