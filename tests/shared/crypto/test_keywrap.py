"""Wrapping a content key for one device: only that device, document and version open it."""

from __future__ import annotations

import dataclasses
import json

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from shared.crypto.chunked import generate_content_key
from shared.crypto.encoding import b64url_decode
from shared.crypto.errors import KeyUnwrapFailed
from shared.crypto.keywrap import (
    ALG_HPKE,
    ALG_MANUAL,
    DEFAULT_ALG,
    HPKE_AVAILABLE,
    WrapContext,
    WrappedKey,
    unwrap_key,
    wrap_key,
)

ALGS = [ALG_MANUAL] + ([ALG_HPKE] if HPKE_AVAILABLE else [])
CONTEXT = WrapContext(device_id="tablet-07", doc_id="nghi-quyet-05", version=2)


@pytest.fixture
def device() -> X25519PrivateKey:
    return X25519PrivateKey.generate()


def test_hpke_is_used_when_the_installed_cryptography_has_it() -> None:
    assert DEFAULT_ALG == (ALG_HPKE if HPKE_AVAILABLE else ALG_MANUAL)


@pytest.mark.parametrize("alg", ALGS)
def test_round_trip_through_json(device: X25519PrivateKey, alg: str) -> None:
    content_key = generate_content_key()
    wrapped = wrap_key(content_key, device.public_key(), CONTEXT, alg=alg)
    over_the_wire = WrappedKey.from_json(json.loads(json.dumps(wrapped.to_json())))
    assert unwrap_key(over_the_wire, device, CONTEXT) == content_key
    assert content_key not in json.dumps(wrapped.to_json()).encode()


@pytest.mark.parametrize("alg", ALGS)
def test_another_device_cannot_unwrap(device: X25519PrivateKey, alg: str) -> None:
    wrapped = wrap_key(generate_content_key(), device.public_key(), CONTEXT, alg=alg)
    thief = X25519PrivateKey.generate()
    with pytest.raises(KeyUnwrapFailed) as caught:
        unwrap_key(wrapped, thief, CONTEXT)
    assert caught.value.code == "key_unwrap_failed"


@pytest.mark.parametrize("alg", ALGS)
@pytest.mark.parametrize(
    "moved",
    [
        dataclasses.replace(CONTEXT, device_id="tablet-08"),
        dataclasses.replace(CONTEXT, doc_id="nghi-quyet-06"),
        dataclasses.replace(CONTEXT, version=3),
    ],
)
def test_key_moved_to_another_context_does_not_open(
    device: X25519PrivateKey, alg: str, moved: WrapContext
) -> None:
    wrapped = wrap_key(generate_content_key(), device.public_key(), CONTEXT, alg=alg)
    with pytest.raises(KeyUnwrapFailed):
        unwrap_key(wrapped, device, moved)


@pytest.mark.parametrize("alg", ALGS)
def test_altered_wrapped_key_is_refused(device: X25519PrivateKey, alg: str) -> None:
    wrapped = wrap_key(generate_content_key(), device.public_key(), CONTEXT, alg=alg)
    flipped_ct = wrapped.ct[:-2] + ("A" if wrapped.ct[-2] != "A" else "B") + wrapped.ct[-1]
    for bad in (
        dataclasses.replace(wrapped, ct=flipped_ct),
        dataclasses.replace(wrapped, enc=wrapped.enc[::-1]),
        dataclasses.replace(wrapped, ct=wrapped.ct + "=="),
        dataclasses.replace(wrapped, alg="ROT13"),
    ):
        with pytest.raises(KeyUnwrapFailed):
            unwrap_key(bad, device, CONTEXT)


def test_malformed_json_is_refused() -> None:
    with pytest.raises(KeyUnwrapFailed):
        WrappedKey.from_json({"alg": ALG_MANUAL, "enc": "AAAA"})


def test_a_low_order_ephemeral_key_is_refused(device: X25519PrivateKey) -> None:
    wrapped = wrap_key(generate_content_key(), device.public_key(), CONTEXT, alg=ALG_MANUAL)
    zero_point = dataclasses.replace(wrapped, enc="A" * 43)  # 32 zero bytes
    with pytest.raises(KeyUnwrapFailed):
        unwrap_key(zero_point, device, CONTEXT)


def test_the_hpke_in_use_opens_the_rfc_9180_vector() -> None:
    """RFC 9180 A.1.1 (X25519, HKDF-SHA256, AES-128-GCM, base mode): any RFC client interoperates.

    The RFC publishes no X25519 + AES-256-GCM vector; this anchors the KEM, key schedule
    and info handling that our suite shares. It needs the AAD entry point, which
    cryptography keeps private.
    """
    pytest.importorskip("cryptography.hazmat.primitives.hpke")
    from cryptography.hazmat.bindings._rust import openssl as rust_openssl
    from cryptography.hazmat.primitives import hpke

    open_with_aad = getattr(rust_openssl.hpke, "_decrypt_with_aad", None)
    if open_with_aad is None:
        pytest.skip("this cryptography hides the HPKE AAD entry point")
    receiver = X25519PrivateKey.from_private_bytes(
        bytes.fromhex("4612c550263fc8ad58375df3f557aac531d26850903e55a9f23f21d8534e8ac8")
    )
    enc = bytes.fromhex("37fda3567bdbd628e88668c3c8d7e97d1d1253b6d4ea6d44c150f741f1bf4431")
    ct = bytes.fromhex(
        "f938558b5d72f1a23810b4be2ab4f84331acc02fc97babc53a52ae8218a355a96d8770ac83d07bea87e13c512a"
    )
    suite = hpke.Suite(hpke.KEM.X25519, hpke.KDF.HKDF_SHA256, hpke.AEAD.AES_128_GCM)
    opened = open_with_aad(suite, enc + ct, receiver, info=b"Ode on a Grecian Urn", aad=b"Count-0")
    assert opened == b"Beauty is truth, truth beauty"


def test_fallback_matches_the_documented_construction(device: X25519PrivateKey) -> None:
    """docs/pack-format.md section 2, followed step by step with plain primitives."""
    content_key = generate_content_key()
    wrapped = wrap_key(content_key, device.public_key(), CONTEXT, alg=ALG_MANUAL)
    info = b'["hdnd-pack-1/content-key","tablet-07","nghi-quyet-05",2]'
    enc = b64url_decode(wrapped.enc)
    shared = device.exchange(X25519PublicKey.from_public_bytes(enc))
    salt = enc + device.public_key().public_bytes_raw()
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=info).derive(shared)
    assert AESGCM(key).decrypt(bytes(12), b64url_decode(wrapped.ct), info) == content_key
