"""The projector's read-only link code: derived, not stored.

``HMAC-SHA256(secret_key, "projector:<sitting id>")``, first 10 bytes in base32 (16
letters and digits, easy to type). Nothing to store or expire; rotating the server's
secret key changes every code. The code only guards the full-screen page: the data it
shows is the public feed anyway.
"""

from __future__ import annotations

import base64
import hashlib
import hmac


def projector_code(secret_key: str, sitting_id: int) -> str:
    digest = hmac.new(secret_key.encode(), f"projector:{sitting_id}".encode(),
                      hashlib.sha256).digest()
    return base64.b32encode(digest[:10]).decode().lower()


def code_ok(secret_key: str, sitting_id: int, offered: str | None) -> bool:
    return bool(offered) and hmac.compare_digest(projector_code(secret_key, sitting_id),
                                                 (offered or "").strip().lower())
