"""Delegates' tablets beside a browser test: real websocket clients that keep the sitting's
state with the shared reducer (``tests.server.live.device.Device``), each signed in as its
delegate, running on an asyncio loop of their own (Playwright's sync API holds the main
thread's loop)."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Coroutine
from typing import Any

from shared.live.state import SittingState
from tests.server.live.device import Device


class TabletsInHall:
    def __init__(self, server, sitting_id: int, usernames: list[str]):
        self.url = server.base.replace("http://", "ws://") + f"/ws/sittings/{sitting_id}"
        self.tokens = [server.token(name) for name in usernames]
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.devices: list[Device] = []

    def run(self, coroutine: Coroutine[Any, Any, Any], timeout: float = 20) -> Any:
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout)

    def __enter__(self) -> TabletsInHall:
        self.thread.start()

        async def connect() -> list[Device]:
            return list(await asyncio.gather(*(Device(self.url, t).connect()
                                               for t in self.tokens)))

        self.devices = self.run(connect())
        return self

    def vote(self, vote_id: str, choices: list[str]) -> None:
        """Each tablet votes its own choice; every one must be acknowledged."""
        async def cast() -> list[dict]:
            for device in self.devices:  # the vote_opened event reached every tablet
                await device.wait_for(lambda _m, d=device: d.state is not None
                                      and vote_id in d.state.votes, consume=False)
            return list(await asyncio.gather(*(
                d.do("cast_vote", vote_id=vote_id, choice=c)
                for d, c in zip(self.devices, choices, strict=False))))

        answers = self.run(cast())
        assert all(a["type"] == "ack" for a in answers), answers

    def do(self, index: int, type_: str, **fields) -> dict:
        return self.run(self.devices[index].do(type_, **fields))

    def state(self, index: int = 0) -> SittingState:
        state = self.devices[index].state
        assert state is not None
        return state

    def wait_seq(self, seq: int) -> None:
        async def wait() -> None:
            await asyncio.gather(*(d.wait_seq(seq, 10) for d in self.devices))

        self.run(wait())

    def __exit__(self, *exc: object) -> None:
        async def close() -> None:
            await asyncio.gather(*(d.close() for d in self.devices), return_exceptions=True)

        try:
            self.run(close())
        finally:
            self.loop.call_soon_threadsafe(self.loop.stop)
            self.thread.join(5)
