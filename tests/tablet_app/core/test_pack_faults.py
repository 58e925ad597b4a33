"""Bad input and faults: each gives a clear error and loses nothing already stored."""

from __future__ import annotations

import pytest
from sqlmodel import Session, col, select

from server.models.devices import PackBuild, PackStatus
from server.packs.publish import blobs_dir
from shared.crypto.chunked import CHUNK_SIZE, HEADER_SIZE, TAG_SIZE
from shared.crypto.errors import DocumentIntegrityError, TamperedChunk
from shared.pack.builder import ciphertext_path
from shared.pack.errors import ManifestRolledBack, ManifestSignatureInvalid
from tablet_app.core.client import DeviceRevoked
from tablet_app.core.keystore import KeyStore, StoreWiped, WrongPin
from tablet_app.core.sync import DeviceWiped, SyncProgress, Tablet
from tests.tablet_app.core._pack_server import PIN, LiveServer, noisy_pdf
from tests.tablet_app.core.test_pack_sync import enrolled


class CutHere(Exception):
    """Raised from the progress callback: the tablet stops reading mid-transfer."""


def synced(live: LiveServer, tmp_path, username: str = "delegate01") -> Tablet:
    tablet = enrolled(live, username, tmp_path / username)
    live.publish()
    tablet.sync(live.session_id)
    return tablet


def opens_everything(live: LiveServer, tablet: Tablet) -> dict[str, bytes]:
    return {d.document_id: bytes(tablet.open_document(d.document_id))
            for d in tablet.list_stored()}


def server_blob(live: LiveServer, doc_id: int, version: int):
    return ciphertext_path(blobs_dir(live.settings), str(doc_id), version)


def test_revising_one_document_moves_only_that_document(live: LiveServer, tmp_path) -> None:
    tablet = synced(live, tmp_path)
    small = next(d["id"] for d in live.documents() if d["confidentiality"] == "internal"
                 and d["id"] not in live.big_documents())
    live.revise(small, noisy_pdf("bản sửa", 0.05))
    version = live.publish()
    result = tablet.sync(live.session_id)
    manifest = tablet.visible_manifest(live.session_id)
    assert manifest is not None and manifest.pack_version == version
    assert result.downloaded == (str(small),)
    assert result.bytes_downloaded == manifest.document(str(small)).ciphertext_size
    assert bytes(tablet.open_document(small)) == live.plaintext(small)
    assert len({ref[0] for ref in tablet.store.held_refs()}) == len(tablet.store.held_refs())


def test_cut_download_resumes_with_range_and_keeps_the_old_version(live: LiveServer,
                                                                   tmp_path) -> None:
    tablet = synced(live, tmp_path)
    big = live.big_documents()[0]
    before = bytes(tablet.open_document(big))
    live.revise(big, noisy_pdf("bản sửa lớn", 2.5))
    live.publish()

    def stop_half_way(progress: SyncProgress) -> None:
        if progress.phase == "download" and progress.bytes_done > progress.bytes_total // 2:
            raise CutHere()

    with pytest.raises(CutHere):
        tablet.sync(live.session_id, progress=stop_half_way)
    # The previous complete version is still what the reader sees.
    assert bytes(tablet.open_document(big)) == before
    partial = next(tablet.store.partials.iterdir())
    on_disk = partial.stat().st_size
    assert HEADER_SIZE < on_disk < 3 * CHUNK_SIZE
    result = tablet.sync(live.session_id)
    size = tablet.visible_manifest(live.session_id).document(str(big)).ciphertext_size
    assert result.bytes_downloaded == size - on_disk  # only the rest came over the wire
    assert bytes(tablet.open_document(big)) == live.plaintext(big)
    assert not any(tablet.store.partials.iterdir())


def test_server_restart_mid_download_resumes_and_finishes(live: LiveServer, tmp_path) -> None:
    tablet = enrolled(live, "delegate01", tmp_path / "tablet")
    live.publish()
    restarted = []

    def restart_half_way(progress: SyncProgress) -> None:
        if not restarted and progress.document_id is not None and progress.bytes_done > (
                3 << 20):
            restarted.append(progress.bytes_done)
            live.restart()  # the connection in flight dies with the old server

    result = tablet.sync(live.session_id, progress=restart_half_way)
    assert restarted
    total = sum(d.ciphertext_size for d in tablet.visible_manifest(live.session_id).documents
                if d.id not in result.not_entitled)
    assert result.bytes_downloaded == total  # resumed, nothing fetched twice
    for doc_id, content in opens_everything(live, tablet).items():
        assert content == live.plaintext(int(doc_id))


def test_tampered_manifest_is_refused_and_nothing_is_lost(live: LiveServer, tmp_path) -> None:
    tablet = synced(live, tmp_path)
    before = opens_everything(live, tablet)
    live.publish()
    with Session(live.engine) as db:
        build = db.exec(select(PackBuild).order_by(col(PackBuild.id).desc())).first()
        build.manifest = build.manifest.replace("Báo cáo", "Bao cao", 1)
        db.add(build)
        db.commit()
    with pytest.raises(ManifestSignatureInvalid) as refused:
        tablet.sync(live.session_id)
    assert refused.value.code == "manifest_signature_invalid"
    assert opens_everything(live, tablet) == before
    assert tablet.held_version(live.session_id) == 1


