"""Questioning (chất vấn) and the thôn's petitions on the tablet, against a real server
over a real socket, signed with the device key: the delegate registers a question linked
to a voters' petition, reads its place in the list, the chair's conclusion and where the
written answer can be read; a refusal comes back in words; offline, the sealed copies."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest
from sqlmodel import Session

from tablet_app.core import constituency_petitions as petitions
from tablet_app.core import my_questions as questions
from tablet_app.core.client import ServerRefused
from tablet_app.core.enrol import enrol
from tablet_app.core.i18n import error_text
from tablet_app.core.keystore import ScryptParams
from tablet_app.core.sealed_copy import NothingKeptYet, as_of
from tests.tablet_app.core._pack_server import PIN, LiveServer
from tests.tablet_app.core.test_constituency_petitions import _constituency

FAST = ScryptParams(log2_n=8)


def _send_petition(live: LiveServer, area: str, title: str) -> None:
    with httpx.Client(base_url=live.url, follow_redirects=True) as citizen:
        form = citizen.get("/cong-dan/gui-don")
        token = re.search(r'name="csrf_token" value="([^"]+)"', form.text).group(1)
        sent = citizen.post("/cong-dan/gui-don", data={
            "csrf_token": token, "case_type": "petition", "title": title,
            "text": "Nhờ đại biểu hỏi giúp.", "area": area, "full_name": "Lò Thị Mai"})
    assert sent.status_code == 200 and "Đơn của bạn đã được tiếp nhận" in sent.text


def _to_writing(live: LiveServer, question_id: int, conclusion: str) -> None:
    """Stand-in for the sitting (scheduling, call, "answer in writing", the chair's
    conclusion: tested end to end in tests/server/questioning/test_questioning_api.py)."""
    from server.models.questioning import PreparedQuestion

    with Session(live.engine) as db:
        question = db.get(PreparedQuestion, question_id)
        question.status, question.conclusion = "in_writing", conclusion
        db.add(question)
        db.commit()


def _pdf(text: str) -> bytes:
    import pymupdf

    doc = pymupdf.open()
    doc.new_page().insert_text((72, 72), text)
    return doc.tobytes()


def test_register_read_answer_and_offline(live: LiveServer, tmp_path: Path) -> None:
    area = _constituency(live, "delegate06")
    _send_petition(live, area, "Đường vào thôn sạt lở")
    tablet = enrol(live.url, live.issue_code("delegate06"), "Máy delegate06", PIN,
                   tmp_path / "tablet", platform="test", params=FAST)
    other = enrol(live.url, live.issue_code("delegate07"), "Máy delegate07", PIN,
                  tmp_path / "other", platform="test", params=FAST)
    book = questions.for_tablet(tablet)
    sid = live.session_id

    # the thôn's petitions, and the one to link
    found = petitions.for_tablet(tablet).load()
    assert not found.offline and as_of(found, "vi") == ""
    assert petitions.title(found.data, "vi") == f"Kiến nghị của cử tri thôn {area}"
    [row] = petitions.rows(found.data, "vi")
    assert row.title == "Đường vào thôn sạt lở" and row.item_id
    assert row.status.startswith("Kiến nghị · Đã tiếp nhận · gửi ngày")

    questions.for_tablet(other).register(sid, to_whom="Chủ tịch UBND xã", topic="Chợ",
                                         text="Khi nào có chợ phiên?")
    made = book.register(sid, to_whom=" Chủ tịch UBND xã ", topic="Đường vào thôn",
                         text="Khi nào khắc phục sạt lở?", petition_ids=[row.item_id])
    assert made["petition_ids"] == [row.item_id] and made["to_whom"] == "Chủ tịch UBND xã"
    assert made["list_size"] >= 2 and 1 <= made["place"] <= made["list_size"]
    assert questions.confirmation(made, "vi") == \
        f"Đã đăng ký, thứ tự {made['place']}/{made['list_size']}"
    assert questions.confirmation(made, "en").startswith("Registered, place ")

    # a refusal, in words (an unknown petition)
    with pytest.raises(ServerRefused) as refused:
        book.register(sid, to_whom="x", topic="x", text="x", petition_ids=[999_999])
    assert refused.value.status == 422
    assert error_text(refused.value, "vi") and error_text(refused.value, "vi") != \
        error_text(refused.value, "en")

    # the chair's conclusion and the written answer
    _to_writing(live, made["id"], "Giao UBND xã khắc phục trước 31/12.")
    answer = live.call("POST", f"/api/questions/{made['id']}/answer", files={
        "file": ("tra-loi.pdf", _pdf("Tra loi bang van ban"), "application/pdf")})
    assert answer.status_code == 200, answer.text
    listed = book.load(sid)
    assert not listed.offline
    [mine] = [r for r in questions.rows(listed.data, "vi") if r.question_id == made["id"]]
    assert len(listed.data) == 1  # only the owner's questions
    assert mine.heading == "Đường vào thôn · Chủ tịch UBND xã"
    assert mine.status.startswith("Đã có văn bản trả lời · thứ tự ")
    assert "gắn 1 kiến nghị cử tri" in mine.status
    assert mine.conclusion == "Kết luận của chủ tọa: Giao UBND xã khắc phục trước 31/12."
    assert mine.answer_document_id == answer.json()["answer_document_id"]
    place = questions.answer_place(sid, mine.answer_document_id, [], tablet.server_url)
    assert place.document is None  # not synced since: the portal has it
    pdf = httpx.get(place.portal_url)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    tablet.close()
    other.close()

    # sealed: not in a clear file
    for path in (tmp_path / "tablet").rglob("*"):
        if path.is_file():
            assert "Đường vào thôn".encode() not in path.read_bytes()

    live.stop()
    try:
        from tablet_app.core.sync import Tablet

        tablet = Tablet.open(tmp_path / "tablet", PIN)
        offline = questions.for_tablet(tablet).load(sid)
        assert offline.offline and offline.data == listed.data
        assert "đang xem bản lưu lúc" in as_of(offline, "vi")
        kept = petitions.for_tablet(tablet).load()
        assert kept.offline and kept.data == found.data
        with pytest.raises(NothingKeptYet):  # another session: never fetched
            questions.for_tablet(tablet).load(sid + 1000)
        tablet.close()
    finally:
        live.start()
