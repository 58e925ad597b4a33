"""`hdnd backup` / `hdnd restore` on both engines: what comes back is the same installation."""

from __future__ import annotations

import hashlib
import json
import tarfile
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from server.demo.calendar import demo_schedule
from tests.server.api.test_documents import make_pdf
from tests.server.operations.conftest import DEMO_PASSWORD, Installation

KEY_FILES = {"secret_key", "pack_signing.key", "at_rest.key"}


def _client(installation: Installation) -> TestClient:
    from server.app import create_app

    return TestClient(create_app(installation.settings))


def _sign_in(client: TestClient, username: str = "clerk") -> dict[str, str]:
    answer = client.post("/api/auth/token", data={"username": username, "password": DEMO_PASSWORD})
    assert answer.status_code == 200, answer.text
    return {"Authorization": f"Bearer {answer.json()['access_token']}"}


def _demo_session(client: TestClient, headers: dict[str, str]) -> int:
    sessions = client.get("/api/sessions", headers=headers).json()
    return next(s["id"] for s in sessions if s["title"] == demo_schedule().session_title)


def _writes(installation: Installation) -> tuple[int, bytes, int]:
    """A clerk uploads a document and publishes a pack (which makes the pack keys)."""
    content = make_pdf(3, "Tờ trình sao lưu — bản gốc")
    with _client(installation) as client:
        headers = _sign_in(client)
        session_id = _demo_session(client, headers)
        uploaded = client.post(f"/api/sessions/{session_id}/documents", headers=headers,
                               data={"title": "Tờ trình sao lưu", "kind": "submission",
                                     "confidentiality": "internal"},
                               files={"file": ("to-trinh.pdf", content, "application/pdf")})
        assert uploaded.status_code == 201, uploaded.text
        built = client.post(f"/api/sessions/{session_id}/packs", headers=headers)
        assert built.status_code == 202, built.text
        client.app.state.engine.dispose()
    return uploaded.json()["id"], content, built.json()["version"]


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def engine_kind(request) -> str:
    return request.param


def test_backup_then_restore_into_an_empty_installation(engine_kind: str, tmp_path: Path,
                                                        new_pg_database) -> None:
    pg = engine_kind == "postgresql"
    source = Installation(tmp_path / "source", new_pg_database() if pg else None)
    source.hdnd("migrate")
    source.hdnd("demo", "--password", DEMO_PASSWORD)
    document_id, content, pack_version = _writes(source)

    made = source.hdnd("backup", str(tmp_path / "backup"))
    assert "backed up to" in made.stdout
    entries = source.audit_entries()  # the backup's own audit entry is in the copy
    manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text())
    assert manifest["engine"] == engine_kind and manifest["audit"]["entries"] == entries
    assert manifest["rows"]["document"] >= 1 and manifest["rows"]["pack_build"] == 1
    for name, part in manifest["parts"].items():
        data = (tmp_path / "backup" / name).read_bytes()
        assert hashlib.sha256(data).hexdigest() == part["sha256"]

    # The keys are kept apart: none in the backup folder, none inside its archive.
    keys = tmp_path / "backup-keys"
    assert {p.name for p in keys.iterdir()} >= KEY_FILES
    assert not KEY_FILES & {p.name for p in (tmp_path / "backup").rglob("*")}
    with tarfile.open(tmp_path / "backup" / "files.tar") as archive:
        names = archive.getnames()
    assert not any(Path(n).name in KEY_FILES or n.startswith("keys") for n in names)
    assert any(n.startswith("documents/") for n in names)
    assert any(n.startswith("packs/blobs/") for n in names)

    target = Installation(tmp_path / "target", new_pg_database() if pg else None)
    restored = target.hdnd("restore", str(tmp_path / "backup"))
    assert f"audit {entries} entries match the backup" in restored.stdout
    # The restore is itself one more audited write, at the end of the same chain.
    assert target.audit_entries() == entries + 1
    for name in KEY_FILES:
        assert (target.data_dir / "keys" / name).read_bytes() == (
            source.data_dir / "keys" / name).read_bytes()

    with _client(target) as client:
        headers = _sign_in(client)
        download = client.get(f"/api/documents/{document_id}/versions/1/file", headers=headers)
        assert download.status_code == 200 and download.content == content
        session_id = _demo_session(client, headers)
        status = client.get(f"/api/sessions/{session_id}/packs/{pack_version}/status",
                            headers=headers)
        assert status.json()["status"] == "published"
        client.app.state.engine.dispose()

    # A second restore onto what is now a full installation is refused, and says how.
    again = target.hdnd("restore", str(tmp_path / "backup"), check=False)
    assert again.returncode == 1 and "--force" in again.stderr
    forced = target.hdnd("restore", "--force", str(tmp_path / "backup"))
    assert "match the backup" in forced.stdout
    assert target.audit_entries() == entries + 1


def test_a_damaged_backup_is_refused_before_anything_is_touched(tmp_path: Path) -> None:
    source = Installation(tmp_path / "source")
    source.hdnd("migrate")
    source.hdnd("council", "add", "Hội đồng nhân dân xã Y Tý", "--slug", "y-ty")
    source.hdnd("user", "add", "clerk1", "clerk", "--password", "mat-khau-dai-12")
    source.hdnd("backup", str(tmp_path / "backup"))
    files = tmp_path / "backup" / "database.sqlite3"
    data = bytearray(files.read_bytes())
    data[len(data) // 2] ^= 0xFF
    files.write_bytes(bytes(data))
    target = Installation(tmp_path / "target")
    refused = target.hdnd("restore", str(tmp_path / "backup"), check=False)
    assert refused.returncode == 1
    assert "database.sqlite3" in refused.stderr and "altered" in refused.stderr
    assert not (target.data_dir / "hdnd.sqlite3").exists()


def test_keys_may_not_go_inside_the_backup(tmp_path: Path) -> None:
    source = Installation(tmp_path / "source")
    source.hdnd("migrate")
    refused = source.hdnd("backup", str(tmp_path / "backup"), "--keys",
                          str(tmp_path / "backup" / "keys"), check=False)
    assert refused.returncode == 1 and "outside the backup folder" in refused.stderr
