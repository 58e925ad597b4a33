"""Issue 17's whole chain, as the council takes it: a draft resolution is voted through in a
sitting; the resolution and the minutes are generated; the secretary edits and numbers the
minutes; the chair and the secretary sign them (on the server, PKCS#12); the chair signs
the resolution on a USB token (SoftHSM2, `hdnd sign`); the clerk uploads and publishes it;
the portal shows it verified; a byte-changed copy is refused."""

from __future__ import annotations

import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

from server.signatures import testca
from shared import clock
from tests.server.api.conftest import Api
from tests.server.live.conftest import new_sitting_row
from tests.server.minutes.conftest import (
    item_with_draft,
    key,
    open_sitting_with_everyone,
    vote_through,
)
from tests.server.signatures.conftest import Token
from tests.server.signatures.test_api import (  # noqa: F401  (fixtures of this module too)
    _current_file,
    _upload_signed,
    database_url,
    session_id,
    signing_api,
)


def _prepared(api: Api, sitting_id: int) -> list[dict]:
    for _ in range(150):  # the hub's listener prepares it in a worker thread
        found = api.request("clerk", "GET", f"/api/sittings/{sitting_id}/resolutions").json()
        if found:
            return found
        time.sleep(0.1)
    return []


def test_from_the_vote_to_a_signed_published_resolution(
        signing_api: Api, session_id: int, softhsm_token: Token,  # noqa: F811
        demo_certs: testca.DemoCertificates, tmp_path: Path) -> None:
    api = signing_api
    engine = api.client.app.state.engine
    sitting_id, chair = new_sitting_row(engine, "Phiên họp thông qua nghị quyết")
    members = open_sitting_with_everyone(engine, sitting_id, chair)
    item_id, draft = item_with_draft(engine)
    vote_id = vote_through(engine, sitting_id, chair, members, item_id,
                           "Thông qua Nghị quyết điều chỉnh dự toán", close=False)
    closed = api.request("chair", "POST", f"/api/sittings/{sitting_id}/commands",
                         json={"type": "close_vote", "key": key(), "vote_id": vote_id})
    assert closed.status_code == 200, closed.text

    # the resolution, numbered from the register, waits for the chair's signature
    made = _prepared(api, sitting_id)
    assert len(made) == 1 and made[0]["status"] == "awaiting_signature", made
    resolution_id = made[0]["document_id"]
    waiting = api.request("chair", "GET", "/api/resolutions/awaiting-signature").json()
    assert resolution_id in [w["document_id"] for w in waiting]
    title = api.request("clerk", "GET", f"/api/documents/{resolution_id}").json()["title"]
    number = title.removeprefix("Nghị quyết số ").split(":", 1)[0]
    assert number.endswith("/NQ-HĐND"), title

    # the minutes: generated, edited, numbered, finalised, then signed by two signers
    base = f"/api/sittings/{sitting_id}/minutes"
    draft_minutes = api.request("clerk", "POST", f"{base}/draft")
    assert draft_minutes.status_code == 201, draft_minutes.text
    edited = api.request("clerk", "PATCH", f"{base}/draft", json={
        "revision": draft_minutes.json()["revision"],
        "sections": {"conclusions": "Chủ tọa kết luận: giao UBND xã tổ chức thực hiện."}})
    assert edited.status_code == 200, edited.text
    assert api.request("clerk", "POST", f"{base}/number").json()["number"].endswith("/BB-HĐND")
    final = api.request("clerk", "POST", f"{base}/finalise")
    assert final.status_code == 200, final.text
    minutes_id = final.json()["document_id"]
    for user, signer in (("chair", "chair"), ("secretary", "secretary")):
        signed = api.request(user, "POST", f"/api/documents/{minutes_id}/sign",
                             json={"signer": signer})
        assert signed.status_code == 201, signed.text
    assert [s["valid"] for s in signed.json()["signatures"]] == [True, True]
    frozen = api.request("clerk", "PATCH", f"{base}/draft", json={
        "revision": api.request("clerk", "GET", f"{base}/draft").json()["revision"],
        "sections": {"conclusions": "Sửa sau khi ký."}})
    assert frozen.status_code == 409, frozen.text
    assert frozen.json()["message_vi"] == "Biên bản đã được ký số nên không thể sửa nữa."

    # the chair signs the resolution on their own machine with the USB token
    source = tmp_path / "nghi-quyet.pdf"
    source.write_bytes(_current_file(api, resolution_id))
    token_at = (clock.now() - timedelta(minutes=1)).replace(microsecond=0)
    result = subprocess.run(
        [sys.executable, "-m", "server.cli", "sign", str(source), "--pkcs11-lib",
         str(softhsm_token.library), "--token-label", softhsm_token.label, "--key-label",
         softhsm_token.key_label, "--pin", softhsm_token.pin, "--out",
         str(tmp_path / "da-ky.pdf")],
        env={**softhsm_token.env, "HDND_CLOCK": f"frozen:{token_at.isoformat()}"},
        capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    signed_bytes = (tmp_path / "da-ky.pdf").read_bytes()

    # a byte-changed copy is refused with the reason, and nothing is kept
    changed = bytearray(signed_bytes)
    changed[changed.find(b"stream", 200) + 20] ^= 0x01
    refused = _upload_signed(api, resolution_id, bytes(changed), resolution_number=number)
    assert refused.status_code == 422 and refused.json()["code"] == "signature_broken"
    assert "sửa sau khi ký" in refused.json()["message_vi"]

    uploaded = _upload_signed(api, resolution_id, signed_bytes, resolution_number=number)
    assert uploaded.status_code == 201, uploaded.text
    assert uploaded.json()["signatures"][-1]["valid"] is True
    assert api.request("chair", "GET", "/api/resolutions/awaiting-signature").json() == [
        w for w in waiting if w["document_id"] != resolution_id]

    # published: the clerk makes it public; the portal shows who signed, when, valid
    public = api.request("clerk", "PATCH", f"/api/documents/{resolution_id}",
                         json={"confidentiality": "public"})
    assert public.status_code == 200, public.text
    page = api.client.get(f"/phien-hop/{session_id}")
    line = (f"Đã ký số bởi Người ký bằng USB token (thử nghiệm) lúc "
            f"{token_at.astimezone(clock.VN_TZ).strftime('%H:%M ngày %d/%m/%Y')}, hợp lệ")
    assert line in page.text
    assert api.client.get(f"/phien-hop/{session_id}/tai-lieu/{resolution_id}").content == \
        signed_bytes
    # the follow-up tracker holds the resolution under its number, tasks can follow
    tracked = api.request("clerk", "GET", "/api/followup/resolutions").json()
    assert number in [r["number"] for r in tracked]
    # pyHanko's own validator, called directly, agrees with the server
    from io import BytesIO

    from pyhanko.keys import load_cert_from_pemder
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    context = ValidationContext(trust_roots=[load_cert_from_pemder(str(demo_certs.ca_pem))],
                                allow_fetching=False, moment=clock.now(),
                                revocation_mode="soft-fail")
    embedded = PdfFileReader(BytesIO(signed_bytes)).embedded_signatures
    assert len(embedded) == 1
    status = validate_pdf_signature(embedded[0], context)
    assert status.bottom_line and status.intact and status.trusted
