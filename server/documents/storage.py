"""Where document files live on disk, under random names.

The uploaded file name is kept only as text to show people; the stored name is a random
token, so no uploaded name can ever reach the file system as a path.
"""

from __future__ import annotations

import hashlib
import os
import secrets
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

from server.documents.shared_files import SharedFiles
from server.errors import UploadTooLarge

CHUNK = 1024 * 1024


async def chunks_of(upload: object, size: int = CHUNK) -> AsyncIterator[bytes]:
    """Read an uploaded file (anything with ``async read(n)``) in 1 MiB pieces."""
    while chunk := await upload.read(size):  # type: ignore[attr-defined]
        yield chunk


@dataclass(frozen=True)
class StagedFile:
    """An upload written to a temporary file and hashed on the way."""

    path: Path
    size: int
    sha256: str


class DocumentStore:
    """Files on this host's disk; with ``shared`` set, that disk is a cache of the shared
    store (server/documents/shared_files.py) and every kept file is written there too."""

    def __init__(self, root: Path, shared: SharedFiles | None = None) -> None:
        self.root = root
        self.shared = shared
        self.incoming = root / ".incoming"
        self.incoming.mkdir(parents=True, exist_ok=True)

    def _local(self, storage_key: str) -> Path:
        if not storage_key.isalnum():
            raise ValueError("storage keys are alphanumeric")
        return self.root / storage_key[:2] / f"{storage_key}.pdf"

    def path_for(self, storage_key: str) -> Path:
        """The file on this host, fetched from the shared store first if another host kept it."""
        path = self._local(storage_key)
        if self.shared is not None and not path.exists():
            self.shared.fetch(f"documents/{storage_key}", path)
        return path

    def write(self, storage_key: str, content: bytes) -> Path:
        """Keep bytes made here (the demo's own PDFs) under a new key."""
        path = self._local(storage_key)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
        if self.shared is not None:
            self.shared.put(f"documents/{storage_key}", path)
        return path

    async def stage(self, chunks: AsyncIterator[bytes], limit: int) -> StagedFile:
        """Write an upload to a temporary file; over ``limit`` bytes it is deleted and refused."""
        path = self.incoming / secrets.token_hex(16)
        digest, size = hashlib.sha256(), 0
        try:
            with open(path, "wb") as handle:
                async for chunk in chunks:
                    size += len(chunk)
                    if size > limit:
                        raise UploadTooLarge(
                            f"Tệp vượt quá giới hạn {limit // (1024 * 1024)} MB.",
                            f"The file is larger than the {limit // (1024 * 1024)} MB limit.",
                            limit_bytes=limit,
                        )
                    digest.update(chunk)
                    handle.write(chunk)
                handle.flush()
                os.fsync(handle.fileno())
        except BaseException:
            path.unlink(missing_ok=True)
            raise
        return StagedFile(path, size, digest.hexdigest())

    @staticmethod
    def new_key() -> str:
        return secrets.token_hex(16)

    def keep(self, staged: StagedFile, key: str) -> None:
        """Move a checked upload to its permanent random name."""
        target = self._local(key)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(staged.path, target)
        if self.shared is not None:
            self.shared.put(f"documents/{key}", target)

    def discard(self, staged: StagedFile) -> None:
        staged.path.unlink(missing_ok=True)

    def remove(self, storage_key: str) -> None:
        self._local(storage_key).unlink(missing_ok=True)
        if self.shared is not None:
            self.shared.delete(f"documents/{storage_key}")
