"""The server's two pack keys, each in its own 0600 file under ``keys_dir``.

``pack_signing.key`` (Ed25519) signs manifests; every device pins its public half at
enrolment, so it must never be replaced. ``at_rest.key`` (AES-256) seals the stored
content keys; keep it apart from the database and ``var/packs`` (another volume, or a
symlink to a secret the service manager provides) so that a stolen data disk alone
opens no document. Both are generated on first use.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from shared.crypto.at_rest import generate_at_rest_key
from shared.crypto.signing import ServerSigningKey
from shared.secret_file import write_secret_once

SIGNING_KEY_FILE = "pack_signing.key"
AT_REST_KEY_FILE = "at_rest.key"


@lru_cache(maxsize=8)
def signing_key(keys_dir: Path) -> ServerSigningKey:
    return ServerSigningKey.load_or_generate(keys_dir / SIGNING_KEY_FILE)


@lru_cache(maxsize=8)
def at_rest_key(keys_dir: Path) -> bytes:
    path = keys_dir / AT_REST_KEY_FILE
    if not path.exists():
        write_secret_once(path, generate_at_rest_key())
    key = path.read_bytes()
    if len(key) != 32:
        raise RuntimeError(f"{path} must hold exactly 32 bytes")
    return key
