"""A denouncer's identity (Luật Tố cáo 2018: name, address, contact kept confidential) is
seen by the clerk who took the case and nowhere else: not on any public page, the public
JSON, OParl, search (public or staff), the follow-up API, the reports, the audit table, the
log, the notices, or the database file in clear."""

from __future__ import annotations

import io
import json
import logging
import re
import zipfile

import pymupdf
from sqlmodel import Session, select

from server.models import AuditEntry
from server.models.citizens import CitizenCase
from shared import clock
from tests.server.citizens.conftest import csrf_of, web_client

NAME = "Trần Thị Bímật"
EMAIL = "tocao.bimat@example.vn"
PHONE = "0987 654 321"
ADDRESS = "Số 9 ngõ Kín"
SECRETS = (NAME, "Bímật", "Bimat", "bimat", EMAIL, PHONE, "0987654321", "84987654321", ADDRESS,
           "ngõ Kín")


def _pdf(text: str) -> bytes:
    document = pymupdf.open()
    document.new_page().insert_text((72, 72), text)
    return document.tobytes()


def _text_of(response) -> str:
    kind = response.headers.get("content-type", "")
    if "pdf" in kind:
        with pymupdf.open(stream=response.content, filetype="pdf") as document:
            return "\n".join(page.get_text() for page in document)
    if "officedocument" in kind:
        with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
            return "\n".join(archive.read(n).decode("utf-8", "replace")
                             for n in archive.namelist() if n.endswith(".xml"))
    if "json" in kind and isinstance(response.json(), dict) and "query" in response.json():
        return json.dumps({**response.json(), "query": ""}, ensure_ascii=False)  # the echo
    return response.text


def _assert_clean(where: str, text: str) -> None:
    for secret in SECRETS:
        assert secret not in text, f"{secret!r} leaked in {where}"


