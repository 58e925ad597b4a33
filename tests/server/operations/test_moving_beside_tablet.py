"""A delegate's tablet, enrolled at the commune, keeps working after the commune moves into
the province's deployment beside other councils: no new enrolment, its notes kept on the
same documents under their new numbers, the documents synced again and readable."""

from __future__ import annotations

import secrets
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlmodel import Session

from server.demo.calendar import demo_schedule
from server.models import Account, CouncilSession
from shared.crypto.encoding import b64url_decode, b64url_encode
from tablet_app.core.annotation_backup import fetch_and_restore, seal_backup, upload_backup
from tablet_app.core.annotation_store import KEY_NAME, AnnotationStore
from tablet_app.core.annotations import Note
from tablet_app.core.enrol import enrol
from tablet_app.core.my_record import RECORD_KEY
from tablet_app.core.server_address import change_server
from tablet_app.core.settings import AppSettings
from tablet_app.core.sync import Tablet
from tests.server.operations.conftest import Installation, RunningServer, publish_pack

PIN = "246810"
NOTE = "Hỏi lại nguồn vốn làm đường Sín Chải"
LAST_PAGE = 4
PHRASE = "mùa lúa chín ở Y Tý"


def _person_of(server: RunningServer, username: str) -> int:
    with Session(server.app.state.engine) as db:
        return int(db.exec(select(Account.person_id).where(Account.username == username)).one()[0])


def _demo_session(server: RunningServer, username: str) -> int:
    sessions = server.call("GET", "/api/sessions", username).json()
    return next(s["id"] for s in sessions if s["title"] == demo_schedule().session_title)


def _annotate(folder: Path, doc_id: str, version: int) -> None:
    """What the reader screen does: a layer key made once, sealed in the key store."""
    with Tablet.open(folder, PIN) as tablet:
        key = secrets.token_bytes(32)
        tablet.keystore.set_value(KEY_NAME, b64url_encode(key))
        tablet.keystore.save()
    with AnnotationStore(folder, key).open(doc_id, version) as journal:
        journal.layer.add(Note(page=0, point=(80, 90), text=NOTE))


def _notes(folder: Path, doc_id: str, version: int) -> list[str]:
    with Tablet.open(folder, PIN) as tablet:
        key = b64url_decode(tablet.keystore.value(KEY_NAME) or "")
    store = AnnotationStore(folder, key)
    if not store.has(doc_id, version):
        return []
    with store.open(doc_id, version) as journal:
        return [m.text for m in journal.layer.marks() if isinstance(m, Note)]


def _back_up(folder: Path) -> None:
    with Tablet.open(folder, PIN) as tablet:
        key = b64url_decode(tablet.keystore.value(KEY_NAME) or "")
        upload_backup(tablet.client, seal_backup(AnnotationStore(folder, key), PHRASE))


def _restored(folder: Path) -> int:
    """Settings → "Khôi phục" on a new tablet: a layer key of its own, the phrase typed."""
    with Tablet.open(folder, PIN) as tablet:
        key = secrets.token_bytes(32)
        tablet.keystore.set_value(KEY_NAME, b64url_encode(key))
        tablet.keystore.save()
        return fetch_and_restore(tablet.client, AnnotationStore(folder, key), PHRASE)


def _read_and_kept(folder: Path, session_id: int, doc: str, version: int) -> None:
    """What the app keeps by number: the session chosen, the page reached, a copy of the
    delegate's record for reading offline."""
    settings = AppSettings(sessions=[str(session_id)], seen_versions={doc: version})
    settings.remember_page(doc, version, LAST_PAGE)
    settings.save(folder)
    with Tablet.open(folder, PIN) as tablet:
        tablet.keystore.set_value(RECORD_KEY, '{"data": {"person_id": 3}}')
        tablet.keystore.save()


