"""The public session page under many readers at once: every one is answered.

It used to read the database on the event loop and keep its pooled connection while the
live hub waited for another: at 50 concurrent readers the server stopped answering.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx

from tests.server.operations.conftest import DEMO_PASSWORD, Installation, RunningServer

READERS = 60


async def _read_all(url: str) -> list[int]:
    limits = httpx.Limits(max_connections=READERS)
    async with httpx.AsyncClient(limits=limits, timeout=25) as client:
        answers = await asyncio.gather(*(client.get(url) for _ in range(READERS * 3)),
                                       return_exceptions=True)
    return [a.status_code if isinstance(a, httpx.Response) else 0 for a in answers]


def test_many_public_readers_are_all_answered(tmp_path: Path) -> None:
    installation = Installation(tmp_path / "hall")
    installation.hdnd("migrate")
    installation.hdnd("demo", "--password", DEMO_PASSWORD)
    server = RunningServer(installation)
    try:
        sessions = httpx.get(f"{server.url}/api/public/sessions").json()
        page = f"{server.url}/phien-hop/{sessions[0]['id']}"
        assert httpx.get(page).status_code == 200
        statuses = asyncio.run(_read_all(page))
        assert statuses == [200] * len(statuses)
        assert httpx.get(f"{server.url}/api/health", timeout=5).status_code == 200
    finally:
        server.stop()
