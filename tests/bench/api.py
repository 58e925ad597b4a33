"""Requests per second of an authenticated agenda read under 50 concurrent clients,
beside GET /api/health in the same run (the baseline: the same server doing no work).

    python -m tests.bench.api [--quick]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import time

import httpx

from tests.bench._server import demo_server

CLIENTS = 50


async def _load(url: str, path: str, headers: dict[str, str], seconds: float) -> dict:
    latencies: list[float] = []
    errors = 0
    deadline = time.perf_counter() + seconds
    limits = httpx.Limits(max_connections=CLIENTS, max_keepalive_connections=CLIENTS)
    async with httpx.AsyncClient(base_url=url, headers=headers, limits=limits,
                                 timeout=30) as client:
        async def one_client() -> None:
            nonlocal errors
            while time.perf_counter() < deadline:
                start = time.perf_counter()
                response = await client.get(path)
                latencies.append(time.perf_counter() - start)
                if response.status_code != 200:
                    errors += 1

        started = time.perf_counter()
        await asyncio.gather(*(one_client() for _ in range(CLIENTS)))
        elapsed = time.perf_counter() - started
    latencies.sort()
    return {
        "rps": round(len(latencies) / elapsed, 1),
        "p50_ms": round(statistics.median(latencies) * 1000, 2),
        "p99_ms": round(latencies[int(len(latencies) * 0.99) - 1] * 1000, 2),
        "requests": len(latencies),
        "errors": errors,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    seconds = 4.0 if args.quick else 15.0
    rounds = 1 if args.quick else 3
    with demo_server() as url:
        token = httpx.post(f"{url}/api/auth/token",
                           data={"username": "delegate01", "password": "bench"}).json()
        headers = {"Authorization": f"Bearer {token['access_token']}"}
        session_id = httpx.get(f"{url}/api/sessions", headers=headers).json()[0]["id"]
        agenda, health = [], []
        for _ in range(rounds):  # interleaved, so machine noise hits both alike
            health.append(asyncio.run(_load(url, "/api/health", {}, seconds)))
            agenda.append(asyncio.run(_load(url, f"/api/sessions/{session_id}/agenda",
                                            headers, seconds)))
    agenda_rps = statistics.median(r["rps"] for r in agenda)
    health_rps = statistics.median(r["rps"] for r in health)
    result = {
        "benchmark": "api",
        "clients": CLIENTS,
        "seconds_per_round": seconds,
        "rounds": rounds,
        "agenda_rps": agenda_rps,
        "health_rps": health_rps,
        "agenda_vs_health": round(agenda_rps / health_rps, 3),
        "agenda_p99_ms": statistics.median(r["p99_ms"] for r in agenda),
        "health_p99_ms": statistics.median(r["p99_ms"] for r in health),
        "errors": sum(r["errors"] for r in agenda + health),
    }
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
