"""Server keys are written once: a second writer keeps the first key, mode stays 0600."""

from __future__ import annotations

from shared.crypto.signing import ServerSigningKey
from shared.secret_file import write_secret_once


def test_written_once_owner_only(tmp_path) -> None:
    path = tmp_path / "keys" / "secret"
    assert write_secret_once(path, b"first") is True
    assert write_secret_once(path, b"second") is False
    assert path.read_bytes() == b"first"
    assert path.stat().st_mode & 0o777 == 0o600


def test_signing_key_is_never_replaced(tmp_path) -> None:
    first = ServerSigningKey.load_or_generate(tmp_path / "pack_signing.key")
    again = ServerSigningKey.load_or_generate(tmp_path / "pack_signing.key")
    assert again.public_b64 == first.public_b64
