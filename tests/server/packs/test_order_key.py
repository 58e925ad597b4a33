"""The order key: signs the order routes only, and the answer is signed by the server."""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from shared.crypto.signing import public_key_to_b64
from shared.pack.orders import OrdersUnverified, verify_orders
from tablet_app.core.client import DeviceAuth
from tests.server.api.conftest import Api
from tests.server.packs.test_devices_api import FakeTablet, enrol_payload, issue


def enrol_with_order_key(api: Api, username: str) -> tuple[FakeTablet, Ed25519PrivateKey]:
    payload, signing = enrol_payload(issue(api, username)["code"])
    ordering = Ed25519PrivateKey.generate()
    response = api.client.post("/api/devices/enrol", json={
        **payload, "order_public": public_key_to_b64(ordering.public_key())})
    assert response.status_code == 201, response.text
    body = response.json()
    return FakeTablet(body["device_id"], signing, body["server_public_key"]), ordering


def checked(api: Api, tablet: FakeTablet, key: Ed25519PrivateKey):
    response = api.client.get("/api/devices/me/order-check",
                              auth=DeviceAuth(tablet.device_id, key))
    assert response.status_code == 200, response.text
    nonce = response.request.headers["X-HDND-Nonce"]
    return response.json(), nonce


def test_the_order_key_opens_the_order_routes_and_nothing_else(api: Api,
                                                                demo_session_id: int) -> None:
    tablet, ordering = enrol_with_order_key(api, "delegate05")
    order_auth = DeviceAuth(tablet.device_id, ordering)
    api.request("clerk", "POST", f"/api/sessions/{demo_session_id}/packs")
    for method, path in (("GET", f"/api/sessions/{demo_session_id}/packs/latest/manifest"),
                         ("GET", "/api/devices/me"),
                         ("GET", "/api/devices/me/annotation-backup"),
                         ("POST", f"/api/sessions/{demo_session_id}/packs/ack")):
        refused = api.client.request(method, path, auth=order_auth, json={"pack_version": 1})
        assert refused.status_code == 401, (path, refused.text)
        assert refused.json()["code"] == "device_auth_failed"
    answer, nonce = checked(api, tablet, ordering)
    orders = verify_orders(answer, tablet.server_key, device_id=tablet.device_id, nonce=nonce)
    assert not orders.wipe and not orders.revoked
    # The device key may ask too (after the PIN the app uses it).
    answer, nonce = checked(api, tablet, tablet.signing)
    assert verify_orders(answer, tablet.server_key, device_id=tablet.device_id, nonce=nonce)


def test_a_wipe_order_is_signed_for_one_device_and_one_request(api: Api) -> None:
    tablet, ordering = enrol_with_order_key(api, "delegate06")
    other, _ = enrol_with_order_key(api, "delegate07")
    assert api.request("clerk", "POST", f"/api/devices/{tablet.device_id}/wipe").status_code == 200
    answer, nonce = checked(api, tablet, ordering)
    orders = verify_orders(answer, tablet.server_key, device_id=tablet.device_id, nonce=nonce)
    assert orders.wipe and orders.revoked and orders.wipe_ordered_at
    with pytest.raises(OrdersUnverified):  # replayed to a later request
        verify_orders(answer, tablet.server_key, device_id=tablet.device_id, nonce="x" * 22)
    with pytest.raises(OrdersUnverified):  # shown to another device
        verify_orders(answer, tablet.server_key, device_id=other.device_id, nonce=nonce)
    forged = {**answer, "statement": {**answer["statement"], "device_id": other.device_id}}
    with pytest.raises(OrdersUnverified):  # edited
        verify_orders(forged, tablet.server_key, device_id=other.device_id, nonce=nonce)
    with pytest.raises(OrdersUnverified):  # checked against another server's key
        verify_orders(answer, public_key_to_b64(Ed25519PrivateKey.generate().public_key()),
                      device_id=tablet.device_id, nonce=nonce)
    ack = api.client.post("/api/devices/me/wipe-ack", auth=DeviceAuth(tablet.device_id, ordering))
    assert ack.status_code == 200 and ack.json()["wipe"] is False
    # Revoked and acknowledged, it can still learn its standing, and nothing more.
    answer, nonce = checked(api, tablet, ordering)
    orders = verify_orders(answer, tablet.server_key, device_id=tablet.device_id, nonce=nonce)
    assert orders.revoked and not orders.wipe


def test_the_order_key_must_differ_from_the_device_key(api: Api) -> None:
    payload, signing = enrol_payload(issue(api, "delegate08")["code"])
    response = api.client.post("/api/devices/enrol",
                               json={**payload, "order_public": payload["ed25519_public"]})
    assert response.status_code == 422
    assert "khóa" in response.json()["message_vi"].lower()
