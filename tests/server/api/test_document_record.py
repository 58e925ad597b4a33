"""Issue 17: documents a clerk can correct. Titles and số/ký hiệu edited, a double click
is one document, deleted before publication, withdrawn or replaced after; sittings'
details editable until held."""

from __future__ import annotations

import io
import json
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pymupdf

from shared import clock
from tests.server.api.conftest import Api


def _pdf(text: str) -> bytes:
    """A one-page PDF whose bytes differ with ``text`` (so its hash does)."""
    document = pymupdf.open()
    page = document.new_page()
    page.insert_text((72, 72), text, fontname="helv")
    return document.tobytes()


def _session(api: Api, publish: bool = False) -> int:
    bodies = api.request("clerk", "GET", "/api/bodies").json()
    plenary = next(b for b in bodies if b["kind"] == "plenary")
    response = api.request("clerk", "POST", "/api/sessions", json={
        "body_id": plenary["id"], "title": "Kỳ họp thử tài liệu", "kind": "thematic",
        "start_date": "2026-12-15", "place": "Hội trường xã Y Tý"})
    assert response.status_code == 201, response.text
    session_id = response.json()["id"]
    if publish:
        assert api.request("clerk", "POST",
                           f"/api/sessions/{session_id}/publish").status_code == 200
    return session_id


def _item(api: Api, session_id: int, title: str = "Dự toán ngân sách") -> int:
    tree = api.request("clerk", "POST", f"/api/sessions/{session_id}/agenda",
                       json={"title": title}).json()
    return tree[-1]["id"]


def _upload(api: Api, session_id: int, content: bytes, filename: str, **fields):
    return api.request("clerk", "POST", f"/api/sessions/{session_id}/documents",
                       data={"kind": "submission", "confidentiality": "internal", **fields},
                       files={"file": (filename, io.BytesIO(content), "application/pdf")})


def _audit(api: Api, action: str) -> list[dict]:
    entries = api.request("admin", "GET", "/api/audit?limit=50").json()
    return [e for e in entries if e["action"] == action]


def test_a_title_is_made_readable_from_the_file_name(api: Api) -> None:
    session_id = _session(api)
    made = _upload(api, session_id, _pdf(f"a {uuid.uuid4()}"), "to_trinh_ngan_sach.pdf")
    assert made.status_code == 201, made.text
    assert made.json()["title"] == "To trinh ngan sach"
    typed = _upload(api, session_id, _pdf(f"b {uuid.uuid4()}"), "x.pdf",
                    title="Tờ trình về dự toán ngân sách xã năm 2027", number="125/TTr-UBND")
    assert (typed.json()["title"], typed.json()["number"]) == (
        "Tờ trình về dự toán ngân sách xã năm 2027", "125/TTr-UBND")


def test_the_same_file_twice_is_one_document_within_the_window(api: Api) -> None:
    session_id = _session(api)
    item = _item(api, session_id)
    content = _pdf(f"double click {uuid.uuid4()}")
    first = _upload(api, session_id, content, "to_trinh.pdf", agenda_item_id=str(item))
    again = _upload(api, session_id, content, "to_trinh.pdf", agenda_item_id=str(item))
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"]
    # to another item it is another document (the same annex may serve two items)
    other = _upload(api, session_id, content, "to_trinh.pdf",
                    agenda_item_id=str(_item(api, session_id, "Kế hoạch đầu tư")))
    assert other.status_code == 201 and other.json()["id"] != first.json()["id"]
    # after the window (10 minutes) the clerk means it: a second document
    later = clock.FrozenClock(clock.now() + timedelta(minutes=11))
    with clock.using(later):
        after = _upload(api, session_id, content, "to_trinh.pdf", agenda_item_id=str(item))
    assert after.status_code == 201 and after.json()["id"] != first.json()["id"]
    listed = api.request("clerk", "GET", f"/api/sessions/{session_id}/documents").json()
    assert len(listed) == 3


def test_two_requests_at_once_make_one_document(api: Api) -> None:
    session_id = _session(api)
    content = _pdf(f"two at once {uuid.uuid4()}")
    with ThreadPoolExecutor(2) as pool:
        answers = list(pool.map(lambda _: _upload(api, session_id, content, "bao_cao.pdf"),
                                range(2)))
    assert sorted(a.status_code for a in answers) == [200, 201], [a.text for a in answers]
    assert len({a.json()["id"] for a in answers}) == 1
    assert len(api.request("clerk", "GET", f"/api/sessions/{session_id}/documents").json()) == 1


