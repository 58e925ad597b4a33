"""``hdnd export`` / ``hdnd import``: move a council from one database engine to another.

A commune starts on the embedded SQLite; when the province takes it onto PostgreSQL
every record, audit entry, device enrolment and pack version must arrive unchanged, so
that its tablets (which pinned the pack-signing key and hold device keys the server knows
by id) keep working without being enrolled again.

The export is one tar file: ``manifest.json`` (schema revision, rows per table, audit
head, the files' SHA-256), ``rows/<table>.jsonl`` (every row, values tagged by type so
dates and bytes come back as they were) and ``files.tar``. The keys go to a directory
beside it (``<file>-keys``), as with backups. The import copies the tables in dependency
order through SQLAlchemy's metadata into a migrated, empty database, moves the sequences
past the copied ids on PostgreSQL, rebuilds the SQLite full-text index, and checks counts
and the audit chain against the manifest.
"""

from __future__ import annotations

import io
import json
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.engine import Connection, Engine
from sqlmodel import Session

from server.config import Settings
from server.db import current_revision, head_revision, make_engine
from server.db import migrate as run_migrations
from server.errors import BackupRefused
from server.operations import parts, rows
from server.operations.backup import _snapshot_sqlite  # one consistent read of SQLite
from server.operations.import_beside import BesideResult, Placement, import_beside
from server.services import audit
from server.tenancy import scoping
from server.tenancy.scope import Scope

FORMAT = "hdnd-export/1"


def default_keys_folder(file: Path) -> Path:
    return file.with_name(file.name + "-keys")


