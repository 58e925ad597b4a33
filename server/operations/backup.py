"""``hdnd backup`` / ``hdnd restore``: a consistent copy of one installation, checked on return.

A backup is a directory:

- ``database.sqlite3`` (SQLite's online backup API: a consistent snapshot even while the
  server writes, WAL included) or ``database.pgdump`` (``pg_dump -Fc`` run on a snapshot
  exported from the same transaction that counted the rows, so counts and dump agree);
- ``files.tar``: documents, pack blobs, annotation backups;
- ``manifest.json``: engine, schema revision, rows per table, audit entries and head hash,
  SHA-256 and size of every part, and the SHA-256 of each key file (not the keys).

The key files go to a second directory (default ``<backup>-keys``), never into the backup
itself. A restore checks every hash first, refuses an installation that holds anything
unless ``--force``, then compares the restored rows and audit chain with the manifest.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine
from sqlmodel import Session

from server.config import Settings
from server.db import current_revision, make_engine
from server.errors import BackupRefused
from server.operations import parts
from server.services import audit
from server.tenancy import rls

FORMAT = "hdnd-backup/1"
SQLITE_PART = "database.sqlite3"
PG_PART = "database.pgdump"


@dataclass(frozen=True)
class BackupResult:
    folder: Path
    keys_folder: Path
    manifest: dict


def default_keys_folder(folder: Path) -> Path:
    return folder.with_name(folder.name + "-keys")


def libpq_url(url: str) -> str:
    """The SQLAlchemy URL as pg_dump/pg_restore understand it."""
    return "postgresql://" + url.split("://", 1)[1] if url.startswith("postgresql+") else url


def _fresh_folder(folder: Path) -> None:
    if folder.exists() and any(folder.iterdir()):
        raise BackupRefused(f"Thư mục {folder} không trống.", f"The folder {folder} is not empty.")
    folder.mkdir(parents=True, exist_ok=True)
    os.chmod(folder, 0o700)


def _need_tool(name: str) -> str:
    found = shutil.which(name)
    if not found:
        raise BackupRefused(f"Cần cài {name} (gói postgresql-client).",
                            f"{name} is needed (Debian package postgresql-client).")
    return found


def backup(settings: Settings, folder: Path, keys_folder: Path | None = None) -> BackupResult:
    """Write a backup of the installation ``settings`` describes into an empty ``folder``."""
    keys_folder = keys_folder or default_keys_folder(folder)
    if keys_folder.resolve().is_relative_to(folder.resolve()):
        raise BackupRefused("Khóa phải được lưu ngoài thư mục sao lưu.",
                            "The keys must be kept outside the backup folder.")
    _fresh_folder(folder)
    settings.resolved_secret_key()  # a key that does not exist yet cannot be kept apart
    engine = make_engine(settings)
    try:
        with Session(engine) as db:  # recorded first, so the copy holds its own record
            audit.record(db, None, "backup.created", "installation", "", folder=str(folder))
            db.commit()
        if engine.dialect.name == "sqlite":
            database_part, counts, summary = _snapshot_sqlite(engine, folder / SQLITE_PART)
        else:
            database_part, counts, summary = _snapshot_postgres(settings, engine, folder / PG_PART)
        revision = current_revision(engine)
    finally:
        engine.dispose()
    files = parts.write_files_part(settings.data_dir, parts.database_file(settings),
                                   folder / parts.FILES_PART)
    keys = parts.write_keys(settings.keys_dir, keys_folder)
    manifest = parts.manifest(FORMAT, engine.dialect.name, revision, counts, summary, files,
                              [database_part, folder / parts.FILES_PART], keys)
    (folder / parts.MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False))
    return BackupResult(folder, keys_folder, manifest)


def _snapshot_sqlite(engine: Engine, target: Path):
    """SQLite's backup API copies pages under a read lock: the result is one instant."""
    source_path = engine.url.database or ""
    with sqlite3.connect(source_path) as source, sqlite3.connect(target) as copy:
        source.backup(copy)
    copy.close()
    snapshot = create_engine(f"sqlite:///{target}")
    try:
        counts = parts.row_counts(snapshot)
        summary = parts.audit_summary(snapshot)
    finally:
        snapshot.dispose()
    return target, counts, summary


def _snapshot_postgres(settings: Settings, engine: Engine, target: Path):
    """Count and dump inside one exported snapshot, so the manifest describes the dump."""
    pg_dump = _need_tool("pg_dump")
    with engine.connect().execution_options(isolation_level="REPEATABLE READ") as connection:
        snapshot_id = connection.execute(text("SELECT pg_export_snapshot()")).scalar_one()
        counts = parts.row_counts(connection)
        summary = parts.audit_summary(connection)  # type: ignore[arg-type]
        subprocess.run([pg_dump, "--format=custom", "--no-owner", "--no-privileges",
                        f"--snapshot={snapshot_id}", f"--file={target}",
                        libpq_url(settings.resolved_database_url)],
                       check=True, capture_output=True)
        connection.rollback()
    return target, counts, summary


