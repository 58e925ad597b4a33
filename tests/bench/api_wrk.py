"""The hot reads measured with wrk (a C load generator) against `hdnd serve`, beside
GET /api/health in the same run, so the Python client is no longer what is measured.

    python -m tests.bench.api_wrk [--quick] [--workers N]

Reads: /api/health (the baseline: the same server doing no work), a delegate's agenda
read (bearer token), the session list, and the public session page of the portal. The
device's "my sessions" (/api/devices/me/sessions) is signed over a single-use nonce,
which a replaying load generator cannot produce: it is driven by several signing client
processes (tests/bench/signed_load.py), beside /api/health driven by the same processes
(``my_sessions_vs_health_same_client``), and compared on the server's CPU per request
with wrk's health (``my_sessions_vs_health_cpu``). Needs Debian's `wrk`.

Besides requests per second, each read reports the server process's CPU time per
request (from /proc, user + system): on a busy machine requests per second measure the
neighbours as much as the server, CPU per request does not. ``*_vs_health`` compares
requests per second in this run; ``*_vs_health_cpu`` compares CPU per request.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import tempfile
from datetime import timedelta
from pathlib import Path

import httpx

from server.packs import device_auth
from shared import clock
from tests.bench import signed_load
from tests.bench._server import PIDS, demo_server

CONNECTIONS = 50
_UNITS = {"us": 1e-3, "ms": 1.0, "s": 1000.0}


def _cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process and its children, from /proc (Linux)."""
    total = 0.0
    for one in [pid, *_children(pid)]:
        fields = Path(f"/proc/{one}/stat").read_text().rsplit(")", 1)[1].split()
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def _children(pid: int) -> list[int]:
    found = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in found.read_text().split()] if found.exists() else []


def _wrk(url: str, seconds: float, headers: dict[str, str], pid: int) -> dict:
    command = ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{seconds:g}s", "--latency"]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    cpu_before = _cpu_seconds(pid)
    out = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    cpu = _cpu_seconds(pid) - cpu_before
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    total = int(re.search(r"(\d+) requests in", out).group(1))
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", out)
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    return {"rps": rps, "p99_ms": round(float(p99.group(1)) * _UNITS[p99.group(2)], 2),
            "cpu_ms": 1000 * cpu / max(total, 1),
            "errors": int(bad.group(1)) if bad else 0}


def _signed(url: str, path: str, seconds: float, creds: tuple[str, bytes], pid: int) -> dict:
    """Signing clients on ``path``, with the server's CPU per request."""
    cpu_before = _cpu_seconds(pid)
    run = signed_load.drive(url, path, seconds, *creds)
    run["cpu_ms"] = 1000 * (_cpu_seconds(pid) - cpu_before) / max(run["requests"], 1)
    return run


