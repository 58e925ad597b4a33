"""Sealing content keys for the server's own storage, under its at-rest key.

The server keeps every document version's content key so that later packs can wrap it
for newly enrolled devices without re-encrypting (which would make every device
download everything again). Stored in clear, a copied database would open every
restricted document; sealed here under a 256-bit at-rest key that lives apart from the
database and the pack files (a file on another volume, a secret from the service
manager), a stolen data disk alone opens nothing.

Sealed form: base64url(nonce(12) || AES-256-GCM(at_rest_key, nonce, content_key, aad)),
aad = "hdnd-pack-1/at-rest" || 0x00 || document id || 0x00 || version as decimal, so a
sealed key copied onto another document's row does not open.
"""

from __future__ import annotations

import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from shared.crypto.encoding import BadEncoding, b64url_decode, b64url_encode
from shared.crypto.errors import CryptoError
from shared.errors import Invalid

AT_REST_TAG = b"hdnd-pack-1/at-rest"


class AtRestKeyInvalid(CryptoError, Invalid):
    code = "at_rest_key_invalid"
    message_vi = (
        "Không mở được khóa tài liệu đã lưu: sai khóa lưu trữ của máy chủ hoặc dữ liệu hỏng."
    )
    message_en = "A stored document key does not open: wrong server at-rest key or damaged data."


def generate_at_rest_key() -> bytes:
    return AESGCM.generate_key(bit_length=256)


def _aad(doc_id: str, version: int) -> bytes:
    return b"\x00".join([AT_REST_TAG, doc_id.encode("utf-8"), str(version).encode("ascii")])


def seal_content_key(at_rest_key: bytes, content_key: bytes, doc_id: str, version: int) -> str:
    nonce = os.urandom(12)
    sealed = AESGCM(at_rest_key).encrypt(nonce, content_key, _aad(doc_id, version))
    return b64url_encode(nonce + sealed)


def open_content_key(at_rest_key: bytes, sealed: str, doc_id: str, version: int) -> bytes:
    try:
        blob = b64url_decode(sealed)
        return AESGCM(at_rest_key).decrypt(blob[:12], blob[12:], _aad(doc_id, version))
    except (BadEncoding, InvalidTag, ValueError) as exc:
        raise AtRestKeyInvalid(document=doc_id, version=version) from exc
