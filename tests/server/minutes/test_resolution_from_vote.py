"""A draft resolution voted through becomes a numbered resolution waiting for the chair's
signature: made by the live hub when the vote closes, once per vote, with the adoption
sentence, the vote result and the rule applied."""

from __future__ import annotations

import time

import pymupdf
from sqlmodel import Session, select

from server.demo.calendar import demo_schedule
from server.models import Account, AuditEntry, Document, DocumentKind, Membership, MembershipRole
from server.models.minutes_draft import PreparedResolution
from server.services import minutes_draft, resolutions
from server.services.documents import get_version
from shared import clock
from shared.reports.document import place_date_line
from tests.server.conftest import Api
from tests.server.live.conftest import new_sitting_row
from tests.server.minutes.conftest import (
    item_with_draft,
    key,
    open_sitting_with_everyone,
    vote_through,
)


def _pdf_text(path) -> str:
    with pymupdf.open(path) as doc:
        return " ".join(" ".join(page.get_text().split()) for page in doc)


def _plain_delegate(engine) -> str:
    """A delegate's username who chairs no body."""
    with Session(engine) as db:
        chairs = {m.person_id for m in db.exec(select(Membership)).all()
                  if m.role in (MembershipRole.chair, MembershipRole.vice_chair)}
        return next(a.username for a in db.exec(select(Account).order_by(Account.username))
                    if a.role == "delegate" and a.person_id not in chairs)


def _wait_for_resolutions(api: Api, sitting_id: int) -> list[dict]:
    for _ in range(100):
        found = api.request("clerk", "GET", f"/api/sittings/{sitting_id}/resolutions").json()
        if found:
            return found
        time.sleep(0.1)
    return []


def test_a_passed_draft_becomes_a_resolution_waiting_for_the_chair(api: Api) -> None:
    engine = api.client.app.state.engine
    store = api.client.app.state.store
    sitting_id, chair = new_sitting_row(engine, "Phiên họp thông qua nghị quyết")
    members = open_sitting_with_everyone(engine, sitting_id, chair)
    item_id, draft = item_with_draft(engine)
    vote_id = vote_through(engine, sitting_id, chair, members, item_id,
                           "Thông qua Nghị quyết điều chỉnh dự toán", close=False)
    closed = api.request("chair", "POST", f"/api/sittings/{sitting_id}/commands",
                         json={"type": "close_vote", "key": key(), "vote_id": vote_id})
    assert closed.status_code == 200, closed.text

    made = _wait_for_resolutions(api, sitting_id)  # the hub's listener, not a button
    assert len(made) == 1, made
    assert made[0]["vote_id"] == vote_id and made[0]["status"] == "awaiting_signature"
    assert made[0]["draft_document_id"] == draft.id
    # the clerk's button and a second listener run change nothing: one per passed vote
    again = api.request("clerk", "POST", f"/api/sittings/{sitting_id}/resolutions/prepare")
    assert again.json() == made
    waiting = api.request("chair", "GET", "/api/resolutions/awaiting-signature").json()
    assert made[0]["document_id"] in [w["document_id"] for w in waiting]
    assert api.request(_plain_delegate(engine), "GET",
                       "/api/resolutions/awaiting-signature").status_code == 403

    with Session(engine) as db:
        document = db.get(Document, made[0]["document_id"])
        assert document.kind == DocumentKind.resolution and document.agenda_item_id == item_id
        assert document.title.startswith("Nghị quyết số ") and "/NQ-HĐND" in document.title
        text = _pdf_text(store.path_for(get_version(db, document.id, 1).storage_key))
        number = document.title.split()[3].rstrip(":")
        assert f"Số: {number}" in text and "NGHỊ QUYẾT" in text
        assert "Căn cứ Luật Tổ chức chính quyền địa phương" in text  # the draft's own text
        assert "DỰ THẢO" not in text and "Về điều chỉnh dự toán ngân sách xã năm 2026" in text
        with pymupdf.open(store.path_for(get_version(db, document.id, 1).storage_key)) as pdf:
            tables = [t.extract() for page in pdf for t in page.find_tables().tables]
        assert any("Dự toán đầu năm" in " ".join(" ".join(c or "" for c in rows[0]).split())
                   for rows in tables)  # the draft's table is still a table
        voted_on = place_date_line("", clock.today()).removeprefix(", ")
        assert ("Nghị quyết này đã được Hội đồng nhân dân xã Y Tý, nhiệm kỳ 2026 - 2031, "
                f"{demo_schedule().session_title} thông qua {voted_on}.") in text
        assert f"Kết quả biểu quyết: {len(members)}/{len(members)} đại biểu tán thành" in text
        assert "điều kiện thông qua: Cần quá nửa tổng số đại biểu" in text
        assert text.count("Nghị quyết này đã được") == 1  # the draft's own sentence is replaced
        assert "TM. HỘI ĐỒNG NHÂN DÂN" in text
        rows = db.exec(select(PreparedResolution).where(
            PreparedResolution.sitting_id == sitting_id)).all()
        assert len(rows) == 1
        assert db.exec(select(AuditEntry).where(AuditEntry.action == "resolution.prepared",
                                                AuditEntry.target_id == str(document.id))).one()

        minutes_draft.on_document_signed(db, document.id)  # the signatures' hook
        db.commit()
        assert all(r.document_id != document.id for r, _d in resolutions.awaiting_signature(db))
        assert db.exec(select(PreparedResolution).where(
            PreparedResolution.document_id == document.id)).one().status == "signed"


def test_no_resolution_without_a_draft_or_when_the_vote_fails(api: Api) -> None:
    engine = api.client.app.state.engine
    store = api.client.app.state.store
    sitting_id, chair = new_sitting_row(engine, "Phiên họp không có nghị quyết")
    members = open_sitting_with_everyone(engine, sitting_id, chair)
    item_id, _draft = item_with_draft(engine)
    vote_through(engine, sitting_id, chair, members[:1], item_id, "Biểu quyết không đạt")
    with Session(engine) as db:
        assert resolutions.prepare_passed(db, store, None, sitting_id) == []
        assert resolutions.for_sitting(db, sitting_id) == []
