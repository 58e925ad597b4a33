"""Sender data and denouncers hidden; search with and without diacritics; the indicators of
the seeded year; the public side; attachments."""

from __future__ import annotations

import pymupdf

from tests.server.followup_api.conftest import SEEDED_YEAR

COMPLAINTS = "/api/followup/complaints"


def _complaint(api, kind: str, name: str) -> dict:
    response = api.request("clerk", "POST", COMPLAINTS, json={
        "complaint_type": kind, "title": f"Đơn {kind} về đất rừng", "text": "Nội dung đơn",
        "sender": {"full_name": name, "phone": "0912345678", "id_number": "012345678901"}})
    assert response.status_code == 201, response.text
    return response.json()


def test_sender_data_only_for_clerks_and_denouncer_only_for_handling_clerk(followup_api):
    complaint = _complaint(followup_api, "complaint", "Vàng A Khiếu")
    denunciation = _complaint(followup_api, "denunciation", "Lò Thị Tố")
    url = f"{COMPLAINTS}/{complaint['id']}/sender"
    assert followup_api.request("clerk", "GET", url).json()["full_name"] == "Vàng A Khiếu"
    for user in ("admin", "delegate01", "observer"):
        assert followup_api.request(user, "GET", url).status_code in (403, 404)
    secret = f"{COMPLAINTS}/{denunciation['id']}/sender"
    assert followup_api.request("clerk", "GET", secret).json()["full_name"] == "Lò Thị Tố"
    assert followup_api.request("admin", "GET", secret).status_code == 404
    # Lists, details and search never carry the sender; delegates do not see denunciations.
    for user in ("clerk", "delegate01"):
        listing = followup_api.request(user, "GET", "/api/followup/items",
                                       params={"kind": "citizen_complaint", "limit": 500})
        assert "Lò Thị Tố" not in listing.text and "Vàng A Khiếu" not in listing.text
    delegate_ids = {i["id"] for i in followup_api.request(
        "delegate01", "GET", "/api/followup/items",
        params={"kind": "citizen_complaint", "limit": 500}).json()["items"]}
    assert complaint["id"] in delegate_ids and denunciation["id"] not in delegate_ids
    assert followup_api.request("delegate01", "GET",
                                f"/api/followup/items/{denunciation['id']}").status_code == 404
    assert "Lò Thị Tố" not in followup_api.request(
        "clerk", "GET", f"/api/followup/items/{denunciation['id']}").text
    # The denouncer's name is in no index entry of the follow-up (demo documents may hold
    # the same common Hà Nhì names in their household tables; those are not about her).
    hits = followup_api.request("clerk", "GET", "/api/search",
                                params={"q": "Lò Thị Tố", "limit": 100}).json()["hits"]
    assert [h for h in hits if h["source_type"] != "document"] == []


def test_search_finds_with_and_without_diacritics(followup_api):
    item = followup_api.request("clerk", "POST", "/api/followup/items", json={
        "kind": "voter_petition", "title": "Ngập lụt ở bản Sín Chải",
        "text": "Mưa lớn gây ngập lụt nhà dân ở bản Sín Chải"}).json()
    plain = followup_api.request("clerk", "POST", "/api/followup/items", json={
        "kind": "voter_petition", "title": "Duong ngap lut o thon Pa Cheo",
        "text": "duong ngap lut sau mua"}).json()
    accented = followup_api.request("delegate01", "GET", "/api/search",
                                    params={"q": "ngap lut sin chai"}).json()
    assert accented["hits"][0]["source_id"] == item["id"]
    assert "<mark>Ngập lụt</mark>" in accented["hits"][0]["snippet"] or \
        "<mark>ngập lụt</mark>" in accented["hits"][0]["snippet"]
    reverse = followup_api.request("clerk", "GET", "/api/search",
                                   params={"q": "ngập lụt Pà Chèo"}).json()
    assert reverse["hits"][0]["source_id"] == plain["id"]
    assert "<mark>ngap lut</mark>" in reverse["hits"][0]["snippet"]
    # The seeded year's resolution and supervision conclusions are found too.
    kinds = {h["source_type"] for h in followup_api.request(
        "clerk", "GET", "/api/search", params={"q": "ngap lut", "limit": 100}).json()["hits"]}
    assert {"item", "resolution", "supervision"} <= kinds
    listed = followup_api.request("clerk", "GET", "/api/followup/items",
                                  params={"q": "ngap lut sin chai"}).json()
    assert [i["id"] for i in listed["items"]] == [item["id"]]
    assert followup_api.request("clerk", "GET", "/api/search", params={"q": "\"*"}).json()[
        "hits"] == []


def test_document_pages_are_searchable(followup_api):
    from sqlmodel import Session, select

    from server.documents import inspection
    from server.models import DocumentVersion
    from server.services import search

    session_id = next(s["id"] for s in followup_api.request("clerk", "GET", "/api/sessions")
                      .json() if s["status"] in ("published", "in_progress"))
    pdf = pymupdf.open()
    pdf.new_page().insert_text((72, 72), "Trang bia")
    pdf.new_page().insert_text((72, 72), "Bao cao tinh hinh ngap lut o ban Seo Phin Chu")
    uploaded = followup_api.request("clerk", "POST", f"/api/sessions/{session_id}/documents",
                                    data={"title": "Báo cáo thiên tai"},
                                    files={"file": ("bc.pdf", pdf.tobytes(), "application/pdf")})
    assert uploaded.status_code == 201, uploaded.text
    document_id = uploaded.json()["id"]
    app = followup_api.client.app
    with Session(app.state.engine) as db:
        version = db.exec(select(DocumentVersion)
                          .where(DocumentVersion.document_id == document_id)).one()
        facts = inspection.inspect_now(app.state.store.path_for(version.storage_key),
                                       inspection.Limits.of(app.state.settings))
        assert search.index_document_version(db, version, facts.texts) == 2
        db.commit()
    hits = followup_api.request("clerk", "GET", "/api/search", params={
        "q": "ngập lụt Séo Phìn Chư", "source_type": "document"}).json()["hits"]
    assert [(h["source_id"], h["page"]) for h in hits] == [(document_id, 2)]
    assert "<mark>ngap lut</mark>" in hits[0]["snippet"]


