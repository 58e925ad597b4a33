"""PDF uploads: checked by MuPDF, versioned, never half-written, never named by the user."""

from __future__ import annotations

import hashlib
import io

import pymupdf
import pytest

from tests.server.api.conftest import Api


def make_pdf(pages: int = 2, text: str = "Nghị quyết về ngập lụt ở Y Tý") -> bytes:
    document = pymupdf.open()
    font = pymupdf.Font("notos")
    for number in range(pages):
        page = document.new_page()
        writer = pymupdf.TextWriter(page.rect)
        writer.append((72, 72), f"{text} — trang {number + 1}", font=font, fontsize=12)
        writer.write_text(page)
    return document.tobytes()


def _upload(api: Api, session_id: int, content: bytes, filename: str = "to-trinh.pdf",
            **fields):
    data = {"title": "Tờ trình thử nghiệm", "kind": "submission",
            "confidentiality": "internal", **fields}
    return api.request("clerk", "POST", f"/api/sessions/{session_id}/documents", data=data,
                       files={"file": (filename, io.BytesIO(content), "application/pdf")})


def _stored_files(api: Api) -> set[str]:
    root = api.client.app.state.store.root
    return {str(p) for p in root.rglob("*") if p.is_file()}


def test_upload_reads_pages_and_hash(api: Api, demo_session_id: int) -> None:
    content = make_pdf(3)
    response = _upload(api, demo_session_id, content)
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["page_count"] == 3
    assert body["sha256"] == hashlib.sha256(content).hexdigest()
    assert body["current_version"] == 1
    download = api.request("clerk", "GET", f"/api/documents/{body['id']}/versions/1/file")
    assert download.content == content


def test_new_version_keeps_the_old_one(api: Api, demo_session_id: int) -> None:
    first, second = make_pdf(2), make_pdf(4, "Dự thảo sửa đổi lần hai")
    document_id = _upload(api, demo_session_id, first).json()["id"]
    response = api.request("clerk", "POST", f"/api/documents/{document_id}/versions",
                           data={"note": "Sửa theo ý kiến thẩm tra"},
                           files={"file": ("v2.pdf", io.BytesIO(second), "application/pdf")})
    assert response.status_code == 201, response.text
    body = response.json()
    assert [v["version"] for v in body["versions"]] == [1, 2]
    assert body["page_count"] == 4
    old = api.request("clerk", "GET", f"/api/documents/{document_id}/versions/1/file")
    assert old.content == first


@pytest.mark.parametrize("content,code", [
    (b"hello, this is not a pdf", "not_a_pdf"),
    (b"%PDF-1.7\n garbage garbage garbage", "pdf_broken"),
    (b"", "not_a_pdf"),
])
def test_bad_uploads_are_refused_and_leave_nothing(api: Api, demo_session_id: int, content,
                                                   code) -> None:
    before = _stored_files(api)
    response = _upload(api, demo_session_id, content)
    assert response.status_code in (415, 422)
    assert response.json()["code"] == code
    assert _stored_files(api) == before


def test_encrypted_pdf_is_refused(api: Api, demo_session_id: int) -> None:
    document = pymupdf.open(stream=make_pdf(1))
    encrypted = document.tobytes(encryption=pymupdf.PDF_ENCRYPT_AES_256, user_pw="u", owner_pw="o")
    response = _upload(api, demo_session_id, encrypted)
    assert response.status_code == 422 and response.json()["code"] == "pdf_encrypted"


def test_path_like_file_name_is_only_a_label(api: Api, demo_session_id: int) -> None:
    response = _upload(api, demo_session_id, make_pdf(1), filename="../../etc/passwd.pdf")
    assert response.status_code == 201
    version = response.json()["versions"][0]
    assert version["original_filename"] == "passwd.pdf"
    root = api.client.app.state.store.root
    assert not (root.parent.parent / "etc").exists()


def test_oversize_upload_is_413_and_leaves_nothing(api: Api, demo_session_id: int) -> None:
    settings = api.client.app.state.settings
    before = _stored_files(api)
    old_limit = settings.max_upload_bytes
    settings.max_upload_bytes = 50_000  # the route's own limit; the middleware's is larger
    try:
        response = _upload(api, demo_session_id, make_pdf(1) + b"%" * 60_000)
    finally:
        settings.max_upload_bytes = old_limit
    assert response.status_code == 413 and response.json()["code"] == "upload_too_large"
    assert _stored_files(api) == before


def test_body_over_the_server_limit_is_refused_before_reading(api: Api, demo_session_id: int) -> None:
    limit = api.client.app.state.settings.max_upload_bytes + 1024 * 1024
    response = api.request("clerk", "POST", f"/api/sessions/{demo_session_id}/documents",
                           content=b"x", headers={"Content-Length": str(limit + 1),
                                                  "Content-Type": "application/pdf"})
    assert response.status_code == 413


def test_agenda_item_of_another_session_is_refused(api: Api, demo_session_id: int) -> None:
    sessions = api.request("clerk", "GET", "/api/sessions").json()
    other = next(s["id"] for s in sessions if s["status"] == "draft")
    item = api.request("clerk", "POST", f"/api/sessions/{other}/agenda",
                       json={"title": "Mục khác"}).json()
    response = _upload(api, demo_session_id, make_pdf(1), agenda_item_id=str(item[-1]["id"]))
    assert response.status_code == 422
    assert response.json()["code"] == "validation_failed"


def test_uploaded_text_is_searchable_with_or_without_diacritics(api: Api,
                                                                demo_session_id: int) -> None:
    content = make_pdf(2, "Kè chống sạt lở suối Ngải Thầu bị xói mòn nghiêm trọng")
    document_id = _upload(api, demo_session_id, content).json()["id"]
    for query in ("xói mòn nghiêm trọng", "xoi mon nghiem trong"):
        hits = api.request("clerk", "GET", "/api/search", params={"q": query}).json()["hits"]
        assert any(h["source_type"] == "document" and h["source_id"] == document_id
                   for h in hits), (query, hits)
