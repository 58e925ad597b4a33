"""Where document and pack files live so that every app host reads the same ones.

With several app hosts behind a load balancer, a file written on one host's disk would
be missing on the others. ``HDND_FILE_STORAGE=postgres`` keeps every stored file in
PostgreSQL as a large object (``lo_from_bytea``/``lo_put`` to write, ``lo_get`` to read,
in 1 MiB pieces): the database every host already shares, backed up by ``pg_dump`` with
the rows that point at the files. Each host's ``HDND_DATA_DIR`` is then only a cache:
a file missing there is fetched, checked against its SHA-256 and kept.

``filesystem`` (the default) is one host's disk, as before. An S3 interface (MinIO,
Ceph RGW) would be a third implementation of :class:`SharedFiles`; see docs/operations.md.
"""

from __future__ import annotations

import hashlib
import os
import secrets
from functools import lru_cache
from pathlib import Path
from typing import Protocol

from sqlalchemy import text
from sqlalchemy.engine import Engine

from server.config import Settings

CHUNK = 1024 * 1024


def _sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


class SharedFiles(Protocol):
    """Files by key, the same for every host."""

    def put(self, key: str, source: Path) -> None: ...

    def fetch(self, key: str, target: Path) -> bool: ...

    def delete(self, key: str) -> None: ...


class PostgresLargeObjects:
    """Files as PostgreSQL large objects, indexed by key in ``stored_file`` (migration 0021)."""

    def __init__(self, engine: Engine) -> None:
        if engine.dialect.name != "postgresql":
            raise ValueError("HDND_FILE_STORAGE=postgres needs a PostgreSQL HDND_DATABASE_URL")
        self.engine = engine

    def put(self, key: str, source: Path) -> None:
        """Store a file under ``key``; the same content again is a no-op, new content
        replaces the old (a pack blob encrypted anew keeps its name)."""
        sha = _sha256_of(source)
        with self.engine.begin() as connection:
            connection.execute(text("SELECT pg_advisory_xact_lock(hashtext(:key))"), {"key": key})
            old = connection.execute(text("SELECT oid, sha256 FROM stored_file WHERE key = :key"),
                                     {"key": key}).first()
            if old is not None and old.sha256 == sha:
                return
            oid = connection.execute(text("SELECT lo_from_bytea(0, '')")).scalar_one()
            size = 0
            with open(source, "rb") as handle:
                while chunk := handle.read(CHUNK):
                    connection.execute(text("SELECT lo_put(:oid, :offset, :data)"),
                                       {"oid": oid, "offset": size, "data": chunk})
                    size += len(chunk)
            if old is not None:
                connection.execute(text("SELECT lo_unlink(:oid)"), {"oid": old.oid})
            connection.execute(text(
                "INSERT INTO stored_file (key, oid, size, sha256) VALUES (:key, :oid, :size, :sha) "
                "ON CONFLICT (key) DO UPDATE SET oid = EXCLUDED.oid, size = EXCLUDED.size, "
                "sha256 = EXCLUDED.sha256"), {"key": key, "oid": oid, "size": size, "sha": sha})

    def fetch(self, key: str, target: Path) -> bool:
        """Copy a stored file to ``target``; False if no such key. A damaged copy is refused."""
        with self.engine.connect() as connection:
            row = connection.execute(text("SELECT oid, size, sha256 FROM stored_file "
                                          "WHERE key = :key"), {"key": key}).first()
            if row is None:
                return False
            target.parent.mkdir(parents=True, exist_ok=True)
            partial = target.with_name(f".{target.name}.{secrets.token_hex(4)}.part")
            digest = hashlib.sha256()
            try:
                with open(partial, "wb") as handle:
                    for offset in range(0, row.size, CHUNK):
                        chunk = connection.execute(text("SELECT lo_get(:oid, :offset, :n)"),
                                                   {"oid": row.oid, "offset": offset,
                                                    "n": CHUNK}).scalar_one()
                        digest.update(chunk)
                        handle.write(chunk)
                    handle.flush()
                    os.fsync(handle.fileno())
                if digest.hexdigest() != row.sha256:
                    raise OSError(f"stored file {key} does not match its SHA-256")
                os.replace(partial, target)  # readers never see half a file
            finally:
                partial.unlink(missing_ok=True)
            connection.rollback()
        return True

    def delete(self, key: str) -> None:
        with self.engine.begin() as connection:
            row = connection.execute(text("DELETE FROM stored_file WHERE key = :key RETURNING oid"),
                                     {"key": key}).first()
            if row is not None:
                connection.execute(text("SELECT lo_unlink(:oid)"), {"oid": row.oid})


@lru_cache(maxsize=8)
def _large_objects(database_url: str) -> PostgresLargeObjects:
    from server.db import make_engine

    return PostgresLargeObjects(make_engine(Settings(database_url=database_url)))


def shared_files(settings: Settings) -> SharedFiles | None:
    """The shared store the settings choose, or None for files on this host's disk only."""
    if settings.file_storage == "filesystem":
        return None
    if settings.file_storage == "postgres":
        return _large_objects(settings.resolved_database_url)
    raise ValueError(f"unknown HDND_FILE_STORAGE {settings.file_storage!r}")


def document_store(settings: Settings):  # DocumentStore (import cycle)
    from server.documents.storage import DocumentStore

    return DocumentStore(settings.documents_dir, shared_files(settings))
