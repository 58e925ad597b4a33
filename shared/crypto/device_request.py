"""What an enrolled device signs on every request, and the headers that carry it.

One definition for both ends: the tablet's client signs these bytes with its Ed25519
key and the server verifies the same bytes (docs/pack-format.md, "HTTP API").
"""

from __future__ import annotations

import hashlib

SIGNATURE_CONTEXT = "hdnd-device-request-1"
HEADER_DEVICE, HEADER_TIME = "X-HDND-Device", "X-HDND-Timestamp"
HEADER_NONCE, HEADER_SIGNATURE = "X-HDND-Nonce", "X-HDND-Signature"


def request_message(method: str, path: str, timestamp: str, nonce: str, body: bytes) -> bytes:
    """Context, method, path, time, one-time nonce and the body's SHA-256, one per line."""
    return "\n".join([SIGNATURE_CONTEXT, method.upper(), path, timestamp, nonce,
                      hashlib.sha256(body).hexdigest()]).encode("utf-8")
