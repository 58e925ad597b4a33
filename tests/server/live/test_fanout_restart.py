"""The Redis fan-out across a Redis restart, against a Redis of the test's own (the
machine's is shared): the hub is told when the subscription is back, so it can catch up
from the database (tests/multihost/test_failover.py shows it end to end)."""

from __future__ import annotations

import asyncio
import shutil
import socket
import subprocess
import time

import pytest

from server.live.fanout import RedisFanout

pytestmark = pytest.mark.skipif(shutil.which("redis-server") is None,
                                reason="redis-server is not installed")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _redis(port: int) -> subprocess.Popen:
    proc = subprocess.Popen(["redis-server", "--bind", "127.0.0.1", "--port", str(port),
                             "--save", "", "--appendonly", "no"], stdout=subprocess.DEVNULL)
    import redis

    deadline = time.monotonic() + 10
    while True:
        try:
            redis.Redis(port=port).ping()
            return proc
        except redis.ConnectionError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def test_the_fanout_says_when_its_subscription_is_back_and_skips_unwatched_sittings():
    port = _free_port()
    server = _redis(port)

    async def run() -> None:
        nonlocal server
        got: list[int] = []
        back = asyncio.Event()

        async def deliver(sitting_id: int, _events: list) -> None:
            got.append(sitting_id)

        async def resumed() -> None:
            back.set()

        fanout = RedisFanout(f"redis://127.0.0.1:{port}/0", "t:")
        await fanout.start(deliver, None, resumed, wants=lambda sitting_id: sitting_id != 2)
        try:
            await asyncio.sleep(0.3)
            await fanout.publish(2, [])  # nobody here watches sitting 2
            await fanout.publish(1, [])
            await asyncio.wait_for(_until(lambda: got == [1]), 10)
            server.terminate()
            server.wait(10)
            await asyncio.sleep(1.5)
            assert not back.is_set()
            server = _redis(port)
            await asyncio.wait_for(back.wait(), 30)  # subscribed again: the hub catches up
            await fanout.publish(3, [])
            await asyncio.wait_for(_until(lambda: got == [1, 3]), 10)
        finally:
            await fanout.stop()

    try:
        asyncio.run(run())
    finally:
        server.terminate()
        server.wait(10)


async def _until(predicate) -> None:
    while not predicate():
        await asyncio.sleep(0.02)
