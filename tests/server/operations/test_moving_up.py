"""`hdnd export` / `hdnd import`: a commune on SQLite moves onto PostgreSQL and its tablets
keep working without being enrolled again."""

from __future__ import annotations

import json
import shutil
import tarfile
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select, text
from typer.testing import CliRunner

from server.demo.calendar import demo_schedule
from tablet_app.core.cli import app as tablet_cli
from tests.server.operations.conftest import DEMO_PASSWORD, Installation, RunningServer, publish_pack

PIN = "246810"


def _tablet(env: dict[str, str], *args: str) -> dict:
    result = CliRunner().invoke(tablet_cli, [*args, "--json"], env=env)
    assert result.exit_code == 0, result.output
    return json.loads(result.output.strip().splitlines()[-1])


def _stored_keys(url: str) -> set[str]:
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://"))
    with engine.connect() as connection:
        keys = {row[0] for row in connection.execute(text("SELECT key FROM stored_file"))}
    engine.dispose()
    return keys


def _audit_hashes(url: str) -> list[str]:
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://"))
    with engine.connect() as connection:
        hashes = [row[0] for row in connection.execute(text("SELECT hash FROM auditentry ORDER BY id"))]
    engine.dispose()
    return hashes


@pytest.mark.postgres
def test_a_commune_moves_from_sqlite_to_postgresql(tmp_path: Path, new_pg_database) -> None:
    commune = Installation(tmp_path / "commune")
    commune.hdnd("migrate")
    commune.hdnd("demo", "--password", DEMO_PASSWORD)

    tablet_env = {"HDND_TABLET_DIR": str(tmp_path / "tablet"), "HDND_TABLET_PIN": PIN}
    server = RunningServer(commune)
    try:
        sessions = server.call("GET", "/api/sessions").json()
        session_id = next(s["id"] for s in sessions if s["title"] == demo_schedule().session_title)
        from sqlmodel import Session

        from server.models import Account

        with Session(server.app.state.engine) as db:
            person_id = db.exec(select(Account.person_id).where(
                Account.username == "delegate03")).one()[0]
        code = server.call("POST", "/api/devices/enrolment-codes", json={"person_id": person_id})
        assert code.status_code == 201, code.text
        enrolled = CliRunner().invoke(tablet_cli, ["enrol", "--server", server.url, "--code",
                                                   code.json()["code"], "--label", "Máy 03"],
                                      env=tablet_env)
        assert enrolled.exit_code == 0, enrolled.output
        first = publish_pack(server, session_id)
        synced = _tablet(tablet_env, "sync", "--session", str(session_id))
        assert synced["pack_version"] == first and synced["bytes_downloaded"] > 0
    finally:
        server.stop()
    commune_hashes = _audit_hashes(f"sqlite:///{commune.data_dir / 'hdnd.sqlite3'}")

    exported = commune.hdnd("export", str(tmp_path / "y-ty.tar"))
    assert "exported" in exported.stdout
    with tarfile.open(tmp_path / "y-ty.tar") as archive:
        manifest = json.load(archive.extractfile("manifest.json"))
        assert not any("key" in Path(n).name for n in archive.getnames())
    assert manifest["rows"]["device"] == 1 and manifest["rows"]["pack_build"] == first

    # The province keeps files in the database (shared by its app hosts).
    province = Installation(tmp_path / "province", new_pg_database(), file_storage="postgres")
    imported = province.hdnd("import", str(tmp_path / "y-ty.tar"))
    assert "imported" in imported.stdout
    stored = _stored_keys(province.database_url)
    assert {f"documents/{p.stem}" for p in (commune.data_dir / "documents").glob("??/*.pdf")} \
        <= stored
    assert {f"packs/blobs/{p.name}" for p in (commune.data_dir / "packs" / "blobs").iterdir()} \
        <= stored
    shutil.rmtree(province.data_dir / "documents")  # this host's cache; the database has them
    shutil.rmtree(province.data_dir / "packs")

    # Every table holds what the commune held; the chain is the same chain, one entry longer
    # (the export and then the import are themselves recorded).
    from server.operations.parts import row_counts

    engine = create_engine(province.database_url.replace("postgresql://", "postgresql+psycopg://"))
    counts = row_counts(engine)
    engine.dispose()
    expected = {**manifest["rows"], "auditentry": manifest["rows"]["auditentry"] + 1}
    assert counts == expected
    assert _audit_hashes(province.database_url)[:len(commune_hashes)] == commune_hashes
    assert province.audit_entries() == manifest["audit"]["entries"] + 1

    # The tablet enrolled on the commune's server talks to the province's as it is.
    server = RunningServer(province)
    try:
        again = _tablet(tablet_env, "sync", "--session", str(session_id), "--server", server.url)
        assert again["pack_version"] == first and again["bytes_downloaded"] == 0
        second = publish_pack(server, session_id)  # new rows get ids after the copied ones
        assert second == first + 1
        newer = _tablet(tablet_env, "sync", "--session", str(session_id), "--server", server.url)
        assert newer["pack_version"] == second
        listed = CliRunner().invoke(tablet_cli, ["list"], env=tablet_env)
        titles = [d["title"] for d in
                  server.call("GET", f"/api/sessions/{session_id}/documents").json()]
        assert listed.exit_code == 0 and titles
        assert all(title in listed.output for title in titles)  # opened with the moved keys
    finally:
        server.stop()

    # A second commune cannot be imported into a deployment that already holds councils:
    # refused in words, with the way that works (docs/operations.md)
    again = province.hdnd("import", str(tmp_path / "y-ty.tar"), check=False)
    assert again.returncode != 0 and "hdnd council set" in again.stderr
