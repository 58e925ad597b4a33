"""Benchmark of the live sitting: ``python -m tests.bench.live [--quick]``.

Simulated tablets (500; 100 with ``--quick``) run in separate client processes over
loopback against ``hdnd serve``; a bare ``websockets`` broadcast server serves the same
client processes in the same run, as the yardstick. The last line printed is one JSON
object:

* ``open_to_last_p50_ms`` / ``open_to_last_p99_ms``: the chair sends ``open_vote``; time
  until the last tablet has the ``vote_opened`` event (20 rounds; 5 with ``--quick``);
* ``bare_p50_ms``, ``bare_p99_ms`` and ``vs_bare_broadcast``: the same for a bare
  broadcast of a frame of the same size to the same number of clients, and the ratio
  of the p99s (goal: at most 1.5);
* ``server_cpu_ms_per_round`` / ``bare_cpu_ms_per_round``: CPU time the server process
  spent per round (opening and closing a vote, the acks included) and the bare
  server per broadcast: unlike the latencies, hardly moved by other load on the machine;
* ``burst_500_ms``: every tablet votes at a random moment within one second; time from
  the start until every vote is acknowledged and the chair has the closed result;
* ``votes_lost``: tablets whose vote is missing from the result (must be 0);
* ``server_rss_mb``: peak RSS of the server process with all tablets connected;
* ``redis_open_to_last_p50_ms`` / ``redis_open_to_last_p99_ms``: open-to-last with two
  server processes and Redis fan-out (tablets split between them; needs Redis at
  ``HDND_BENCH_REDIS``), and ``redis_server_cpu_ms_per_round`` for both together.

Each round starts once every tablet has the previous round's last message and the
client processes are idle again (``SETTLE_S``), after one unmeasured round
(``WARMUP_ROUNDS``), for ours and the bare broadcast alike; the first round waits until
every tablet has every check-in. With 20 rounds the p99 is the slowest round, so on a
machine shared with other work compare medians of several runs.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import math
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import websockets

from tests.bench._clients import ClientProcesses

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("HDND_BENCH_REDIS", "redis://127.0.0.1:6379/14")
PADDING = "x" * 900  # the bare frame weighs about what a vote_opened frame does
# between rounds, for ours and the bare broadcast alike: every tablet has the previous
# round's last message and the client processes are idle again, so no round pays for the
# one before (and the chair stays under the 20 commands a second a connection may send)
SETTLE_S = 0.05
# unmeasured rounds first, for ours and the bare broadcast alike: in the first round the
# client processes took 10-15 ms longer after the server's last write than in the others
WARMUP_ROUNDS = 1


# --- tablets (client processes) ------------------------------------------------------


class Tablet:
    def __init__(self, url: str, token: str | None):
        self.url, self.token = url, token
        self.ws = None
        self.opened: dict[str, float] = {}
        self.closed: set[str] = set()
        self.seq = 0  # the last event seq this tablet has
        self.bare: dict[int, float] = {}
        self.acks: dict[str, dict] = {}

    async def connect(self) -> None:
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        for attempt in range(20):
            try:
                self.ws = await websockets.connect(self.url, additional_headers=headers,
                                                   max_size=2**24, open_timeout=30)
                break
            except OSError:
                await asyncio.sleep(0.1 * (attempt + 1))
        await self.ws.send(json.dumps({"type": "hello", "protocol_version": 1, "last_seq": 0}))
        asyncio.create_task(self.read())

    async def read(self) -> None:
        try:
            async for raw in self.ws:
                now = time.monotonic()
                message = json.loads(raw)
                kind = message["type"]
                if kind in ("event", "events"):
                    events = [message["event"]] if kind == "event" else message["events"]
                    for event in events:
                        self.seq = max(self.seq, event["seq"])
                        if event["type"] == "vote_opened":
                            self.opened[event["vote_id"]] = now
                        elif event["type"] == "vote_closed":
                            self.closed.add(event["vote_id"])
                elif kind == "bare":
                    self.bare[message["n"]] = now
                elif kind in ("ack", "error") and message.get("key"):
                    self.acks[message["key"]] = {**message, "at": now}
        except websockets.ConnectionClosed:
            pass

    async def command(self, **command) -> str:
        key = str(uuid.uuid4())
        await self.ws.send(json.dumps({"type": "command", "command": {"key": key, **command}}))
        return key


async def _until(predicate, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise TimeoutError
        await asyncio.sleep(0.002)


async def _client(conn, targets: list[tuple[str, str | None]]) -> None:
    loop = asyncio.get_running_loop()
    tablets = [Tablet(url, token) for url, token in targets]
    while True:
        command, *args = await loop.run_in_executor(None, conn.recv)
        conn.send(await _answer(tablets, command, args))
        if command == "close":
            return


async def _answer(tablets: list[Tablet], command: str, args: list):
    """Carry out one order of the benchmark for this process's tablets."""
    voters = [t for t in tablets if t.token]
    listeners = [t for t in tablets if not t.token]
    if command == "connect":
        gate = asyncio.Semaphore(50)

        async def one(tablet: Tablet) -> None:
            async with gate:
                await tablet.connect()

        await asyncio.gather(*(one(t) for t in tablets))
        return "ok"
    if command == "check_in":  # answers the last seq among this process's check-ins
        sent = [(t, await t.command(type="check_in")) for t in voters]
        await _until(lambda: all(k in t.acks for t, k in sent))
        return max((t.acks[k]["seqs"][-1] for t, k in sent), default=0)
    if command == "wait_seq":
        await _until(lambda: all(t.seq >= args[0] for t in voters), 60)
        return "ok"
    if command == "wait_open":
        vote_id = args[0]
        await _until(lambda: all(vote_id in t.opened for t in voters))
        return max((t.opened[vote_id] for t in voters), default=0.0)
    if command == "wait_closed":
        await _until(lambda: all(args[0] in t.closed for t in voters))
        return "ok"
    if command == "wait_bare":
        n = args[0]
        await _until(lambda: all(n in t.bare for t in listeners))
        return max((t.bare[n] for t in listeners), default=0.0)
    if command == "burst":
        vote_id, start = args

        async def vote(tablet: Tablet) -> str:
            await asyncio.sleep(max(0.0, start + random.random() - time.monotonic()))
            return await tablet.command(type="cast_vote", vote_id=vote_id, choice="yes")

        keys = await asyncio.gather(*(vote(t) for t in voters))
        pairs = list(zip(voters, keys, strict=True))
        with contextlib.suppress(TimeoutError):
            await _until(lambda: all(k in t.acks for t, k in pairs), 60)
        acked = [t.acks[k] for t, k in pairs if t.acks.get(k, {}).get("type") == "ack"]
        return (len(acked), max((a["at"] for a in acked), default=0.0))
    if command == "close":
        await asyncio.gather(*(t.ws.close() for t in tablets), return_exceptions=True)
        return "ok"
    raise ValueError(command)


