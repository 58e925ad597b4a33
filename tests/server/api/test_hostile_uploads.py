"""Issue 16, findings 1 and 10: odd and hostile PDFs through upload and pack build.

Every file either is stored completely (rows, file and search index) or refused with a
clear reason and nothing left behind; while the worker reads one, everybody else is
answered at once; no answer is a 500.
"""

from __future__ import annotations

import contextlib
import io
import threading
import time
from collections.abc import Iterator

import pytest
from sqlalchemy import func
from sqlmodel import Session, select

from server.models import Document, DocumentVersion
from server.models.followup import SearchEntry
from tests import odd_pdfs
from tests.server.api.conftest import Api

NO_TEXT_NOTE = "Không trích được nội dung để tìm kiếm."


@contextlib.contextmanager
def pdf_limits(api: Api, **limits) -> Iterator[None]:
    settings = api.client.app.state.settings
    old = {name: getattr(settings, name) for name in limits}
    for name, value in limits.items():
        setattr(settings, name, value)
    try:
        yield
    finally:
        for name, value in old.items():
            setattr(settings, name, value)


class HealthWatch:
    """Asks /api/health every 0.1 s in a thread; ``worst`` is the slowest answer (s)."""

    def __init__(self, api: Api) -> None:
        self.api, self.worst, self.asked = api, 0.0, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            started = time.monotonic()
            assert self.api.client.get("/api/health").status_code == 200
            self.worst = max(self.worst, time.monotonic() - started)
            self.asked += 1
            self._stop.wait(0.1)

    def __enter__(self) -> HealthWatch:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=30)


def upload(api: Api, session_id: int, content: bytes, title: str = "Tệp lạ"):
    return api.request("clerk", "POST", f"/api/sessions/{session_id}/documents",
                       data={"title": title, "kind": "report", "confidentiality": "internal"},
                       files={"file": ("la.pdf", io.BytesIO(content), "application/pdf")})


def stored_state(api: Api) -> tuple[set[str], int, int]:
    """Files on disk, document rows and version rows: what a refused upload must not add."""
    root = api.client.app.state.store.root
    with Session(api.client.app.state.engine) as db:
        documents = db.exec(select(func.count()).select_from(Document)).one()
        versions = db.exec(select(func.count()).select_from(DocumentVersion)).one()
    return {str(p) for p in root.rglob("*") if p.is_file()}, documents, versions


def indexed_chars(api: Api, document_id: int) -> int:
    with Session(api.client.app.state.engine) as db:
        return sum(len(e.body) for e in db.exec(select(SearchEntry).where(
            SearchEntry.source_type == "document", SearchEntry.source_id == document_id)))


def test_a_content_bomb_neither_stalls_the_server_nor_fills_the_index(
        api: Api, demo_session_id: int) -> None:
    bomb = odd_pdfs.content_bomb(expanded_mb=24)  # about 10 s of MuPDF text extraction
    assert len(bomb) < 200_000
    with pdf_limits(api, pdf_text_seconds=2.0), HealthWatch(api) as watch:
        started = time.monotonic()
        response = upload(api, demo_session_id, bomb, "Tờ trình có trang nặng")
        took = time.monotonic() - started
    assert response.status_code == 201, response.text
    assert took < 10, f"the upload waited {took:.1f} s for text past the 2 s limit"
    assert watch.asked >= 5 and watch.worst < 2.0, f"health waited {watch.worst:.1f} s"
    version = response.json()["versions"][-1]
    assert version["text_status"] == "none"
    assert version["text_note_vi"] == NO_TEXT_NOTE
    assert indexed_chars(api, response.json()["id"]) == 0
    # The stored file is the whole upload, readable as any other.
    download = api.request("clerk", "GET",
                           f"/api/documents/{response.json()['id']}/versions/1/file")
    assert download.content == bomb