def test_indicators_of_the_seeded_year(followup_api):
    report = followup_api.request("delegate01", "GET", "/api/followup/indicators",
                                  params={"year": SEEDED_YEAR}).json()
    got = {i["key"]: i for i in report["indicators"]}
    # Counted by hand from server/followup/demo.py.
    assert (got["thematic_supervision_per_body"]["numerator"],
            got["thematic_supervision_per_body"]["denominator"]) == (2, 3)
    assert got["thematic_supervision_per_body"]["met"] is False
    assert got["thematic_supervision_per_body"]["missing_ids"] and \
        len(got["thematic_supervision_per_body"]["item_ids"]) == 2
    # 4 regular supervisions by the committees (1 digital) and 3 by delegate groups (1
    # digital, server/services/delegate_demo.py): 2/7.
    assert (got["digital_regular_supervision"]["numerator"],
            got["digital_regular_supervision"]["denominator"]) == (2, 7)
    assert got["digital_regular_supervision"]["value"] == 0.2857
    assert got["digital_regular_supervision"]["met"] is True
    assert got["questioning_hearings"]["value"] == 3 and got["questioning_hearings"]["met"] \
        is False
    attendance = got["voter_meeting_attendance"]
    assert attendance["denominator"] - attendance["numerator"] == 2
    assert len(attendance["missing_ids"]) == 2 and len(attendance["item_ids"]) == 4
    assert (got["petitions_forwarded"]["numerator"],
            got["petitions_forwarded"]["denominator"]) == (36, 40)
    assert got["petitions_answered"]["numerator"] == 20
    assert (got["complaints_forwarded"]["numerator"],
            got["complaints_forwarded"]["denominator"]) == (5, 6)
    assert got["complaint_senders_notified"]["numerator"] == 4
    tasks = got["resolution_tasks_on_time"]
    assert (tasks["numerator"], tasks["denominator"]) == (4, 7)
    assert len(tasks["missing_ids"]) == 3
    # Drill-down: the ids are the items themselves.
    first = followup_api.request("clerk", "GET",
                                 f"/api/followup/items/{tasks['item_ids'][0]}").json()
    assert first["kind"] == "resolution_task"


def test_public_side_shows_only_published_items(followup_api):
    hidden = followup_api.request("clerk", "POST", "/api/followup/items", json={
        "kind": "voter_petition", "title": "Kiến nghị nội bộ về bản Cốc Pài"}).json()
    shown = followup_api.request("clerk", "POST", "/api/followup/items", json={
        "kind": "voter_petition", "title": "Kiến nghị đã công bố", "public": True}).json()
    listing = followup_api.request(None, "GET", "/api/public/followup/items",
                                   params={"limit": 500}).json()
    ids = {i["id"] for i in listing["items"]}
    assert shown["id"] in ids and hidden["id"] not in ids
    assert all(i["public"] and i["kind"] != "citizen_complaint" for i in listing["items"])
    assert followup_api.request(None, "GET",
                                f"/api/public/followup/items/{hidden['id']}").status_code == 404
    resolutions = followup_api.request(None, "GET", "/api/public/followup/resolutions",
                                       params={"year": SEEDED_YEAR}).json()
    assert len(resolutions) == 3 and all(t["public"] for r in resolutions for t in r["tasks"])
    public_search = followup_api.request(None, "GET", "/api/public/search",
                                         params={"q": "Coc Pai"}).json()
    assert public_search["hits"] == []


def test_attachments_pdf_and_image_only(followup_api, tmp_path):
    item = followup_api.request("clerk", "POST", "/api/followup/items", json={
        "kind": "resolution_task", "title": "Nhiệm vụ có minh chứng"}).json()
    pdf = pymupdf.open()
    pdf.new_page().insert_text((72, 72), "Bien ban nghiem thu")
    data = pdf.tobytes()
    url = f"/api/followup/items/{item['id']}/attachments"
    uploaded = followup_api.request("clerk", "POST", url, files={
        "file": ("../../bien-ban.pdf", data, "application/pdf")})
    assert uploaded.status_code == 201, uploaded.text
    assert uploaded.json()["original_name"] == "bien-ban.pdf"
    back = followup_api.request("delegate01", "GET", f"{url}/{uploaded.json()['id']}")
    assert back.status_code == 200 and back.content == data
    pixmap = pymupdf.Pixmap(pymupdf.csRGB, pymupdf.IRect(0, 0, 4, 4), False)
    png = followup_api.request("clerk", "POST", url, files={
        "file": ("anh.png", pixmap.tobytes("png"), "image/png")})
    assert png.status_code == 201 and png.json()["content_type"] == "image/png"
    refused = followup_api.request("clerk", "POST", url, files={
        "file": ("virus.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")})
    assert refused.status_code == 415
    assert followup_api.request("delegate01", "POST", url, files={
        "file": ("a.pdf", data, "application/pdf")}).status_code == 403
    detail = followup_api.request("clerk", "GET", f"/api/followup/items/{item['id']}").json()
    assert len(detail["attachments"]) == 2