def client_process(conn, targets) -> None:
    asyncio.run(_client(conn, targets))




# --- the bare broadcast server -------------------------------------------------------


async def _bare_server(port: int) -> None:
    from websockets.asyncio.server import broadcast, serve

    tablets: set = set()

    async def handler(ws) -> None:
        if ws.request.path == "/control":
            async for raw in ws:
                n = int(raw)
                broadcast(tablets, json.dumps({"type": "bare", "n": n, "pad": PADDING}))
            return
        tablets.add(ws)
        try:
            async for _raw in ws:
                pass
        finally:
            tablets.discard(ws)

    async with serve(handler, "127.0.0.1", port, max_size=2**20):
        await asyncio.Future()


# --- the servers ---------------------------------------------------------------------


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start(cmd: list[str], env: dict, port: int, log: Path) -> subprocess.Popen:
    import httpx

    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=open(log, "ab"),
                            stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{cmd[2:4]} exited: {log.read_text()[-800:]}")
        try:
            httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=0.5)
            return proc
        except httpx.HTTPError:
            time.sleep(0.1)
    raise RuntimeError("server did not start")


def start_server(data_dir: Path, redis_url: str | None = None) -> tuple[subprocess.Popen, int, str]:
    """``hdnd serve``; the test launcher when the migrations have more than one head."""
    port = _free_port()
    env = {**os.environ, "HDND_DATA_DIR": str(data_dir), "HDND_SECRET_KEY": "test-secret"}
    env.pop("HDND_REDIS_URL", None)
    if redis_url:
        env["HDND_REDIS_URL"] = redis_url
    log = data_dir / f"server-{port}.log"
    try:
        cmd = [sys.executable, "-m", "server.cli", "serve", "--port", str(port)]
        return _start(cmd, env, port, log), port, "hdnd serve"
    except RuntimeError:
        cmd = [sys.executable, "-m", "tests.server.live.serve", str(port)]
        return _start(cmd, env, port, log), port, "tests.server.live.serve"


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0


