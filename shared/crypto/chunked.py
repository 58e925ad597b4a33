"""Chunked AES-256-GCM encryption of one session document (pack format 1).

A document is encrypted once, under its own random 256-bit content key, in fixed-size
plaintext chunks. Every chunk is sealed separately so that a tablet can check a download
chunk by chunk and resume it with an HTTP Range request at a chunk boundary.

File layout (all integers big-endian; see docs/pack-format.md for the normative text)::

    header (128 bytes)
      0   8  magic "HDND-DOC"
      8   2  format version (1)
      10  2  header size (128)
      12  4  plaintext chunk size C (1 MiB by default)
      16  8  document version
      24  8  nonce prefix (random per encryption)
      32  1  document id length n (1..64)
      33 64  document id, UTF-8, zero padded
      97 31  zero
    chunk i at 128 + i * (C + 16): AES-256-GCM(ciphertext || 16-byte tag)
      every chunk but the last holds exactly C plaintext bytes; the last holds 0..C.

Nonce of chunk i: nonce prefix (8 bytes) || i as u32. Unique by construction inside one
encryption; the random prefix keeps nonces apart even if a caller reused a content key.

Associated data of chunk i: the 128 header bytes || i as u64 || final flag (1 byte, 1 on
the last chunk, else 0). The header carries the format tag, document id, version, chunk
size and nonce prefix, so moving a chunk to another place, file, document or version,
dropping the end or appending after it, or editing the header all fail authentication.
"""

from __future__ import annotations

import hashlib
import os
import struct
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from shared.crypto.errors import (
    CiphertextHashMismatch,
    TamperedChunk,
    TamperedHeader,
    TruncatedDocument,
    UnsupportedFormat,
    WrongDocument,
)

MAGIC = b"HDND-DOC"
FORMAT_VERSION = 1
HEADER_SIZE = 128
CHUNK_SIZE = 1 << 20
TAG_SIZE = 16
KEY_SIZE = 32
NONCE_PREFIX_SIZE = 8
MAX_DOC_ID_BYTES = 64
MIN_CHUNK_SIZE = 4096
MAX_CHUNK_SIZE = 16 << 20
MAX_CHUNKS = 1 << 32  # the nonce carries the index as u32

_HEADER = struct.Struct(">8sHHIQ8sB64s31x")
_AAD_TAIL = struct.Struct(">QB")
assert _HEADER.size == HEADER_SIZE

Plaintext = bytes | bytearray | memoryview | BinaryIO
Ciphertext = bytes | bytearray | memoryview | BinaryIO


def generate_content_key() -> bytes:
    """A fresh random 256-bit key for one version of one document."""
    return AESGCM.generate_key(bit_length=256)


@dataclass(frozen=True)
class EncryptedInfo:
    """What the manifest records about one encrypted document file."""

    size: int  # ciphertext file size in bytes, header included
    sha256: str  # hex SHA-256 of the whole ciphertext file
    chunk_count: int
    plaintext_sha256: str  # hex SHA-256 of the plaintext
    plaintext_size: int
    chunk_size: int


