"""Load for device-signed reads, which wrk cannot make: every request is signed over a
single-use nonce. Several client processes, each with the device's key, sign and send as
fast as they can for a fixed time; the same processes then ask /api/health, so the two
request rates come from the same client and their ratio is fair. The server's CPU time
per request (from /proc) is reported too: it does not depend on the client at all.
"""

from __future__ import annotations

import multiprocessing
import time
from pathlib import Path

import httpx
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat

from tablet_app.core.client import DeviceAuth

PROCESSES = 6


def enrolled_device(url: str, clerk_token: str, person_id: int, folder: Path) -> tuple[str, bytes]:
    """A tablet enrolled as the office does it: (device id, raw Ed25519 private key)."""
    from tablet_app.core.enrol import enrol

    code = httpx.post(f"{url}/api/devices/enrolment-codes", json={"person_id": person_id},
                      headers={"Authorization": f"Bearer {clerk_token}"}).json()["code"]
    tablet = enrol(url, code, "Máy đo tải", "24681357", folder)
    raw = tablet.keystore.device_ed25519.private_bytes(Encoding.Raw, PrivateFormat.Raw,
                                                       NoEncryption())
    device_id = tablet.device_id
    tablet.close()
    return device_id, raw


def _worker(url: str, path: str, device_id: str, key: bytes, seconds: float,
            queue: multiprocessing.Queue) -> None:
    auth = DeviceAuth(device_id, Ed25519PrivateKey.from_private_bytes(key)) if key else None
    done = errors = 0
    with httpx.Client(base_url=url, auth=auth, timeout=30) as client:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if client.get(path).status_code == 200:
                done += 1
            else:
                errors += 1
    queue.put((done, errors))


def drive(url: str, path: str, seconds: float, device_id: str = "", key: bytes = b"",
          processes: int = PROCESSES) -> dict:
    """Requests per second of ``processes`` clients on ``path`` for ``seconds``."""
    queue: multiprocessing.Queue = multiprocessing.Queue()
    workers = [multiprocessing.Process(target=_worker,
                                       args=(url, path, device_id, key, seconds, queue))
               for _ in range(processes)]
    started = time.monotonic()
    for worker in workers:
        worker.start()
    results = [queue.get() for _ in workers]
    for worker in workers:
        worker.join()
    elapsed = max(time.monotonic() - started, seconds)
    done = sum(r[0] for r in results)
    return {"rps": done / elapsed, "requests": done, "errors": sum(r[1] for r in results)}
