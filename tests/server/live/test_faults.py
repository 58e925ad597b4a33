"""Bad input and faults: every one answered, none hurting the other devices."""

from __future__ import annotations

import asyncio
import base64
import contextlib
import hashlib
import json
import os
import socket
import sqlite3
import time
from pathlib import Path

import httpx
import pytest
import websockets

from shared.live.protocol import PROTOCOL_VERSION
from tests.server.live.conftest import Server, copy_template
from tests.server.live.device import Device


def test_bad_frames_get_errors_and_the_connection_stays(server: Server):
    sitting_id = server.new_sitting()

    async def run() -> None:
        device = await Device(server.ws(sitting_id), server.token("delegate01")).connect(
            hello=False)
        await device.send({"type": "command", "command": {"key": "k" * 10, "type": "check_in"}})
        assert (await device.wait_for(lambda m: True))["code"] == "hello_required"
        await device.send({"type": "hello", "protocol_version": 1, "last_seq": 0,
                           "token": device.token})
        assert (await device.wait_for(lambda m: True))["type"] == "welcome"
        await device.wait_for(lambda m: m["type"] == "snapshot")
        cases = [
            ("{not json", "malformed_json"),
            (json.dumps({"type": "dance"}), "unknown_type"),
            (json.dumps({"type": "command", "command": {"key": "abcdefgh", "type": "fly"}}),
             "unknown_command"),
            (json.dumps({"type": "command", "command": {"key": "abcdefgh",
                                                        "type": "check_in", "extra": 1}}),
             "invalid_message"),
            (json.dumps([1, 2]), "invalid_message"),
            (json.dumps({"type": "ping", "nonce": "x" * (70 * 1024)}), "too_large"),
        ]
        for raw, code in cases:
            await device.send(raw)
            answer = await device.wait_for(lambda m: True)
            assert answer["type"] == "error" and answer["code"] == code, (raw[:40], answer)
        await device.send({"type": "ping", "nonce": "42"})
        pong = await device.wait_for(lambda m: True)
        assert pong["type"] == "pong" and pong["nonce"] == "42"
        assert not device.closed.is_set()
        await device.close()

    asyncio.run(run())


def test_a_flood_is_rate_limited_without_hurting_others(server: Server):
    sitting_id = server.new_sitting()

    async def run() -> None:
        chair = await Device(server.ws(sitting_id), server.token("chair")).connect()
        other = await Device(server.ws(sitting_id), server.token("delegate02")).connect()
        flooder = await Device(server.ws(sitting_id), server.token("delegate01")).connect()
        await chair.do("open_sitting")
        keys = [await flooder.command("request_to_speak", kind="speech") for _ in range(60)]
        started = time.monotonic()
        answer = await other.do("check_in")
        assert answer["type"] == "ack" and time.monotonic() - started < 1.0
        await flooder.wait_for(lambda _m: all(k in flooder.answers for k in keys), 10,
                               consume=False)
        codes = [flooder.answers[k].get("code") for k in keys]
        assert codes.count("rate_limited") >= 30
        assert codes.count(None) == 1 and codes.count("already_in_queue") >= 1
        assert not flooder.closed.is_set()
        for device in (chair, other, flooder):
            await device.close()

    asyncio.run(run())


def _expire(server: Server, token: str) -> None:
    digest = hashlib.sha256(token.encode()).hexdigest()
    with sqlite3.connect(server.data_dir / "hdnd.sqlite3") as db:
        db.execute("UPDATE authtoken SET expires_at = '2020-01-01 00:00:00.000000' "
                   "WHERE token_hash = ?", (digest,))


