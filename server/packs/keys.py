"""The server's pack keys, each in its own 0600 file under ``keys_dir``.

``pack_signing.key`` (Ed25519) signs the manifests of the deployment's first council;
every other council has its own, ``pack_signing-council-<id>.key``, so a tablet of one
commune, which pins its council's public half at enrolment, never accepts a pack signed
for another. A signing key must never be replaced. ``at_rest.key`` (AES-256) seals the stored
content keys; keep it apart from the database and ``var/packs`` (another volume, or a
symlink to a secret the service manager provides) so that a stolen data disk alone
opens no document. Both are generated on first use.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from sqlmodel import Session

from server.tenancy.scope import default_council_id
from shared.crypto.at_rest import generate_at_rest_key
from shared.crypto.signing import ServerSigningKey
from shared.secret_file import write_secret_once

SIGNING_KEY_FILE = "pack_signing.key"
AT_REST_KEY_FILE = "at_rest.key"


@lru_cache(maxsize=8)
def signing_key(keys_dir: Path) -> ServerSigningKey:
    """The first council's key (the installation's, from before councils were tenants)."""
    return ServerSigningKey.load_or_generate(keys_dir / SIGNING_KEY_FILE)


@lru_cache(maxsize=256)
def _council_key(path: Path) -> ServerSigningKey:
    return ServerSigningKey.load_or_generate(path)


def council_signing_key(db: Session, keys_dir: Path, council_id: int | None) -> ServerSigningKey:
    """The key that signs ``council_id``'s packs and that its tablets pin."""
    with Session(db.get_bind()) as everywhere:  # the first council, whatever db's scope
        first = default_council_id(everywhere)
    if council_id is None or council_id == first:
        return signing_key(keys_dir)
    return _council_key(keys_dir / f"pack_signing-council-{int(council_id)}.key")


@lru_cache(maxsize=8)
def at_rest_key(keys_dir: Path) -> bytes:
    path = keys_dir / AT_REST_KEY_FILE
    if not path.exists():
        write_secret_once(path, generate_at_rest_key())
    key = path.read_bytes()
    if len(key) != 32:
        raise RuntimeError(f"{path} must hold exactly 32 bytes")
    return key