def test_extracted_text_is_capped_per_document(api: Api, demo_session_id: int) -> None:
    long_text = odd_pdfs.ordinary(40, "Báo cáo kết quả giám sát chuyên đề về ngập lụt " * 3)
    with pdf_limits(api, pdf_text_max_chars=1500):
        response = upload(api, demo_session_id, long_text, "Báo cáo dài")
    assert response.status_code == 201, response.text
    version = response.json()["versions"][-1]
    assert version["text_status"] == "partial"
    assert version["text_note_vi"].startswith("Chỉ trích được một phần")
    assert 0 < indexed_chars(api, response.json()["id"]) <= 1500


def test_a_file_too_heavy_to_check_is_refused_with_a_reason(api: Api,
                                                            demo_session_id: int) -> None:
    before = stored_state(api)
    with pdf_limits(api, pdf_check_seconds=0.05):
        response = upload(api, demo_session_id, odd_pdfs.many_pages(3000))
    assert response.status_code == 422, response.text
    assert response.json()["code"] == "pdf_too_complex"
    assert "Print to PDF" in response.json()["message_vi"]
    assert stored_state(api) == before


@pytest.mark.parametrize("name", ["page-tree-cycle", "lying-page-count",
                                  "negative-page-count", "truncated-lying-count"])
def test_broken_page_trees_are_refused_and_leave_nothing(api: Api, demo_session_id: int,
                                                         name: str) -> None:
    content = (odd_pdfs.lying_page_count(3) if name == "truncated-lying-count"
               else odd_pdfs.corpus()[name])
    before = stored_state(api)
    for _ in range(2):  # a retry must not add anything either
        response = upload(api, demo_session_id, content)
        assert response.status_code == 422, response.text
        assert response.json()["code"] == "pdf_broken"
        assert "hỏng" in response.json()["message_vi"]
    assert stored_state(api) == before


def test_a_stored_document_can_be_edited_whatever_its_content(api: Api,
                                                             demo_session_id: int) -> None:
    """PATCH used to re-read the PDF for search and 500 on a broken one."""
    with pdf_limits(api, pdf_text_seconds=1.0):
        created = upload(api, demo_session_id, odd_pdfs.content_bomb(expanded_mb=24))
    document_id = created.json()["id"]
    started = time.monotonic()
    changed = api.request("clerk", "PATCH", f"/api/documents/{document_id}",
                          json={"confidentiality": "public", "title": "Đổi tên"})
    assert changed.status_code == 200, changed.text
    assert time.monotonic() - started < 2.0
    assert changed.json()["confidentiality"] == "public"


def test_the_odd_pdf_corpus_goes_through_upload_and_pack_build(api: Api) -> None:
    """Each odd file: stored or refused with a reason, never 500, nobody kept waiting;
    then a pack of the session holding every stored one builds and publishes."""
    created = api.request("clerk", "POST", "/api/sessions", json={
        "body_id": api.request("clerk", "GET", "/api/sessions").json()[0]["body_id"],
        "title": "Thử nghiệm tệp lạ", "kind": "thematic", "start_date": "2026-12-20",
        "end_date": "2026-12-20", "place": "Hội trường"})
    assert created.status_code == 201, created.text
    session_id = created.json()["id"]
    expected = {"content-bomb": 201, "page-tree-cycle": 422, "lying-page-count": 422,
                "negative-page-count": 422, "encrypted": 422, "truncated": 201,
                "many-pages": 201}
    answers = {}
    with pdf_limits(api, pdf_text_seconds=2.0), HealthWatch(api) as watch:
        for name, content in odd_pdfs.corpus().items():
            response = upload(api, session_id, content, name)
            answers[name] = response.status_code
            assert response.headers["content-type"].startswith(
                "application/json" if response.status_code == 201 else "application/problem+json")
    assert answers == expected
    assert watch.worst < 2.0, f"health waited {watch.worst:.1f} s"
    published = api.request("clerk", "POST", f"/api/sessions/{session_id}/publish")
    assert published.status_code == 200, published.text
    started = api.request("clerk", "POST", f"/api/sessions/{session_id}/packs")
    assert started.status_code == 202, started.text
    status = api.request("clerk", "GET", started.json()["status_url"]).json()
    assert status["status"] == "published", status
    assert status["documents_done"] == status["documents_total"] == 3
