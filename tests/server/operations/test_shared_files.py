"""Document and pack files in PostgreSQL large objects: a host that never saw a file
serves it byte for byte, and builds the next pack from blobs another host encrypted."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from server.config import Settings
from tests.server.api.test_documents import make_pdf
from tests.server.operations.conftest import DEMO_PASSWORD

pytestmark = pytest.mark.postgres


def _host(data_dir: Path, url: str) -> Settings:
    return Settings(data_dir=data_dir, database_url=url, secret_key="shared-secret",
                    file_storage="postgres")


def _signed_in(client: TestClient) -> dict[str, str]:
    answer = client.post("/api/auth/token", data={"username": "clerk", "password": DEMO_PASSWORD})
    assert answer.status_code == 200, answer.text
    return {"Authorization": f"Bearer {answer.json()['access_token']}"}


def test_two_hosts_share_documents_and_pack_blobs(tmp_path: Path, new_pg_database) -> None:
    from sqlmodel import Session

    from server.app import create_app
    from server.db import make_engine, migrate
    from server.demo.calendar import demo_schedule
    from server.demo.seed import seed_demo
    from server.packs.publish import _on_this_host, blobs_dir, shared_files

    url = new_pg_database()
    host_a, host_b = _host(tmp_path / "a", url), _host(tmp_path / "b", url)
    migrate(host_a)
    engine = make_engine(host_a)
    with Session(engine) as db:
        seed_demo(db, host_a, DEMO_PASSWORD, long_document_pages=3)
    content = make_pdf(2, "Tờ trình lưu chung — máy A")
    with TestClient(create_app(host_a)) as client:
        headers = _signed_in(client)
        sessions = client.get("/api/sessions", headers=headers).json()
        session_id = next(s["id"] for s in sessions if s["title"] == demo_schedule().session_title)
        uploaded = client.post(f"/api/sessions/{session_id}/documents", headers=headers,
                               data={"title": "Tờ trình lưu chung", "kind": "submission",
                                     "confidentiality": "internal"},
                               files={"file": ("to-trinh.pdf", content, "application/pdf")})
        assert uploaded.status_code == 201, uploaded.text
        first = client.post(f"/api/sessions/{session_id}/packs", headers=headers).json()["version"]
        client.app.state.engine.dispose()

    with engine.connect() as connection:
        stored = dict(connection.execute(text(
            "SELECT key, sha256 FROM stored_file")).all())
        objects = connection.execute(text("SELECT count(*) FROM pg_largeobject_metadata")).scalar()
    blobs_a = sorted(blobs_dir(host_a).glob("*"))
    assert blobs_a and all(f"packs/blobs/{p.name}" in stored for p in blobs_a)
    assert hashlib.sha256(content).hexdigest() in stored.values()
    assert objects == len(stored)

    # Host B: an empty data folder but the keys every host shares (a secret the service
    # manager provides). Everything else it serves comes from the database.
    assert not (tmp_path / "b").exists()
    shutil.copytree(host_a.keys_dir, host_b.keys_dir)
    with TestClient(create_app(host_b)) as client:
        headers = _signed_in(client)
        document_id = uploaded.json()["id"]
        download = client.get(f"/api/documents/{document_id}/versions/1/file", headers=headers)
        assert download.status_code == 200 and download.content == content
        # Host B builds the next version from the blobs host A encrypted, not encrypting anew.
        started = client.post(f"/api/sessions/{session_id}/packs", headers=headers)
        assert started.status_code == 202, started.text
        status = client.get(f"/api/sessions/{session_id}/packs/{started.json()['version']}/status",
                            headers=headers).json()
        assert status["status"] == "published" and started.json()["version"] == first + 1
        client.app.state.engine.dispose()
    blobs_b = sorted(blobs_dir(host_b).glob("*"))
    assert [p.name for p in blobs_b] == [p.name for p in blobs_a]
    assert all(a.read_bytes() == b.read_bytes() for a, b in zip(blobs_a, blobs_b, strict=True))

    # A blob lost from a host's disk comes back from the shared store, checked.
    blobs_b[0].unlink()
    assert _on_this_host(blobs_b[0], shared_files(host_b))
    assert blobs_b[0].read_bytes() == blobs_a[0].read_bytes()
    engine.dispose()
