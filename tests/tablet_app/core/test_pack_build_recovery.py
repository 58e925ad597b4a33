"""A pack build killed half-way (its process dies, as in a power cut) blocks nothing and
loses nothing: the next build starts at once, and what was published stays readable."""

from __future__ import annotations

import select
import subprocess
import sys
from pathlib import Path

from sqlmodel import Session
from sqlmodel import select as sql_select

from server.models.devices import PackDocument
from server.packs.build_lock import building_dir
from shared.pack.manifest import verify_manifest
from tablet_app.core.enrol import enrol
from tablet_app.core.keystore import ScryptParams
from tablet_app.core.sync import Tablet
from tests.tablet_app.core._pack_server import PIN, LiveServer, noisy_pdf

FAST = ScryptParams(log2_n=8)
ROOT = Path(__file__).resolve().parents[3]


def enrolled(live: LiveServer, folder: Path) -> Tablet:
    return enrol(live.url, live.issue_code("delegate01"), "Máy tính bảng", PIN, folder,
                 platform="test", params=FAST)


def kill_mid_build(live: LiveServer) -> tuple[int, str, subprocess.Popen[bytes]]:
    """Revise both big documents, start a build in another process and stop it dead once
    it has finished the first of them. Returns (build id, finished document, process)."""
    for doc in live.big_documents():
        live.revise(doc, noisy_pdf(f"bản sửa {doc}", 2.5))
    child = subprocess.Popen(
        [sys.executable, "-m", "tests.tablet_app.core._crashing_build", str(live.data_dir),
         str(live.session_id)], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    ready, _, _ = select.select([child.stdout], [], [], 60)
    assert ready, "the build did not reach its first document"
    line = child.stdout.readline().decode().split()  # type: ignore[union-attr]
    assert line[:1] == ["stalled"], child.stderr.read().decode()  # type: ignore[union-attr]
    return int(line[1]), line[2], child


def status(live: LiveServer, version: int) -> dict:
    return live.call("GET", f"/api/sessions/{live.session_id}/packs/{version}/status").json()


def opened(tablet: Tablet) -> dict[str, bytes]:
    return {d.document_id: bytes(tablet.open_document(d.document_id))
            for d in tablet.list_stored()}


def test_restart_recovers_a_killed_build_and_keeps_what_was_published(live: LiveServer,
                                                                      tmp_path: Path) -> None:
    tablet = enrolled(live, tmp_path / "tablet")
    first = live.publish()
    tablet.sync(live.session_id)
    before = opened(tablet)

    build_id, finished, child = kill_mid_build(live)
    busy = live.call("POST", f"/api/sessions/{live.session_id}/packs")
    assert busy.status_code == 409 and busy.json()["code"] == "pack_build_running"
    child.kill()
    child.wait(timeout=10)
    work = building_dir(live.settings) / str(build_id)
    assert list(work.glob("*.part")), "a crash mid-build leaves unfinished files"
    assert status(live, first + 1)["status"] == "building"  # nobody has noticed yet
    with Session(live.engine) as db:
        kept = db.exec(sql_select(PackDocument).where(
            PackDocument.document_id == int(finished))).all()
        kept_sha = max(kept, key=lambda row: row.version).sha256

    live.restart()  # the server starts again after the crash

    interrupted = status(live, first + 1)
    assert interrupted["status"] == "failed"
    assert interrupted["error"].startswith("pack_build_interrupted")
    assert "Máy chủ đã dừng" in interrupted["error"]
    assert not work.exists() and not list(building_dir(live.settings).iterdir())
    # Nothing published was lost: the same version, nothing to fetch, every text opens.
    again = tablet.sync(live.session_id)
    assert again.pack_version == first and again.bytes_downloaded == 0
    assert opened(tablet) == before
    actions = [e["action"] for e in live.call("GET", "/api/audit", "admin").json()]
    assert "pack.build_interrupted" in actions

    # The next build starts at once and reuses the document the dead build had finished.
    latest = live.publish()
    assert latest == first + 2
    result = tablet.sync(live.session_id)
    assert result.pack_version == latest
    manifest = tablet.visible_manifest(live.session_id)
    assert manifest is not None
    assert manifest.document(finished).ciphertext_sha256 == kept_sha  # type: ignore[union-attr]
    for doc in live.big_documents():
        assert bytes(tablet.open_document(doc)) == live.plaintext(doc)


def test_the_next_build_works_at_once_without_a_restart(live: LiveServer, tmp_path: Path) -> None:
    """Another worker of the same server (or this one) asks for a build right after the
    builder died: the dead build's lock is free, so it is recovered on the spot."""
    tablet = enrolled(live, tmp_path / "tablet")
    first = live.publish()
    build_id, _, child = kill_mid_build(live)
    child.kill()
    child.wait(timeout=10)
    latest = live.publish()
    assert latest == first + 2
    assert status(live, first + 1)["status"] == "failed"
    assert not (building_dir(live.settings) / str(build_id)).exists()
    result = tablet.sync(live.session_id)
    assert result.pack_version == latest
    manifest = verify_manifest(tablet.store.manifest_bytes(str(live.session_id), latest),
                               tablet.pinned_key, None, tablet.device_id)
    for doc in live.big_documents():
        entry = manifest.document(str(doc))
        assert entry is not None and entry.version == 2
        assert bytes(tablet.open_document(doc)) == live.plaintext(doc)
