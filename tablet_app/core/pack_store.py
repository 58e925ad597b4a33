"""The tablet's pack folder: verified ciphertext, partial downloads, visible versions.

Layout under the device folder (the key store sits beside it)::

    device.json                          device id, server URL, pinned server key (public),
                                         and the order key (not PIN-sealed: see orders.py)
    packs/blobs/<doc>.v<ver>.<sha256>.hdndoc     complete files, every chunk verified
    packs/partial/<doc>.v<ver>.<sha256>.partial  downloads in progress (resumable)
    packs/sessions/<session>/manifest-<n>.json   signed manifests as received
    packs/sessions/<session>/current             "<n>": the version the reader sees

Only ciphertext is ever written here; plaintext stays in memory. ``current`` is switched
with an atomic rename once every file of version n is complete, so a failed sync leaves
the previous version readable. Deleting the key store makes all of this unreadable.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from shared.crypto.encoding import BadEncoding
from shared.crypto.signing import ed25519_private_from_b64
from shared.pack.manifest import StoredRef

PACKS_DIR = "packs"
DEVICE_FILE = "device.json"
ORDER_KEY = "order_key"  # field of device.json: b64url of the raw Ed25519 private key
ACK_PENDING = "wipe_ack_pending"  # field of device.json: erased, the server has not heard
_BLOB = re.compile(r"^(?P<id>[A-Za-z0-9][A-Za-z0-9._-]{0,63})\.v(?P<version>\d+)\."
                   r"(?P<sha>[0-9a-f]{64})\.hdndoc$")


def write_atomic(path: Path, data: bytes) -> None:
    """Temp file + fsync + rename: a crash leaves the old content or the new, never half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temp, path)


class PackStore:
    def __init__(self, folder: str | os.PathLike[str]) -> None:
        self.folder = Path(folder)
        self.packs = self.folder / PACKS_DIR
        self.blobs = self.packs / "blobs"
        self.partials = self.packs / "partial"
        self.sessions_dir = self.packs / "sessions"

    # device facts (not secret)

    def device_info(self) -> dict[str, Any]:
        try:
            info: dict[str, Any] = json.loads((self.folder / DEVICE_FILE).read_text("utf-8"))
            return info
        except FileNotFoundError:
            return {}

    def write_device_info(self, info: dict[str, Any]) -> None:
        write_atomic(self.folder / DEVICE_FILE, json.dumps(info, indent=1).encode("utf-8"))

    def order_key(self) -> Ed25519PrivateKey | None:
        """The key that signs order checks before the PIN, if enrolment made one."""
        try:
            return ed25519_private_from_b64(str(self.device_info()[ORDER_KEY]))
        except (KeyError, BadEncoding, ValueError):
            return None

    def forget_device(self, *, acknowledged: bool) -> None:
        """After a wipe: drop the device facts, or keep them (order key included) only
        while the server has not heard the acknowledgement, to retry it at next start."""
        info = self.device_info()
        if acknowledged or ORDER_KEY not in info:
            (self.folder / DEVICE_FILE).unlink(missing_ok=True)
        else:
            self.write_device_info({**info, ACK_PENDING: True})

    # ciphertext files

    @staticmethod
    def _name(ref: StoredRef) -> str:
        doc_id, version, sha = ref
        return f"{doc_id}.v{version}.{sha}"

    def blob_path(self, ref: StoredRef) -> Path:
        return self.blobs / f"{self._name(ref)}.hdndoc"

    def partial_path(self, ref: StoredRef) -> Path:
        self.partials.mkdir(parents=True, exist_ok=True)
        return self.partials / f"{self._name(ref)}.partial"

    def held_refs(self) -> set[StoredRef]:
        """Complete files on disk, as (document id, version, ciphertext SHA-256)."""
        if not self.blobs.exists():
            return set()
        found = set()
        for path in self.blobs.iterdir():
            if match := _BLOB.match(path.name):
                found.add((match["id"], int(match["version"]), match["sha"]))
        return found

    def complete(self, ref: StoredRef) -> Path:
        """Move a fully verified partial file into place."""
        self.blobs.mkdir(parents=True, exist_ok=True)
        target = self.blob_path(ref)
        os.replace(self.partial_path(ref), target)
        return target

    def remove(self, ref: StoredRef) -> None:
        self.blob_path(ref).unlink(missing_ok=True)

    # manifests and the visible version

    def _session(self, session_id: str) -> Path:
        return self.sessions_dir / session_id

    def write_manifest(self, session_id: str, version: int, raw: bytes) -> None:
        write_atomic(self._session(session_id) / f"manifest-{version}.json", raw)

    def switch(self, session_id: str, version: int) -> None:
        """Make ``version`` the one the reader sees; atomic."""
        write_atomic(self._session(session_id) / "current", str(version).encode("ascii"))

    def current_version(self, session_id: str) -> int | None:
        try:
            return int((self._session(session_id) / "current").read_text("ascii").strip())
        except (FileNotFoundError, ValueError):
            return None

    def manifest_bytes(self, session_id: str, version: int) -> bytes | None:
        try:
            return (self._session(session_id) / f"manifest-{version}.json").read_bytes()
        except FileNotFoundError:
            return None

    def session_ids(self) -> list[str]:
        if not self.sessions_dir.exists():
            return []
        return sorted(p.name for p in self.sessions_dir.iterdir() if p.is_dir())

    def prune_manifests(self, session_id: str, keep: int) -> None:
        for path in self._session(session_id).glob("manifest-*.json"):
            if path.name != f"manifest-{keep}.json":
                with contextlib.suppress(FileNotFoundError):
                    path.unlink()