def test_title_and_number_are_edited_and_audited(api: Api) -> None:
    session_id = _session(api)
    document_id = _upload(api, session_id, _pdf(f"edit {uuid.uuid4()}"), "bc.pdf").json()["id"]
    changed = api.request("clerk", "PATCH", f"/api/documents/{document_id}", json={
        "title": "Báo cáo thẩm tra của Ban Kinh tế - Xã hội", "number": "18/BC-KTXH",
        "kind": "review_report", "confidentiality": "public"})
    assert changed.status_code == 200, changed.text
    body = changed.json()
    assert (body["title"], body["number"], body["kind"]) == (
        "Báo cáo thẩm tra của Ban Kinh tế - Xã hội", "18/BC-KTXH", "review_report")
    entry = next(e for e in _audit(api, "document.updated") if e["target_id"] == str(document_id))
    assert entry["detail"]["number"] == "18/BC-KTXH" and entry["actor_username"] == "clerk"
    bad = api.request("clerk", "PATCH", f"/api/documents/{document_id}",
                      json={"number": "18/BC\nKTXH"})
    assert bad.status_code == 422
    assert bad.headers["content-type"].startswith("application/problem+json")
    assert bad.json()["message_vi"] and bad.json()["message_en"]
    assert api.request("delegate01", "PATCH", f"/api/documents/{document_id}",
                       json={"title": "x"}).status_code in (403, 404)


def test_an_unpublished_document_is_deleted_with_its_file(api: Api) -> None:
    session_id = _session(api)
    document_id = _upload(api, session_id, _pdf(f"del {uuid.uuid4()}"), "sai.pdf").json()["id"]
    root = api.client.app.state.store.root
    before = {p for p in root.rglob("*") if p.is_file()}
    assert api.request("clerk", "DELETE", f"/api/documents/{document_id}").status_code == 204
    assert api.request("clerk", "GET", f"/api/documents/{document_id}").status_code == 404
    assert len(before - {p for p in root.rglob("*") if p.is_file()}) == 1
    assert any(e["target_id"] == str(document_id) for e in _audit(api, "document.deleted"))


def test_a_published_document_is_withdrawn_not_deleted(api: Api) -> None:
    session_id = _session(api, publish=True)
    document_id = _upload(api, session_id, _pdf(f"pub {uuid.uuid4()}"), "tt.pdf",
                          title="Tờ trình công khai", confidentiality="public").json()["id"]
    portal = api.client.get(f"/api/public/sessions/{session_id}").json()
    assert [d["title"] for d in portal["documents"]] == ["Tờ trình công khai"]
    refused = api.request("clerk", "DELETE", f"/api/documents/{document_id}")
    assert refused.status_code == 409
    assert refused.json()["code"] == "document_published"
    assert "rút" in refused.json()["message_vi"] and "Withdraw" in refused.json()["message_en"]
    withdrawn = api.request("clerk", "POST", f"/api/documents/{document_id}/withdraw",
                            json={"reason": "UBND xã rút để bổ sung số liệu."})
    assert withdrawn.status_code == 200, withdrawn.text
    assert withdrawn.json()["withdrawn_at"]
    assert api.client.get(f"/api/public/sessions/{session_id}").json()["documents"] == []
    assert api.client.get(f"/phien-hop/{session_id}/tai-lieu/{document_id}").status_code == 404
    # kept in the record: the clerk still reads it and its file
    assert api.request("clerk", "GET", f"/api/documents/{document_id}/versions/1/file"
                       ).status_code == 200
    for method, url, kwargs in (
            ("PATCH", f"/api/documents/{document_id}", {"json": {"title": "Khác"}}),
            ("POST", f"/api/documents/{document_id}/versions",
             {"files": {"file": ("v2.pdf", io.BytesIO(_pdf("v2")), "application/pdf")}})):
        answer = api.request("clerk", method, url, **kwargs)
        assert (answer.status_code, answer.json()["code"]) == (409, "document_withdrawn")
    assert any(e["target_id"] == str(document_id) for e in _audit(api, "document.withdrawn"))


def test_an_unpublished_document_cannot_be_withdrawn(api: Api) -> None:
    session_id = _session(api)
    document_id = _upload(api, session_id, _pdf(f"w {uuid.uuid4()}"), "w.pdf").json()["id"]
    answer = api.request("clerk", "POST", f"/api/documents/{document_id}/withdraw",
                         json={"reason": "thử"})
    assert (answer.status_code, answer.json()["code"]) == (409, "document_not_published")