def test_expired_or_garbage_tokens_are_refused_in_words_and_closed_with_4401(server: Server):
    sitting_id = server.new_sitting()
    fresh = server.api("delegate03", "POST", "/api/auth/token", data={
        "username": "delegate03", "password": "demo-pass"}).json()["access_token"]
    _expire(server, fresh)

    async def refused(url: str, token: str | None) -> dict:
        async with websockets.connect(url) as ws:
            hello = {"type": "hello", "protocol_version": PROTOCOL_VERSION, "last_seq": 0}
            if token:
                hello["token"] = token
            await ws.send(json.dumps(hello))
            said = json.loads(await asyncio.wait_for(ws.recv(), 5))
            with pytest.raises(websockets.ConnectionClosed):
                await asyncio.wait_for(ws.recv(), 5)
            assert ws.close_code == 4401
            return said

    async def run() -> None:
        for token in ("garbage-token-garbage", fresh, None):
            said = await refused(server.ws(sitting_id), token)
            assert said["code"] == "credentials_invalid" and "đăng nhập" in said["message_vi"]
        # a token in the URL is not read (URLs end up in access logs): refused
        url = server.ws(sitting_id) + "?token=" + server.token("delegate04")
        assert (await refused(url, None))["code"] == "credentials_invalid"
        device = await Device(server.ws(sitting_id), server.token("delegate04")).connect()
        assert device.person_id is not None
        await device.close()

    asyncio.run(run())


def test_a_command_after_logout_is_refused_at_once_without_waiting_for_the_watchman(
        server: Server):
    """Issue 16 (5): a logout used to leave the socket voting for up to 60 s."""
    sitting_id = server.new_sitting()
    token = httpx.post(server.http + "/api/auth/token", data={
        "username": "delegate07", "password": "demo-pass"}).json()["access_token"]

    async def run() -> None:
        chair = await Device(server.ws(sitting_id), server.token("chair")).connect()
        assert (await chair.do("open_sitting"))["type"] == "ack"
        delegate = await Device(server.ws(sitting_id), token).connect()
        out = server.api_with_token(token, "POST", "/api/auth/logout")
        assert out.status_code == 204
        with contextlib.suppress(websockets.ConnectionClosed):
            await delegate.send({"type": "command", "command": {"key": "after-logout",
                                                                 "type": "check_in"}})
        await asyncio.wait_for(delegate.closed.wait(), 3)
        assert delegate.ws.close_code == 4401
        said = [m for m in delegate.messages if m["type"] == "error"]
        assert said and said[-1]["code"] == "credentials_revoked"
        assert "after-logout" not in [m.get("key") for m in delegate.messages
                                      if m["type"] == "ack"]
        await asyncio.sleep(0.3)  # a check-in would have reached the chair by now
        assert delegate.person_id not in chair.state.present
        await chair.close()

    asyncio.run(run())


def test_reconnecting_with_last_seq_gets_exactly_the_missed_events(server: Server):
    sitting_id = server.new_sitting()

    async def run() -> None:
        chair = await Device(server.ws(sitting_id), server.token("chair")).connect()
        tablet = await Device(server.ws(sitting_id), server.token("delegate05")).connect()
        await chair.do("open_sitting")
        await tablet.wait_seq(1)
        await tablet.close()
        for user in ("delegate01", "delegate02", "delegate03"):
            await chair.do("check_in", person_id=None) if user == "chair" else None
            assert (await chair.do("request_to_speak", kind="speech" if user != "delegate02"
                                   else "debate"))["type"] in ("ack", "error")
        head = chair.state.seq
        tablet.messages.clear()
        tablet.event_seqs.clear()
        await tablet.connect()  # hello with its own last seq
        await tablet.wait_seq(head)
        batches = [m for m in tablet.messages if m["type"] == "events"]
        assert len(batches) == 1 and tablet.event_seqs == list(range(2, head + 1))
        assert not [m for m in tablet.messages if m["type"] == "snapshot"]
        assert tablet.state.model_dump() == chair.state.model_dump()
        for device in (chair, tablet):
            await device.close()

    asyncio.run(run())


@pytest.fixture(scope="module")
def small_queue_server(seeded_template: Path, tmp_path_factory):
    data_dir = copy_template(seeded_template, tmp_path_factory.mktemp("live-slow"))
    srv = Server(data_dir, extra_env={"HDND_LIVE_SEND_QUEUE": "8",
                                      "HDND_LIVE_TOKEN_CHECK_S": "0.5"}).start()
    yield srv
    srv.stop()