@dataclass(frozen=True)
class RestoreResult:
    manifest: dict
    audit_entries: int


def read_manifest(folder: Path) -> dict:
    path = folder / parts.MANIFEST
    if not path.is_file():
        raise BackupRefused(f"Không thấy {parts.MANIFEST} trong {folder}.",
                            f"No {parts.MANIFEST} in {folder}.")
    manifest = json.loads(path.read_text())
    if manifest.get("format") != FORMAT:
        raise BackupRefused("Không phải bản sao lưu HĐND.", "Not an HĐND backup.")
    return manifest


def restore(settings: Settings, folder: Path, keys_folder: Path | None = None,
            force: bool = False) -> RestoreResult:
    """Put a backup back into this installation, then prove it is the same data."""
    manifest = read_manifest(folder)
    keys_folder = keys_folder or default_keys_folder(folder)
    parts.check_parts(folder, manifest["parts"])
    engine = make_engine(settings)
    try:
        if engine.dialect.name != manifest["engine"]:
            raise BackupRefused(
                f"Bản sao lưu của {manifest['engine']}, máy này dùng {engine.dialect.name}: "
                "hãy dùng hdnd export / hdnd import.",
                f"The backup is of {manifest['engine']}, this installation uses "
                f"{engine.dialect.name}: use hdnd export / hdnd import.")
        if not force and not parts.installation_is_empty(settings, engine):
            raise BackupRefused("Nơi khôi phục đã có dữ liệu; dùng --force để ghi đè.",
                                "This installation already holds data; use --force to replace it.")
        if not keys_folder.is_dir():
            raise BackupRefused(f"Không thấy thư mục khóa {keys_folder}.",
                                f"The keys folder {keys_folder} is missing.")
        if engine.dialect.name == "sqlite":
            _restore_sqlite(engine, folder / SQLITE_PART)
        else:
            _restore_postgres(settings, folder / PG_PART)
        engine.dispose()
        parts.extract_files_part(folder / parts.FILES_PART, settings.data_dir)
        parts.restore_keys(keys_folder, settings.keys_dir, manifest.get("keys", {}), force)
        parts.clear_key_caches()
        entries = check_restored(engine, manifest)
        with Session(engine) as db:
            audit.record(db, None, "backup.restored", "installation", "", folder=str(folder),
                         entries=entries, last_hash=manifest["audit"]["last_hash"])
            db.commit()
    finally:
        engine.dispose()
    return RestoreResult(manifest, entries)


def check_restored(engine: Engine, manifest: dict) -> int:
    """The restored rows and audit chain are the ones the manifest counted."""
    counts = parts.row_counts(engine)
    differing = {name: (manifest["rows"].get(name, 0), counts[name]) for name in counts
                 if counts[name] != manifest["rows"].get(name, 0)}
    if differing:
        raise BackupRefused(f"Số dòng khác bản sao lưu: {differing}.",
                            f"Row counts differ from the backup: {differing}.")
    summary = parts.audit_summary(engine)
    if (summary.entries, summary.last_hash) != (manifest["audit"]["entries"],
                                                manifest["audit"]["last_hash"]):
        raise BackupRefused("Nhật ký kiểm toán khác bản sao lưu.",
                            "The audit chain differs from the backup's.")
    return summary.entries


def _restore_sqlite(engine: Engine, snapshot: Path) -> None:
    """Copy the snapshot into the live file through the backup API (WAL and locks respected)."""
    engine.dispose()
    target = engine.url.database or ""
    with tempfile.TemporaryDirectory() as scratch:
        # work on a copy: the backup part must stay byte-identical to its manifest
        source_copy = Path(scratch) / SQLITE_PART
        shutil.copyfile(snapshot, source_copy)
        with sqlite3.connect(source_copy) as source, sqlite3.connect(target) as live:
            source.backup(live)
        source.close()
        live.close()


def _restore_postgres(settings: Settings, dump: Path) -> None:
    pg_restore = _need_tool("pg_restore")
    result = subprocess.run([pg_restore, "--clean", "--if-exists", "--no-owner", "--no-privileges",
                             "--single-transaction", "--exit-on-error",
                             f"--dbname={libpq_url(settings.resolved_database_url)}", str(dump)],
                            capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupRefused("pg_restore không thành công.", "pg_restore failed.",
                            stderr=result.stderr[-2000:])
    # the dump carries the policies but no privileges: give the tenant role its tables back
    engine = make_engine(settings)
    try:
        with engine.begin() as connection:
            rls.grant_role(connection)
    finally:
        engine.dispose()
