"""Encrypting a pack's new document versions with every core at once.

Where a build's time goes (measured on the 2-core development server, see
docs/pack-format.md §9): SHA-256 runs at about 1.9 GB/s per core, AES-256-GCM at about
11 GB/s, and the format needs two SHA-256 passes (plaintext and ciphertext) besides the
encryption. So the work is cut along the hashes: for each document the plaintext hash is
one job and the sealing (encrypt, hash the ciphertext, write) another, both on a pool as
wide as the machine; hashlib drops the GIL, so two hashes really run at once. The
plaintext hashes are queued first: they run while the builder's thread wraps keys (which
holds the GIL), and the sealing, which needs the GIL for every batch, comes after. Sources are
memory-mapped, not read, and sealed in 8 MiB batches (``SEAL_BATCH``), so there is no
copy of the plaintext and almost no per-chunk Python. ``fsync`` and the rename to the
final name run on one more thread, so the disk writes while the CPUs hash the next
document.

The document store never rewrites a stored file in place (a new version gets a new
random name and is moved in with ``os.replace``), which is what makes mapping it safe.
"""

from __future__ import annotations

import contextlib
import mmap
import os
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from shared.crypto.chunked import (
    EncryptedInfo,
    SealedFile,
    ciphertext_size,
    generate_content_key,
    seal_document,
    sha256_hex,
)
from shared.pack.errors import SourceDocumentChanged

CIPHERTEXT_SUFFIX = ".hdndoc"
PARTIAL_SUFFIX = ".part"


@dataclass(frozen=True)
class EncryptedDocument:
    """A document version's ciphertext file and content key, kept for later builds.

    The server must store ``content_key`` sealed under its at-rest key (never in clear)
    so that later packs can wrap it for newly enrolled devices without re-encrypting.
    """

    doc_id: str
    version: int
    path: Path
    content_key: bytes
    info: EncryptedInfo


def ciphertext_path(out_dir: Path, doc_id: str, version: int) -> Path:
    """Where a document version's ciphertext lives; the id pattern keeps it a plain name."""
    return out_dir / f"{doc_id}.v{version}{CIPHERTEXT_SUFFIX}"


def partial_path(path: Path) -> Path:
    """Where a file is written before it is complete and synced: never the final name."""
    return path.with_suffix(path.suffix + PARTIAL_SUFFIX)


@dataclass
class _Job:
    doc_id: str
    version: int
    content_key: bytes
    path: Path
    partial: Path
    expected_sha256: str | None
    plaintext: memoryview
    mapping: mmap.mmap | None
    plain_hash: Future[str] | None = None
    sealed: Future[Future[SealedFile]] | None = None

    def release(self) -> None:
        # A traceback may still hold a slice of the mapping: then the GC closes it later.
        with contextlib.suppress(BufferError):
            self.plaintext.release()
            if self.mapping is not None:
                self.mapping.close()
                self.mapping = None