def test_a_replacement_goes_into_the_next_pack_and_the_old_version_stays(api: Api) -> None:
    session_id = _session(api, publish=True)
    document_id = _upload(api, session_id, _pdf(f"r1 {uuid.uuid4()}"), "dt.pdf",
                          title="Dự thảo nghị quyết").json()["id"]
    assert api.request("clerk", "POST", f"/api/sessions/{session_id}/packs").status_code == 202
    assert api.request("clerk", "GET", f"/api/documents/{document_id}").json()["published"]
    refused = api.request("clerk", "DELETE", f"/api/documents/{document_id}")
    assert refused.json()["code"] == "document_published"  # delegates have it: in a pack
    replaced = api.request("clerk", "POST", f"/api/documents/{document_id}/versions",
                           data={"note": "Thay thế theo ý kiến thẩm tra"},
                           files={"file": ("dt2.pdf", io.BytesIO(_pdf(f"r2 {uuid.uuid4()}")),
                                           "application/pdf")})
    assert replaced.status_code == 201
    assert [v["version"] for v in replaced.json()["versions"]] == [1, 2]
    started = api.request("clerk", "POST", f"/api/sessions/{session_id}/packs").json()
    build = api.request("clerk", "GET",
                        f"/api/sessions/{session_id}/packs/{started['version']}/status").json()
    assert build["status"] == "published", build.get("error")
    from sqlmodel import Session, select

    from server.models.devices import PackBuild
    with Session(api.client.app.state.engine) as db:
        manifest = json.loads(db.exec(select(PackBuild.manifest).where(
            PackBuild.session_id == session_id,
            PackBuild.version == started["version"])).one())["manifest"]
    assert [(d["id"], d["version"]) for d in manifest["documents"]] == [(str(document_id), 2)]


def test_sitting_details_change_until_it_is_held(api: Api) -> None:
    session_id = _session(api, publish=True)
    made = api.request("clerk", "POST", f"/api/sessions/{session_id}/sittings",
                       json={"title": "Phiên họp sáng"})
    sitting_id = made.json()["id"]
    changed = api.request("clerk", "PATCH", f"/api/sittings/{sitting_id}", json={
        "title": "Phiên họp sáng 15/12", "scheduled_at": "2026-12-15T07:30:00+07:00",
        "place": "Nhà văn hóa thôn Lao Chải"})
    assert changed.status_code == 200, changed.text
    assert changed.json()["place"] == "Nhà văn hóa thôn Lao Chải"
    assert datetime.fromisoformat(changed.json()["scheduled_at"]) == datetime(
        2026, 12, 15, 0, 30, tzinfo=UTC)
    entry = next(e for e in _audit(api, "sitting.updated") if e["target_id"] == str(sitting_id))
    assert entry["detail"]["before"]["title"] == "Phiên họp sáng"
    assert entry["detail"]["after"]["place"] == "Nhà văn hóa thôn Lao Chải"
    assert api.request("delegate05", "PATCH", f"/api/sittings/{sitting_id}",
                       json={"title": "x"}).status_code in (403, 404)
    opened = api.request("chair", "POST", f"/api/sittings/{sitting_id}/commands",
                         json={"key": str(uuid.uuid4()), "type": "open_sitting"})
    assert opened.status_code == 200, opened.text
    refused = api.request("clerk", "PATCH", f"/api/sittings/{sitting_id}",
                          json={"place": "Hội trường UBND xã"})
    assert (refused.status_code, refused.json()["code"]) == (409, "sitting_held")
    assert "đã được tiến hành" in refused.json()["message_vi"]


def test_session_details_reach_the_pack_state(api: Api) -> None:
    session_id = _session(api, publish=True)
    _upload(api, session_id, _pdf(f"s {uuid.uuid4()}"), "a.pdf")
    api.request("clerk", "POST", f"/api/sessions/{session_id}/packs")
    from sqlmodel import Session

    from server.packs.freshness import pack_state
    engine = api.client.app.state.engine
    with Session(engine) as db:
        assert pack_state(db, session_id)["stale"] is False
    assert api.request("clerk", "PATCH", f"/api/sessions/{session_id}",
                       json={"place": "Nhà văn hóa thôn Lao Chải"}).status_code == 200
    with Session(engine) as db:
        assert pack_state(db, session_id)["stale"] is True


def test_a_withdrawn_document_leaves_the_next_pack(api: Api) -> None:
    session_id = _session(api, publish=True)
    kept, gone = (_upload(api, session_id, _pdf(f"{name} {uuid.uuid4()}"), f"{name}.pdf",
                          title=name).json()["id"] for name in ("Giữ lại", "Rút đi"))
    assert api.request("clerk", "POST", f"/api/sessions/{session_id}/packs").status_code == 202
    assert api.request("clerk", "POST", f"/api/documents/{gone}/withdraw",
                       json={"reason": "Trùng nội dung"}).status_code == 200
    from sqlmodel import Session

    from server.packs.freshness import pack_state
    from server.packs.publish import latest_published
    engine = api.client.app.state.engine
    with Session(engine) as db:
        assert pack_state(db, session_id)["stale"] is True  # delegates still hold it
    assert api.request("clerk", "POST", f"/api/sessions/{session_id}/packs").status_code == 202
    with Session(engine) as db:
        manifest = json.loads(latest_published(db, session_id).manifest)["manifest"]
        assert pack_state(db, session_id)["stale"] is False
    assert [(d["id"], d["title"]) for d in manifest["documents"]] == [(str(kept), "Giữ lại")]
    # still in the record, marked withdrawn, for those who may read it
    listed = {d["id"]: d for d in api.request(
        "clerk", "GET", f"/api/sessions/{session_id}/documents").json()}
    assert listed[gone]["withdrawn_reason"] == "Trùng nội dung"
