"""Devices over REST: codes and QR, enrolment, signed requests, revoke, wipe, packs, Range."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from sqlmodel import Session, select

from server.models import Account
from server.models.base import utcnow
from server.models.devices import EnrolmentCode
from shared import clock
from shared.crypto.encoding import b64url_encode
from shared.crypto.signing import public_key_to_b64
from shared.pack.manifest import verify_manifest
from tablet_app.core.client import DeviceAuth
from tests.server.api.conftest import Api


@dataclass
class FakeTablet:
    """A device's keys, held by the test the way the tablet library holds them."""

    device_id: str
    signing: Ed25519PrivateKey
    server_key: str

    def auth(self) -> DeviceAuth:
        return DeviceAuth(self.device_id, self.signing)


def person_id(api: Api, username: str) -> int:
    with Session(api.client.app.state.engine) as db:
        return int(db.exec(select(Account).where(Account.username == username)).one().person_id)


def issue(api: Api, username: str, **extra) -> dict:
    response = api.request("clerk", "POST", "/api/devices/enrolment-codes",
                           json={"person_id": person_id(api, username), **extra})
    assert response.status_code == 201, response.text
    return response.json()


def enrol_payload(code: str,
                  signing: Ed25519PrivateKey | None = None) -> tuple[dict, Ed25519PrivateKey]:
    signing = signing or Ed25519PrivateKey.generate()
    return {"code": code, "label": "Máy tính bảng thử", "platform": "pytest",
            "x25519_public": public_key_to_b64(X25519PrivateKey.generate().public_key()),
            "ed25519_public": public_key_to_b64(signing.public_key())}, signing


def enrol(api: Api, username: str) -> FakeTablet:
    payload, signing = enrol_payload(issue(api, username)["code"])
    response = api.client.post("/api/devices/enrol", json=payload)
    assert response.status_code == 201, response.text
    body = response.json()
    return FakeTablet(body["device_id"], signing, body["server_public_key"])


def test_code_is_shown_once_as_text_and_qr_and_stored_hashed(api: Api) -> None:
    issued = issue(api, "delegate06")
    assert len(issued["code"].replace("-", "")) == 16
    png = api.request("clerk", "GET", issued["qr_png"])
    svg = api.request("clerk", "GET", issued["qr_svg"])
    assert png.status_code == 200 and png.content.startswith(b"\x89PNG")
    assert svg.status_code == 200 and b"<svg" in svg.content
    wrong = api.request("clerk", "GET", issued["qr_png"].replace(issued["code"], "AAAA-AAAA"))
    assert wrong.status_code == 404
    assert api.request("delegate06", "GET", issued["qr_png"]).status_code == 403
    with Session(api.client.app.state.engine) as db:
        stored = db.get(EnrolmentCode, issued["id"])
        assert issued["code"] not in stored.code_hash and len(stored.code_hash) == 64


def test_only_the_clerk_issues_codes(api: Api) -> None:
    response = api.request("delegate06", "POST", "/api/devices/enrolment-codes",
                           json={"person_id": person_id(api, "delegate06")})
    assert response.status_code == 403


def test_enrol_then_reuse_and_expiry_are_refused(api: Api) -> None:
    issued = issue(api, "delegate07")
    payload, _ = enrol_payload(issued["code"])
    first = api.client.post("/api/devices/enrol", json=payload)
    assert first.status_code == 201
    assert set(first.json()) == {"device_id", "person_id", "server_public_key", "server_key_id"}
    again, _ = enrol_payload(issued["code"])
    reused = api.client.post("/api/devices/enrol", json=again)
    assert reused.status_code == 409
    assert reused.headers["content-type"] == "application/problem+json"
    assert reused.json()["code"] == "enrolment_code_used"
    expired = issue(api, "delegate07")
    with Session(api.client.app.state.engine) as db:
        record = db.get(EnrolmentCode, expired["id"])
        record.expires_at = utcnow() - timedelta(minutes=1)
        db.add(record)
        db.commit()
    late, _ = enrol_payload(expired["code"])
    refused = api.client.post("/api/devices/enrol", json=late)
    assert refused.status_code == 410 and refused.json()["code"] == "enrolment_code_expired"
    assert "hết hạn" in refused.json()["message_vi"]
    unknown, _ = enrol_payload("ZZZZ-ZZZZ-ZZZZ-ZZZZ")
    assert api.client.post("/api/devices/enrol", json=unknown).json()["code"] == (
        "enrolment_code_invalid")


