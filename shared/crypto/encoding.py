"""Base64url without padding: how keys, nonces and signatures travel in JSON."""

from __future__ import annotations

import base64
import binascii

from shared.crypto.errors import CryptoError
from shared.errors import Invalid


class BadEncoding(CryptoError, Invalid):
    code = "bad_encoding"
    message_vi = "Dữ liệu mã hóa base64url không hợp lệ."
    message_en = "The base64url data is not valid."


def b64url_encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text: str) -> bytes:
    """Strict decode: refuses padding, whitespace and characters outside the alphabet."""
    if not isinstance(text, str) or "=" in text:
        raise BadEncoding(value=str(text)[:40])
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError) as exc:
        raise BadEncoding(value=text[:40]) from exc
    # Refuse non-canonical encodings (stray bits in the last character, foreign chars):
    # two different strings must never carry the same bytes inside a signed manifest.
    if b64url_encode(raw) != text:
        raise BadEncoding(value=text[:40])
    return raw
