"""Run the real app under uvicorn for the live tests: ``python -m tests.server.live.serve``.

A separate process, so a test can SIGKILL it like a power cut. Settings come from the
environment (``HDND_DATA_DIR``, ``HDND_DATABASE_URL``, ``HDND_REDIS_URL``...).
"""

from __future__ import annotations

import sys

import uvicorn

from server.app import create_app
from server.config import Settings
from server.live.keepalive import uvicorn_options


def main() -> None:
    port = int(sys.argv[1])
    # the migrations are run by the fixture (which knows every head)
    app = create_app(Settings(), check_migrations=False)
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="info", **uvicorn_options())


if __name__ == "__main__":
    main()
