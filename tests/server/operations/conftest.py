"""Installations for the operations tests: a data folder and a database, driven by `hdnd`."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.conftest import PG_ADMIN_URL, _pg_url

DEMO_PASSWORD = "demo-pass"


@dataclass
class Installation:
    """One server's data folder and database URL (None: the embedded SQLite file)."""

    data_dir: Path
    database_url: str | None = None
    file_storage: str = "filesystem"

    def env(self) -> dict[str, str]:
        env = {**os.environ, "HDND_DATA_DIR": str(self.data_dir)}
        env.pop("HDND_SECRET_KEY", None)  # the key file is part of what is kept
        env.pop("HDND_DATABASE_URL", None)
        if self.database_url:
            env["HDND_DATABASE_URL"] = self.database_url
        env["HDND_FILE_STORAGE"] = self.file_storage
        return env

    def hdnd(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        """Run the real `hdnd` command against this installation."""
        result = subprocess.run([sys.executable, "-m", "server.cli", *args], env=self.env(),
                                capture_output=True, text=True, timeout=300)
        if check:
            assert result.returncode == 0, result.stdout + result.stderr
        return result

    def audit_entries(self) -> int:
        out = self.hdnd("audit", "verify").stdout
        assert "audit chain intact" in out, out
        return int(out.rsplit("intact:", 1)[1].split()[0])

    @property
    def settings(self):
        from server.config import Settings

        return Settings(data_dir=self.data_dir, database_url=self.database_url,
                        file_storage=self.file_storage)


@pytest.fixture
def new_pg_database() -> Iterator:
    """Make fresh PostgreSQL databases on demand; all dropped at the end."""
    import psycopg

    made: list[str] = []

    def make() -> str:
        name = f"hdnd_ops_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        made.append(name)
        return _pg_url(name)

    yield make
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        for name in made:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class RunningServer:
    """The real app on a loopback port (uvicorn in a thread), for tablets to talk to."""

    def __init__(self, installation: Installation) -> None:
        import uvicorn

        from server.app import create_app

        self.port = free_port()
        self.app = create_app(installation.settings)
        self._server = uvicorn.Server(uvicorn.Config(self.app, host="127.0.0.1", port=self.port,
                                                     log_level="warning", lifespan="on"))
        self._thread = threading.Thread(target=self._server.run, daemon=True)
        self._thread.start()
        deadline = time.monotonic() + 15
        while not self._server.started:
            assert time.monotonic() < deadline and self._thread.is_alive(), "server did not start"
            time.sleep(0.02)
        self.tokens: dict[str, str] = {}

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def call(self, method: str, path: str, username: str = "clerk", **kwargs) -> httpx.Response:
        if username not in self.tokens:
            answer = httpx.post(f"{self.url}/api/auth/token",
                                data={"username": username, "password": DEMO_PASSWORD})
            answer.raise_for_status()
            self.tokens[username] = answer.json()["access_token"]
        headers = {"Authorization": f"Bearer {self.tokens[username]}"}
        return httpx.request(method, f"{self.url}{path}", headers=headers, timeout=60, **kwargs)

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=15)
        self.app.state.engine.dispose()


def publish_pack(server: RunningServer, session_id: int, username: str = "clerk") -> int:
    """Publish the session's pack as its clerk and wait until it is built."""
    started = server.call("POST", f"/api/sessions/{session_id}/packs", username)
    assert started.status_code == 202, started.text
    version = started.json()["version"]
    deadline = time.monotonic() + 60
    while (status := server.call("GET", f"/api/sessions/{session_id}/packs/{version}/status",
                                 username)
           .json())["status"] != "published":
        assert status["status"] == "building" and time.monotonic() < deadline, status
        time.sleep(0.05)
    return version
