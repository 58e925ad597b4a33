"""A signed resolution as people see it: the clerk's page refuses a changed copy in words;
the public portal says "Đã ký số bởi … lúc …, hợp lệ" with the certificate's details.
Screenshots go to docs/screenshots/ (looked at when they change)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from server.demo.calendar import demo_schedule
from server.signatures import testca
from tests.e2e.web_conftest import _start_server, sign_in

SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


@pytest.fixture(scope="module")
def web_server(tmp_path_factory):
    """A server of its own that trusts a fresh test CA and holds the chair's PKCS#12 file."""
    certs = testca.write_demo(tmp_path_factory.mktemp("certs") / "demo")
    with pytest.MonkeyPatch.context() as patch:
        patch.setitem(os.environ, "HDND_SIGNATURE_TRUST_ROOTS", json.dumps([str(certs.ca_pem)]))
        patch.setitem(os.environ, "HDND_SIGNATURE_SIGNERS",
                      json.dumps({k: str(v) for k, v in certs.pkcs12.items()}))
        servers = _start_server(tmp_path_factory)
        server = next(servers)
    yield server
    next(servers, None)


def _signed_resolution(server, tmp_path: Path) -> tuple[int, int, bytes]:
    from tests.server.signatures.conftest import make_pdf

    sessions = server.api("clerk", "GET", "/api/sessions").json()
    session_id = next(s["id"] for s in sessions if s["title"] == demo_schedule().session_title)
    made = server.api("clerk", "POST", f"/api/sessions/{session_id}/documents",
                      data={"title": "Nghị quyết về phòng, chống thiên tai năm 2027",
                            "kind": "draft_resolution", "confidentiality": "public"},
                      files={"file": ("nq.pdf", make_pdf("Nghị quyết về phòng, chống thiên tai"),
                                      "application/pdf")})
    assert made.status_code == 201, made.text
    document_id = made.json()["id"]
    signed = server.api("chair", "POST", f"/api/documents/{document_id}/sign",
                        json={"signer": "chair"})
    assert signed.status_code == 201, signed.text
    content = server.api("clerk", "GET", f"/api/documents/{document_id}/versions/2/file").content
    return session_id, document_id, content


def test_changed_copy_refused_then_portal_shows_the_signature(page, browser, web_server,
                                                              tmp_path: Path) -> None:
    session_id, document_id, signed = _signed_resolution(web_server, tmp_path)
    changed = bytearray(signed)
    changed[changed.find(b"stream", 200) + 20] ^= 0x01
    (tmp_path / "da-sua.pdf").write_bytes(bytes(changed))

    sign_in(page, "clerk")
    page.goto(f"/console/tai-lieu/{document_id}/ky-so")
    expect(page.locator(".signature-line")).to_contain_text(
        "Đã ký số bởi Chủ tọa kỳ họp (thử nghiệm)")
    page.get_by_label("Số nghị quyết").fill("21/NQ-HĐND")
    page.locator("#f-file").set_input_files(str(tmp_path / "da-sua.pdf"))
    page.get_by_role("button", name="Tải lên bản đã ký số").click()
    refusal = page.locator("#err-file")
    expect(refusal).to_contain_text("Tệp bị từ chối")
    expect(refusal).to_contain_text("tệp đã bị sửa sau khi ký")
    expect(page.get_by_label("Số nghị quyết")).to_have_value("21/NQ-HĐND")  # kept
    page.screenshot(path=str(SHOTS / "console-signature-refused.png"), full_page=True)

    public = browser.new_context(base_url=web_server.base, locale="vi-VN").new_page()
    public.goto(f"/phien-hop/{session_id}")
    line = public.locator(".signature-line").first
    expect(line).to_contain_text("Đã ký số bởi Chủ tọa kỳ họp (thử nghiệm) lúc ")
    expect(line).to_contain_text(", hợp lệ")
    public.get_by_text("Chi tiết chứng thư số").first.click()
    expect(public.locator(".signature dd").nth(1)).to_contain_text(
        "KHÔNG CÓ GIÁ TRỊ PHÁP LÝ – CHỨNG THƯ THỬ NGHIỆM")
    with public.expect_download() as download:
        public.get_by_text("Tải tệp đã ký để tự kiểm tra bằng phần mềm khác").click()
    assert Path(download.value.path()).read_bytes() == signed
    public.locator(".signature").first.scroll_into_view_if_needed()
    public.screenshot(path=str(SHOTS / "portal-signed-resolution.png"), full_page=True)
