"""The minutes as a draft the secretary finishes: made from the event log, edited section
by section with history, previewed, numbered, finalised as a PDF document, frozen once
signed; through the service and through the problem+json API."""

from __future__ import annotations

import pymupdf
import pytest
from sqlmodel import Session, select

from server.models import Account, AuditEntry, Document, DocumentKind
from server.services import minutes_draft
from server.services.documents import get_version
from tests.server.conftest import Api
from tests.server.live.conftest import new_sitting_row
from tests.server.minutes.conftest import item_with_draft, open_sitting_with_everyone, vote_through


def _pdf_text(pdf: bytes) -> str:
    with pymupdf.open(stream=pdf, filetype="pdf") as doc:
        return " ".join(" ".join(page.get_text().split()) for page in doc)


def _clerk(db: Session) -> Account:
    return db.exec(select(Account).where(Account.username == "clerk")).one()


def test_secretary_finishes_the_minutes_and_the_signature_freezes_them(api: Api) -> None:
    engine = api.client.app.state.engine
    store = api.client.app.state.store
    sitting_id, chair = new_sitting_row(engine, "Phiên họp dự thảo biên bản")
    members = open_sitting_with_everyone(engine, sitting_id, chair)
    item_id, _draft = item_with_draft(engine)
    vote_through(engine, sitting_id, chair, members, item_id, "Thông qua điều chỉnh dự toán")

    with Session(engine) as db:
        clerk = _clerk(db)
        draft = minutes_draft.start_draft(db, clerk, sitting_id)
        db.commit()
        keys = [s["key"] for s in draft.sections]
        assert keys == ["opening", "attendance", "agenda", "speeches", "questions", "votes",
                        "conclusions", "closing"]
        votes = next(s for s in draft.sections if s["key"] == "votes")["text"]
        assert "| Tán thành |" in votes and "Kết quả: THÔNG QUA." in votes
        assert minutes_draft.start_draft(db, clerk, sitting_id).id == draft.id  # one per sitting

        minutes_draft.edit_sections(db, clerk, sitting_id, draft.revision, {
            "speeches": "Đại biểu Lò Văn A đề nghị ưu tiên vốn cho đường liên thôn.",
            "conclusions": "Chủ tọa kết luận: giao UBND xã thực hiện nghị quyết.."})
        db.commit()
        assert draft.revision == 2
        with pytest.raises(minutes_draft.DraftChanged):  # a form made from revision 1
            minutes_draft.edit_sections(db, clerk, sitting_id, 1, {"speeches": "ghi đè"})

        preview = _pdf_text(minutes_draft.draft_document(db, sitting_id).render_pdf())
        assert "Đại biểu Lò Văn A đề nghị ưu tiên vốn cho đường liên thôn." in preview
        assert "KẾT LUẬN CỦA CHỦ TỌA" in preview.upper()
        assert "Tán thành" in preview  # the vote table survived the round trip through text
        assert "BIÊN BẢN" in preview and "/BB-HĐND" in preview
        import io

        import docx

        word = docx.Document(io.BytesIO(minutes_draft.draft_document(db, sitting_id)
                                        .render_docx()))
        paragraphs = [p.text for p in word.paragraphs]
        assert "Đại biểu Lò Văn A đề nghị ưu tiên vốn cho đường liên thôn." in paragraphs
        assert "Chủ tọa kết luận: giao UBND xã thực hiện nghị quyết." in paragraphs

        with pytest.raises(minutes_draft.NumberFirst):
            minutes_draft.finalise(db, store, clerk, sitting_id)
        entry = minutes_draft.number(db, clerk, sitting_id)
        db.commit()
        document = minutes_draft.finalise(db, store, clerk, sitting_id)
        db.commit()
        assert document.kind == DocumentKind.minutes
        stored = store.path_for(get_version(db, document.id, 1).storage_key).read_bytes()
        text = _pdf_text(stored)
        assert f"Số: {entry.number:02d}/BB-HĐND" in text
        assert "Đại biểu Lò Văn A" in text

        with pytest.raises(minutes_draft.MinutesFinal):
            minutes_draft.edit_sections(db, clerk, sitting_id, draft.revision, {"speeches": "x"})
        minutes_draft.reopen(db, clerk, sitting_id)
        minutes_draft.edit_sections(db, clerk, sitting_id, draft.revision,
                                    {"speeches": "Bản tóm tắt đã sửa."})
        again = minutes_draft.finalise(db, store, clerk, sitting_id)
        db.commit()
        assert again.id == document.id and again.current_version == 2

        minutes_draft.on_document_signed(db, document.id)
        db.commit()
        assert draft.state == "signed"
        with pytest.raises(minutes_draft.MinutesFrozen):
            minutes_draft.edit_sections(db, clerk, sitting_id, draft.revision, {"speeches": "x"})
        with pytest.raises(minutes_draft.MinutesFrozen):
            minutes_draft.reopen(db, clerk, sitting_id)

        history = minutes_draft.history(db, sitting_id)
        actions = [line.edit.action for line in reversed(history)]
        assert actions == ["created", "edited", "edited", "numbered", "finalised", "reopened",
                           "edited", "finalised", "signed"]
        speech = next(line for line in history if line.edit.section_key == "speeches")
        assert speech.edit.username == "clerk"
        assert ("+", "Bản tóm tắt đã sửa.") in speech.diff
        assert ("-", "Đại biểu Lò Văn A đề nghị ưu tiên vốn cho đường liên thôn.") in speech.diff
        audited = {e.action for e in db.exec(select(AuditEntry).where(
            AuditEntry.target_type == "minutes_draft",
            AuditEntry.target_id == str(draft.id))).all()}
        assert {"minutes.draft_created", "minutes.edited", "minutes.finalised",
                "minutes.reopened", "minutes.signed"} <= audited


