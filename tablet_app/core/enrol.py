"""Enrolling a tablet: make its keys, spend the one-time code, pin the server's key.

The private keys are generated here and never leave the device; only the public halves
go to the server with the code. The server's Ed25519 public key from the answer is
pinned inside the PIN-sealed key store: every manifest must carry its signature.

A third key, the order key, is kept outside the PIN seal (``device.json``, with a copy
of the pinned key) so that a wipe order can be fetched and verified before the PIN is
entered (``tablet_app.core.orders``); the server accepts it on the order routes only.
"""

from __future__ import annotations

import os
import platform as _platform
from pathlib import Path

import httpx
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from shared.crypto.signing import ed25519_public_from_b64, key_id, public_key_to_b64
from shared.errors import Invalid
from tablet_app.core.client import ClientError, enrol_request
from tablet_app.core.keystore import (
    DEFAULT_MAX_ATTEMPTS,
    DEFAULT_SCRYPT,
    MIN_PIN_LENGTH,
    KeyStore,
    PinTooShort,
    ScryptParams,
    StoreExists,
)
from tablet_app.core.orders import order_key_fields
from tablet_app.core.pack_store import PACKS_DIR, PackStore
from tablet_app.core.sync import Tablet


class ServerKeyMismatch(ClientError, Invalid):
    code = "server_key_mismatch"
    message_vi = "Khóa của máy chủ không khớp với mã nhận dạng; không đăng ký."
    message_en = "The server's key does not match its key id; not enrolling."


def enrol(server_url: str, code: str, label: str, pin: str, folder: str | os.PathLike[str], *,
          platform: str | None = None, params: ScryptParams = DEFAULT_SCRYPT,
          max_attempts: int = DEFAULT_MAX_ATTEMPTS,
          transport: httpx.BaseTransport | None = None) -> Tablet:
    """Enrol this device and return it unlocked. The code is spent even if this fails
    after the server answered, so errors before that point are checked first."""
    root = Path(folder)
    if KeyStore.exists(root):
        raise StoreExists()
    if len(pin) < MIN_PIN_LENGTH:
        raise PinTooShort()  # before the code is spent
    exchange, signing = X25519PrivateKey.generate(), Ed25519PrivateKey.generate()
    ordering = Ed25519PrivateKey.generate()
    answer = enrol_request(server_url, {
        "code": code, "label": label,
        "platform": platform if platform is not None else f"{_platform.system()} "
                                                          f"{_platform.release()}"[:100],
        "x25519_public": public_key_to_b64(exchange.public_key()),
        "ed25519_public": public_key_to_b64(signing.public_key()),
        "order_public": public_key_to_b64(ordering.public_key()),
    }, transport=transport)
    server_key = str(answer["server_public_key"])
    if key_id(ed25519_public_from_b64(server_key)) != answer.get("server_key_id"):
        raise ServerKeyMismatch()
    keystore = KeyStore.create(root, pin, params=params, max_attempts=max_attempts,
                               packs_folder=root / PACKS_DIR, device_x25519=exchange,
                               device_ed25519=signing)
    for name, value in (("device_id", answer["device_id"]), ("person_id", answer["person_id"]),
                        ("server_public_key", server_key), ("server_url", server_url)):
        keystore.set_value(name, str(value))
    keystore.save()
    store = PackStore(root)
    store.write_device_info({"device_id": str(answer["device_id"]), "server_url": server_url,
                             "server_key_id": answer["server_key_id"], "label": label,
                             "server_public_key": server_key, **order_key_fields(ordering)})
    return Tablet(keystore, store, server_url=server_url, transport=transport)