@pytest.mark.postgres
def test_a_tablet_of_the_moved_commune_carries_on_without_enrolling_again(
        tmp_path: Path, new_pg_database) -> None:
    commune = Installation(tmp_path / "commune")
    commune.hdnd("migrate")
    commune.hdnd("demo", "--password", "demo-pass")
    for slug in ("y-ty", "lao-cai", "ban-xeo", "a-mu-sung"):  # as the refusal asks
        commune.hdnd("council", "set", slug, "--slug", f"{slug}-moi")
    folder = tmp_path / "tablet"

    server = RunningServer(commune)
    try:
        session_id = _demo_session(server, "clerk")
        code = server.call("POST", "/api/devices/enrolment-codes",
                           json={"person_id": _person_of(server, "delegate03")}).json()["code"]
        enrol(server.url, code, "Máy 03", PIN, folder).close()
        publish_pack(server, session_id)
        with Tablet.open(folder, PIN) as tablet:
            old_device = tablet.device_id
            tablet.sync(session_id)
            held = tablet.list_stored()
        assert held, "the delegate has documents"
        doc, version, title = held[0].document_id, held[0].version, held[0].title
        _annotate(folder, doc, version)
        _read_and_kept(folder, session_id, doc, version)
        _back_up(folder)  # Settings → "Sao lưu", before anyone speaks of a move
    finally:
        server.stop()
    commune.hdnd("export", str(tmp_path / "y-ty.tar"))

    province = Installation(tmp_path / "province", new_pg_database())
    province.hdnd("migrate")
    province.hdnd("demo", "--password", "demo-pass")
    server = RunningServer(province)
    try:  # the province's own Y Tý has a tablet too: it holds the moved tablet's old id
        code = server.call("POST", "/api/devices/enrolment-codes",
                           json={"person_id": _person_of(server, "delegate03")}).json()["code"]
        enrol(server.url, code, "Máy tỉnh", PIN, tmp_path / "theirs").close()
    finally:
        server.stop()
    province.hdnd("import", str(tmp_path / "y-ty.tar"), "--account-suffix", ".moi")

    server = RunningServer(province)
    try:
        new_session = _demo_session(server, "clerk.moi")
        assert new_session != session_id  # renumbered past the province's own sessions
        with Session(server.app.state.engine) as db:
            assert db.get(CouncilSession, session_id).title == demo_schedule().session_title
        from server.services.document_record import published_ids

        with Session(server.app.state.engine) as db:  # the old pack's signed list, read today
            had = published_ids(db, new_session)
        assert had and all(d > int(doc) for d in had)
        publish_pack(server, new_session, "clerk.moi")  # encrypted under the new ids
        with Tablet.open(folder, PIN) as tablet:
            # the new address typed in Settings; its first request is told the new numbers
            offered = change_server(tablet, server.url)
            assert new_session in [int(s.session_id) for s in offered]
            assert tablet.device_id != old_device  # its old id is the province's tablet
            tablet.sync(new_session)
            moved = {d.title: d for d in tablet.list_stored()}
            assert title in moved
            new_doc = moved[title].document_id
            assert new_doc != doc
            assert bytes(tablet.open_document(new_doc)).startswith(b"%PDF")
        assert _notes(folder, new_doc, version) == [NOTE]  # the delegate's note came along
        assert _notes(folder, doc, version) == []  # nothing left under the old number
        settings = AppSettings.load(folder)  # the reader opens where the delegate stopped
        assert settings.sessions == [str(new_session)]
        assert settings.last_page(new_doc, version) == LAST_PAGE
        assert settings.last_page(doc, version) == 0
        assert settings.seen_versions == {new_doc: version}
        with Tablet.open(folder, PIN) as tablet:  # copies naming old ids are let go
            assert tablet.keystore.value(RECORD_KEY) is None
        # the tablet is lost; its replacement restores the backup made before the move
        code = server.call("POST", "/api/devices/enrolment-codes", "clerk.moi", json={
            "person_id": _person_of(server, "delegate03.moi")}).json()["code"]
        replacement = tmp_path / "replacement"
        enrol(server.url, code, "Máy 03 thay thế", PIN, replacement).close()
        assert _restored(replacement) == 1
        assert _notes(replacement, new_doc, version) == [NOTE]
        assert _notes(replacement, doc, version) == []
        with Tablet.open(folder, PIN) as tablet:  # the address and the numbers are kept
            assert new_session in [int(s.session_id) for s in tablet.available_sessions()]
        with Tablet.open(tmp_path / "theirs", PIN, server_url=server.url) as theirs:
            theirs.available_sessions()  # the province's own tablet is not disturbed
    finally:
        server.stop()
