"""Enrol, publish, sync and open against a real server over loopback, with real crypto."""

from __future__ import annotations

import pytest

from tablet_app.core.client import ServerRefused
from tablet_app.core.enrol import enrol
from tablet_app.core.keystore import KeyStore, ScryptParams
from tablet_app.core.sync import DocumentNotStored, Tablet
from tests.tablet_app.core._pack_server import PIN, LiveServer

FAST = ScryptParams(log2_n=8)


def enrolled(live: LiveServer, username: str, folder) -> Tablet:
    return enrol(live.url, live.issue_code(username), f"Máy tính bảng {username}", PIN, folder,
                 platform="test", params=FAST, max_attempts=3)


def test_sync_then_open_gives_the_exact_pdf_bytes(live: LiveServer, tmp_path) -> None:
    tablet = enrolled(live, "delegate01", tmp_path / "tablet")
    version = live.publish()
    result = tablet.sync(live.session_id)
    assert result.pack_version == version and result.acknowledged
    stored = tablet.list_stored()
    assert {d.document_id for d in stored} == {str(d["id"]) for d in live.documents()}
    for document in stored:
        assert bytes(tablet.open_document(document.document_id)) == live.plaintext(
            int(document.document_id))
    # Nothing but ciphertext reached the disk.
    for path in (tmp_path / "tablet").rglob("*"):
        if path.is_file():
            assert b"%PDF-" not in path.read_bytes()
    readiness = live.call("GET", f"/api/sessions/{live.session_id}/readiness").json()
    row = next(r for r in readiness["rows"] if r["device_id"] == int(tablet.device_id))
    assert row["pack_version"] == version and row["ready"]


def test_restricted_document_reaches_only_granted_delegates(live: LiveServer, tmp_path) -> None:
    granted = enrolled(live, "delegate01", tmp_path / "granted")
    other = enrolled(live, "delegate04", tmp_path / "other")
    live.publish()
    restricted = str(live.restricted_document())
    granted.sync(live.session_id)
    result = other.sync(live.session_id)
    assert restricted in result.not_entitled
    manifest = other.visible_manifest(live.session_id)
    assert manifest is not None and manifest.grant_for(other.device_id, restricted) is None
    assert bytes(granted.open_document(restricted)) == live.plaintext(int(restricted))
    with pytest.raises(DocumentNotStored):
        other.open_document(restricted)
    with pytest.raises(ServerRefused) as refused, other.client.blob(restricted, 1):
        pass
    assert refused.value.status == 403 and refused.value.code == "pack_blob_not_granted"


def test_reused_code_is_refused_and_leaves_no_store(live: LiveServer, tmp_path) -> None:
    code = live.issue_code("delegate02")
    enrol(live.url, code, "Máy 1", PIN, tmp_path / "first", params=FAST)
    with pytest.raises(ServerRefused) as refused:
        enrol(live.url, code, "Máy 2", PIN, tmp_path / "second", params=FAST)
    assert refused.value.code == "enrolment_code_used"
    assert "một lần" in refused.value.message_vi
    assert not KeyStore.exists(tmp_path / "second")
