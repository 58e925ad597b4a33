"""The server's signed answer to "are there orders for me?" (pack format 1, §8.2).

A device erases its keys and packs only on a wipe order it can verify: a statement
signed by the server key it pinned at enrolment, naming this device and echoing the
nonce of the request it just signed. So a network attacker cannot wipe tablets with a
forged refusal, and an old order cannot be replayed (say, after the tablet was
re-enrolled). The device asks with its order key, which it can use before the PIN.

Statement (canonical JSON, signed with Ed25519 like a manifest)::

    {"kind": "hdnd-device-orders-1", "device_id": "17", "nonce": "<X-HDND-Nonce sent>",
     "wipe": true, "revoked": true, "wipe_ordered_at": "2026-07-02T08:00:00+00:00",
     "issued_at": "2026-07-02T08:05:00Z"}
    answer = {"statement": ..., "signature": b64url, "key_id": b64url}
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from shared import clock
from shared.crypto.errors import CryptoError
from shared.crypto.signing import ServerSigningKey, ed25519_public_from_b64, key_id, verify_canonical
from shared.errors import Invalid

ORDERS_KIND = "hdnd-device-orders-1"


class OrdersUnverified(CryptoError, Invalid):
    code = "orders_unverified"
    message_vi = "Lệnh từ máy chủ không có chữ ký hợp lệ của máy chủ đã đăng ký; bỏ qua."
    message_en = "The server's orders are not validly signed by the enrolled server; ignored."


@dataclass(frozen=True)
class Orders:
    """What the server orders this device to do, as verified."""

    device_id: str
    wipe: bool
    revoked: bool
    wipe_ordered_at: str | None


def sign_orders(server_key: ServerSigningKey, *, device_id: str, nonce: str, wipe: bool,
                revoked: bool, wipe_ordered_at: str | None,
                now: dt.datetime | None = None) -> dict[str, Any]:
    issued = (now or clock.now()).strftime("%Y-%m-%dT%H:%M:%SZ")
    statement = {"kind": ORDERS_KIND, "device_id": device_id, "nonce": nonce, "wipe": wipe,
                 "revoked": revoked, "wipe_ordered_at": wipe_ordered_at, "issued_at": issued}
    return {"statement": statement, "signature": server_key.sign(statement),
            "key_id": server_key.key_id}


def verify_orders(answer: Any, pinned: Ed25519PublicKey | str, *, device_id: str,
                  nonce: str) -> Orders:
    """The orders, only if the pinned key signed them for this device and this request."""
    key = ed25519_public_from_b64(pinned) if isinstance(pinned, str) else pinned
    if not isinstance(answer, dict) or not isinstance(answer.get("statement"), dict):
        raise OrdersUnverified(reason="not a signed statement")
    statement = answer["statement"]
    if answer.get("key_id") != key_id(key):
        raise OrdersUnverified(reason="signed by another server key")
    try:
        verify_canonical(key, statement, str(answer.get("signature", "")))
    except CryptoError as exc:  # bad signature, bad encoding, a value JSON cannot sign
        raise OrdersUnverified(reason="bad signature") from exc
    if statement.get("kind") != ORDERS_KIND:
        raise OrdersUnverified(reason="not an orders statement")
    if statement.get("device_id") != device_id or statement.get("nonce") != nonce:
        raise OrdersUnverified(reason="for another device or another request")
    ordered_at = statement.get("wipe_ordered_at")
    return Orders(device_id=device_id, wipe=statement.get("wipe") is True,
                  revoked=statement.get("revoked") is True,
                  wipe_ordered_at=str(ordered_at) if ordered_at is not None else None)
