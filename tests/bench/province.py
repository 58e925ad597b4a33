"""Benchmark of a province on several hosts: ``python -m tests.bench.province [--quick]``.

Builds the multihost deployment of tests/multihost/harness.py (needs root: network
namespaces): 3 app hosts behind HAProxy, one PostgreSQL, one Redis. Sittings run at once,
each with its own tablets (websockets of simulated tablets in separate client processes,
the light tablet of tests/bench/live.py) and its chair. The same workload runs twice in
one run: through an HAProxy over **one** host (the baseline) and through the HAProxy over
**three**. The last line printed is one JSON object:

* ``open_to_last_p50_ms`` / ``open_to_last_p99_ms`` (per configuration): every chair sends
  ``open_vote`` at once; per sitting, the time until its last tablet has ``vote_opened``;
* ``burst_all_acked_ms``: every tablet of every sitting votes at a random moment within
  one second; time from the start until the last vote is acknowledged; ``vote_ack_p99_ms``
  is the p99 of one vote's send-to-ack time;
* ``votes_lost``: tablets whose vote is missing from the closed result (must be 0);
* ``vs_single_host``: three hosts' open-to-last p99 over one host's (goal: at most 1.5);
  ``vs_single_host_burst`` the same for the burst. The three hosts run twice: tablets
  spread by ``leastconn`` (``three_hosts``: every host serves every sitting) and all
  websockets of a sitting on one host by a hash of its path (``three_hosts_by_sitting``,
  ``vs_single_host_by_sitting``).

Default: 20 sittings x 30 tablets (600 websockets), 5 rounds, the sittings dealt in turn
to 10 councils (the demo's and 9 communes shaped like it, each with its own chair, clerk
and delegates; ``--councils N``, ``--sittings N``, ``--tablets N``: the issue's province is
``--councils 100 --sittings 20 --tablets 30``, 100 councils seeded and the sittings dealt
to the first 20, the rest holding a few delegates each; a province's hundred communes
sitting at once is ``--councils 100 --sittings 100 --tablets 6``). ``--quick``
(CI): 4 x 10, 3 rounds, 2 councils. Every
request and every live command runs scoped to its council (the ORM filter, and row-level
security on PostgreSQL), as in a province's deployment.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import statistics
import sys
import time

import httpx

from tests.bench._clients import ClientProcesses
from tests.bench.live import SETTLE_S, Tablet, _until, quantile

ROUNDS_WARMUP = 1


# --- client processes: each runs its share of the tablets --------------------------------


async def _client(conn, targets: list[tuple[int, str, str]]) -> None:
    loop = asyncio.get_running_loop()
    tablets = [(sitting, Tablet(url, token)) for sitting, url, token in targets]
    while True:
        command, *args = await loop.run_in_executor(None, conn.recv)
        conn.send(await _answer(tablets, command, args))
        if command == "close":
            return


async def _answer(tablets: list[tuple[int, Tablet]], command: str, args: list):
    if command == "connect":
        gate = asyncio.Semaphore(50)

        async def one(tablet: Tablet) -> None:
            async with gate:
                await tablet.connect()

        await asyncio.gather(*(one(t) for _s, t in tablets))
        return "ok"
    if command == "check_in":
        sent = [(s, t, await t.command(type="check_in")) for s, t in tablets]
        await _until(lambda: all(k in t.acks for _s, t, k in sent), 120)
        heads: dict[int, int] = {}
        for s, t, k in sent:
            heads[s] = max(heads.get(s, 0), t.acks[k]["seqs"][-1])
        return heads
    if command == "wait_seq":
        await _until(lambda: all(t.seq >= args[0][s] for s, t in tablets), 120)
        return "ok"
    if command == "wait_open":  # {sitting: vote id} -> {sitting: when its last tablet had it}
        votes = args[0]
        await _until(lambda: all(votes[s] in t.opened for s, t in tablets), 120)
        last: dict[int, float] = {}
        for s, t in tablets:
            last[s] = max(last.get(s, 0.0), t.opened[votes[s]])
        return last
    if command == "wait_closed":
        votes = args[0]
        await _until(lambda: all(votes[s] in t.closed for s, t in tablets), 120)
        return "ok"
    if command == "burst":
        votes, start = args
        sent_at: dict[str, float] = {}

        async def vote(sitting: int, tablet: Tablet) -> tuple[Tablet, str]:
            await asyncio.sleep(max(0.0, start + random.random() - time.monotonic()))
            sent = time.monotonic()
            key = await tablet.command(type="cast_vote", vote_id=votes[sitting], choice="yes")
            sent_at[key] = sent
            return tablet, key

        pairs = await asyncio.gather(*(vote(s, t) for s, t in tablets))
        with contextlib.suppress(TimeoutError):
            await _until(lambda: all(k in t.acks for t, k in pairs), 120)
        acked = [(t.acks[k], sent_at[k]) for t, k in pairs if t.acks.get(k, {}).get("type") == "ack"]
        return (len(acked), max((a["at"] for a, _s in acked), default=0.0),
                [(a["at"] - sent) * 1000 for a, sent in acked])
    if command == "close":
        await asyncio.gather(*(t.ws.close() for _s, t in tablets), return_exceptions=True)
        return "ok"
    raise ValueError(command)


def client_process(conn, targets) -> None:
    asyncio.run(_client(conn, targets))




# --- one configuration -------------------------------------------------------------------


def _merge_max(parts: list[dict]) -> dict:
    merged: dict = {}
    for part in parts:
        for key, value in part.items():
            merged[key] = max(merged.get(key, value), value)
    return merged


def council_of(n: int, councils: int) -> int:
    """Sitting ``n``'s council: sittings are dealt to the councils in turn."""
    return 1 + n % councils


