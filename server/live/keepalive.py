"""Dead links: the server pings every device and closes one that stops answering.

A tablet whose Wi-Fi drops, or that freezes, sends nothing more, not even a TCP close;
without a probe its connection would look open until the kernel gives up (many
minutes). So the server sends each device a websocket Ping control frame every
``HEARTBEAT_INTERVAL_S``; every websocket library answers it with a Pong by itself
(browsers too), whatever the app on top does. When the Pong has not come
``PONG_TIMEOUT_S`` after a Ping, the server closes the connection (code 1011) and the
device's handler ends: a dead link is found within ``HEARTBEAT_DEAD_AFTER_S``.

ASGI has no Ping or Pong, so this is the job of the ASGI server: ``uvicorn_options``
are the settings ``hdnd serve`` (and the live tests' server) give uvicorn, which pings
and times out on its own. Under another ASGI server, set its ping interval and timeout
to the same values. Apart from this, the application closes (4408) a connection that
has sent no message at all for ``HEARTBEAT_DEAD_AFTER_S`` (the protocol asks clients
to send ``ping`` every ``HEARTBEAT_INTERVAL_S``).
"""

from __future__ import annotations

import os
from typing import Any

from shared.live.protocol import HEARTBEAT_DEAD_AFTER_S, HEARTBEAT_INTERVAL_S

PONG_TIMEOUT_S = HEARTBEAT_DEAD_AFTER_S - HEARTBEAT_INTERVAL_S


def uvicorn_options() -> dict[str, Any]:
    """uvicorn's ``ws_ping_interval`` and ``ws_ping_timeout`` for live connections.

    ``HDND_LIVE_PING_S`` and ``HDND_LIVE_PONG_TIMEOUT_S`` override them (tests use
    fractions of a second).
    """
    return {
        "ws_ping_interval": float(os.environ.get("HDND_LIVE_PING_S", HEARTBEAT_INTERVAL_S)),
        "ws_ping_timeout": float(os.environ.get("HDND_LIVE_PONG_TIMEOUT_S", PONG_TIMEOUT_S)),
    }