def test_device_requests_must_be_signed_fresh_and_unique(api: Api) -> None:
    tablet = enrol(api, "delegate08")
    signed = api.client.get("/api/devices/me", auth=tablet.auth())
    assert signed.status_code == 200 and signed.json()["device_id"] == tablet.device_id
    assert api.client.get("/api/devices/me").json()["code"] == "device_auth_failed"
    # Replay: the very same headers again.
    request = api.client.build_request("GET", "/api/devices/me")
    request = next(tablet.auth().auth_flow(request))
    assert api.client.send(request).status_code == 200
    replayed = api.client.send(request)
    assert replayed.status_code == 401 and replayed.json()["code"] == "device_request_replayed"
    # Another key signing for this device id.
    impostor = DeviceAuth(tablet.device_id, Ed25519PrivateKey.generate())
    assert api.client.get("/api/devices/me", auth=impostor).json()["code"] == (
        "device_auth_failed")
    # A timestamp 10 minutes old, validly signed.
    from shared.crypto.device_request import request_message

    stamp, nonce = str(int(clock.timestamp()) - 600), b64url_encode(b"0123456789abcdef")
    signature = tablet.signing.sign(request_message("GET", "/api/devices/me", stamp, nonce, b""))
    stale = api.client.get("/api/devices/me", headers={
        "X-HDND-Device": tablet.device_id, "X-HDND-Timestamp": stamp, "X-HDND-Nonce": nonce,
        "X-HDND-Signature": b64url_encode(signature)})
    assert stale.status_code == 401 and stale.json()["code"] == "device_clock_skew"


def test_the_signed_path_is_the_path_as_sent_percent_encoding_and_all(api: Api) -> None:
    """Issue 16: the doc said percent-encoded, the server checked the decoded path."""
    tablet = enrol(api, "delegate08")
    encoded = api.client.get("/api/devices/%6De", auth=tablet.auth())
    assert encoded.status_code == 200, encoded.text
    assert encoded.json()["device_id"] == tablet.device_id
    # A signature over the decoded path does not fit the encoded request.
    from shared.crypto.device_request import request_message

    stamp, nonce = str(int(clock.timestamp())), b64url_encode(b"fedcba9876543210")
    signature = tablet.signing.sign(request_message("GET", "/api/devices/me", stamp, nonce, b""))
    mismatched = api.client.get("/api/devices/%6De", headers={
        "X-HDND-Device": tablet.device_id, "X-HDND-Timestamp": stamp, "X-HDND-Nonce": nonce,
        "X-HDND-Signature": b64url_encode(signature)})
    assert mismatched.status_code == 401
    assert mismatched.json()["code"] == "device_auth_failed"


def test_a_device_reads_only_manifests_it_receives(api: Api, demo_session_id: int) -> None:
    """Issue 16 finding 4: any enrolled device read any session's manifest."""
    sessions = api.request("clerk", "GET", "/api/sessions").json()
    committee = next(s["id"] for s in sessions if s["title"].startswith("Phiên họp Ban"))
    # A plenary delegate who is not on the committee: may not see its meeting.
    username = next(f"delegate{n:02d}" for n in range(2, 20)
                    if api.request(f"delegate{n:02d}", "GET",
                                   f"/api/sessions/{committee}").status_code == 404)
    member = enrol(api, username)
    for session_id in (demo_session_id, committee):
        started = api.request("clerk", "POST", f"/api/sessions/{session_id}/packs")
        assert started.status_code == 202, started.text
    outsider = enrol(api, "delegate03")  # enrolled after the build: not a recipient yet
    own = api.client.get(f"/api/sessions/{demo_session_id}/packs/latest/manifest",
                         auth=member.auth())
    assert own.status_code == 200
    answers = [api.client.get(f"/api/sessions/{session_id}/packs/latest/manifest", auth=auth)
               for session_id, auth in ((committee, member.auth()),
                                        (demo_session_id, outsider.auth()),
                                        (987654, member.auth()))]
    assert [a.status_code for a in answers] == [404, 404, 404]
    # The same answer whether the session exists or not: ids cannot be probed.
    assert len({a.json()["code"] for a in answers}) == 1
    assert all("Phiên họp Ban" not in a.text for a in answers)