@pytest.mark.slow
def test_a_device_that_never_reads_is_dropped_and_slows_nobody(small_queue_server: Server):
    server = small_queue_server
    sitting_id = server.new_sitting()

    async def run() -> None:
        chair = await Device(server.ws(sitting_id), server.token("chair")).connect()
        watcher = await Device(server.ws(sitting_id), server.token("delegate02")).connect()
        # a raw websocket client with a tiny receive buffer that never reads after hello
        stalled = _stalled_client(server, sitting_id, server.token("delegate01"))
        await chair.do("open_sitting")
        item_id = chair.state.roster.agenda[0].item_id
        await chair.do("open_item", item_id=item_id)
        # 6 KB a frame: the kernel's buffers (MBs) must fill first. The chair opens and
        # closes votes (what a delegate may add is bounded; the chair's
        # own work is not).
        text = "ễ" * 2000
        worst = 0.0
        url = f"{server.http}/api/sittings/{sitting_id}/commands"
        headers = {"Authorization": f"Bearer {server.token('chair')}"}
        async with httpx.AsyncClient(headers=headers) as http:  # REST: no per-socket limit
            for n in range(800):
                if "dropped: slow_consumer" in server.log_path.read_text():
                    break
                sent = time.monotonic()
                answer = (await http.post(url, json={
                    "key": f"vote-open-{n:04d}", "type": "open_vote", "item_id": item_id,
                    "question": text, "decision": "procedural",
                    "quorum_override_reason": "Thử tải"})).json()
                closed = (await http.post(url, json={
                    "key": f"vote-close-{n:04d}", "type": "close_vote",
                    "vote_id": f"v{answer['seqs'][0]}"})).json()
                assert closed["seqs"], closed
                answer = closed
                await watcher.wait_seq(answer["seqs"][-1], timeout=1.0)
                worst = max(worst, time.monotonic() - sent)
        assert worst < 1.0 and n < 799
        # the stalled device was dropped: reading now, it finds the close after some frames
        stalled.settimeout(5)
        stalled.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 20)
        received = b""
        with contextlib.suppress(ConnectionResetError):
            while chunk := stalled.recv(1 << 16):
                received += chunk
        # it never got everything: it was cut off
        assert received.count(b'"type":"vote_opened"') < n
        assert b'"reason":"slow_consumer"' in received
        stalled.close()
        for device in (chair, watcher):
            await device.close()

    asyncio.run(run())


def _stalled_client(server: Server, sitting_id: int, token: str) -> socket.socket:
    """Open a websocket by hand, say hello, and then read nothing at all."""
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 2048)
    sock.connect(("127.0.0.1", server.port))
    key = base64.b64encode(os.urandom(16)).decode()
    sock.sendall((f"GET /ws/sittings/{sitting_id} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                  f"Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
                  f"Sec-WebSocket-Version: 13\r\nAuthorization: Bearer {token}\r\n\r\n"
                  ).encode())
    response = b""
    while b"\r\n\r\n" not in response:
        response += sock.recv(1)
    assert b" 101 " in response.split(b"\r\n")[0]
    hello = json.dumps({"type": "hello", "protocol_version": 1, "last_seq": 0}).encode()
    mask = os.urandom(4)
    sock.sendall(bytes([0x81, 0x80 | len(hello)]) + mask
                 + bytes(b ^ mask[i % 4] for i, b in enumerate(hello)))
    return sock


def _frames(sock: socket.socket, until: float, answer_pings: bool = False
            ) -> list[tuple[int, bytes]]:
    """The server's frames (opcode, payload; unmasked, uncompressed) until the time runs
    out or the server closes the TCP connection; Pings answered with Pongs if asked."""
    frames, buffer = [], b""
    while time.monotonic() < until:
        sock.settimeout(max(0.01, until - time.monotonic()))
        try:
            chunk = sock.recv(1 << 16)
        except TimeoutError:
            break
        if not chunk:
            frames.append((-1, b""))  # EOF: the server closed the connection
            break
        buffer += chunk
        while len(buffer) >= 2:
            size, head = buffer[1] & 0x7F, 2
            if size == 126:
                size, head = int.from_bytes(buffer[2:4], "big"), 4
            elif size == 127:
                size, head = int.from_bytes(buffer[2:10], "big"), 10
            if len(buffer) < head + size:
                break
            opcode, payload = buffer[0] & 0x0F, buffer[head:head + size]
            frames.append((opcode, payload))
            buffer = buffer[head + size:]
            if opcode == 0x9 and answer_pings:
                _send_frame(sock, 0xA, payload)
    return frames


