"""The protocol of one live connection as two objects without I/O ("sans-I/O").

``ServerSession`` (``session_server.py``) is the server's side of one device's
connection, ``ClientSession`` (``session_client.py``) a device's side. Each takes what
arrived (``receive(frame, now, ...)``) and returns what to do as a list of small typed
values: messages to send, a close code, a request the caller must carry out (check a
credential, join the sitting, decide a command), what changed for the screen. They
never touch a socket, a thread, an event loop or a clock: the time comes in as an
argument, from ``shared.clock``, read by the caller.

Why: the protocol (``docs/protocol.md``) is tested by calling them, without sockets,
threads or waiting, and the I/O around them (``server/live/socket.py``,
``tablet_app/core/live_client.py``) keeps only reading, writing and reconnecting. The
split follows the websockets library's ``protocol.py`` / ``asyncio/connection.py``.
"""

from shared.live.session_client import ClientOutput, ClientSession, PendingCommand
from shared.live.session_server import Login, ServerOutput, ServerSession

__all__ = ["ClientOutput", "ClientSession", "Login", "PendingCommand", "ServerOutput",
           "ServerSession"]
