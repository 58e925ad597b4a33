"""A remote wipe reaches a tablet the next time it connects, before anyone enters the PIN
(the real client library against the real server, over loopback)."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from shared.pack.orders import OrdersUnverified
from tablet_app.core.client import DeviceRevoked
from tablet_app.core.enrol import enrol
from tablet_app.core.keystore import KeyStore, ScryptParams, StoreWiped
from tablet_app.core.orders import check_orders_before_unlock
from tablet_app.core.pack_store import ACK_PENDING, DEVICE_FILE
from tablet_app.core.sync import DeviceWiped, Tablet
from tests.tablet_app.core._pack_server import PIN, LiveServer

FAST = ScryptParams(log2_n=8)


def synced_and_locked(live: LiveServer, folder: Path, username: str = "delegate01") -> str:
    """Enrol, sync the pack, annotate, close: the tablet as it lies in a drawer."""
    with enrol(live.url, live.issue_code(username), "Máy tính bảng", PIN, folder,
               platform="test", params=FAST) as tablet:
        live.publish()
        tablet.sync(live.session_id)
        assert tablet.list_stored()
        device_id = tablet.device_id
    (folder / "annotations").mkdir()
    (folder / "annotations" / "1@1.journal").write_bytes(b"sealed notes")
    return device_id


def device_record(live: LiveServer, device_id: str) -> dict:
    return next(d for d in live.call("GET", "/api/devices").json() if str(d["id"]) == device_id)


class Attacker(httpx.HTTPTransport):
    """Someone on the hall network who rewrites the server's answers on their way."""

    def __init__(self, rewrite) -> None:
        super().__init__()
        self.rewrite = rewrite

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = super().handle_request(request)
        response.read()
        return self.rewrite(request, response) or response


class Unplugged(httpx.HTTPTransport):
    """The network drops every wipe acknowledgement (and lets the rest through)."""

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/wipe-ack"):
            raise httpx.ConnectError("cable pulled", request=request)
        return super().handle_request(request)


def test_a_wipe_order_is_carried_out_before_the_pin(live: LiveServer, tmp_path: Path) -> None:
    folder = tmp_path / "tablet"
    device_id = synced_and_locked(live, folder)
    assert live.call("POST", f"/api/devices/{device_id}/wipe").status_code == 200

    with pytest.raises(DeviceWiped) as wiped:  # the app starts; nobody has typed a PIN
        check_orders_before_unlock(folder)
    assert wiped.value.extra["acknowledged"] is True
    assert "xóa" in wiped.value.message_vi
    assert KeyStore.wiped_reason(folder) == "remote" and not KeyStore.exists(folder)
    assert not (folder / "packs").exists() and not (folder / "annotations").exists()
    assert not (folder / DEVICE_FILE).exists()  # the order key went last, once heard
    with pytest.raises(StoreWiped):
        Tablet.open(folder, PIN)
    assert device_record(live, device_id)["wipe_acknowledged_at"] is not None
    actions = {e["action"] for e in live.call("GET", "/api/audit", "admin").json()}
    assert "device.wipe_acknowledged" in actions


def test_without_an_order_nothing_is_touched(live: LiveServer, tmp_path: Path) -> None:
    folder = tmp_path / "tablet"
    device_id = synced_and_locked(live, folder)
    orders = check_orders_before_unlock(folder)
    assert not orders.wipe and not orders.revoked
    assert live.call("POST", f"/api/devices/{device_id}/revoke").status_code == 200
    orders = check_orders_before_unlock(folder)
    assert orders.revoked and not orders.wipe  # revoked only: keeps what it had
    with Tablet.open(folder, PIN) as tablet:
        for document in tablet.list_stored():
            assert bytes(tablet.open_document(document.document_id)) == live.plaintext(
                int(document.document_id))


def test_a_forged_wipe_order_erases_nothing(live: LiveServer, tmp_path: Path) -> None:
    folder = tmp_path / "tablet"
    device_id = synced_and_locked(live, folder)

    def forge_order(request: httpx.Request, response: httpx.Response) -> httpx.Response | None:
        if request.url.path.endswith("/order-check"):
            answer = response.json()
            answer["statement"]["wipe"] = True
            return httpx.Response(200, json=answer)
        return None

    with pytest.raises(OrdersUnverified):
        check_orders_before_unlock(folder, transport=Attacker(forge_order))

    def forge_refusal(request: httpx.Request, response: httpx.Response) -> httpx.Response | None:
        if request.url.path.endswith("/manifest"):
            return httpx.Response(403, json={"code": "device_revoked", "orders": {"wipe": True}})
        return None

    with Tablet.open(folder, PIN, transport=Attacker(forge_refusal)) as tablet, \
            pytest.raises(DeviceRevoked):
        tablet.sync(live.session_id)  # a forged "revoked, wipe" refusal is only a hint
    assert KeyStore.exists(folder) and (folder / "packs").exists()
    assert device_record(live, device_id)["wipe_ordered_at"] is None

    # A genuine order, recorded by the attacker, then replayed to a later check.
    assert live.call("POST", f"/api/devices/{device_id}/wipe").status_code == 200
    recorded: list[bytes] = []

    def record_then_replay(request: httpx.Request, response: httpx.Response):
        if not request.url.path.endswith("/order-check"):
            return None
        if recorded:
            return httpx.Response(200, content=recorded[0])
        recorded.append(response.content)
        return httpx.Response(200, content=response.content.replace(b'"wipe":true',
                                                                    b'"wipe":false'))

    replaying = Attacker(record_then_replay)
    with pytest.raises(OrdersUnverified):  # the edited first answer fails its signature
        check_orders_before_unlock(folder, transport=replaying)
    with pytest.raises(OrdersUnverified):  # the genuine answer, replayed, names another nonce
        check_orders_before_unlock(folder, transport=replaying)
    assert KeyStore.exists(folder)
    with pytest.raises(DeviceWiped):  # straight to the server, the order is carried out
        check_orders_before_unlock(folder)


def test_an_acknowledgement_that_is_lost_is_sent_at_the_next_start(live: LiveServer,
                                                                   tmp_path: Path) -> None:
    folder = tmp_path / "tablet"
    device_id = synced_and_locked(live, folder)
    live.call("POST", f"/api/devices/{device_id}/wipe")
    with pytest.raises(DeviceWiped) as wiped:
        check_orders_before_unlock(folder, transport=Unplugged())
    assert wiped.value.extra["acknowledged"] is False
    assert not KeyStore.exists(folder) and not (folder / "packs").exists()  # erased anyway
    kept = json.loads((folder / DEVICE_FILE).read_text())
    assert kept[ACK_PENDING] is True and set(kept) >= {"order_key", "device_id"}
    assert device_record(live, device_id)["wipe_acknowledged_at"] is None

    with pytest.raises(DeviceWiped) as again:
        check_orders_before_unlock(folder)
    assert again.value.extra["acknowledged"] is True
    assert not (folder / DEVICE_FILE).exists()
    assert device_record(live, device_id)["wipe_acknowledged_at"] is not None
