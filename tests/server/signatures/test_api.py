"""Signed documents through the server: sign on the server as chair, secretary and office;
add a token signature with `hdnd sign`; upload, verify, refuse a changed copy (audited);
publish on the portal, in OParl, and as a tracked resolution."""

from __future__ import annotations

import io
import subprocess
import sys
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from server.signatures import testca
from shared import clock
from tests.server.api.conftest import DEMO_PASSWORD, Api
from tests.server.signatures.conftest import Token, make_pdf


@pytest.fixture(scope="module", params=["sqlite",
                                        pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request) -> Iterator[str | None]:
    """None (a SQLite file) or a fresh PostgreSQL database of this module's own."""
    if request.param == "sqlite":
        yield None
        return
    from tests.conftest import fresh_pg_database

    with fresh_pg_database("hdnd_test_sig") as url:
        yield url


@pytest.fixture(scope="module")
def signing_api(tmp_path_factory, demo_certs: testca.DemoCertificates,
                database_url: str | None) -> Iterator[Api]:
    from sqlmodel import Session

    from server.app import create_app
    from server.config import Settings
    from server.db import make_engine, migrate
    from server.demo.seed import seed_demo

    settings = Settings(data_dir=tmp_path_factory.mktemp("data-signatures"),
                        database_url=database_url, secret_key="test-secret",
                        signature_trust_roots=[demo_certs.ca_pem],
                        signature_signers=demo_certs.pkcs12)
    migrate(settings)
    engine = make_engine(settings)
    with Session(engine) as db:
        seed_demo(db, settings, DEMO_PASSWORD, long_document_pages=2)
    engine.dispose()
    with TestClient(create_app(settings)) as client:
        yield Api(client)


@pytest.fixture(scope="module")
def session_id(signing_api: Api) -> int:
    from server.demo.calendar import demo_schedule

    sessions = signing_api.request("clerk", "GET", "/api/sessions").json()
    return next(s["id"] for s in sessions if s["status"] in ("published", "in_progress")
                and s["title"] == demo_schedule().session_title)


def _vn(at: datetime) -> str:
    return at.astimezone(clock.VN_TZ).strftime("%H:%M ngày %d/%m/%Y")


def _new_document(api: Api, session_id: int, title: str) -> int:
    response = api.request(
        "clerk", "POST", f"/api/sessions/{session_id}/documents",
        data={"title": title, "kind": "draft_resolution", "confidentiality": "public"},
        files={"file": ("nghi-quyet.pdf", io.BytesIO(make_pdf(title)), "application/pdf")})
    assert response.status_code == 201, response.text
    return response.json()["id"]


def _current_file(api: Api, document_id: int) -> bytes:
    version = api.request("clerk", "GET", f"/api/documents/{document_id}").json()
    return api.request("clerk", "GET", f"/api/documents/{document_id}/versions/"
                       f"{version['current_version']}/file").content


def _upload_signed(api: Api, document_id: int, content: bytes, **data: str):
    return api.request("clerk", "POST", f"/api/documents/{document_id}/signed-versions",
                       data=data, files={"file": ("da-ky.pdf", io.BytesIO(content),
                                                  "application/pdf")})


def _audit_actions(api: Api) -> list[dict]:
    return api.request("admin", "GET", "/api/audit?limit=200").json()


def test_chair_secretary_office_then_token_sign_one_file(signing_api: Api, session_id: int,
                                                        softhsm_token: Token,
                                                        tmp_path: Path) -> None:
    api = signing_api
    document_id = _new_document(api, session_id, "Nghị quyết về phòng, chống thiên tai năm 2027")
    # the clerk may not use the chair's key; the chair may
    refused = api.request("clerk", "POST", f"/api/documents/{document_id}/sign",
                          json={"signer": "chair"})
    assert refused.status_code == 403
    for user, signer in (("chair", "chair"), ("secretary", "secretary"), ("clerk", "office")):
        response = api.request(user, "POST", f"/api/documents/{document_id}/sign",
                               json={"signer": signer})
        assert response.status_code == 201, response.text
    body = response.json()
    assert [s["signer_name"] for s in body["signatures"]] == [
        "Chủ tọa kỳ họp (thử nghiệm)", "Thư ký kỳ họp (thử nghiệm)",
        "Văn phòng HĐND-UBND xã (dấu thử nghiệm)"]
    assert all(s["valid"] for s in body["signatures"])
    # the signing time is the project clock's (the suite pins it), not the machine's
    chair_at = datetime.fromisoformat(body["signatures"][0]["signing_time"])
    assert abs(chair_at - clock.now()) < timedelta(minutes=5)
    token_at = (clock.now() - timedelta(minutes=5)).replace(microsecond=0)

    # the chair adds a token signature on their own machine, and the clerk uploads it
    source = tmp_path / "server-signed.pdf"
    source.write_bytes(_current_file(api, document_id))
    result = subprocess.run(
        [sys.executable, "-m", "server.cli", "sign", str(source), "--pkcs11-lib",
         str(softhsm_token.library), "--token-label", softhsm_token.label, "--key-label",
         softhsm_token.key_label, "--pin", softhsm_token.pin, "--out", str(tmp_path / "t.pdf")],
        env={**softhsm_token.env, "HDND_CLOCK": f"frozen:{token_at.isoformat()}"},
        capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    response = _upload_signed(api, document_id, (tmp_path / "t.pdf").read_bytes(),
                              resolution_number="21/NQ-HĐND")
    assert response.status_code == 201, response.text
    signatures = response.json()["signatures"]
    assert len(signatures) == 4 and all(s["valid"] for s in signatures)
    assert signatures[-1]["signer_name"] == "Người ký bằng USB token (thử nghiệm)"
    assert "KHÔNG CÓ GIÁ TRỊ PHÁP LÝ" in signatures[-1]["issuer"]
    added = next(e for e in _audit_actions(api) if e["action"] == "document.signed_version_added"
                 and e["target_id"] == str(document_id))
    assert added["detail"]["extends_version"] == 4  # the token signed the office-stamped v4
    assert added["detail"]["on_server"] is None

    # the portal shows each signer with the time and "hợp lệ", and offers the signed file
    page = api.client.get(f"/phien-hop/{session_id}")
    assert page.status_code == 200
    assert (f"Đã ký số bởi Chủ tọa kỳ họp (thử nghiệm) lúc {_vn(chair_at)}, hợp lệ"
            in page.text)
    assert (f"Đã ký số bởi Người ký bằng USB token (thử nghiệm) lúc {_vn(token_at)}, hợp lệ"
            in page.text)
    assert "Tải tệp đã ký để tự kiểm tra bằng phần mềm khác" in page.text
    download = api.client.get(f"/phien-hop/{session_id}/tai-lieu/{document_id}")
    assert download.content == (tmp_path / "t.pdf").read_bytes()

    # OParl: the File carries the signatures; the resolution is a Paper with that File
    oparl_file = api.client.get(f"/api/oparl/v1/file/{document_id}").json()
    assert len(oparl_file["hdnd:signatures"]) == 4
    papers = api.client.get("/api/oparl/v1/paper").json()["data"]
    resolution = next(p for p in papers if p.get("reference") == "21/NQ-HĐND")
    assert resolution["paperType"] == "Nghị quyết"
    assert resolution["mainFile"]["id"].endswith(f"/file/{document_id}")
    assert resolution["mainFile"]["hdnd:signatures"][0]["valid"] is True

    # the follow-up tracker has the resolution; a task can now be tracked against it
    resolutions = api.request("clerk", "GET", "/api/followup/resolutions").json()
    tracked = next(r for r in resolutions if r["number"] == "21/NQ-HĐND")
    task = api.request("clerk", "POST", "/api/followup/items", json={
        "kind": "resolution_task", "title": "Gia cố kè suối Y Tý trước mùa mưa 2027",
        "resolution_id": tracked["id"],
        "due_on": (clock.today() + timedelta(days=180)).isoformat(),
        "responsible_agency": "UBND xã Y Tý"})
    assert task.status_code == 201, task.text
    # the portal's resolutions page shows the signed text under the resolution's number
    public = api.client.get("/theo-doi/nghi-quyet")
    section = public.text.split(f'id="nq-{tracked["id"]}"', 1)[1].split("</section>", 1)[0]
    assert "21/NQ-HĐND" in section
    assert "Đã ký số bởi Chủ tọa kỳ họp (thử nghiệm)" in section
    assert f"/phien-hop/{session_id}/tai-lieu/{document_id}" in section


def test_a_byte_changed_copy_is_refused_and_audited(signing_api: Api, session_id: int) -> None:
    api = signing_api
    document_id = _new_document(api, session_id, "Nghị quyết về kế hoạch đầu tư công")
    assert api.request("chair", "POST", f"/api/documents/{document_id}/sign",
                       json={"signer": "chair"}).status_code == 201
    signed = bytearray(_current_file(api, document_id))
    stream = signed.find(b"stream", 200)
    signed[stream + 20] ^= 0x01
    response = _upload_signed(api, document_id, bytes(signed))
    assert response.status_code == 422
    problem = response.json()
    assert response.headers["content-type"].startswith("application/problem+json")
    assert problem["code"] == "signature_broken"
    assert "sửa sau khi ký" in problem["message_vi"]
    assert "changed after signing" in problem["message_en"]
    # nothing was kept: still the chair-signed version 2
    assert api.request("clerk", "GET", f"/api/documents/{document_id}").json()[
        "current_version"] == 2
    entries = _audit_actions(api)
    refusal = next(e for e in entries if e["action"] == "document.signature_refused"
                   and e["target_id"] == str(document_id))
    assert refusal["detail"]["reason"] == "signature_broken"


def test_an_unsigned_upload_is_refused(signing_api: Api,
                                                                     session_id: int) -> None:
    api = signing_api
    document_id = _new_document(api, session_id, "Báo cáo chưa ký")
    response = _upload_signed(api, document_id, make_pdf("Báo cáo chưa ký"))
    assert response.status_code == 422 and response.json()["code"] == "signature_missing"


def test_the_console_page_refuses_a_changed_file_in_words(signing_api: Api,
                                                          session_id: int) -> None:
    api = signing_api
    document_id = _new_document(api, session_id, "Nghị quyết về giáo dục")
    assert api.request("chair", "POST", f"/api/documents/{document_id}/sign",
                       json={"signer": "chair"}).status_code == 201
    signed = bytearray(_current_file(api, document_id))
    signed[signed.find(b"stream", 200) + 20] ^= 0x01
    from tests.server.api.test_hostile_low import _console

    client, csrf = _console(api)
    page = client.get(f"/console/tai-lieu/{document_id}/ky-so")
    assert page.status_code == 200, page.text
    assert "Chủ tọa kỳ họp (thử nghiệm)" in page.text
    refused = client.post(f"/console/tai-lieu/{document_id}/ky-so",
                          data={"csrf_token": csrf, "resolution_number": "22/NQ-HĐND"},
                          files={"file": ("x.pdf", io.BytesIO(bytes(signed)), "application/pdf")})
    assert refused.status_code == 422
    assert "Tệp bị từ chối" in refused.text and "sửa sau khi ký" in refused.text
    assert 'value="22/NQ-HĐND"' in refused.text  # what the clerk typed is kept


def test_listeners_run_after_signing_and_a_failing_one_keeps_the_signature(
        signing_api: Api, session_id: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """Listeners run after the signed version is kept (the minutes draft's freeze is one,
    tested in test_vote_to_signed_resolution); a listener that fails is audited, the
    signed version stays."""
    from server.signatures import events

    frozen: list[int] = []

    def recording(db, event) -> None:
        frozen.append(event.document_id)

    def broken(db, event) -> None:
        raise RuntimeError("listener bug")

    events.register(recording)
    events.register(broken)
    try:
        api = signing_api
        document_id = _new_document(api, session_id, "Biên bản kỳ họp thứ nhất")
        response = api.request("secretary", "POST", f"/api/documents/{document_id}/sign",
                               json={"signer": "secretary"})
    finally:
        events.unregister(broken)
        events.unregister(recording)
    assert response.status_code == 201, response.text
    assert frozen == [document_id]
    assert api.request("clerk", "GET", f"/api/documents/{document_id}").json()[
        "current_version"] == 2
    failure = next(e for e in _audit_actions(api)
                   if e["action"] == "document.signed_listener_failed"
                   and e["target_id"] == str(document_id))
    assert failure["detail"]["listeners"] == ["broken"]


def test_a_signer_without_a_usable_key_is_told_so(signing_api: Api, session_id: int,
                                                   demo_certs: testca.DemoCertificates,
                                                   tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    api = signing_api
    signers = api.client.app.state.settings.signature_signers
    document_id = _new_document(api, session_id, "Thông báo kết luận kỳ họp")
    monkeypatch.delitem(signers, "office")
    missing = api.request("clerk", "POST", f"/api/documents/{document_id}/sign",
                          json={"signer": "office"})
    assert missing.status_code == 409 and missing.json()["code"] == "signer_not_configured"
    locked = tmp_path / "office.p12"
    locked.write_bytes(demo_certs.pkcs12["office"].read_bytes())
    (tmp_path / "office.p12.passphrase").write_text("sai-mat-khau")
    monkeypatch.setitem(signers, "office", locked)
    wrong = api.request("clerk", "POST", f"/api/documents/{document_id}/sign",
                        json={"signer": "office"})
    assert wrong.status_code == 409 and "sai mật khẩu" in wrong.json()["message_vi"]
    assert api.request("clerk", "GET", f"/api/documents/{document_id}").json()[
        "current_version"] == 1
