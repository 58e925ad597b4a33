"""Canonical JSON, Ed25519 over it, and the server key file."""

from __future__ import annotations

import stat

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from shared.crypto.errors import NonCanonicalValue, SignatureInvalid
from shared.crypto.signing import (
    ServerSigningKey,
    canonical_json,
    ed25519_private_from_b64,
    ed25519_public_from_b64,
    key_id,
    private_key_to_b64,
    public_key_to_b64,
    sign_canonical,
    verify_canonical,
    x25519_private_from_b64,
    x25519_public_from_b64,
)


def test_canonical_json_is_sorted_compact_utf8() -> None:
    value = {"b": [1, True, None], "a": {"z": "Kỳ họp thứ 5", "y": -3}, "ä": '"\n'}
    assert canonical_json(value) == (
        '{"a":{"y":-3,"z":"Kỳ họp thứ 5"},"b":[1,true,null],"ä":"\\"\\n"}'.encode()
    )


def test_canonical_json_ignores_insertion_order() -> None:
    assert canonical_json({"x": 1, "y": 2}) == canonical_json({"y": 2, "x": 1})


@pytest.mark.parametrize("bad", [1.5, {"a": [0.0]}, {1: "int key"}, float("nan"), b"bytes"])
def test_canonical_json_refuses_what_has_no_single_form(bad: object) -> None:
    with pytest.raises(NonCanonicalValue):
        canonical_json(bad)


def test_sign_and_verify_canonical() -> None:
    key = Ed25519PrivateKey.generate()
    value = {"pack_version": 4, "council": "HĐND xã Y Tý"}
    signature = sign_canonical(key, value)
    verify_canonical(key.public_key(), {"council": "HĐND xã Y Tý", "pack_version": 4}, signature)
    with pytest.raises(SignatureInvalid):
        verify_canonical(key.public_key(), {**value, "pack_version": 5}, signature)
    with pytest.raises(SignatureInvalid):
        verify_canonical(Ed25519PrivateKey.generate().public_key(), value, signature)
    with pytest.raises(SignatureInvalid):
        verify_canonical(key.public_key(), value, "not*base64")


def test_keys_round_trip_as_base64url_raw_bytes() -> None:
    ed, x = Ed25519PrivateKey.generate(), X25519PrivateKey.generate()
    assert len(public_key_to_b64(ed.public_key())) == 43
    assert public_key_to_b64(ed25519_private_from_b64(private_key_to_b64(ed)).public_key()) == (
        public_key_to_b64(ed.public_key())
    )
    assert public_key_to_b64(ed25519_public_from_b64(public_key_to_b64(ed.public_key()))) == (
        public_key_to_b64(ed.public_key())
    )
    assert public_key_to_b64(x25519_private_from_b64(private_key_to_b64(x)).public_key()) == (
        public_key_to_b64(x.public_key())
    )
    assert public_key_to_b64(x25519_public_from_b64(public_key_to_b64(x.public_key()))) == (
        public_key_to_b64(x.public_key())
    )


def test_server_key_file_is_private_and_reloads(tmp_path) -> None:
    path = tmp_path / "keys" / "server-signing.key"
    created = ServerSigningKey.generate(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    loaded = ServerSigningKey.load(path)
    assert loaded.public_b64 == created.public_b64
    assert loaded.key_id == key_id(created.public_key)
    verify_canonical(created.public_key, {"a": 1}, loaded.sign({"a": 1}))
    assert ServerSigningKey.load_or_generate(path).public_b64 == created.public_b64


def test_server_key_is_never_overwritten(tmp_path) -> None:
    path = tmp_path / "server-signing.key"
    ServerSigningKey.generate(path)
    before = path.read_bytes()
    with pytest.raises(FileExistsError):
        ServerSigningKey.generate(path)
    assert path.read_bytes() == before