class PackEncryptor:
    """Encrypts document versions into ``out_dir`` in the background; use as a context.

    ``submit`` returns the new content key at once (so the caller can wrap it for every
    device while the documents are still being hashed); ``start_sealing`` queues the
    encryption itself; ``completed`` yields each
    ``EncryptedDocument`` in submission order once its file is complete, synced and
    under its final name. Leaving the context on an error cancels what has not started,
    waits for what has, and removes every partial file; a final name is only ever given
    to a complete, synced file whose plaintext hash was checked.
    """

    def __init__(self, out_dir: Path, chunk_size: int, workers: int | None = None,
                 work_dir: Path | None = None) -> None:
        self.out_dir = out_dir
        # Unfinished files go to ``work_dir`` (same file system: the final step is a
        # rename); the server gives each build its own, so a dead build's leftovers are
        # found by build, never mixed with another build's.
        self.work_dir = work_dir or out_dir
        self.chunk_size = chunk_size
        width = workers or max(2, os.cpu_count() or 2)
        self._pool = ThreadPoolExecutor(width, thread_name_prefix="pack-encrypt")
        self._syncer = ThreadPoolExecutor(1, thread_name_prefix="pack-fsync")
        self._jobs: list[_Job] = []
        self._finished = 0

    def __enter__(self) -> PackEncryptor:
        return self

    def __exit__(self, *exc_info: object) -> None:
        for job in self._jobs[self._finished :]:
            for future in (job.plain_hash, job.sealed):
                if future is not None:
                    future.cancel()
        self._pool.shutdown(wait=True)
        self._syncer.shutdown(wait=True)
        for job in self._jobs[self._finished :]:
            job.release()
            job.partial.unlink(missing_ok=True)

    def submit(
        self,
        doc_id: str,
        version: int,
        content: bytes | Path,
        expected_sha256: str | None = None,
    ) -> bytes:
        """Start encrypting one document version; returns its fresh content key."""
        key = generate_content_key()  # fresh per version: an old device key never opens a revision
        path = ciphertext_path(self.out_dir, doc_id, version)
        self.work_dir.mkdir(parents=True, exist_ok=True)
        plaintext, mapping = _map(content)
        job = _Job(doc_id, version, key, path, partial_path(self.work_dir / path.name),
                   expected_sha256, plaintext, mapping)
        self._jobs.append(job)
        job.plain_hash = self._pool.submit(sha256_hex, plaintext)
        return key

    def start_sealing(self) -> None:
        """Queue the sealing of every document submitted, behind all the plaintext hashes.

        The order is the point: a plaintext hash is one GIL-free call per document, so
        it runs at full speed while the caller's thread wraps keys (which holds the
        GIL); sealing needs the GIL for every batch and would queue behind the wrapping.
        Until this is called, only the plaintext hashes run.
        """
        for job in self._jobs:
            if job.sealed is None:
                job.sealed = self._pool.submit(self._seal, job)

    def completed(self) -> Iterator[EncryptedDocument]:
        """Each submitted document once durable on disk, in submission order."""
        self.start_sealing()
        while self._finished < len(self._jobs):
            job = self._jobs[self._finished]
            assert job.plain_hash is not None and job.sealed is not None
            digest = job.plain_hash.result()
            sealed = job.sealed.result().result()
            size = len(job.plaintext)
            job.release()
            if job.expected_sha256 and digest != job.expected_sha256.lower():
                raise SourceDocumentChanged(document=job.doc_id, version=job.version,
                                            expected=job.expected_sha256, found=digest)
            # Durable already (synced); the rename is what makes it part of the store.
            os.replace(job.partial, job.path)
            self._finished += 1
            yield EncryptedDocument(job.doc_id, job.version, job.path, job.content_key,
                                    sealed.with_plaintext(digest, size))

    def _seal(self, job: _Job) -> Future[SealedFile]:
        """Encrypt into the partial file, then hand it to the sync thread."""
        out = open(job.partial, "wb", buffering=0)  # closed by _durable
        try:
            _reserve(out.fileno(), ciphertext_size(len(job.plaintext), self.chunk_size))
            sealed = seal_document(job.plaintext, job.content_key, job.doc_id, job.version,
                                   out, chunk_size=self.chunk_size)
        except BaseException:
            out.close()
            raise
        return self._syncer.submit(_durable, out, sealed)


def _durable(out: BinaryIO, sealed: SealedFile) -> SealedFile:
    """fsync on its own thread: the disk writes while the pool hashes the next document."""
    with out:
        os.fsync(out.fileno())
    return sealed


def sync_directory(folder: Path) -> None:
    """Make the renames into ``folder`` durable (once per build, not once per file)."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _map(content: bytes | Path) -> tuple[memoryview, mmap.mmap | None]:
    """The plaintext without copying it: a read-only mapping of a file, or the bytes."""
    if not isinstance(content, Path):
        return memoryview(content).cast("B"), None
    with open(content, "rb") as source:
        if os.fstat(source.fileno()).st_size == 0:
            return memoryview(b""), None  # an empty file cannot be mapped
        mapping = mmap.mmap(source.fileno(), 0, access=mmap.ACCESS_READ)
    with contextlib.suppress(AttributeError, OSError):  # advice only
        mapping.madvise(mmap.MADV_SEQUENTIAL)
    return memoryview(mapping), mapping


def _reserve(fd: int, size: int) -> None:
    """Allocate the file's blocks up front: on ext4 this makes the writes much faster, and
    a full disk fails here, before any encryption work is spent."""
    if hasattr(os, "posix_fallocate"):
        with contextlib.suppress(OSError):  # not supported by this filesystem: just write
            os.posix_fallocate(fd, 0, size)