@dataclass(frozen=True)
class DocumentHeader:
    doc_id: str
    version: int
    chunk_size: int
    nonce_prefix: bytes

    def __post_init__(self) -> None:
        raw_id = self.doc_id.encode("utf-8")
        if not 1 <= len(raw_id) <= MAX_DOC_ID_BYTES or "\x00" in self.doc_id:
            raise ValueError(f"document id must be 1..{MAX_DOC_ID_BYTES} UTF-8 bytes, no NUL")
        if not 0 <= self.version < 1 << 64:
            raise ValueError("document version must fit in u64")
        if not valid_chunk_size(self.chunk_size):
            raise ValueError(f"chunk size {self.chunk_size} is not allowed")
        if len(self.nonce_prefix) != NONCE_PREFIX_SIZE:
            raise ValueError("nonce prefix must be 8 bytes")

    def to_bytes(self) -> bytes:
        raw_id = self.doc_id.encode("utf-8")
        return _HEADER.pack(
            MAGIC,
            FORMAT_VERSION,
            HEADER_SIZE,
            self.chunk_size,
            self.version,
            self.nonce_prefix,
            len(raw_id),
            raw_id,
        )

    @classmethod
    def parse(cls, raw: bytes | memoryview) -> DocumentHeader:
        """Parse and insist on the one canonical encoding (any stray byte is tampering)."""
        raw = bytes(raw)
        if len(raw) < HEADER_SIZE:
            raise TruncatedDocument(reason="header incomplete")
        magic, fmt, hsize, chunk_size, version, prefix, id_len, raw_id = _HEADER.unpack(raw)
        if magic != MAGIC:
            raise TamperedHeader(reason="bad magic")
        if fmt != FORMAT_VERSION:
            raise UnsupportedFormat(format_version=fmt)
        if hsize != HEADER_SIZE or not 1 <= id_len <= MAX_DOC_ID_BYTES:
            raise TamperedHeader(reason="bad header fields")
        try:
            header = cls(raw_id[:id_len].decode("utf-8"), version, chunk_size, prefix)
        except (UnicodeDecodeError, ValueError) as exc:
            raise TamperedHeader(reason=str(exc)) from exc
        if header.to_bytes() != raw:
            raise TamperedHeader(reason="non-canonical header")
        return header


def valid_chunk_size(chunk_size: int) -> bool:
    """Format 1 writers use 1 MiB; readers accept any multiple of 4 KiB up to 16 MiB."""
    return MIN_CHUNK_SIZE <= chunk_size <= MAX_CHUNK_SIZE and chunk_size % MIN_CHUNK_SIZE == 0


def chunk_offset(index: int, chunk_size: int = CHUNK_SIZE) -> int:
    """Byte offset of chunk ``index`` in the ciphertext file: where a Range request starts."""
    return HEADER_SIZE + index * (chunk_size + TAG_SIZE)