def cpu_ms(*pids: int) -> float:
    """CPU time (user and system) the processes have used so far, in milliseconds."""
    total = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total * 1000 / os.sysconf("SC_CLK_TCK")


def quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)]


# --- the run -------------------------------------------------------------------------


async def check_in_all(clients: ClientProcesses) -> None:
    """Every tablet checks in; then wait until every tablet has every check-in, so that
    the first round does not pay for the tail of 500 x 500 check-in events."""
    last = max(await clients.ask("check_in"))
    await clients.ask("wait_seq", last)
    await asyncio.sleep(SETTLE_S)


async def open_rounds(chair: Tablet, clients: ClientProcesses, rounds: int, item_id: int) -> list[float]:
    times = []
    for _ in range(rounds):
        started = time.monotonic()
        key = await chair.command(type="open_vote", item_id=item_id, question="Thông qua?")
        await _until(lambda key=key: key in chair.acks)
        vote_id = f"v{chair.acks[key]['seqs'][0]}"
        last = max(await clients.ask("wait_open", vote_id))
        times.append((last - started) * 1000)
        key = await chair.command(type="close_vote", vote_id=vote_id)
        await _until(lambda key=key: key in chair.acks)
        await clients.ask("wait_closed", vote_id)
        await asyncio.sleep(SETTLE_S)
    return times


async def run(n_tablets: int, rounds: int, processes: int) -> dict:
    stamp = time.monotonic()

    def progress(what: str) -> None:
        print(f"[{time.monotonic() - stamp:6.1f}s] {what}", file=sys.stderr, flush=True)

    import httpx

    from tests.conftest import make_settings
    from tests.server.live.conftest import add_delegates, seed

    data_dir = Path(tempfile.mkdtemp(prefix="hdnd-bench-live-"))
    seed(make_settings(data_dir))
    tokens = add_delegates(data_dir, n_tablets)
    server, port, how = start_server(data_dir)
    http = f"http://127.0.0.1:{port}"

    def token(user: str, base: str = http) -> str:
        return httpx.post(base + "/api/auth/token",
                          data={"username": user, "password": "demo-pass"}).json()["access_token"]

    def new_sitting(base: str) -> int:
        headers = {"Authorization": f"Bearer {token('clerk', base)}"}
        session = next(s for s in httpx.get(base + "/api/sessions", headers=headers).json()
                       if s["status"] in ("published", "in_progress") and s["title"].startswith("Kỳ họp"))
        return httpx.post(f"{base}/api/sessions/{session['id']}/sittings", headers=headers,
                          json={"title": "Phiên đo hiệu năng"}).json()["id"]

    progress("seeded, server up")
    sitting_id = new_sitting(http)
    bare_port = _free_port()
    bare = subprocess.Popen([sys.executable, "-m", "tests.bench.live", "--bare-server",
                             str(bare_port)], cwd=ROOT)
    ws = f"ws://127.0.0.1:{port}/ws/sittings/{sitting_id}"
    targets = [(ws, t) for t in tokens] + [(f"ws://127.0.0.1:{bare_port}/", None)] * n_tablets
    clients = ClientProcesses(client_process, targets, processes)
    chair = Tablet(ws, token("chair"))
    await chair.connect()
    result: dict = {"tablets": n_tablets, "rounds": rounds, "server": how}
    try:
        await clients.ask("connect")
        key = await chair.command(type="open_sitting")
        await _until(lambda: key in chair.acks)
        await check_in_all(clients)
        agenda = httpx.get(f"{http}/api/sittings/{sitting_id}/public").json()["roster"]["agenda"]
        item_id = agenda[0]["item_id"]
        progress("connected and checked in")
        result["server_rss_mb"] = peak_rss_mb(server.pid)

        await open_rounds(chair, clients, WARMUP_ROUNDS, item_id)
        used = cpu_ms(server.pid)
        sitting = await open_rounds(chair, clients, rounds, item_id)
        result["server_cpu_ms_per_round"] = round((cpu_ms(server.pid) - used) / rounds, 1)
        progress("sitting rounds done")
        control = await websockets.connect(f"ws://127.0.0.1:{bare_port}/control")
        bare_times = []
        for n in range(WARMUP_ROUNDS + rounds):
            if n == WARMUP_ROUNDS:
                used = cpu_ms(bare.pid)
            started = time.monotonic()
            await control.send(str(n))
            bare_times.append((max(await clients.ask("wait_bare", n)) - started) * 1000)
            await asyncio.sleep(SETTLE_S)
        bare_times = bare_times[WARMUP_ROUNDS:]
        result["bare_cpu_ms_per_round"] = round((cpu_ms(bare.pid) - used) / rounds, 1)
        await control.close()
        result["open_to_last_p50_ms"] = round(statistics.median(sitting), 1)
        result["open_to_last_p99_ms"] = round(quantile(sitting, 0.99), 1)
        result["bare_p50_ms"] = round(statistics.median(bare_times), 1)
        result["bare_p99_ms"] = round(quantile(bare_times, 0.99), 1)
        result["vs_bare_broadcast"] = round(result["open_to_last_p99_ms"]
                                            / max(result["bare_p99_ms"], 0.001), 2)

        progress("bare rounds done")
        key = await chair.command(type="open_vote", item_id=item_id, question="Bỏ phiếu nhanh")
        await _until(lambda: key in chair.acks)
        vote_id = f"v{chair.acks[key]['seqs'][0]}"
        started = time.monotonic() + 0.2
        acks = await clients.ask("burst", vote_id, started)
        key = await chair.command(type="close_vote", vote_id=vote_id)
        await _until(lambda: key in chair.acks, 60)
        closed_at = chair.acks[key]["at"]
        result["burst_500_ms"] = round((closed_at - started) * 1000, 1)
        votes = httpx.get(f"{http}/api/sittings/{sitting_id}/public").json()["votes"][vote_id]
        result["votes_lost"] = n_tablets - votes["result"]["ballots"]
        result["votes_acked"] = sum(a[0] for a in acks)
        result["server_rss_mb"] = max(result["server_rss_mb"], peak_rss_mb(server.pid))
        progress("burst done")
    finally:
        await chair.ws.close()
        await clients.close()
        server.terminate()
        server.wait(10)
        bare.terminate()
        bare.wait(10)
    try:
        result.update(await redis_run(data_dir, tokens, rounds, processes, new_sitting, item_id))
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)
    return result