def _send_frame(sock: socket.socket, opcode: int, payload: bytes) -> None:
    """A small masked frame from the client side."""
    mask = os.urandom(4)
    sock.sendall(bytes([0x80 | opcode, 0x80 | len(payload)]) + mask
                 + bytes(b ^ mask[i % 4] for i, b in enumerate(payload)))


@pytest.fixture(scope="module")
def keepalive_server(seeded_template: Path, tmp_path_factory):
    data_dir = copy_template(seeded_template, tmp_path_factory.mktemp("live-keepalive"))
    srv = Server(data_dir, extra_env={"HDND_LIVE_PING_S": "0.2",
                                      "HDND_LIVE_PONG_TIMEOUT_S": "0.5"}).start()
    yield srv
    srv.stop()


def test_a_device_that_stops_answering_is_found_dead_and_closed(keepalive_server: Server):
    # pings every 0.2 s and a Pong due within 0.5 s here (15 s and 30 s in production)
    server = keepalive_server
    sitting_id = server.new_sitting()
    # a real socket, as a tablet: it answers the server's Pings (as any websocket library
    # does by itself) but never sends a message of its own...
    sock = _stalled_client(server, sitting_id, server.token("delegate03"))
    alive = _frames(sock, time.monotonic() + 1.5, answer_pings=True)
    assert [op for op, _ in alive[:2]] == [0x1, 0x1]  # welcome and snapshot
    assert sum(op == 0x9 for op, _ in alive) >= 4  # pinged again after each Pong
    assert all(op != 0x8 and op != -1 for op, _ in alive)  # and left open
    # ...then it stops answering, as a tablet whose link died or whose app froze
    stopped = time.monotonic()
    dead = _frames(sock, stopped + 5)
    found_after = time.monotonic() - stopped
    sock.close()
    closes = [payload for op, payload in dead if op == 0x8]
    assert closes and int.from_bytes(closes[0][:2], "big") == 1011, dead  # keepalive timeout
    assert dead[-1][0] == -1  # and the server closed the TCP connection
    assert found_after < 0.2 + 0.5 + 1.0  # one ping interval and the Pong timeout

    async def others_carry_on() -> None:
        chair = await Device(server.ws(sitting_id), server.token("chair")).connect()
        assert (await chair.do("open_sitting"))["type"] == "ack"
        await chair.close()

    asyncio.run(others_carry_on())


def test_a_token_revoked_or_expired_during_the_connection_ends_it(small_queue_server: Server):
    server = small_queue_server  # checks tokens every 0.5 s here (60 s in production)
    sitting_id = server.new_sitting()

    def fresh(user: str) -> str:
        return httpx.post(server.http + "/api/auth/token", data={
            "username": user, "password": "demo-pass"}).json()["access_token"]

    revoked, expiring = fresh("delegate05"), fresh("delegate06")

    async def run() -> None:
        chair = await Device(server.ws(sitting_id), server.token("chair")).connect()
        first = await Device(server.ws(sitting_id), revoked).connect()
        second = await Device(server.ws(sitting_id), expiring).connect()
        with sqlite3.connect(server.data_dir / "hdnd.sqlite3") as db:
            db.execute("UPDATE authtoken SET revoked_at = '2020-01-01 00:00:00.000000' "
                       "WHERE token_hash = ?", (hashlib.sha256(revoked.encode()).hexdigest(),))
        _expire(server, expiring)
        with contextlib.suppress(websockets.ConnectionClosed):
            await second.send({"type": "command", "command": {"key": "after-expiry",
                                                               "type": "check_in"}})
        for device in (first, second):
            await asyncio.wait_for(device.closed.wait(), 3)
            assert device.ws.close_code == 4401
        assert (await chair.do("open_sitting"))["type"] == "ack"  # the others carry on
        await chair.close()

    asyncio.run(run())