def _device(url: str, sessions: list[dict], delegate: dict[str, str],
            folder: str) -> tuple[str, bytes]:
    """delegate01's tablet, enrolled by the clerk, with the demo's pack published for it."""
    clerk = httpx.post(f"{url}/api/auth/token",
                       data={"username": "clerk", "password": "bench"}).json()["access_token"]
    bearer = {"Authorization": f"Bearer {clerk}"}
    person = httpx.get(f"{url}/api/auth/me", headers=delegate).json()["person"]["id"]
    device = signed_load.enrolled_device(url, clerk, person, Path(folder) / "tablet")
    for session in sessions:
        if session["status"] != "draft":
            httpx.post(f"{url}/api/sessions/{session['id']}/packs", headers=bearer)
    return device


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is needed: apt-get install wrk")
    seconds = 4.0 if args.quick else 10.0
    rounds = 1 if args.quick else 3
    offset = Path(tempfile.mkdtemp(prefix="hdnd-bench-clock-")) / "offset"
    with demo_server(workers=args.workers, extra_env={"HDND_CLOCK": f"file:{offset}"}) as url:
        pid = PIDS[url]
        token = httpx.post(f"{url}/api/auth/token",
                           data={"username": "delegate01", "password": "bench"}).json()
        bearer = {"Authorization": f"Bearer {token['access_token']}"}
        sessions = httpx.get(f"{url}/api/sessions", headers=bearer).json()
        public = next(s["id"] for s in sessions if s["status"] != "draft")
        reads = {
            "health": ("/api/health", {}),
            "agenda": (f"/api/sessions/{public}/agenda", bearer),
            "session_list": ("/api/sessions", bearer),
            "public_session_page": (f"/phien-hop/{public}", {}),
        }
        runs: dict[str, list[dict]] = {name: [] for name in reads}
        device = _device(url, sessions, bearer, tempfile.mkdtemp(prefix="hdnd-bench-tablet-"))
        # the first minutes after a start, when every nonce is written to the database
        # (server/packs/request_nonces.py), then a server that has been up a while
        first_minutes = _signed(url, "/api/devices/me/sessions", seconds, device, pid)
        up_a_while = timedelta(seconds=device_auth.MAX_SKEW_SECONDS + 60)
        clock.FileClock.write(offset, up_a_while)
        clock.set_clock(clock.ShiftedClock(up_a_while))  # the signing clients', the same
        signed: dict[str, list[dict]] = {"my_sessions": [], "health": []}
        for _ in range(rounds):  # interleaved, so machine noise hits every read alike
            for name, (path, headers) in reads.items():
                runs[name].append(_wrk(url + path, seconds, headers, pid))
            for name, path, creds in (("my_sessions", "/api/devices/me/sessions", device),
                                      ("health", "/api/health", ("", b""))):
                signed[name].append(_signed(url, path, seconds, creds, pid))
    rps = {name: statistics.median(r["rps"] for r in results) for name, results in runs.items()}
    cpu = {name: statistics.median(r["cpu_ms"] for r in results)
           for name, results in runs.items()}
    result = {
        "benchmark": "api_wrk",
        "date": clock.today().isoformat(),
        "load_generator": "wrk",
        "connections": CONNECTIONS,
        "workers": args.workers,
        "seconds_per_round": seconds,
        "rounds": rounds,
        **{f"{name}_rps": value for name, value in rps.items()},
        **{f"{name}_vs_health": round(value / rps["health"], 3)
           for name, value in rps.items() if name != "health"},
        **{f"{name}_p99_ms": statistics.median(r["p99_ms"] for r in results)
           for name, results in runs.items()},
        **{f"{name}_cpu_ms_per_request": round(value, 3) for name, value in cpu.items()},
        **{f"{name}_vs_health_cpu": round(cpu["health"] / value, 3)
           for name, value in cpu.items() if name != "health"},
        "my_sessions_rps": statistics.median(r["rps"] for r in signed["my_sessions"]),
        "my_sessions_vs_health_same_client": round(
            statistics.median(r["rps"] for r in signed["my_sessions"])
            / statistics.median(r["rps"] for r in signed["health"]), 3),
        "my_sessions_cpu_ms_per_request": round(
            statistics.median(r["cpu_ms"] for r in signed["my_sessions"]), 3),
        "my_sessions_first_minutes_rps": first_minutes["rps"],
        "my_sessions_first_minutes_vs_health_same_client": round(
            first_minutes["rps"] / statistics.median(r["rps"] for r in signed["health"]), 3),
        "my_sessions_first_minutes_vs_health_cpu": round(cpu["health"] / first_minutes["cpu_ms"], 3),
        "my_sessions_vs_health_cpu": round(cpu["health"] / statistics.median(
            r["cpu_ms"] for r in signed["my_sessions"]), 3),
        "signing_clients": signed_load.PROCESSES,
        "load_average_1m": os.getloadavg()[0],
        "errors": sum(r["errors"] for results in runs.values() for r in results)
        + sum(r["errors"] for results in signed.values() for r in results),
    }
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