async def measure(province, port: int, config: int, sittings: int, per_sitting: int,
                  rounds: int, processes: int, label: str, progress) -> dict:
    """The workload through the balancer on ``port``: open rounds, then one burst.

    Sittings belong to ``province.councils`` councils in turn; each council's tablets are
    its own delegates (fresh ones for each configuration ``config``) and each sitting's
    chair is its council's chair."""
    base = f"http://127.0.0.1:{port}"
    councils = province.sitting_councils or province.councils
    of = [council_of(n, councils) for n in range(sittings)]
    ids = [province.new_sitting(f"Phiên đo {label} {n + 1}", base, council=of[n])
           for n in range(sittings)]
    chair_tokens = {c: province.token(province.logins[c][1], base) for c in set(of)}
    ws = {s: f"ws://127.0.0.1:{port}/ws/sittings/{s}" for s in ids}
    used: dict[int, int] = {}
    targets = []
    for n, s in enumerate(ids):
        pool = province.council_tokens[of[n]]
        per_config = len(pool) // 3
        start = config * per_config + used.get(of[n], 0)
        targets += [(s, ws[s], pool[start + i]) for i in range(per_sitting)]
        used[of[n]] = used.get(of[n], 0) + per_sitting
    clients = ClientProcesses(client_process, targets, processes)
    chairs = {s: Tablet(ws[s], chair_tokens[of[n]]) for n, s in enumerate(ids)}
    await asyncio.gather(*(c.connect() for c in chairs.values()))
    result: dict = {}
    try:
        await clients.ask("connect")
        opened = await asyncio.gather(*(c.command(type="open_sitting") for c in chairs.values()))
        await _until(lambda: all(k in c.acks for c, k in zip(chairs.values(), opened, strict=True)))
        heads = _merge_max(await clients.ask("check_in"))
        await clients.ask("wait_seq", heads)
        await asyncio.sleep(SETTLE_S)
        items = {}  # each council's sittings have their own agenda, read as its chair
        for n, s in enumerate(ids):
            seen = httpx.get(f"{base}/api/sittings/{s}", timeout=30,
                             headers={"Authorization": f"Bearer {chair_tokens[of[n]]}"})
            items[s] = seen.json()["state"]["roster"]["agenda"][0]["item_id"]
        progress(f"{label}: {len(targets)} tablets connected and checked in")

        async def open_all(question: str) -> tuple[float, dict[int, str]]:
            started = time.monotonic()
            keys = {s: await c.command(type="open_vote", item_id=items[s], question=question,
                                       decision="procedural",
                                       quorum_override_reason="Đo hiệu năng / benchmark")
                    for s, c in chairs.items()}
            await _until(lambda: all(keys[s] in c.acks for s, c in chairs.items()), 120)
            bad = [c.acks[keys[s]] for s, c in chairs.items() if c.acks[keys[s]]["type"] != "ack"]
            assert not bad, bad
            return started, {s: f"v{c.acks[keys[s]]['seqs'][0]}" for s, c in chairs.items()}

        async def close_all(votes: dict[int, str]) -> None:
            keys = {s: await c.command(type="close_vote", vote_id=votes[s])
                    for s, c in chairs.items()}
            await _until(lambda: all(keys[s] in c.acks for s, c in chairs.items()), 120)
            await clients.ask("wait_closed", votes)
            await asyncio.sleep(SETTLE_S)

        samples: list[float] = []
        for n in range(ROUNDS_WARMUP + rounds):
            started, votes = await open_all(f"Vòng {n}")
            last = _merge_max(await clients.ask("wait_open", votes))
            if n >= ROUNDS_WARMUP:
                samples += [(t - started) * 1000 for t in last.values()]
            await close_all(votes)
        result["open_to_last_p50_ms"] = round(statistics.median(samples), 1)
        result["open_to_last_p99_ms"] = round(quantile(samples, 0.99), 1)
        progress(f"{label}: {rounds} rounds of {sittings} votes opened")

        _started, votes = await open_all("Bỏ phiếu dồn dập")
        await clients.ask("wait_open", votes)
        start = time.monotonic() + 0.2
        answers = await clients.ask("burst", votes, start)
        latencies = [ms for _n, _at, part in answers for ms in part]
        result["burst_all_acked_ms"] = round((max(at for _n, at, _p in answers) - start) * 1000, 1)
        result["vote_ack_p50_ms"] = round(statistics.median(latencies), 1) if latencies else None
        result["vote_ack_p99_ms"] = round(quantile(latencies, 0.99), 1) if latencies else None
        result["votes_acked"] = sum(n for n, _at, _p in answers)
        await close_all(votes)
        lost = 0
        for n, s in enumerate(ids):
            seen = httpx.get(f"{base}/api/sittings/{s}", timeout=30,
                             headers={"Authorization": f"Bearer {chair_tokens[of[n]]}"}).json()
            lost += per_sitting - seen["state"]["votes"][votes[s]]["result"]["ballots"]
        result["votes_lost"] = lost
        progress(f"{label}: burst done")
    finally:
        await asyncio.gather(*(c.ws.close() for c in chairs.values()), return_exceptions=True)
        await clients.close()
    return result


