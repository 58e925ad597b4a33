"""Personal data sealed at rest with a key derived from the server's secret (AES-256-GCM).

Why: a denouncer's name and contact must not leak through a copied database, a backup or a
SQL console; only code that holds the server's secret key can open them, and the service
opens them only for the staff member handling the case. ``purpose`` binds a value to its
use (a sealed sender cannot be replayed as something else).
"""

from __future__ import annotations

import base64
import json
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF


class SealBroken(ValueError):
    """The value was altered, or sealed under another secret key or purpose."""


def _key(secret_key: str, purpose: str) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=b"hdnd-sealed",
                info=purpose.encode()).derive(secret_key.encode())


def seal(secret_key: str, purpose: str, data: dict[str, str]) -> str:
    nonce = os.urandom(12)
    payload = json.dumps(data, ensure_ascii=False).encode()
    sealed = AESGCM(_key(secret_key, purpose)).encrypt(nonce, payload, purpose.encode())
    return base64.urlsafe_b64encode(nonce + sealed).decode()


def unseal(secret_key: str, purpose: str, value: str) -> dict[str, str]:
    if not value:
        return {}
    try:
        raw = base64.urlsafe_b64decode(value)
        data = json.loads(AESGCM(_key(secret_key, purpose)).decrypt(raw[:12], raw[12:],
                                                                     purpose.encode()))
    except (ValueError, InvalidTag) as exc:
        raise SealBroken() from exc
    return {str(k): str(v) for k, v in data.items()}
