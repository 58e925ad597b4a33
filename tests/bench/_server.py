"""Start a real `hdnd serve` on a free loopback port for a benchmark, with the demo seeded."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import httpx

# url -> pid of the server process, for benchmarks that read its CPU time (/proc)
PIDS: dict[str, int] = {}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def demo_server(password: str = "bench", workers: int = 1,
                extra_env: dict[str, str] | None = None) -> Iterator[str]:
    """Yield the base URL of a freshly migrated and seeded server; stop it afterwards."""
    with tempfile.TemporaryDirectory(prefix="hdnd-bench-") as data_dir:
        env = {**os.environ, "HDND_DATA_DIR": data_dir, **(extra_env or {})}
        env.setdefault("HDND_SECRET_KEY", "bench-secret")
        cli = [sys.executable, "-m", "server.cli"]
        subprocess.run([*cli, "migrate"], env=env, check=True, capture_output=True)
        subprocess.run([*cli, "demo", "--password", password], env=env, check=True,
                       capture_output=True)
        port = free_port()
        log = open(Path(data_dir) / "server.log", "w")  # closed below
        process = subprocess.Popen([*cli, "serve", "--port", str(port), "--workers",
                                    str(workers)], env=env, stdout=log, stderr=log)
        url = f"http://127.0.0.1:{port}"
        PIDS[url] = process.pid
        try:
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                with contextlib.suppress(httpx.HTTPError):
                    if httpx.get(f"{url}/api/health", timeout=1).status_code == 200:
                        break
                time.sleep(0.2)
            else:
                raise RuntimeError("the server did not start")
            yield url
        finally:
            process.terminate()
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=10)
            if process.poll() is None:
                process.kill()
            log.close()
