"""The clerk's browser session: an encrypted, HttpOnly cookie around a refresh token.

Why this shape: the REST API already has opaque, revocable tokens (logout, a password
change and locking an account revoke them at once). The console signs in through the same
``services.auth.sign_in`` and keeps only the refresh token, sealed with AES-256-GCM under a
key derived from ``app.state.secret_key``; each request checks that the token is still live
in the database. The cookie also carries when it was last used, for the 30-minute idle
timeout, and when it was issued, for an absolute limit of 12 hours.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from shared import clock

COOKIE_NAME = "hdnd_session"
IDLE_TIMEOUT_S = 30 * 60
ABSOLUTE_LIMIT_S = 12 * 3600
REFRESH_COOKIE_AFTER_S = 60  # re-seal the cookie at most once a minute


@dataclass(frozen=True)
class SessionCookie:
    refresh_token: str
    family: str
    issued_at: float
    last_seen: float

    def expired(self, now: float) -> bool:
        return (now - self.last_seen > IDLE_TIMEOUT_S
                or now - self.issued_at > ABSOLUTE_LIMIT_S or self.last_seen > now + 60)


def _key(secret_key: str, purpose: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=b"hdnd-web",
                info=purpose).derive(secret_key.encode())


def seal(secret_key: str, cookie: SessionCookie) -> str:
    payload = json.dumps({"rt": cookie.refresh_token, "fam": cookie.family,
                          "iat": cookie.issued_at, "seen": cookie.last_seen}).encode()
    nonce = os.urandom(12)
    sealed = AESGCM(_key(secret_key, b"session cookie")).encrypt(nonce, payload,
                                                                 COOKIE_NAME.encode())
    return base64.urlsafe_b64encode(nonce + sealed).decode().rstrip("=")


def unseal(secret_key: str, value: str) -> SessionCookie | None:
    """The cookie's content, or None when it was forged, altered or is garbage."""
    try:
        raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
        payload = AESGCM(_key(secret_key, b"session cookie")).decrypt(raw[:12], raw[12:],
                                                                     COOKIE_NAME.encode())
        data = json.loads(payload)
        return SessionCookie(str(data["rt"]), str(data["fam"]), float(data["iat"]),
                             float(data["seen"]))
    except (ValueError, KeyError, TypeError, InvalidTag):
        return None


def csrf_token(secret_key: str, binding: str) -> str:
    """Synchronizer token bound to the sign-in (its token family) or a pre-sign-in cookie."""
    return hmac.new(_key(secret_key, b"csrf"), binding.encode(), hashlib.sha256).hexdigest()


def csrf_ok(secret_key: str, binding: str, offered: str | None) -> bool:
    return bool(offered) and hmac.compare_digest(csrf_token(secret_key, binding), offered or "")


def now() -> float:
    return clock.timestamp()
