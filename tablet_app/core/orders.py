"""Remote wipe before the PIN: what the app does first whenever it starts online.

A lost tablet may be switched on by someone who does not know the PIN. The device key
that signs requests is sealed under the PIN, so the app could not ask for its orders
then. Enrolment therefore made a second Ed25519 key, the **order key**, kept outside the
PIN seal in ``device.json`` (mode 0600) with the device id, the server address and a copy
of the pinned server key. The server accepts it only on the order routes: someone who
copies it out of the tablet learns that device's orders and can acknowledge its wipe,
and can fetch, read or change nothing (docs/security.md, "Remote wipe before the PIN").

``check_orders_before_unlock`` signs ``GET /api/devices/me/order-check`` with the order
key, verifies the answer (signed by the pinned server key, for this device, echoing this
request's nonce: a forged or replayed "wipe" is ignored) and, on a wipe order, erases
the key store, the packs and the annotations, then acknowledges. If the acknowledgement
cannot reach the server it is retried at the next start.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import httpx
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from shared.crypto.signing import private_key_to_b64
from shared.pack.orders import Orders, verify_orders
from tablet_app.core.annotation_store import JOURNAL_DIR
from tablet_app.core.client import ServerRefused, ServerUnreachable, TabletClient
from tablet_app.core.keystore import wipe_store
from tablet_app.core.pack_store import ACK_PENDING, ORDER_KEY, PACKS_DIR, PackStore
from tablet_app.core.sync import ALREADY_ACKNOWLEDGED, DeviceWiped, NotEnrolled


def order_key_fields(key: Ed25519PrivateKey) -> dict[str, str]:
    """What enrolment writes into ``device.json`` for the order key."""
    return {ORDER_KEY: private_key_to_b64(key)}


def check_orders_before_unlock(folder: str | os.PathLike[str], *,
                               server_url: str | None = None,
                               transport: httpx.BaseTransport | None = None) -> Orders:
    """Ask the server for this device's orders without the PIN; obey a signed wipe.

    Returns the verified orders when there is nothing to erase. Raises ``DeviceWiped``
    after erasing (``acknowledged`` says whether the server heard it), ``NotEnrolled``
    for a device without an order key (enrolled by an older app: it checks after the
    PIN), ``ServerUnreachable`` offline (the reader works offline: carry on), and
    ``OrdersUnverified`` for an answer the pinned key did not sign (nothing is erased).
    """
    root = Path(folder)
    store = PackStore(root)
    info = store.device_info()
    key = store.order_key()
    device_id, pinned = str(info.get("device_id") or ""), str(info.get("server_public_key") or "")
    url = server_url or str(info.get("server_url") or "")
    if key is None or not device_id or not pinned or not url:
        raise NotEnrolled(reason="no order key on this device")
    with TabletClient(url, device_id, key, transport=transport) as client:
        if info.get(ACK_PENDING):  # erased at an earlier start; the server has not heard
            raise DeviceWiped(acknowledged=_acknowledge(client, store))
        answer, nonce = client.order_check()
        orders = verify_orders(answer, pinned, device_id=device_id, nonce=nonce)
        if not orders.wipe:
            return orders
        erase(root)
        raise DeviceWiped(acknowledged=_acknowledge(client, store))


def erase(root: Path) -> None:
    """Keys first (without them the rest is ciphertext), then packs and annotations."""
    wipe_store(root, root / PACKS_DIR, reason="remote")
    shutil.rmtree(root / JOURNAL_DIR, ignore_errors=True)


def _acknowledge(client: TabletClient, store: PackStore) -> bool:
    """Tell the office the wipe is done; keep the order key only until it has heard."""
    try:
        client.acknowledge_wipe()
        acknowledged = True
    except ServerRefused as refusal:
        acknowledged = refusal.code in ALREADY_ACKNOWLEDGED
    except ServerUnreachable:
        acknowledged = False
    store.forget_device(acknowledged=acknowledged)
    return acknowledged