def test_publish_serve_range_and_readiness(api: Api, demo_session_id: int) -> None:
    granted = enrol(api, "delegate01")
    other = enrol(api, "delegate04")
    started = api.request("clerk", "POST", f"/api/sessions/{demo_session_id}/packs")
    assert started.status_code == 202, started.text
    version = started.json()["version"]
    status = api.request("clerk", "GET",
                         f"/api/sessions/{demo_session_id}/packs/{version}/status").json()
    assert status["status"] == "published", status.get("error")
    assert status["documents_done"] == status["documents_total"] > 0
    url = f"/api/sessions/{demo_session_id}/packs/latest/manifest"
    raw = api.client.get(url, auth=granted.auth())
    assert raw.status_code == 200
    manifest = verify_manifest(raw.content, granted.server_key, None, granted.device_id,
                               session_id=str(demo_session_id))
    restricted = next(d for d in manifest.documents if d.confidentiality == "restricted")
    assert manifest.grant_for(granted.device_id, restricted.id) is not None
    assert manifest.grant_for(other.device_id, restricted.id) is None
    blob = f"/api/packs/blobs/{restricted.id}/{restricted.version}"
    refused = api.client.get(blob, auth=other.auth())
    assert refused.status_code == 403 and refused.json()["code"] == "pack_blob_not_granted"
    whole = api.client.get(blob, auth=granted.auth())
    assert whole.status_code == 200 and len(whole.content) == restricted.ciphertext_size
    tail = api.client.get(blob, auth=granted.auth(), headers={"Range": "bytes=100-"})
    assert tail.status_code == 206
    assert tail.headers["content-range"] == (
        f"bytes 100-{restricted.ciphertext_size - 1}/{restricted.ciphertext_size}")
    assert tail.content == whole.content[100:]
    ack = api.client.post(f"/api/sessions/{demo_session_id}/packs/ack",
                          json={"pack_version": version}, auth=granted.auth())
    assert ack.status_code == 200
    bad_ack = api.client.post(f"/api/sessions/{demo_session_id}/packs/ack",
                              json={"pack_version": version + 50}, auth=granted.auth())
    assert bad_ack.status_code == 422 and bad_ack.json()["code"] == "pack_version_unknown"
    table = api.request("clerk", "GET", f"/api/sessions/{demo_session_id}/readiness").json()
    rows = {r["device_id"]: r for r in table["rows"] if r["device_id"]}
    assert rows[int(granted.device_id)]["ready"] and rows[int(granted.device_id)]["pack_version"]
    assert not rows[int(other.device_id)]["ready"]
    assert table["latest_version"] == version and table["people_ready"] >= 1
    assert api.request("delegate01", "GET",
                       f"/api/sessions/{demo_session_id}/readiness").status_code == 403


def test_revoked_device_is_refused_and_wipe_order_is_delivered(api: Api,
                                                               demo_session_id: int) -> None:
    tablet = enrol(api, "delegate09")
    revoked = api.request("clerk", "POST", f"/api/devices/{tablet.device_id}/revoke")
    assert revoked.status_code == 200 and revoked.json()["revoked_at"]
    refused = api.client.get(f"/api/sessions/{demo_session_id}/packs/latest/manifest",
                             auth=tablet.auth())
    assert refused.status_code == 403
    assert refused.json()["code"] == "device_revoked"
    assert refused.json()["orders"]["wipe"] is False
    assert api.client.get("/api/devices/me/orders", auth=tablet.auth()).status_code == 403
    api.request("clerk", "POST", f"/api/devices/{tablet.device_id}/wipe")
    refused = api.client.get(f"/api/sessions/{demo_session_id}/packs/latest/manifest",
                             auth=tablet.auth())
    assert refused.json()["orders"]["wipe"] is True
    orders = api.client.get("/api/devices/me/orders", auth=tablet.auth())
    assert orders.status_code == 200 and orders.json()["wipe"] is True
    ack = api.client.post("/api/devices/me/wipe-ack", auth=tablet.auth())
    assert ack.status_code == 200
    # Done: from now on the device is simply refused.
    assert api.client.post("/api/devices/me/wipe-ack", auth=tablet.auth()).status_code == 403
    listed = {str(d["id"]): d for d in api.request("clerk", "GET", "/api/devices").json()}
    assert listed[tablet.device_id]["wipe_acknowledged_at"]
    assert listed[tablet.device_id]["owner"]
    actions = [e["action"] for e in api.request("admin", "GET", "/api/audit").json()]
    assert {"device.revoked", "device.wipe_ordered", "device.wipe_acknowledged"} <= set(actions)


@pytest.mark.parametrize("path", ["/api/devices", "/api/devices/1/revoke"])
def test_delegates_cannot_manage_devices(api: Api, path: str) -> None:
    method = "GET" if path == "/api/devices" else "POST"
    assert api.request("delegate02", method, path).status_code == 403
