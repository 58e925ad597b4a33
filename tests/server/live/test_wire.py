"""The fan-out's direct write (``connection.Wire``) under uvicorn, and its ASGI fallback.

``Wire`` reaches into uvicorn's sans-I/O websocket protocol, which is not an API. These
tests run the app under a real uvicorn in this process, so they can look at the hub's
connections: under uvicorn's default protocol every connection must have the fast path
(if uvicorn's internals change, the first test fails and says so, while the server
keeps working through ASGI); under uvicorn's other protocol there is no fast path, and
every device must still get every event, in order, through ASGI.
"""

from __future__ import annotations

import asyncio
import contextlib
from pathlib import Path

import httpx
import pytest
import uvicorn

from server.app import create_app
from server.demo.calendar import demo_schedule
from server.live.connection import Wire, text_frame
from tests.conftest import make_settings
from tests.server.live.conftest import DEMO_PASSWORD, copy_template, free_port
from tests.server.live.device import Device

LEGACY_PROTOCOL = "uvicorn.protocols.websockets.websockets_impl:WebSocketProtocol"


@contextlib.asynccontextmanager
async def _uvicorn(data_dir: Path, ws: str):
    """The app under uvicorn with websocket protocol ``ws``, in this event loop."""
    app = create_app(make_settings(data_dir), check_migrations=False)
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, ws=ws,
                                           log_level="warning", lifespan="on"))
    task = asyncio.create_task(server.serve())
    while not server.started:
        if task.done():
            task.result()
        await asyncio.sleep(0.02)
    try:
        yield app, f"127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await asyncio.wait_for(task, 10)


async def _token(http: httpx.AsyncClient, username: str) -> str:
    response = await http.post("/api/auth/token",
                               data={"username": username, "password": DEMO_PASSWORD})
    return response.json()["access_token"]


async def _sitting(http: httpx.AsyncClient) -> int:
    headers = {"Authorization": f"Bearer {await _token(http, 'clerk')}"}
    sessions = (await http.get("/api/sessions", headers=headers)).json()
    session = next(s for s in sessions
                   if s["status"] in ("published", "in_progress")
                      and s["title"] == demo_schedule().session_title)
    response = await http.post(f"/api/sessions/{session['id']}/sittings", headers=headers,
                               json={"title": "Phiên thử đường ghi"})
    return response.json()["id"]


async def _a_vote_reaches_everyone(app, address: str) -> list:
    """Chair and three delegates: open the sitting, check in, a vote; the wires in use."""
    async with httpx.AsyncClient(base_url=f"http://{address}") as http:
        sitting_id = await _sitting(http)
        url = f"ws://{address}/ws/sittings/{sitting_id}"
        chair = await Device(url, await _token(http, "chair")).connect()
        delegates = [await Device(url, await _token(http, f"delegate0{n}")).connect()
                     for n in (1, 2, 3)]
        public = await Device(url + "/public").connect()
    everyone = [chair, *delegates, public]
    await chair.do("open_sitting")
    for delegate in delegates:
        assert (await delegate.do("check_in"))["type"] == "ack"
    item_id = chair.state.roster.agenda[0].item_id
    opened = await chair.do("open_vote", item_id=item_id, question="Thông qua?",
                            decision="procedural", quorum_override_reason="Thử nghiệm")
    vote_id = f"v{opened['seqs'][0]}"
    cast = await delegates[0].do("cast_vote", vote_id=vote_id, choice="no")
    closed = await chair.do("close_vote", vote_id=vote_id)
    for device in everyone:
        await device.wait_seq(closed["seqs"][-1])
        assert device.event_seqs == list(range(1, closed["seqs"][-1] + 1))  # each once
    # the voter alone sees their choice; the others only that they voted
    seq = cast["seqs"][0]
    choices = {id(d): next(e for m in d.messages if m["type"] in ("event", "events")
                           for e in ([m["event"]] if m["type"] == "event" else m["events"])
                           if e["seq"] == seq)["choice"] for d in everyone}
    assert choices.pop(id(delegates[0])) == "no"
    assert set(choices.values()) == {None}
    assert delegates[0].ws.protocol.extensions  # compression was negotiated, and still
    # every raw (uncompressed) event frame and compressed message was read correctly
    live = app.state.hub._sittings[sitting_id]
    wires = [connection.wire for connection in live.connections]
    for device in everyone:
        await device.close()
    return wires


@pytest.mark.parametrize("ws", ["auto", "websockets-sansio"])
def test_under_uvicorn_every_connection_takes_the_fast_path(seeded_template: Path,
                                                             tmp_path: Path, ws: str):
    data_dir = copy_template(seeded_template, tmp_path / "data")

    async def run() -> list:
        async with _uvicorn(data_dir, ws) as (app, address):
            return await _a_vote_reaches_everyone(app, address)

    wires = asyncio.run(run())
    assert len(wires) == 5
    assert all(wire is not None for wire in wires), (
        "uvicorn's websocket internals changed: connection.Wire no longer finds them, so "
        "live fan-out runs through ASGI (correct, but slower); update Wire or drop it")


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # uvicorn says it is old
def test_under_another_protocol_frames_go_through_asgi(seeded_template: Path, tmp_path: Path):
    pytest.importorskip("uvicorn.protocols.websockets.websockets_impl")
    data_dir = copy_template(seeded_template, tmp_path / "data")

    async def run() -> list:
        # uvicorn's older websockets protocol: no sans-I/O connection to write to
        async with _uvicorn(data_dir, LEGACY_PROTOCOL) as (app, address):
            return await _a_vote_reaches_everyone(app, address)

    assert asyncio.run(run()) == [None] * 5


def test_when_the_internals_are_not_found_frames_go_through_asgi(
        seeded_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    data_dir = copy_template(seeded_template, tmp_path / "data")
    monkeypatch.setattr(Wire, "behind", classmethod(lambda cls, websocket: None))

    async def run() -> list:
        async with _uvicorn(data_dir, "auto") as (app, address):
            return await _a_vote_reaches_everyone(app, address)

    assert asyncio.run(run()) == [None] * 5


def test_wire_falls_back_instead_of_failing_on_unknown_internals():
    class Protocol:  # the shape of uvicorn's protocol, one attribute short
        def __init__(self) -> None:
            self.transport = object()
            self.writable = asyncio.Event()
            self.close_sent = False

        async def send(self, message: dict) -> None: ...

    class Socket:
        def __init__(self) -> None:
            self._send = Protocol().send

    assert Wire.behind(Socket()) is None  # type: ignore[arg-type]


def test_a_text_frame_is_made_once_the_way_any_client_reads_it():
    from websockets.client import ClientProtocol
    from websockets.frames import Opcode
    from websockets.protocol import State
    from websockets.uri import parse_uri

    for text in ("{}", "ễ" * 100, "x" * 70_000):  # the three length encodings
        frame = text_frame(text)
        assert frame[0] == 0x81  # FIN, text, no RSV1: not compressed
        client = ClientProtocol(parse_uri("ws://hall.local/"), state=State.OPEN, max_size=None)
        client.receive_data(frame)
        [received] = client.events_received()
        assert (received.opcode, received.data.decode()) == (Opcode.TEXT, text)
