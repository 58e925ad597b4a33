"""The pieces a backup or an export is made of, and the checks every restore runs.

An installation is three things: the database, the files under ``HDND_DATA_DIR``
(documents, pack blobs, annotation backups) and the key files under ``keys/``. The first
two travel together; the keys never go into the same archive (a stolen backup alone must
open no pack), so they are written to a directory of their own with its own manifest.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tarfile
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, inspect, select
from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel, col

import server.models  # noqa: F401 - fills SQLModel.metadata
from server.config import Settings
from server.errors import BackupRefused
from server.services.audit import verify_chain

MANIFEST = "manifest.json"
KEYS_MANIFEST = "keys-manifest.json"
FILES_PART = "files.tar"
# Not data: the live database file, work in progress, and the keys (kept apart).
_SKIPPED_TOP = {"keys"}
_SKIPPED_PATHS = {"documents/.incoming", "packs/building"}


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(1024 * 1024):
            digest.update(chunk)
    return digest.hexdigest()


def part_entry(path: Path) -> dict[str, object]:
    return {"sha256": sha256_of(path), "bytes": path.stat().st_size}


def tables() -> list:
    """Every table of the schema, parents before children."""
    return list(SQLModel.metadata.sorted_tables)


def row_counts(engine_or_connection) -> dict[str, int]:  # Engine or Connection
    """Rows per table; tables the schema has but this database lacks count as 0."""
    present = set(inspect(engine_or_connection).get_table_names())
    counts: dict[str, int] = {}
    if isinstance(engine_or_connection, Engine):
        with engine_or_connection.connect() as connection:
            return row_counts(connection)
    for table in tables():
        counts[table.name] = (engine_or_connection.execute(select(func.count()).select_from(table))
                              .scalar_one() if table.name in present else 0)
    return counts


@dataclass(frozen=True)
class AuditSummary:
    entries: int
    last_hash: str


def audit_summary(engine: Engine) -> AuditSummary:
    """The chain's length and head, refusing to copy a chain that does not verify."""
    from server.models import AuditEntry

    with Session(engine) as db:
        report = verify_chain(db)
        if not report.ok:
            raise BackupRefused(
                f"Nhật ký kiểm toán bị sửa đổi tại mục #{report.first_broken_id}; không sao lưu.",
                f"The audit chain is broken at entry #{report.first_broken_id}; nothing copied.")
        last = db.scalars(select(col(AuditEntry.hash)).order_by(col(AuditEntry.id).desc())
                          .limit(1)).first()
    return AuditSummary(report.entries, last or "")


def data_files(data_dir: Path, database_file: Path | None) -> list[Path]:
    """The files under the data directory that belong in a copy, as relative paths."""
    found: list[Path] = []
    if not data_dir.exists():
        return found
    skip_db = {database_file.name, f"{database_file.name}-wal", f"{database_file.name}-shm"} \
        if database_file and database_file.parent.resolve() == data_dir.resolve() else set()
    for root, dirs, files in os.walk(data_dir):
        relative_root = Path(root).relative_to(data_dir)
        dirs[:] = sorted(d for d in dirs
                         if not (relative_root == Path(".") and d in _SKIPPED_TOP)
                         and str(relative_root / d) not in _SKIPPED_PATHS)
        for name in sorted(files):
            relative = relative_root / name
            if relative_root == Path(".") and (name in skip_db or name.endswith(".log")):
                continue
            found.append(relative)
    return found


def write_files_part(data_dir: Path, database_file: Path | None, target: Path) -> int:
    """Tar the data files (documents, pack blobs, annotation backups); returns their number."""
    files = data_files(data_dir, database_file)
    with tarfile.open(target, "w") as archive:
        for relative in files:
            archive.add(data_dir / relative, arcname=str(relative), recursive=False)
    return len(files)


def extract_files_part(archive_path: Path, data_dir: Path) -> int:
    """Put the data files back; the ``data`` filter refuses links and paths leaving the dir."""
    data_dir.mkdir(parents=True, exist_ok=True)
    with tarfile.open(archive_path, "r") as archive:
        members = archive.getmembers()
        archive.extractall(data_dir, filter="data")
    return len(members)


def database_file(settings: Settings) -> Path | None:
    url = settings.resolved_database_url
    if not url.startswith("sqlite"):
        return None
    return Path(url.split("///", 1)[1])