def ciphertext_size(plaintext_size: int, chunk_size: int = CHUNK_SIZE) -> int:
    chunks = max(1, -(-plaintext_size // chunk_size))
    return HEADER_SIZE + plaintext_size + chunks * TAG_SIZE


def chunk_count(ciphertext_size: int, chunk_size: int = CHUNK_SIZE) -> int:
    body = ciphertext_size - HEADER_SIZE
    return max(0, -(-body // (chunk_size + TAG_SIZE)))


# --- encryption ----------------------------------------------------------------------

_hasher: tuple[int, ThreadPoolExecutor] | None = None


def _hash_worker() -> ThreadPoolExecutor:
    """One background thread hashes the plaintext while the caller's thread encrypts.

    SHA-256 (about 2 GB/s with SHA-NI) is far slower than AES-GCM (over 10 GB/s with
    VAES); hashlib releases the GIL, so overlapping the two hashes nearly doubles build
    speed on a two-core server. Re-created after a fork, whose child has no threads.
    """
    global _hasher
    if _hasher is None or _hasher[0] != os.getpid():
        _hasher = (os.getpid(), ThreadPoolExecutor(1, thread_name_prefix="pack-hash"))
    return _hasher[1]


def encrypt_document(
    plaintext: Plaintext,
    key: bytes,
    doc_id: str,
    version: int,
    out: BinaryIO,
    *,
    chunk_size: int = CHUNK_SIZE,
) -> EncryptedInfo:
    """Encrypt one document version into ``out``, streaming; returns sizes and hashes.

    ``plaintext`` is bytes-like or a binary file opened for reading; a file is read one
    chunk at a time so a 300 MB document is never held twice in memory.
    """
    return _encrypt(plaintext, key, doc_id, version, out, chunk_size, os.urandom(NONCE_PREFIX_SIZE))


def _encrypt(
    plaintext: Plaintext,
    key: bytes,
    doc_id: str,
    version: int,
    out: BinaryIO,
    chunk_size: int,
    nonce_prefix: bytes,
) -> EncryptedInfo:
    if isinstance(plaintext, bytes | bytearray | memoryview):
        # In memory: hash the whole plaintext in one GIL-free call on the hash thread while
        # this thread seals, instead of one hand-off per chunk.
        whole = memoryview(plaintext).cast("B")
        plain_hash = _hash_worker().submit(sha256_hex, whole)
        try:
            sealed = _seal(whole, key, doc_id, version, out, chunk_size, nonce_prefix)
        finally:
            digest = plain_hash.result()
        return sealed.with_plaintext(digest, len(whole))
    return _encrypt_stream(plaintext, key, doc_id, version, out, chunk_size, nonce_prefix)


def _encrypt_stream(
    plaintext: BinaryIO,
    key: bytes,
    doc_id: str,
    version: int,
    out: BinaryIO,
    chunk_size: int,
    nonce_prefix: bytes,
) -> EncryptedInfo:
    """A file read one chunk at a time: never more than two chunks of it in memory."""
    header = DocumentHeader(doc_id, version, chunk_size, nonce_prefix).to_bytes()
    aead = AESGCM(_check_key(key))
    _write_all(out, memoryview(header))
    cipher_hash = hashlib.sha256(header)
    plain_hash = hashlib.sha256()
    sealed = bytearray(chunk_size + TAG_SIZE)
    sealed_view = memoryview(sealed)
    aad = bytearray(header + bytes(_AAD_TAIL.size))
    nonce = bytearray(nonce_prefix + bytes(4))
    size, plain_size, index = HEADER_SIZE, 0, 0
    for index, chunk, final in _plaintext_chunks(plaintext, chunk_size, plain_hash):
        if index >= MAX_CHUNKS:
            raise ValueError("document too large for format 1")
        piece = sealed_view[: len(chunk) + TAG_SIZE]
        _seal_chunk(aead, nonce, aad, index, final, chunk, piece)
        cipher_hash.update(piece)
        _write_all(out, piece)
        size += len(piece)
        plain_size += len(chunk)
    return EncryptedInfo(
        size=size,
        sha256=cipher_hash.hexdigest(),
        chunk_count=index + 1,
        plaintext_sha256=plain_hash.hexdigest(),
        plaintext_size=plain_size,
        chunk_size=chunk_size,
    )


def sha256_hex(data: bytes | bytearray | memoryview) -> str:
    """SHA-256 in one call: hashlib drops the GIL for the whole buffer."""
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class SealedFile:
    """A document file written by ``seal_document``: everything but the plaintext hash."""

    size: int
    sha256: str
    chunk_count: int
    chunk_size: int

    def with_plaintext(self, plaintext_sha256: str, plaintext_size: int) -> EncryptedInfo:
        return EncryptedInfo(
            size=self.size,
            sha256=self.sha256,
            chunk_count=self.chunk_count,
            plaintext_sha256=plaintext_sha256,
            plaintext_size=plaintext_size,
            chunk_size=self.chunk_size,
        )


# Chunks sealed per batch by ``seal_document``: one hash call and one write per batch, so
# the thread takes the GIL a few times per 8 MiB, not per chunk, and other threads that
# hold it (key wrapping) cannot stall the hashing.
SEAL_BATCH = 8


def seal_document(
    plaintext: bytes | bytearray | memoryview,
    key: bytes,
    doc_id: str,
    version: int,
    out: BinaryIO,
    *,
    chunk_size: int = CHUNK_SIZE,
) -> SealedFile:
    """Encrypt an in-memory or memory-mapped plaintext into ``out``; no plaintext hash.

    The same file as ``encrypt_document``, for a caller that hashes the plaintext on
    another thread (the pack builder does, so that both SHA-256 passes run at once).
    """
    whole = memoryview(plaintext).cast("B")
    return _seal(whole, key, doc_id, version, out, chunk_size, os.urandom(NONCE_PREFIX_SIZE))


def _seal(
    whole: memoryview,
    key: bytes,
    doc_id: str,
    version: int,
    out: BinaryIO,
    chunk_size: int,
    nonce_prefix: bytes,
) -> SealedFile:
    header = DocumentHeader(doc_id, version, chunk_size, nonce_prefix).to_bytes()
    aead = AESGCM(_check_key(key))
    count = max(1, -(-len(whole) // chunk_size))
    if count > MAX_CHUNKS:
        raise ValueError("document too large for format 1")
    _write_all(out, memoryview(header))
    cipher_hash = hashlib.sha256(header)
    full = chunk_size + TAG_SIZE
    # Sealed chunks are laid out in the batch buffer exactly as in the file.
    batch = memoryview(bytearray(min(count, SEAL_BATCH) * full))
    aad = bytearray(header + bytes(_AAD_TAIL.size))
    nonce = bytearray(nonce_prefix + bytes(4))
    for first in range(0, count, SEAL_BATCH):
        filled = 0
        for index in range(first, min(first + SEAL_BATCH, count)):
            chunk = whole[index * chunk_size : (index + 1) * chunk_size]
            _seal_chunk(aead, nonce, aad, index, index == count - 1, chunk,
                        batch[filled : filled + len(chunk) + TAG_SIZE])
            filled += len(chunk) + TAG_SIZE
        cipher_hash.update(batch[:filled])
        _write_all(out, batch[:filled])
    return SealedFile(
        size=ciphertext_size(len(whole), chunk_size),
        sha256=cipher_hash.hexdigest(),
        chunk_count=count,
        chunk_size=chunk_size,
    )


def _seal_chunk(aead: AESGCM, nonce: bytearray, aad: bytearray, index: int, final: bool,
                chunk: memoryview, into: memoryview) -> None:
    """Seal one chunk into ``into``: its index goes into the nonce, its index and the
    final flag into the associated data (after the header), so that reordering, truncation
    and splicing are detected. ``nonce`` and ``aad`` are the caller's reused buffers."""
    struct.pack_into(">I", nonce, NONCE_PREFIX_SIZE, index)
    _AAD_TAIL.pack_into(aad, HEADER_SIZE, index, 1 if final else 0)
    aead.encrypt_into(nonce, chunk, aad, into)


def _plaintext_chunks(
    source: BinaryIO, chunk_size: int, plain_hash: hashlib._Hash
) -> Iterator[tuple[int, memoryview, bool]]:
    """Yield (index, chunk, is_final) of a file, hashing the plaintext in the background.

    The last chunk is found by reading one chunk ahead, so a document whose size is an
    exact multiple of the chunk size ends with a full chunk flagged final (no empty tail).
    """
    worker = _hash_worker()
    buffers = (bytearray(chunk_size), bytearray(chunk_size))
    views = (memoryview(buffers[0]), memoryview(buffers[1]))
    pending: list[Future[None] | None] = [None, None]
    current = 0
    filled = _read_full(source, views[0])
    index = 0
    try:
        while True:
            pending[current] = worker.submit(plain_hash.update, views[current][:filled])
            following = 1 - current
            ahead = 0
            if filled == chunk_size:
                _wait(pending, following)  # its hash must finish before we overwrite it
                ahead = _read_full(source, views[following])
            yield index, views[current][:filled], ahead == 0
            if ahead == 0:
                return
            current, filled, index = following, ahead, index + 1
    finally:
        _wait(pending, 0)
        _wait(pending, 1)


def _wait(pending: list[Future[None] | None], slot: int) -> None:
    future = pending[slot]
    if future is not None:
        pending[slot] = None
        future.result()


def _read_full(source: BinaryIO, into: memoryview) -> int:
    """Fill ``into`` unless the stream ends first; short reads (pipes, sockets) are retried."""
    filled = 0
    readinto = getattr(source, "readinto", None)
    while filled < len(into):
        if readinto is not None:
            got = readinto(into[filled:])
        else:
            data = source.read(len(into) - filled)
            got = len(data)
            into[filled : filled + got] = data
        if not got:
            break
        filled += got
    return filled


def _write_all(out: BinaryIO, data: memoryview) -> None:
    """Buffered files write everything; a raw file may not, so finish the job."""
    while data:
        written = out.write(data)
        if written is None or written >= len(data):
            return
        data = data[written:]


def _check_key(key: bytes) -> bytes:
    if len(key) != KEY_SIZE:
        raise ValueError("content key must be 32 bytes")
    return bytes(key)


# --- decryption and verification -----------------------------------------------------


class _ChunkOpener:
    """Authenticates and decrypts chunks of one file whose header was already checked."""

    def __init__(self, key: bytes, header: DocumentHeader) -> None:
        self.header = header
        self._aead = AESGCM(_check_key(key))
        header_bytes = header.to_bytes()
        self._aad = bytearray(header_bytes + bytes(_AAD_TAIL.size))
        self._nonce = bytearray(header.nonce_prefix + bytes(4))
        self._scratch = bytearray(header.chunk_size)

    def open_into(self, index: int, sealed: memoryview, out: memoryview, is_last: bool) -> None:
        """Decrypt ``sealed`` into ``out``; on failure, zero ``out`` and say what went wrong."""
        if len(sealed) < TAG_SIZE:
            raise TruncatedDocument(chunk=index, reason="chunk shorter than its tag")
        if index >= MAX_CHUNKS:
            raise TamperedChunk(chunk=index, reason="too many chunks")
        struct.pack_into(">I", self._nonce, NONCE_PREFIX_SIZE, index)
        try:
            self._try(index, sealed, out, is_last)
            return
        except InvalidTag:
            out[:] = bytes(len(out))  # never leave unauthenticated plaintext behind
        # Same chunk with the opposite final flag tells truncation and extension apart
        # from plain tampering; this only runs on the error path.
        scratch = memoryview(self._scratch)[: len(out)]
        try:
            self._try(index, sealed, scratch, not is_last)
        except InvalidTag:
            raise TamperedChunk(chunk=index) from None
        finally:
            scratch[:] = bytes(len(scratch))
        if is_last:
            raise TruncatedDocument(chunks_present=index + 1)
        raise TamperedChunk(chunk=index, reason="data after the final chunk")

    def _try(self, index: int, sealed: memoryview, out: memoryview, final: bool) -> None:
        _AAD_TAIL.pack_into(self._aad, HEADER_SIZE, index, 1 if final else 0)
        self._aead.decrypt_into(self._nonce, sealed, self._aad, out)


def read_header(raw: bytes | memoryview, doc_id: str, version: int) -> DocumentHeader:
    """Parse a file's header and check it names the document and version we expect."""
    header = DocumentHeader.parse(raw)
    if header.doc_id != doc_id or header.version != version:
        raise WrongDocument(
            expected=f"{doc_id} v{version}", found=f"{header.doc_id} v{header.version}"
        )
    return header


def _sealed_chunks(
    source: Ciphertext, doc_id: str, version: int
) -> tuple[DocumentHeader, Iterator[tuple[int, memoryview, bool]], int | None]:
    """The checked header, the sealed chunks (index, bytes, is_last), and the total size."""
    if isinstance(source, bytes | bytearray | memoryview):
        whole = memoryview(source).cast("B")
        header = read_header(whole[:HEADER_SIZE], doc_id, version)
        return header, _slices(whole, header.chunk_size), len(whole)
    header = read_header(_read_exact_or_less(source, HEADER_SIZE), doc_id, version)
    return header, _stream_slices(source, header.chunk_size), _remaining_size(source)


def _slices(whole: memoryview, chunk_size: int) -> Iterator[tuple[int, memoryview, bool]]:
    full = chunk_size + TAG_SIZE
    body = len(whole) - HEADER_SIZE
    if body <= 0:
        raise TruncatedDocument(reason="no chunks")
    count = -(-body // full)
    for index in range(count):
        start = HEADER_SIZE + index * full
        yield index, whole[start : start + full], index == count - 1


def _stream_slices(source: BinaryIO, chunk_size: int) -> Iterator[tuple[int, memoryview, bool]]:
    full = chunk_size + TAG_SIZE
    buffers = (memoryview(bytearray(full)), memoryview(bytearray(full)))
    current = 0
    filled = _read_full(source, buffers[0])
    if filled == 0:
        raise TruncatedDocument(reason="no chunks")
    index = 0
    while True:
        ahead = _read_full(source, buffers[1 - current]) if filled == full else 0
        yield index, buffers[current][:filled], ahead == 0
        if ahead == 0:
            return
        current, filled, index = 1 - current, ahead, index + 1


def _read_exact_or_less(source: BinaryIO, size: int) -> bytes:
    buf = bytearray(size)
    got = _read_full(source, memoryview(buf))
    return bytes(buf[:got])


def _remaining_size(source: BinaryIO) -> int | None:
    """Size of the document file (header included) if the stream can tell it, else None.

    Called just after the header was read, wherever in the stream the file started.
    """
    try:
        if not source.seekable():
            return None
        here = source.tell()
        end = source.seek(0, os.SEEK_END)
        source.seek(here)
        return end - here + HEADER_SIZE
    except (AttributeError, OSError):
        return None


def plaintext_size(ciphertext_size: int, chunk_size: int = CHUNK_SIZE) -> int:
    """Plaintext length of a file of ``ciphertext_size`` bytes (a short tail counts 0)."""
    count = chunk_count(ciphertext_size, chunk_size)
    if count == 0:
        return 0
    tail = ciphertext_size - chunk_offset(count - 1, chunk_size)
    return (count - 1) * chunk_size + max(0, tail - TAG_SIZE)


def iter_decrypt(ciphertext: Ciphertext, key: bytes, doc_id: str, version: int) -> Iterator[bytes]:
    """Yield the plaintext one chunk at a time, each only after it was authenticated.

    A caller that stops early has seen only authentic data, but not necessarily all of
    it: only a loop that runs to the end has proved the document is complete.
    """
    header, chunks, _ = _sealed_chunks(ciphertext, doc_id, version)
    return _opened(_ChunkOpener(key, header), chunks)


def _opened(
    opener: _ChunkOpener, chunks: Iterator[tuple[int, memoryview, bool]]
) -> Iterator[bytes]:
    for index, sealed, is_last in chunks:
        out = bytearray(max(0, len(sealed) - TAG_SIZE))
        opener.open_into(index, sealed, memoryview(out), is_last)
        yield bytes(out)


def decrypt_document(ciphertext: Ciphertext, key: bytes, doc_id: str, version: int) -> bytearray:
    """Decrypt and authenticate a whole document into memory.

    Returns a ``bytearray`` (bytes-like; PyMuPDF opens it directly) so that the reader can
    zero the plaintext when the document is closed. Nothing is returned unless every
    chunk, the order, and the end of the document were authenticated.
    """
    header, chunks, total = _sealed_chunks(ciphertext, doc_id, version)
    opener = _ChunkOpener(key, header)
    if total is None:
        return bytearray(b"".join(_opened(opener, chunks)))
    plain = bytearray(plaintext_size(total, header.chunk_size))
    view = memoryview(plain)
    position = 0
    try:
        for index, sealed, is_last in chunks:
            size = max(0, len(sealed) - TAG_SIZE)
            opener.open_into(index, sealed, view[position : position + size], is_last)
            position += size
        if position != len(plain):  # the file shrank while we read it
            raise TruncatedDocument(reason="file shorter than announced")
    except BaseException:
        view[:] = bytes(len(plain))
        raise
    return plain


class ChunkVerifier:
    """Checks a download chunk by chunk as bytes arrive, so a cut download can resume.

    Feed the bytes in file order (from offset 0; after a restart, feed the partial file
    first, then request ``Range: bytes={received}-``). ``verified_offset`` is the end of
    the last authenticated chunk: anything after it may be discarded. ``finish`` proves
    the file is complete and returns its SHA-256, checked against the manifest if given.
    The plaintext is decrypted into a scratch buffer and zeroed, never kept.
    """

    def __init__(
        self,
        key: bytes,
        doc_id: str,
        version: int,
        *,
        ciphertext_size: int,
        ciphertext_sha256: str | None = None,
    ) -> None:
        self._key, self._doc_id, self._version = key, doc_id, version
        self._expected_size = ciphertext_size
        self._expected_sha256 = ciphertext_sha256
        self._pending = bytearray()
        self._hash = hashlib.sha256()
        self._opener: _ChunkOpener | None = None
        self._scratch = bytearray()
        self._next_index = 0
        self._count = 0
        self.received = 0
        self.verified_offset = 0

    @property
    def done(self) -> bool:
        return self._opener is not None and self._next_index == self._count

    def feed(self, data: bytes | bytearray | memoryview) -> int:
        """Take the next bytes of the file; returns how many chunks were newly verified.

        After an error the verifier is spent: start a new one from ``verified_offset``.
        """
        if self.received + len(data) > self._expected_size:
            raise TamperedChunk(reason="more bytes than the manifest announces")
        self.received += len(data)
        if self._pending:
            self._pending += data
            data = self._pending
        verified = 0
        with memoryview(data) as whole:
            view = whole.cast("B") if whole.format != "B" else whole
            position = 0
            if self._opener is None:
                if len(view) < HEADER_SIZE:
                    self._pending = bytearray(view)
                    return 0
                self._start(bytes(view[:HEADER_SIZE]))
                self._hash.update(view[:HEADER_SIZE])
                position = self.verified_offset = HEADER_SIZE
            assert self._opener is not None
            full = self._opener.header.chunk_size + TAG_SIZE
            while self._next_index < self._count:
                is_last = self._next_index == self._count - 1
                need = self._expected_size - self.verified_offset if is_last else full
                if len(view) - position < need:
                    break
                sealed = view[position : position + need]
                out = memoryview(self._scratch)[: need - TAG_SIZE]
                self._opener.open_into(self._next_index, sealed, out, is_last)
                out[:] = bytes(len(out))  # verification only: drop the plaintext at once
                self._hash.update(sealed)
                position += need
                self.verified_offset += need
                self._next_index += 1
                verified += 1
            self._pending = bytearray(view[position:])
        return verified

    def _start(self, header_bytes: bytes) -> None:
        header = read_header(header_bytes, self._doc_id, self._version)
        size = self._expected_size
        self._count = chunk_count(size, header.chunk_size)
        if self._count == 0 or size != ciphertext_size(
            plaintext_size(size, header.chunk_size), header.chunk_size
        ):
            raise TamperedChunk(reason="announced size is not a whole file")
        self._opener = _ChunkOpener(self._key, header)
        self._scratch = bytearray(header.chunk_size)

    def finish(self) -> str:
        """Return the hex SHA-256 of the complete, fully verified file."""
        if not self.done:
            raise TruncatedDocument(received=self.received, expected=self._expected_size)
        digest = self._hash.hexdigest()
        if self._expected_sha256 is not None and digest != self._expected_sha256.lower():
            raise CiphertextHashMismatch(expected=self._expected_sha256, found=digest)
        return digest


def verify_document(
    source: BinaryIO,
    key: bytes,
    doc_id: str,
    version: int,
    *,
    ciphertext_size: int,
    ciphertext_sha256: str | None = None,
) -> str:
    """Verify a complete ciphertext file on disk without keeping any plaintext."""
    verifier = ChunkVerifier(
        key, doc_id, version, ciphertext_size=ciphertext_size, ciphertext_sha256=ciphertext_sha256
    )
    buf = memoryview(bytearray(CHUNK_SIZE))
    while got := _read_full(source, buf):
        verifier.feed(buf[:got])
    return verifier.finish()
