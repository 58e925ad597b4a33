"""Each council signs its packs with its own key, and its tablets pin that key: a tablet
of Bản Xèo verifies Bản Xèo's manifest and would refuse it signed by Y Tý's key; Y Tý keeps
the key its tablets pinned before councils were tenants."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pymupdf
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlmodel import Session, select

from server.models import Account
from shared.pack.manifest import verify_manifest
from tablet_app.core.client import DeviceAuth
from tests.server.conftest import DEMO_PASSWORD, Api
from tests.server.packs.test_devices_api import enrol_payload
from tests.server.tenancy.conftest import app_after


def _seed(db: Session, settings) -> None:
    from server.demo.province import seed_province
    from server.demo.seed import seed_demo

    seed_demo(db, settings, DEMO_PASSWORD, long_document_pages=2)
    seed_province(db, DEMO_PASSWORD)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def province(request, tmp_path: Path) -> Iterator[Api]:
    yield from app_after(request.param, tmp_path, "tenancy_keys", _seed)


def _pdf(text: str) -> bytes:
    document = pymupdf.open()
    document.new_page().insert_text((72, 72), text, fontname="helv")
    return document.tobytes()


def _enrol(api: Api, clerk: str, person_id: int) -> tuple[str, Ed25519PrivateKey, str]:
    code = api.request(clerk, "POST", "/api/devices/enrolment-codes", json={"person_id": person_id})
    assert code.status_code == 201, code.text
    payload, signing = enrol_payload(code.json()["code"])
    answer = api.client.post("/api/devices/enrol", json=payload)
    assert answer.status_code == 201, answer.text
    return answer.json()["device_id"], signing, answer.json()["server_public_key"]


def test_each_council_signs_with_its_own_key(province: Api) -> None:
    with Session(province.client.app.state.engine) as db:
        y_ty_person = db.exec(select(Account).where(Account.username == "delegate01")).one().person_id
    _id, _key, y_ty_key = _enrol(province, "clerk", int(y_ty_person or 0))
    before = (Path(province.client.app.state.settings.keys_dir) / "pack_signing.key").read_bytes()

    session = province.request("banxeo.clerk", "GET", "/api/sessions").json()[0]
    delegates = province.request("banxeo.clerk", "GET", "/api/people").json()
    chair = next(p for p in delegates if p["full_name"] == "Lò Văn Sáng")
    device_id, signing, ban_xeo_key = _enrol(province, "banxeo.clerk", chair["id"])
    assert ban_xeo_key != y_ty_key
    upload = province.request("banxeo.clerk", "POST", f"/api/sessions/{session['id']}/documents",
                              data={"kind": "submission", "confidentiality": "internal",
                                    "title": "Tờ trình dự toán 2027"},
                              files={"file": ("dt.pdf", io.BytesIO(_pdf("du toan")), "application/pdf")})
    assert upload.status_code == 201, upload.text
    built = province.request("banxeo.clerk", "POST", f"/api/sessions/{session['id']}/packs")
    assert built.status_code == 202, built.text
    raw = province.client.get(f"/api/sessions/{session['id']}/packs/latest/manifest",
                              auth=DeviceAuth(device_id, signing))
    assert raw.status_code == 200, raw.text
    manifest = verify_manifest(raw.content, ban_xeo_key, None, device_id, session_id=str(session["id"]))
    assert [d.title for d in manifest.documents] == ["Tờ trình dự toán 2027"]
    with pytest.raises(Exception, match="signed by another server key"):
        verify_manifest(raw.content, y_ty_key, None, device_id, session_id=str(session["id"]))
    # Y Tý's key file is the one its tablets pinned before: never replaced
    after = (Path(province.client.app.state.settings.keys_dir) / "pack_signing.key").read_bytes()
    assert after == before
