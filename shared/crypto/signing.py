"""Canonical JSON and Ed25519 signatures over it; the server's signing key on disk.

Canonical JSON (pack format 1) is what both sides hash and sign, so it must come out
byte-identical from any correct implementation:

* objects with keys sorted by Unicode code point, keys are strings;
* no whitespace: separators ``,`` and ``:``;
* strings as UTF-8, non-ASCII characters written as themselves (not ``\\u`` escapes);
  JSON's mandatory escapes only (``\\"``, ``\\\\``, control characters);
* integers only: floats, NaN and infinities are refused (their text form is not unique);
* ``true``, ``false``, ``null`` as usual.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    PublicFormat,
)

from shared.crypto.encoding import BadEncoding, b64url_decode, b64url_encode
from shared.crypto.errors import NonCanonicalValue, SignatureInvalid
from shared.secret_file import write_secret_once

# --- canonical JSON ------------------------------------------------------------------


def canonical_json(value: Any) -> bytes:
    """The one byte string that represents ``value`` for hashing and signing."""
    _check_canonical(value, "$")
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode("utf-8")


def _check_canonical(value: Any, where: str) -> None:
    # The fast walk allocates no path strings: a signed manifest has tens of thousands of
    # values, and only a refusal needs to say where the bad one is.
    if not _is_canonical(value):
        _explain(value, where)


def _is_canonical(value: Any) -> bool:
    stack = [value]
    while stack:
        item = stack.pop()
        kind = type(item)
        if item is None or kind is str or kind is int or kind is bool:
            continue
        if isinstance(item, float):
            return False
        if isinstance(item, bool | int | str):  # enums and other subclasses
            continue
        if isinstance(item, Mapping):
            if not all(isinstance(key, str) for key in item):
                return False
            stack.extend(item.values())
        elif isinstance(item, Sequence) and not isinstance(item, bytes | bytearray):
            stack.extend(item)
        else:
            return False
    return True


def _explain(value: Any, where: str) -> None:
    """Raise for the first value that JSON cannot write canonically, naming its path."""
    if value is None or isinstance(value, bool | int | str):
        return
    if isinstance(value, float):
        raise NonCanonicalValue(where=where, reason="floats are not allowed")
    if isinstance(value, Mapping):
        for key, item in value.items():
            if not isinstance(key, str):
                raise NonCanonicalValue(where=where, reason="object keys must be strings")
            _explain(item, f"{where}.{key}")
        return
    if isinstance(value, Sequence) and not isinstance(value, bytes | bytearray):
        for i, item in enumerate(value):
            _explain(item, f"{where}[{i}]")
        return
    raise NonCanonicalValue(where=where, reason=f"type {type(value).__name__} is not JSON")


# --- Ed25519 over canonical JSON ------------------------------------------------------


def sign_canonical(private_key: Ed25519PrivateKey, value: Any) -> str:
    """Base64url Ed25519 signature of ``canonical_json(value)``."""
    return b64url_encode(private_key.sign(canonical_json(value)))


def verify_canonical(public_key: Ed25519PublicKey, value: Any, signature: str) -> None:
    """Raise ``SignatureInvalid`` unless ``signature`` signs ``canonical_json(value)``."""
    try:
        public_key.verify(b64url_decode(signature), canonical_json(value))
    except (InvalidSignature, BadEncoding) as exc:
        raise SignatureInvalid() from exc


# --- key serialization: raw bytes as base64url -------------------------------------


def public_key_to_b64(key: Ed25519PublicKey | X25519PublicKey) -> str:
    return b64url_encode(key.public_bytes(Encoding.Raw, PublicFormat.Raw))


def private_key_to_b64(key: Ed25519PrivateKey | X25519PrivateKey) -> str:
    return b64url_encode(key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption()))


def ed25519_public_from_b64(text: str) -> Ed25519PublicKey:
    return Ed25519PublicKey.from_public_bytes(_raw32(text))


def ed25519_private_from_b64(text: str) -> Ed25519PrivateKey:
    return Ed25519PrivateKey.from_private_bytes(_raw32(text))


def x25519_public_from_b64(text: str) -> X25519PublicKey:
    return X25519PublicKey.from_public_bytes(_raw32(text))


def x25519_private_from_b64(text: str) -> X25519PrivateKey:
    return X25519PrivateKey.from_private_bytes(_raw32(text))


def _raw32(text: str) -> bytes:
    raw = b64url_decode(text)
    if len(raw) != 32:
        raise BadEncoding(reason="a key is 32 bytes")
    return raw


def key_id(public_key: Ed25519PublicKey) -> str:
    """Short stable name of a signing key: base64url of the first 12 bytes of SHA-256."""
    raw = public_key.public_bytes(Encoding.Raw, PublicFormat.Raw)
    return b64url_encode(hashlib.sha256(raw).digest()[:12])


# --- the server's signing key ---------------------------------------------------------


class ServerSigningKey:
    """The server's Ed25519 key that every device pins at enrolment.

    Losing it means re-enrolling every tablet; leaking it lets the holder feed tablets
    forged manifests. Kept in its own file, mode 0600, never in the database.
    """

    def __init__(self, private_key: Ed25519PrivateKey) -> None:
        self.private_key = private_key
        self.public_key = private_key.public_key()
        self.key_id = key_id(self.public_key)

    @property
    def public_b64(self) -> str:
        return public_key_to_b64(self.public_key)

    def sign(self, value: Any) -> str:
        return sign_canonical(self.private_key, value)

    @classmethod
    def generate(cls, path: str | os.PathLike[str]) -> ServerSigningKey:
        """Create a new key and write it to ``path`` (0600); refuses to overwrite one."""
        key = cls(Ed25519PrivateKey.generate())
        # Never silently replace the key every tablet has pinned.
        if not write_secret_once(Path(path), (private_key_to_b64(key.private_key) + "\n").encode()):
            raise FileExistsError(path)
        return key

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> ServerSigningKey:
        text = Path(path).read_text(encoding="ascii").strip()
        return cls(ed25519_private_from_b64(text))

    @classmethod
    def load_or_generate(cls, path: str | os.PathLike[str]) -> ServerSigningKey:
        if not Path(path).exists():
            with contextlib.suppress(FileExistsError):  # another worker made it first: use theirs
                return cls.generate(path)
        return cls.load(path)