async def redis_run(data_dir: Path, tokens: list[str], rounds: int, processes: int,
                    new_sitting, item_id: int) -> dict:
    """Two server processes on one database with Redis fan-out; tablets split between."""
    keys = ("redis_open_to_last_p50_ms", "redis_open_to_last_p99_ms",
            "redis_server_cpu_ms_per_round")
    try:
        import redis

        redis.Redis.from_url(REDIS_URL).ping()
    except Exception:  # no Redis here: report null
        return dict.fromkeys(keys)
    import httpx

    servers = [start_server(data_dir, REDIS_URL) for _ in range(2)]
    ports = [port for _proc, port, _how in servers]
    try:
        sitting_id = new_sitting(f"http://127.0.0.1:{ports[0]}")
        urls = [f"ws://127.0.0.1:{p}/ws/sittings/{sitting_id}" for p in ports]
        targets = [(urls[n % 2], t) for n, t in enumerate(tokens)]
        clients = ClientProcesses(client_process, targets, processes)
        chair_token = httpx.post(f"http://127.0.0.1:{ports[0]}/api/auth/token", data={
            "username": "chair", "password": "demo-pass"}).json()["access_token"]
        chair = Tablet(urls[0], chair_token)
        await chair.connect()
        await clients.ask("connect")
        key = await chair.command(type="open_sitting")
        await _until(lambda: key in chair.acks)
        await check_in_all(clients)
        await open_rounds(chair, clients, WARMUP_ROUNDS, item_id)
        pids = [proc.pid for proc, _port, _how in servers]
        used = cpu_ms(*pids)
        times = await open_rounds(chair, clients, rounds, item_id)
        cpu = (cpu_ms(*pids) - used) / rounds
        await chair.ws.close()
        await clients.close()
        return dict(zip(keys, (round(statistics.median(times), 1),
                               round(quantile(times, 0.99), 1), round(cpu, 1)), strict=True))
    finally:
        for proc, _port, _how in servers:
            proc.terminate()
            proc.wait(10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="100 tablets, 5 rounds")
    parser.add_argument("--bare-server", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.bare_server:
        asyncio.run(_bare_server(args.bare_server))
        return
    n_tablets, rounds = (100, 5) if args.quick else (500, 20)
    processes = 2 if args.quick else 4
    result = asyncio.run(run(n_tablets, rounds, processes))
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
