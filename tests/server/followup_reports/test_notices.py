"""The notice to a complaint's sender: generated once forwarded or answered, with the
sender's data on the notice only; a denouncer's notice for the handling clerk only."""

from __future__ import annotations

import io

import docx
import pymupdf

COMPLAINTS = "/api/followup/complaints"


def _receive(api, kind: str, name: str) -> int:
    response = api.request("clerk", "POST", COMPLAINTS, json={
        "complaint_type": kind, "title": "Đề nghị xem xét mức hỗ trợ làm nhà sau lũ quét",
        "responsible_agency": "UBND xã Y Tý", "area": "Lao Chải",
        "sender": {"full_name": name, "address": "Thôn Lao Chải, xã Y Tý",
                   "phone": "0987654321"}})
    assert response.status_code == 201, response.text
    return response.json()["id"]


def _act(api, item_id: int, action: str, **extra) -> None:
    response = api.request("clerk", "POST", f"/api/followup/items/{item_id}/actions",
                           json={"action": action, **extra})
    assert response.status_code == 200, response.text


def _pdf_text(content: bytes) -> str:
    with pymupdf.open(stream=content, filetype="pdf") as pdf:
        return " ".join(" ".join(page.get_text() for page in pdf).split())


def test_notice_of_forwarding_then_of_the_answer(api):
    item_id = _receive(api, "petition", "Thào Thị Mỷ")
    url = f"{COMPLAINTS}/{item_id}/notice.pdf"
    refused = api.request("clerk", "GET", url)
    assert refused.status_code == 409
    assert refused.json()["code"] == "followup_nothing_to_notify"

    _act(api, item_id, "forward")
    text = _pdf_text(api.request("clerk", "GET", url).content)
    assert "THÔNG BÁO" in text and "Về việc chuyển đơn kiến nghị của công dân" in text
    assert "Kính gửi: Ông/Bà Thào Thị Mỷ" in text
    assert "đã chuyển đơn đến UBND xã Y Tý" in text
    assert "0987654321" not in text  # the phone is the office's, not the notice's

    answer = "UBND xã đã hỗ trợ 40 triệu đồng làm nhà, chi trả ngày 20/12."
    _act(api, item_id, "record_answer", answer=answer, as_role="agency")
    response = api.request("clerk", "GET", f"{COMPLAINTS}/{item_id}/notice.docx")
    assert response.status_code == 200
    document = docx.Document(io.BytesIO(response.content))
    text = " ".join(p.text for p in document.paragraphs)
    assert "Về kết quả giải quyết đơn kiến nghị của công dân" in text
    assert answer in text and "Thào Thị Mỷ" in text
    # the sender's name went into the notice, not into the item, its history or the audit
    assert "Thào Thị Mỷ" not in api.request("clerk", "GET",
                                            f"/api/followup/items/{item_id}").text
    audit = api.request("admin", "GET", "/api/audit", params={"limit": 50}).text
    assert "followup.sender_notice_generated" in audit and "Thào Thị Mỷ" not in audit


def test_denunciation_notice_keeps_the_denouncer_confidential(api):
    item_id = _receive(api, "denunciation", "Pờ Seo Chín")
    _act(api, item_id, "forward")
    url = f"{COMPLAINTS}/{item_id}/notice.pdf"
    text = _pdf_text(api.request("clerk", "GET", url).content)
    assert "Kính gửi: Ông/Bà Pờ Seo Chín" in text
    assert "được giữ bí mật" in text
    assert "(để giải quyết)" not in text  # no copy to the body it was forwarded to
    assert api.request("admin", "GET", url).status_code == 404
    assert api.request("delegate01", "GET", url).status_code == 403
    assert api.request(None, "GET", url).status_code == 401


def test_only_complaints_have_a_notice(api):
    item = api.request("clerk", "POST", "/api/followup/items", json={
        "kind": "voter_petition", "title": "Sửa đường vào thôn Ngải Thầu"}).json()
    assert api.request("clerk", "GET",
                       f"{COMPLAINTS}/{item['id']}/notice.pdf").status_code == 404