def test_manifest_replayed_from_an_older_version_is_refused(live: LiveServer, tmp_path) -> None:
    tablet = synced(live, tmp_path)
    live.revise(live.big_documents()[1], noisy_pdf("bản sửa", 0.1))
    assert live.publish() == 2
    tablet.sync(live.session_id)
    after = opens_everything(live, tablet)
    with Session(live.engine) as db:  # the server (or a man in the middle) serves version 1
        newest = db.exec(select(PackBuild).where(PackBuild.version == 2)).one()
        newest.status = PackStatus.failed
        db.add(newest)
        db.commit()
    with pytest.raises(ManifestRolledBack) as refused:
        tablet.sync(live.session_id)
    assert refused.value.extra == {"held": 2, "offered": 1}
    assert opens_everything(live, tablet) == after


def test_tampered_chunk_on_the_server_is_caught_and_cut_off(live: LiveServer, tmp_path) -> None:
    tablet = synced(live, tmp_path)
    big = live.big_documents()[0]
    before = bytes(tablet.open_document(big))
    live.revise(big, noisy_pdf("bản sửa lớn", 2.5))
    live.publish()
    path = server_blob(live, big, 2)
    data = bytearray(path.read_bytes())
    data[HEADER_SIZE + CHUNK_SIZE + TAG_SIZE + 1000] ^= 0x01  # a bit in chunk 1
    path.write_bytes(bytes(data))
    with pytest.raises(TamperedChunk) as refused:
        tablet.sync(live.session_id)
    assert refused.value.code == "document_chunk_tampered"
    assert bytes(tablet.open_document(big)) == before
    # Only the verified chunk 0 is kept for the next attempt.
    partial = next(tablet.store.partials.iterdir())
    assert partial.stat().st_size == HEADER_SIZE + CHUNK_SIZE + TAG_SIZE


def test_a_chunk_from_another_document_is_refused(live: LiveServer, tmp_path) -> None:
    tablet = synced(live, tmp_path)
    first, second = live.big_documents()
    before = bytes(tablet.open_document(first))
    live.revise(first, noisy_pdf("bản sửa lớn", 2.5))
    live.publish()
    target, donor = server_blob(live, first, 2), server_blob(live, second, 1)
    start, length = HEADER_SIZE + CHUNK_SIZE + TAG_SIZE, CHUNK_SIZE + TAG_SIZE
    spliced = bytearray(target.read_bytes())
    spliced[start:start + length] = donor.read_bytes()[start:start + length]
    target.write_bytes(bytes(spliced))
    with pytest.raises(DocumentIntegrityError) as refused:
        tablet.sync(live.session_id)
    assert refused.value.code == "document_chunk_tampered"
    assert bytes(tablet.open_document(first)) == before


def test_wrong_pins_are_counted_and_the_limit_wipes(live: LiveServer, tmp_path) -> None:
    tablet = synced(live, tmp_path)
    folder = tablet.store.folder
    tablet.close()
    with pytest.raises(WrongPin) as wrong:
        Tablet.open(folder, "000000")
    assert wrong.value.attempts_left == 2
    reopened = Tablet.open(folder, PIN)  # the right PIN resets the count
    assert reopened.list_stored()
    for left in (2, 1):
        with pytest.raises(WrongPin) as wrong:
            Tablet.open(folder, "999999")
        assert wrong.value.attempts_left == left
    with pytest.raises(StoreWiped):
        Tablet.open(folder, "999999")
    assert KeyStore.wiped_reason(folder) == "pin"
    assert not (folder / "packs").exists()


def test_revoked_device_is_refused_and_keeps_what_it_had(live: LiveServer, tmp_path) -> None:
    tablet = synced(live, tmp_path)
    before = opens_everything(live, tablet)
    assert live.call("POST", f"/api/devices/{tablet.device_id}/revoke").status_code == 200
    with pytest.raises(DeviceRevoked) as refused:
        tablet.sync(live.session_id)
    assert refused.value.status == 403 and refused.value.code == "device_revoked"
    assert not refused.value.wipe_ordered
    assert opens_everything(live, tablet) == before
    live.publish()
    with Session(live.engine) as db:
        newest = db.exec(select(PackBuild).order_by(col(PackBuild.id).desc())).first()
        assert f'"device_id":"{tablet.device_id}"' not in newest.manifest  # no key, no listing


def test_wipe_order_is_carried_out_and_acknowledged(live: LiveServer, tmp_path) -> None:
    tablet = synced(live, tmp_path)
    folder = tablet.store.folder
    assert live.call("POST", f"/api/devices/{tablet.device_id}/wipe").status_code == 200
    with pytest.raises(DeviceWiped):
        tablet.sync(live.session_id)
    assert KeyStore.wiped_reason(folder) == "remote"
    assert not KeyStore.exists(folder) and not (folder / "packs").exists()
    devices = live.call("GET", "/api/devices").json()
    record = next(d for d in devices if str(d["id"]) == tablet.device_id)
    assert record["wipe_acknowledged_at"] is not None
    actions = {e["action"] for e in live.call("GET", "/api/audit", "admin").json()}
    assert {"device.wipe_ordered", "device.wipe_acknowledged"} <= actions


def test_lost_at_rest_key_re_encrypts_instead_of_failing(live: LiveServer, tmp_path) -> None:
    from server.packs import keys

    tablet = synced(live, tmp_path)
    key_file = live.settings.keys_dir / keys.AT_REST_KEY_FILE
    key_file.unlink()  # the at-rest key is gone (a restore without it, a new volume)
    keys.at_rest_key.cache_clear()
    live.restart()
    live.publish()
    result = tablet.sync(live.session_id)
    assert len(result.downloaded) == len(live.documents())  # new files, new keys
    for doc_id, content in opens_everything(live, tablet).items():
        assert content == live.plaintext(int(doc_id))
    assert key_file.stat().st_mode & 0o777 == 0o600
