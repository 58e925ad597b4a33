"""The tablet's side of questioning: the tablet library's own client, signing
each request with the device key, registers a question and reads back its place, and
later the written answer; only the device's owner's questions come back."""

from __future__ import annotations

import pytest

from tablet_app.core.client import ServerRefused, TabletClient
from tests.server.packs.test_devices_api import enrol


def _client(api, username: str) -> TabletClient:
    tablet = enrol(api, username)
    return TabletClient("http://testserver", tablet.device_id, tablet.signing,
                        transport=api.client._transport)  # the app in-process


def test_the_tablet_registers_and_reads_its_owners_questions(api, demo_session_id):
    with _client(api, "delegate09") as mine, _client(api, "delegate11") as other, \
            _client(api, "official2") as official:
        made = mine.register_question(demo_session_id, to_whom="Chủ tịch UBND xã",
                                      topic="Chợ phiên Y Tý",
                                      text="Khi nào chợ phiên có mái che?")
        assert made["status"] == "registered" and made["place"] >= 1
        listed = mine.my_questions(demo_session_id)
        assert [(q["id"], q["place"]) for q in listed if q["topic"] == "Chợ phiên Y Tý"] \
            == [(made["id"], made["place"])]
        assert all(q["topic"] != "Chợ phiên Y Tý" for q in other.my_questions(demo_session_id))
        with pytest.raises(ServerRefused) as refused:
            official.register_question(demo_session_id, to_whom="x", topic="x", text="x")
        assert refused.value.status == 403


def test_the_published_programme_is_in_the_next_agenda_pack(api, demo_session_id):
    from shared.pack.manifest import verify_manifest
    from tests.server.packs.test_devices_api import enrol as enrol_device

    device = enrol_device(api, "delegate12")
    published = api.request("clerk", "POST",
                            f"/api/sessions/{demo_session_id}/questions/programme")
    assert published.status_code == 200, published.text
    started = api.request("clerk", "POST", f"/api/sessions/{demo_session_id}/packs")
    assert started.status_code == 202, started.text
    status = api.request("clerk", "GET", f"/api/sessions/{demo_session_id}/packs/"
                         f"{started.json()['version']}/status").json()
    assert status["status"] == "published", status.get("error")
    raw = api.client.get(f"/api/sessions/{demo_session_id}/packs/latest/manifest",
                         auth=device.auth())
    manifest = verify_manifest(raw.content, device.server_key, None, device.device_id,
                               session_id=str(demo_session_id))
    programme = [d for d in manifest.documents if d.title == "Chương trình chất vấn"]
    assert len(programme) == 1
    assert programme[0].id == str(published.json()["document_id"])
