"""Wrapping a document's content key for one device's X25519 public key.

Confidentiality is enforced here: a device can open a document only if the manifest
carries the document's content key wrapped for that device's public key.

Two constructions, named in the wrapped key's ``alg`` field:

``HPKE-X25519-SHA256-AES256GCM`` (preferred)
    RFC 9180 HPKE, base mode, single-shot: KEM DHKEM(X25519, HKDF-SHA256), KDF
    HKDF-SHA256, AEAD AES-256-GCM, ``info`` = the wrap context below, empty AAD.
    ``enc`` is the 32-byte encapsulated key, ``ct`` the 48-byte sealed content key.
    Used when the installed ``cryptography`` has ``hazmat.primitives.hpke`` (>= 47).

``X25519-HKDF-SHA256-AES256GCM`` (fallback for older ``cryptography``)
    ephemeral X25519 key pair; shared = X25519(ephemeral, recipient);
    key = HKDF-SHA256(ikm=shared, salt=ephemeral_pub || recipient_pub, info=context, 32);
    ct = AES-256-GCM(key, nonce=12 zero bytes, content_key, aad=context).
    The all-zero nonce is safe because each key is derived from a fresh ephemeral key
    and used for exactly one encryption.

The wrap context binds the format tag, device id, document id and document version, so
a wrapped key moved to another device, document or version does not open.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from shared.crypto.encoding import BadEncoding, b64url_decode, b64url_encode
from shared.crypto.errors import KeyUnwrapFailed

try:  # cryptography >= 47
    from cryptography.hazmat.primitives import hpke as _hpke

    HPKE_AVAILABLE = True
except ImportError:  # pragma: no cover - depends on the installed cryptography
    HPKE_AVAILABLE = False

ALG_HPKE = "HPKE-X25519-SHA256-AES256GCM"
ALG_MANUAL = "X25519-HKDF-SHA256-AES256GCM"
WRAP_FORMAT_TAG = "hdnd-pack-1/content-key"
CONTENT_KEY_SIZE = 32

DEFAULT_ALG = ALG_HPKE if HPKE_AVAILABLE else ALG_MANUAL


@dataclass(frozen=True)
class WrapContext:
    """Who and what a wrapped key is for; bound into the key derivation."""

    device_id: str
    doc_id: str
    version: int

    def to_bytes(self) -> bytes:
        # A JSON array cannot be re-split ambiguously, unlike a joined string.
        return json.dumps(
            [WRAP_FORMAT_TAG, self.device_id, self.doc_id, self.version],
            ensure_ascii=False,
            separators=(",", ":"),
        ).encode("utf-8")


@dataclass(frozen=True)
class WrappedKey:
    """A content key sealed for one device; JSON-safe as ``{"alg", "enc", "ct"}``."""

    alg: str
    enc: str  # base64url: the ephemeral / encapsulated X25519 public key (32 bytes)
    ct: str  # base64url: the sealed content key with its tag (48 bytes)

    def to_json(self) -> dict[str, str]:
        return {"alg": self.alg, "enc": self.enc, "ct": self.ct}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> WrappedKey:
        try:
            return cls(alg=str(data["alg"]), enc=str(data["enc"]), ct=str(data["ct"]))
        except (KeyError, TypeError) as exc:
            raise KeyUnwrapFailed(reason="malformed wrapped key") from exc


def _suite() -> _hpke.Suite:
    """Only called when HPKE_AVAILABLE."""
    return _hpke.Suite(_hpke.KEM.X25519, _hpke.KDF.HKDF_SHA256, _hpke.AEAD.AES_256_GCM)


def _raw_public(key: X25519PublicKey) -> bytes:
    return key.public_bytes(Encoding.Raw, PublicFormat.Raw)


def _manual_key(shared: bytes, ephemeral: bytes, recipient: bytes, info: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=ephemeral + recipient, info=info).derive(
        shared
    )


def wrap_key(
    content_key: bytes,
    recipient_public: X25519PublicKey,
    context: WrapContext,
    *,
    alg: str = DEFAULT_ALG,
) -> WrappedKey:
    """Seal ``content_key`` so only the holder of the recipient's private key opens it."""
    if len(content_key) != CONTENT_KEY_SIZE:
        raise ValueError("content key must be 32 bytes")
    info = context.to_bytes()
    if alg == ALG_HPKE:
        if not HPKE_AVAILABLE:
            raise ValueError("HPKE needs cryptography >= 47")
        sealed = _suite().encrypt(content_key, recipient_public, info=info)
        return WrappedKey(alg, b64url_encode(sealed[:32]), b64url_encode(sealed[32:]))
    if alg == ALG_MANUAL:
        ephemeral = X25519PrivateKey.generate()
        ephemeral_raw = _raw_public(ephemeral.public_key())
        key = _manual_key(
            ephemeral.exchange(recipient_public), ephemeral_raw, _raw_public(recipient_public), info
        )
        sealed = AESGCM(key).encrypt(bytes(12), content_key, info)
        return WrappedKey(alg, b64url_encode(ephemeral_raw), b64url_encode(sealed))
    raise ValueError(f"unknown key wrap algorithm {alg!r}")


def unwrap_key(
    wrapped: WrappedKey, recipient_private: X25519PrivateKey, context: WrapContext
) -> bytes:
    """Open a wrapped content key; ``KeyUnwrapFailed`` if it is not for this context."""
    info = context.to_bytes()
    try:
        enc, sealed = b64url_decode(wrapped.enc), b64url_decode(wrapped.ct)
    except BadEncoding as exc:
        raise KeyUnwrapFailed(reason="bad base64url") from exc
    if len(enc) != 32 or len(sealed) != CONTENT_KEY_SIZE + 16:
        raise KeyUnwrapFailed(reason="bad lengths")
    try:
        if wrapped.alg == ALG_HPKE:
            if not HPKE_AVAILABLE:
                raise KeyUnwrapFailed(reason="HPKE needs cryptography >= 47")
            return _suite().decrypt(enc + sealed, recipient_private, info=info)
        if wrapped.alg == ALG_MANUAL:
            ephemeral = X25519PublicKey.from_public_bytes(enc)
            recipient_raw = _raw_public(recipient_private.public_key())
            key = _manual_key(recipient_private.exchange(ephemeral), enc, recipient_raw, info)
            return AESGCM(key).decrypt(bytes(12), sealed, info)
    except (InvalidTag, ValueError) as exc:
        # ValueError: a low-order ephemeral point (all-zero shared secret) or HPKE failure.
        raise KeyUnwrapFailed(device=context.device_id, document=context.doc_id) from exc
    raise KeyUnwrapFailed(reason=f"unknown algorithm {wrapped.alg!r}")