def test_minutes_draft_api_in_both_languages(api: Api) -> None:
    engine = api.client.app.state.engine
    sitting_id, _chair = new_sitting_row(engine, "Phiên họp API biên bản")
    base = f"/api/sittings/{sitting_id}/minutes"
    missing = api.request("clerk", "GET", f"{base}/draft")
    assert missing.status_code == 404
    assert missing.headers["content-type"].startswith("application/problem+json")
    assert missing.json()["message_vi"] == "Chưa lập dự thảo biên bản cho phiên họp này."
    assert api.request("delegate01", "POST", f"{base}/draft").status_code == 403

    made = api.request("clerk", "POST", f"{base}/draft")
    assert made.status_code == 201, made.text
    body = made.json()
    assert body["state"] == "draft" and body["number"] is None
    edited = api.request("clerk", "PATCH", f"{base}/draft", json={
        "revision": body["revision"], "sections": {"conclusions": "Kết luận qua API."}})
    assert edited.status_code == 200, edited.text
    stale = api.request("clerk", "PATCH", f"{base}/draft", json={
        "revision": body["revision"], "sections": {"conclusions": "Ghi đè."}})
    assert stale.status_code == 409 and stale.json()["code"] == "minutes_draft_changed"
    unknown = api.request("clerk", "PATCH", f"{base}/draft", json={
        "revision": edited.json()["revision"], "sections": {"nowhere": "x"}})
    assert unknown.status_code == 422 and unknown.json()["code"] == "minutes_unknown_section"

    preview = api.request("clerk", "GET", f"{base}/draft.pdf")
    assert preview.headers["content-type"] == "application/pdf"
    assert "Kết luận qua API." in _pdf_text(preview.content)
    refused = api.request("clerk", "POST", f"{base}/finalise")
    assert refused.status_code == 409
    assert refused.json()["message_en"].startswith("Give the minutes a number")
    numbered = api.request("clerk", "POST", f"{base}/number").json()
    assert numbered["number"].endswith("/BB-HĐND")
    final = api.request("clerk", "POST", f"{base}/finalise")
    assert final.status_code == 200, final.text
    document_id = final.json()["document_id"]

    with Session(engine) as db:
        minutes_draft.on_document_signed(db, document_id)
        db.commit()
        assert db.get(Document, document_id).kind == DocumentKind.minutes
    frozen = api.request("clerk", "PATCH", f"{base}/draft", json={
        "revision": final.json()["revision"], "sections": {"conclusions": "Sửa sau khi ký."}})
    assert frozen.status_code == 409
    assert frozen.json()["message_vi"] == "Biên bản đã được ký số nên không thể sửa nữa."
    assert frozen.json()["message_en"] == ("The minutes have been signed and can no longer "
                                           "be changed.")
    history = api.request("clerk", "GET", f"{base}/history").json()
    assert [h["action"] for h in history][:3] == ["signed", "finalised", "numbered"]
    assert history[-2]["after"] == "Kết luận qua API." and history[-2]["username"] == "clerk"