def run(sittings: int, per_sitting: int, rounds: int, processes: int, councils: int) -> dict:
    from tests.multihost.harness import Province, unusable

    reason = unusable()
    if reason:
        return {"skipped": reason}
    stamp = time.monotonic()

    def progress(what: str) -> None:
        print(f"[{time.monotonic() - stamp:6.1f}s] {what}", file=sys.stderr, flush=True)

    tablets = sittings * per_sitting
    councils = max(1, councils)
    sitting_councils = min(councils, sittings)  # the others are seeded and sit nowhere
    most = -(-sittings // sitting_councils)  # sittings of the council with the most
    result: dict = {
        "councils": councils, "councils_sitting": sitting_councils, "sittings": sittings,
        "tablets_per_sitting": per_sitting,
        "websockets": tablets, "hosts": 3, "rounds": rounds,
        "load_avg_before": [round(x, 2) for x in os.getloadavg()],
    }
    # built outside any event loop: seeding the demo runs one of its own
    with Province(hosts_wanted=3, extra_delegates=3 * most * per_sitting, check_inter="2s",
                  councils=councils, sitting_councils=sitting_councils) as province:
        progress("province up: 3 hosts, PostgreSQL, Redis, HAProxy")
        single_port = province.balancer([0], "haproxy-single")
        # fresh delegates for each configuration, so neither inherits the other's sockets
        result["single_host"] = asyncio.run(measure(province, single_port, 0, sittings,
                                                    per_sitting, rounds, processes, "single",
                                                    progress))
        result["three_hosts"] = asyncio.run(measure(province, province.lb_port, 1, sittings,
                                                    per_sitting, rounds, processes, "three",
                                                    progress))
        by_sitting = province.balancer(None, "haproxy-by-sitting", by_sitting=True)
        result["three_hosts_by_sitting"] = asyncio.run(measure(
            province, by_sitting, 2, sittings, per_sitting, rounds, processes,
            "three-by-sitting", progress))
    one, three = result["single_host"], result["three_hosts"]
    result["vs_single_host"] = round(three["open_to_last_p99_ms"]
                                     / max(one["open_to_last_p99_ms"], 0.001), 2)
    result["vs_single_host_burst"] = round(three["burst_all_acked_ms"]
                                           / max(one["burst_all_acked_ms"], 0.001), 2)
    by = result["three_hosts_by_sitting"]
    result["vs_single_host_by_sitting"] = round(by["open_to_last_p99_ms"]
                                                / max(one["open_to_last_p99_ms"], 0.001), 2)
    result["vs_single_host_burst_by_sitting"] = round(by["burst_all_acked_ms"]
                                                      / max(one["burst_all_acked_ms"], 0.001), 2)
    result["votes_lost"] = one["votes_lost"] + three["votes_lost"] + by["votes_lost"]
    result["load_avg_after"] = [round(x, 2) for x in os.getloadavg()]
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="4 sittings x 10 tablets, 3 rounds")
    parser.add_argument("--councils", type=int, default=None,
                        help="councils seeded; the sittings are dealt to the first ones in turn "
                             "(default: 2 quick, 10)")
    parser.add_argument("--sittings", type=int, default=None, help="sittings at once")
    parser.add_argument("--tablets", type=int, default=None, help="tablets per sitting")
    args = parser.parse_args()
    sittings, per_sitting, rounds = (4, 10, 3) if args.quick else (20, 30, 5)
    sittings, per_sitting = args.sittings or sittings, args.tablets or per_sitting
    processes = 2 if args.quick else 3
    councils = args.councils or (2 if args.quick else 10)
    result = run(sittings, per_sitting, rounds, processes, councils)
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