def _add_bytes(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mode = len(data), 0o600
    archive.addfile(info, io.BytesIO(data))


def _dump_rows(connection: Connection, archive: tarfile.TarFile) -> dict[str, int]:
    counts: dict[str, int] = {}
    present = set(connection.dialect.get_table_names(connection))
    for table in parts.tables():
        lines: list[str] = []
        if table.name in present:
            order = list(table.primary_key.columns) or list(table.columns)
            for row in connection.execute(select(table).order_by(*order)).mappings():
                lines.append(json.dumps({k: rows.encode(v) for k, v in row.items()},
                                        ensure_ascii=False, separators=(",", ":")))
        counts[table.name] = len(lines)
        _add_bytes(archive, f"rows/{table.name}.jsonl", ("\n".join(lines)).encode())
    return counts


@dataclass(frozen=True)
class ExportResult:
    file: Path
    keys_folder: Path
    manifest: dict


def export(settings: Settings, file: Path, keys_folder: Path | None = None) -> ExportResult:
    """Write every row, file and (apart) key of this installation to ``file``."""
    keys_folder = keys_folder or default_keys_folder(file)
    if file.exists():
        raise BackupRefused(f"Tệp {file} đã có.", f"The file {file} already exists.")
    settings.resolved_secret_key()
    engine = make_engine(settings)
    try:
        with Session(engine) as db:
            audit.record(db, None, "export.created", "installation", "", file=str(file))
            db.commit()
        revision = current_revision(engine)
        with tempfile.TemporaryDirectory() as scratch, tarfile.open(file, "w") as archive:
            scratch_dir = Path(scratch)
            if engine.dialect.name == "sqlite":
                snapshot = scratch_dir / "snapshot.sqlite3"
                _snapshot_sqlite(engine, snapshot)
                source = make_engine_for(f"sqlite:///{snapshot}")
                with source.connect() as connection:
                    counts = _dump_rows(connection, archive)
                summary = parts.audit_summary(source)
                source.dispose()
            else:
                with engine.connect().execution_options(
                        isolation_level="REPEATABLE READ") as connection:
                    counts = _dump_rows(connection, archive)
                    summary = parts.audit_summary(connection)  # type: ignore[arg-type]
                    connection.rollback()
            files_part = scratch_dir / parts.FILES_PART
            files = parts.write_files_part(settings.data_dir, parts.database_file(settings),
                                           files_part)
            archive.add(files_part, arcname=parts.FILES_PART)
            keys = parts.write_keys(settings.keys_dir, keys_folder)
            manifest = parts.manifest(FORMAT, engine.dialect.name, revision, counts, summary,
                                      files, [files_part], keys)
            _add_bytes(archive, parts.MANIFEST,
                       json.dumps(manifest, indent=2, ensure_ascii=False).encode())
    except BaseException:
        file.unlink(missing_ok=True)
        raise
    finally:
        engine.dispose()
    return ExportResult(file, keys_folder, manifest)


def make_engine_for(url: str) -> Engine:
    from sqlalchemy import create_engine

    return create_engine(url)


@dataclass(frozen=True)
class ImportResult:
    manifest: dict
    rows: dict[str, int]
    audit_entries: int
    beside: BesideResult | None = None  # set when other councils were already here


def import_(settings: Settings, file: Path, keys_folder: Path | None = None,
            placement: Placement | None = None) -> ImportResult:
    """Load an export into this installation (it is migrated first). Into an empty one
    every id stays as it was; beside other councils the commune's ids are renumbered
    (server/operations/import_beside.py)."""
    keys_folder = keys_folder or default_keys_folder(file)
    if not keys_folder.is_dir():
        raise BackupRefused(f"Không thấy thư mục khóa {keys_folder}.",
                            f"The keys folder {keys_folder} is missing.")
    with tempfile.TemporaryDirectory() as scratch, tarfile.open(file, "r") as archive:
        scratch_dir = Path(scratch)
        archive.extractall(scratch_dir, filter="data")
        manifest = json.loads((scratch_dir / parts.MANIFEST).read_text())
        if manifest.get("format") != FORMAT:
            raise BackupRefused("Không phải tệp xuất HĐND.", "Not an HĐND export file.")
        parts.check_parts(scratch_dir, manifest["parts"])
        _check_key_files(keys_folder, manifest.get("keys", {}))
        if manifest["revision"] != head_revision(settings):
            raise BackupRefused(
                f"Tệp xuất ở phiên bản {manifest['revision']}, máy này cần {head_revision(settings)}: "
                "hãy chạy hdnd migrate ở máy nguồn rồi xuất lại.",
                f"The export is at revision {manifest['revision']}, this code needs "
                f"{head_revision(settings)}: run hdnd migrate at the source and export again.")
        run_migrations(settings)
        engine = make_engine(settings)
        try:
            if parts.installation_is_empty(settings, engine):
                return _import_into_empty(settings, engine, file, scratch_dir, manifest,
                                          keys_folder)
            beside = import_beside(settings, engine, scratch_dir, manifest, keys_folder,
                                   placement or Placement())
            for new in beside.councils.values():  # on each moved council's own chain
                with Session(engine) as db:
                    scoping.enter(db, Scope.of_council(new))
                    audit.record(db, None, "export.imported", "installation", "",
                                 file=str(file), source_engine=manifest["engine"],
                                 entries=beside.audit_entries, offsets=beside.offsets,
                                 renamed_accounts=beside.renamed_accounts,
                                 not_carried=beside.not_carried)
                    db.commit()
            return ImportResult(manifest, parts.row_counts(engine), beside.audit_entries, beside)
        finally:
            engine.dispose()


def _check_key_files(keys_folder: Path, expected: dict[str, str]) -> None:
    """The keys folder is the one written with this export (checked before any write)."""
    listed = keys_folder / parts.KEYS_MANIFEST
    if not listed.exists():
        return  # restore_keys says what is missing, in the empty-database path
    for name, digest in expected.items():
        path = keys_folder / name
        if not path.exists() or parts.sha256_of(path) != digest:
            raise BackupRefused(f"Tệp khóa {name} không khớp với tệp xuất.",
                                f"The key file {name} does not match the export's manifest.")


def _import_into_empty(settings: Settings, engine: Engine, file: Path, scratch_dir: Path,
                       manifest: dict, keys_folder: Path) -> ImportResult:
    with engine.begin() as connection:
        for table in parts.tables():
            rows.insert_rows(connection, table,
                             rows.rows_of(scratch_dir / "rows" / f"{table.name}.jsonl"))
        rows.after_load(connection)
    parts.extract_files_part(scratch_dir / parts.FILES_PART, settings.data_dir)
    parts.share_files(settings)
    parts.restore_keys(keys_folder, settings.keys_dir, manifest.get("keys", {}), False)
    parts.clear_key_caches()
    from server.operations.backup import check_restored

    entries = check_restored(engine, manifest)
    counts = parts.row_counts(engine)
    with Session(engine) as db:
        audit.record(db, None, "export.imported", "installation", "", file=str(file),
                     source_engine=manifest["engine"], entries=entries)
        db.commit()
    return ImportResult(manifest, counts, entries)