def installation_is_empty(settings: Settings, engine: Engine) -> bool:
    """No row in any table and no document or pack file: nothing a restore could destroy."""
    if any(row_counts(engine).values()):
        return False
    return not data_files(settings.data_dir, database_file(settings))


# --- keys, kept apart -----------------------------------------------------------------

def write_keys(keys_dir: Path, target: Path) -> dict[str, dict[str, object]]:
    """Copy the key files into their own 0700 directory with a manifest of their hashes."""
    if target.exists() and any(target.iterdir()):
        raise BackupRefused(f"Thư mục khóa {target} không trống.",
                            f"The keys directory {target} is not empty.")
    target.mkdir(parents=True, exist_ok=True)
    os.chmod(target, 0o700)
    entries: dict[str, dict[str, object]] = {}
    for path in sorted(keys_dir.iterdir()) if keys_dir.exists() else []:
        if path.is_file():
            copy = target / path.name
            shutil.copyfile(path, copy)
            os.chmod(copy, 0o600)
            entries[path.name] = part_entry(copy)
    (target / KEYS_MANIFEST).write_text(json.dumps({"keys": entries}, indent=2))
    return entries


def restore_keys(source: Path, keys_dir: Path, expected: dict[str, str], force: bool) -> None:
    """Put key files back after checking them against both manifests.

    A key already here that differs is never overwritten without ``force``: tablets pin
    the signing key, so replacing it silently would cut every enrolled tablet off.
    """
    manifest = json.loads((source / KEYS_MANIFEST).read_text())["keys"]
    for name, entry in manifest.items():
        if sha256_of(source / name) != entry["sha256"] or expected.get(name) not in (None, entry["sha256"]):
            raise BackupRefused(f"Tệp khóa {name} không khớp với bản sao lưu.",
                                f"The key file {name} does not match the backup's manifest.")
    missing = set(expected) - set(manifest)
    if missing:
        raise BackupRefused(f"Thiếu tệp khóa: {', '.join(sorted(missing))}.",
                            f"Key files missing: {', '.join(sorted(missing))}.")
    keys_dir.mkdir(parents=True, exist_ok=True)
    for name in manifest:
        target = keys_dir / name
        if target.exists() and sha256_of(target) != manifest[name]["sha256"] and not force:
            raise BackupRefused(f"Khóa {name} ở đây khác khóa trong bản sao lưu; dùng --force.",
                                f"The key {name} here differs from the backup's; use --force.")
        shutil.copyfile(source / name, target)
        os.chmod(target, 0o600)


def manifest(format_: str, engine_name: str, revision: str | None, counts: dict[str, int],
             summary: AuditSummary, files: int, part_files: list[Path],
             keys: dict[str, dict[str, object]]) -> dict[str, object]:
    """The manifest a backup and an export both write: what restore and import check
    (row counts, the audit chain's length and last hash, each part's hash, each key's)."""
    return {
        "format": format_,
        "engine": engine_name,
        "revision": revision,
        "rows": counts,
        "audit": {"entries": summary.entries, "last_hash": summary.last_hash},
        "files": files,
        "parts": {path.name: part_entry(path) for path in part_files},
        "keys": {name: entry["sha256"] for name, entry in keys.items()},
    }


def check_parts(folder: Path, parts: dict[str, dict[str, object]]) -> None:
    """Every part is present with the size and SHA-256 the manifest recorded."""
    for name, entry in parts.items():
        path = folder / name
        if not path.is_file() or sha256_of(path) != entry["sha256"]:
            raise BackupRefused(f"Phần {name} của bản sao lưu bị thiếu hoặc bị sửa.",
                                f"The part {name} of the backup is missing or altered.")


def clear_key_caches() -> None:
    """Keys are cached per process; after a restore the files on disk are the truth."""
    from server.packs import keys

    keys.signing_key.cache_clear()
    keys.at_rest_key.cache_clear()


def share_files(settings: Settings) -> None:
    """With shared storage (several hosts), the imported files go there too."""
    from server.documents.shared_files import shared_files

    shared = shared_files(settings)
    if shared is None:
        return
    for path in sorted(settings.documents_dir.glob("??/*.pdf")):
        shared.put(f"documents/{path.stem}", path)
    for path in sorted((settings.data_dir / "packs" / "blobs").glob("*")):
        if path.is_file():
            shared.put(f"packs/blobs/{path.name}", path)