def test_denouncer_identity_is_seen_by_the_handling_clerk_only(citizens_app, caplog, mailbox):
    caplog.set_level(logging.DEBUG)
    already = len(mailbox[0].messages)  # the mail server serves both engines' runs
    citizen = web_client(citizens_app, None)
    form = citizen.get("/cong-dan/gui-don")
    answer = citizen.post("/cong-dan/gui-don", data={
        "csrf_token": csrf_of(form.text), "case_type": "denunciation",
        "title": "Cán bộ địa chính thu tiền sai quy định",
        "text": "Cán bộ địa chính xã thu tiền khi cấp giấy chứng nhận.", "area": "Thôn Tây",
        "full_name": NAME, "address": ADDRESS, "email": EMAIL, "phone": PHONE,
        "notify_by": "email"},
        files=[("files", (f"don-to-cao-{NAME}.pdf", _pdf("Don to cao"), "application/pdf"))],
        follow_redirects=False)
    assert answer.status_code == 303, answer.text
    code = re.search(r"ma=([A-Z0-9]+)", answer.headers["location"]).group(1)
    with Session(citizens_app.app.state.engine) as db:
        case = db.exec(select(CitizenCase).where(CitizenCase.code == code)).one()
        case_id, item_id = case.id, case.item_id
        assert NAME not in case.sender_sealed and EMAIL not in case.sender_sealed

    # least privilege: before anyone took it, no clerk sees the denouncer
    clerk, clerk2 = web_client(citizens_app, "clerk"), web_client(citizens_app, "clerk2")
    page = clerk.get(f"/console/cong-dan/{case_id}")
    _assert_clean("the untaken case page", page.text)
    assert "chỉ công chức nhận xử lý đơn được xem" in page.text
    token = csrf_of(page.text)
    assert clerk.post(f"/console/cong-dan/{case_id}/nhan", data={"csrf_token": token},
                      follow_redirects=False).status_code == 303
    page = clerk.get(f"/console/cong-dan/{case_id}")
    assert NAME in page.text and EMAIL in page.text and PHONE in page.text
    attachment = re.search(rf'/console/cong-dan/{case_id}/tep/(\d+)', page.text).group(0)
    assert clerk.get(attachment).status_code == 200
    # the other clerk and the admin: the case, never its sender or its files
    for other in (clerk2, web_client(citizens_app, "admin")):
        other_page = other.get(f"/console/cong-dan/{case_id}")
        assert other_page.status_code == 200
        _assert_clean("another staff member's case page", other_page.text)
        assert other.get(attachment).status_code == 404
    # the handling clerk forwards, records the reply (asks to publish it), closes
    for step, fields in (("chuyen", {"agency": "Thanh tra huyện"}),
                         ("tra-loi", {"answer": "Đã chuyển Thanh tra huyện xác minh.",
                                      "public": "1"}),
                         ("ket-thuc", {})):
        done = clerk.post(f"/console/cong-dan/{case_id}/{step}",
                          data={"csrf_token": token, **fields}, follow_redirects=False)
        assert done.status_code == 303, done.text

    public = web_client(citizens_app, None)
    year = clock.today().year
    status = public.get(f"/cong-dan/ho-so?ma={code}")
    assert "Thanh tra huyện" in status.text
    assert "Đã chuyển Thanh tra huyện xác minh." not in status.text  # a denunciation's reply
    views = {
        "status page": status,
        "portal home": public.get("/"),
        "portal petitions": public.get("/theo-doi/kien-nghi"),
        "public items": public.get("/api/public/followup/items", params={"limit": 200}),
        "public search name": public.get("/api/public/search", params={"q": "Bímật"}),
        "public search topic": public.get("/api/public/search", params={"q": "địa chính"}),
        "oparl papers": public.get("/api/oparl/v1/paper"),
        "oparl persons": public.get("/api/oparl/v1/person"),
        "staff list": clerk2.get("/console/cong-dan"),
        "followup list page": clerk2.get("/console/theo-doi/viec", params={"year": year}),
        "followup item page": clerk2.get(f"/console/theo-doi/viec/{item_id}"),
    }
    api = web_client(citizens_app, None)
    tokens = {}
    for user in ("clerk", "clerk2", "admin"):
        tokens[user] = {"Authorization": "Bearer " + api.post(
            "/api/auth/token", data={"username": user, "password": "demo-pass"}
        ).json()["access_token"]}
    for user, headers in tokens.items():
        views[f"{user} item api"] = api.get(f"/api/followup/items/{item_id}", headers=headers)
        views[f"{user} items api"] = api.get("/api/followup/items",
                                             params={"limit": 200}, headers=headers)
        views[f"{user} search name"] = api.get("/api/search", params={"q": "Bímật"},
                                               headers=headers)
        views[f"{user} search e-mail"] = api.get("/api/search", params={"q": "tocao"},
                                                 headers=headers)
        views[f"{user} sender api"] = api.get(f"/api/followup/complaints/{item_id}/sender",
                                              headers=headers)
        for fmt in ("pdf", "docx"):
            views[f"{user} annual {fmt}"] = api.get(
                f"/api/followup/reports/{year}/annual.{fmt}", headers=headers)
            views[f"{user} notice {fmt}"] = api.get(
                f"/api/followup/complaints/{item_id}/notice.{fmt}", headers=headers)
    assert views["clerk annual pdf"].status_code == 200  # the reports were produced
    for where, response in views.items():
        _assert_clean(where, _text_of(response))

    with Session(citizens_app.app.state.engine) as db:
        audit_text = "\n".join(f"{e.action} {e.target_id} {e.detail}"
                               for e in db.exec(select(AuditEntry)).all())
    assert "citizens.sender_read" in audit_text and "citizens.case_claimed" in audit_text
    _assert_clean("the audit table", audit_text)
    # every log line but the stand-in mail server's own (aiosmtpd's "mail.log" is the
    # outside world receiving the denouncer's own notice)
    _assert_clean("the log", "\n".join(r.getMessage() for r in caplog.records
                                       if not r.name.startswith("mail.log")))
    settings = citizens_app.app.state.settings
    if settings.database_url is None:  # SQLite: the file itself, and its write-ahead log
        database = settings.data_dir / "hdnd.sqlite3"
        raw = database.read_bytes()
        wal = database.with_name(database.name + "-wal")
        raw += wal.read_bytes() if wal.exists() else b""
        for secret in (NAME, EMAIL, ADDRESS):
            assert secret.encode() not in raw, f"{secret!r} in clear in the database file"
    # the notices went to the denouncer alone and do not carry the name
    box, _port = mailbox
    to_denouncer = [m for rcpt, m in box.messages[already:] if rcpt == [EMAIL]]
    assert len(to_denouncer) == 4
    assert all(NAME not in m.get_content() for m in to_denouncer)
    assert not any(EMAIL in rcpt and rcpt != [EMAIL] for rcpt, _m in box.messages)
