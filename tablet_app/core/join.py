"""Joining a sitting headless, exactly as the app does: device key -> live credential ->
websocket, printing what arrives. ``hdnd-tablet join`` is this with ``typer.echo``;
operators check a device before the sitting with it, tests script the journey with it.

Lines are JSON objects: ``credential`` (when it ends and the sittings offered; never the
token itself), then the server's messages as the protocol defines them (``welcome``,
``snapshot``, ``event``/``events``, ``ack``, ``error``, ``authenticated``), ``state``
after each change (seq, status, present, open vote), ``link`` on each change of the
connection, and ``refused`` (with the words) when the device may not join.
"""

from __future__ import annotations

import json
import queue
from collections.abc import Callable
from typing import Any

from tablet_app.core.live_client import Callbacks, LinkInfo, LiveClient
from tablet_app.core.live_credentials import Credential, DeviceCredentials, is_final_refusal

Emit = Callable[[str], None]


def _line(kind: str, **fields: Any) -> str:
    return json.dumps({"type": kind, **fields}, ensure_ascii=False, default=str)


def choose_sitting(credential: Credential, wanted: int | None) -> int | None:
    if wanted is not None:
        return wanted
    opened = [s for s in credential.sittings if s.status == "open"]
    listed = opened or list(credential.sittings)
    return listed[0].sitting_id if listed else None


def state_line(state: Any) -> str:
    vote = state.open_vote
    return _line("state", sitting_id=state.sitting_id, seq=state.seq, status=state.status,
                 present=sorted(state.present), quorum_met=state.quorum_met,
                 current_item_id=state.current_item_id,
                 open_vote=vote.vote_id if vote is not None else None)


def follow_sitting(tablet: Any, sitting_id: int | None, *, once: bool, emit: Emit,
                   until: Callable[[], bool] | None = None) -> int:
    """Follow until interrupted (or the first state with ``once``); the exit code."""
    source = DeviceCredentials(lambda: tablet.client)
    try:
        credential = source()
    except Exception as error:  # said in words, with the code
        if not is_final_refusal(error):
            raise
        emit(_line("refused", code=getattr(error, "code", ""),
                   message_vi=getattr(error, "message_vi", ""),
                   message_en=getattr(error, "message_en", "")))
        return 1
    emit(_line("credential", expires_at=credential.expires_at.isoformat(),
               person_id=credential.person_id,
               sittings=[s.__dict__ for s in credential.sittings]))
    chosen = choose_sitting(credential, sitting_id)
    if chosen is None:
        emit(_line("refused", code="no_sitting",
                   message_vi="Chưa có phiên họp nào mà chủ máy này được tham dự.",
                   message_en="There is no sitting this device's owner may attend yet."))
        return 1
    lines: queue.Queue[tuple[str, bool]] = queue.Queue()  # (line, last)

    def on_message(message: Any) -> None:
        lines.put((message.model_dump_json(), False))

    def on_state(state: Any) -> None:
        lines.put((state_line(state), once))

    def on_link(info: LinkInfo) -> None:
        lines.put((_line("link", status=info.status, reason=info.reason,
                         message_vi=info.message_vi, message_en=info.message_en),
                   info.status == "refused"))

    client = LiveClient.for_server(tablet.server_url, chosen, credentials=source,
                                   callbacks=Callbacks(on_state=on_state, on_link=on_link,
                                                       on_message=on_message))
    client.reauthenticate_from(credential)
    client.start()
    try:
        while True:
            try:
                line, last = lines.get(timeout=0.5)
            except queue.Empty:
                if until is not None and until():
                    return 0
                continue
            emit(line)
            if last:
                return 1 if client.link.status == "refused" else 0
    except KeyboardInterrupt:
        return 0
    finally:
        client.stop()
