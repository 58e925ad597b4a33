"""Chunked document encryption: round trips, Range offsets, and every tampering we know."""

from __future__ import annotations

import hashlib
import io
import random

import pytest

from shared.crypto.chunked import (
    CHUNK_SIZE,
    HEADER_SIZE,
    SEAL_BATCH,
    TAG_SIZE,
    ChunkVerifier,
    _encrypt,
    chunk_count,
    chunk_offset,
    ciphertext_size,
    decrypt_document,
    encrypt_document,
    generate_content_key,
    iter_decrypt,
    seal_document,
    verify_document,
)
from shared.crypto.errors import (
    CiphertextHashMismatch,
    DocumentIntegrityError,
    TamperedChunk,
    TamperedHeader,
    TruncatedDocument,
    UnsupportedFormat,
    WrongDocument,
)

SMALL = 4096  # small chunks keep many-chunk cases fast; the format is the same
DOC, VERSION = "to-trinh-01", 3


def plaintext(size: int, seed: int = 1) -> bytes:
    return random.Random(seed).randbytes(size)


def encrypt(data: bytes, key: bytes, doc: str = DOC, version: int = VERSION) -> bytes:
    out = io.BytesIO()
    encrypt_document(data, key, doc, version, out, chunk_size=SMALL)
    return out.getvalue()


def chunk(ct: bytes, index: int) -> bytes:
    return ct[chunk_offset(index, SMALL) : chunk_offset(index + 1, SMALL)]


class Trickle(io.RawIOBase):
    """A non-seekable stream that hands out at most 1000 bytes per read, like a pipe."""

    def __init__(self, data: bytes) -> None:
        self._data, self._pos = data, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[override]
        piece = self._data[self._pos : self._pos + min(len(buffer), 1000)]
        buffer[: len(piece)] = piece
        self._pos += len(piece)
        return len(piece)


@pytest.fixture
def key() -> bytes:
    return generate_content_key()


BATCH = SEAL_BATCH * SMALL  # in-memory sources are sealed SEAL_BATCH chunks at a time


@pytest.mark.parametrize("size", [0, 1, SMALL - 1, SMALL, SMALL + 1, 3 * SMALL + 5, 4 * SMALL,
                                  BATCH - 1, BATCH, BATCH + 1, 2 * BATCH + 3 * SMALL + 7])
def test_round_trip_through_every_input_and_output_kind(key: bytes, size: int) -> None:
    data = plaintext(size)
    for source in (data, io.BytesIO(data), Trickle(data)):
        out = io.BytesIO()
        info = encrypt_document(source, key, DOC, VERSION, out, chunk_size=SMALL)
        ct = out.getvalue()
        assert info.size == len(ct) == ciphertext_size(size, SMALL)
        assert info.sha256 == hashlib.sha256(ct).hexdigest()
        assert info.plaintext_sha256 == hashlib.sha256(data).hexdigest()
        assert info.chunk_count == chunk_count(len(ct), SMALL) == max(1, -(-size // SMALL))
        assert decrypt_document(ct, key, DOC, VERSION) == data
        assert decrypt_document(io.BytesIO(ct), key, DOC, VERSION) == data
        assert decrypt_document(Trickle(ct), key, DOC, VERSION) == data
        assert b"".join(iter_decrypt(ct, key, DOC, VERSION)) == data


@pytest.mark.parametrize("size", [0, SMALL, 2 * BATCH + 5])
def test_sealing_without_the_plaintext_hash_writes_the_same_format(key: bytes, size: int) -> None:
    """The pack builder seals and hashes the plaintext on separate threads; the file it
    writes must be the one ``encrypt_document`` writes, down to every verifier's check."""
    data = plaintext(size, 9)
    out = io.BytesIO()
    sealed = seal_document(memoryview(data), key, DOC, VERSION, out, chunk_size=SMALL)
    ct = out.getvalue()
    info = sealed.with_plaintext(hashlib.sha256(data).hexdigest(), size)
    assert info.size == len(ct) == ciphertext_size(size, SMALL)
    assert info.sha256 == hashlib.sha256(ct).hexdigest()
    assert info.chunk_count == max(1, -(-size // SMALL))
    assert verify_document(io.BytesIO(ct), key, DOC, VERSION, ciphertext_size=len(ct),
                           ciphertext_sha256=info.sha256) == info.sha256
    assert decrypt_document(ct, key, DOC, VERSION) == data
    # Dropping the last chunk of a sealed file is caught as truncation, as for any other.
    if info.chunk_count > 1:
        with pytest.raises(TruncatedDocument):
            decrypt_document(ct[: chunk_offset(info.chunk_count - 1, SMALL)], key, DOC, VERSION)


def test_default_one_mebibyte_chunks_and_range_offsets(key: bytes) -> None:
    data = plaintext(2 * CHUNK_SIZE + 12345)
    out = io.BytesIO()
    info = encrypt_document(data, key, DOC, VERSION, out)
    ct = out.getvalue()
    assert info.chunk_count == 3
    assert chunk_offset(1) == HEADER_SIZE + CHUNK_SIZE + TAG_SIZE
    assert len(ct) == chunk_offset(2) + 12345 + TAG_SIZE
    assert decrypt_document(ct, key, DOC, VERSION) == data


def test_same_document_encrypts_differently_each_time(key: bytes) -> None:
    data = plaintext(SMALL * 2)
    assert encrypt(data, key) != encrypt(data, key)  # random nonce prefix


def test_wrong_key_is_refused_at_the_first_chunk(key: bytes) -> None:
    ct = encrypt(plaintext(3 * SMALL), key)
    with pytest.raises(TamperedChunk) as caught:
        decrypt_document(ct, generate_content_key(), DOC, VERSION)
    assert caught.value.extra["chunk"] == 0
    assert caught.value.code == "document_chunk_tampered"
    assert caught.value.message_vi and caught.value.message_en


def test_expecting_another_document_or_version_is_refused(key: bytes) -> None:
    ct = encrypt(plaintext(100), key)
    with pytest.raises(WrongDocument):
        decrypt_document(ct, key, "bao-cao-02", VERSION)
    with pytest.raises(WrongDocument):
        decrypt_document(ct, key, DOC, VERSION + 1)


# --- tampering -------------------------------------------------------------------------


def tampered_cases(key: bytes) -> dict[str, tuple[bytes, type[DocumentIntegrityError]]]:
    data = plaintext(4 * SMALL + 100)
    ct = encrypt(data, key)
    chunks = [chunk(ct, i) for i in range(5)]
    header = ct[:HEADER_SIZE]
    flipped = bytearray(ct)
    flipped[chunk_offset(1, SMALL) + 10] ^= 0x01
    other_doc = encrypt(plaintext(4 * SMALL + 100, seed=2), key, doc="bao-cao-02")
    # Same key and same nonce prefix: only the associated data tells the versions apart.
    prefix = header[24:32]
    v4 = io.BytesIO()
    _encrypt(plaintext(4 * SMALL + 100, 3), key, DOC, VERSION + 1, v4, SMALL, prefix)
    v4_ct = v4.getvalue()
    return {
        "flip a byte in a chunk": (bytes(flipped), TamperedChunk),
        "swap two chunks": (header + chunks[1] + chunks[0] + b"".join(chunks[2:]), TamperedChunk),
        "drop the last chunk": (header + b"".join(chunks[:4]), TruncatedDocument),
        "cut a few bytes into the last chunk": (
            ct[: chunk_offset(4, SMALL) + 10],
            TruncatedDocument,
        ),
        "cut inside the last chunk": (ct[:-50], TamperedChunk),
        "append a chunk": (ct + chunks[2], TamperedChunk),
        "append junk": (ct + b"\x00" * 20, TamperedChunk),
        "chunk from another document": (
            header + chunks[0] + chunk(other_doc, 1) + b"".join(chunks[2:]),
            TamperedChunk,
        ),
        "chunk from another version": (
            header + chunks[0] + chunk(v4_ct, 1) + b"".join(chunks[2:]),
            TamperedChunk,
        ),
        "final chunk moved up": (header + chunks[0] + chunks[4], TamperedChunk),
        "header only": (header, TruncatedDocument),
        "empty file": (b"", TruncatedDocument),
    }


CASES = list(tampered_cases(generate_content_key()))


@pytest.mark.parametrize("case", CASES)
def test_tampering_is_detected_by_every_reader(key: bytes, case: str) -> None:
    ct, error = tampered_cases(key)[case]
    with pytest.raises(error):
        decrypt_document(ct, key, DOC, VERSION)
    with pytest.raises(error):
        decrypt_document(io.BytesIO(ct), key, DOC, VERSION)
    with pytest.raises(error):
        b"".join(iter_decrypt(Trickle(ct), key, DOC, VERSION))


@pytest.mark.parametrize("case", CASES)
def test_tampering_is_detected_while_downloading(key: bytes, case: str) -> None:
    ct, _ = tampered_cases(key)[case]
    honest_size = ciphertext_size(4 * SMALL + 100, SMALL)
    verifier = ChunkVerifier(key, DOC, VERSION, ciphertext_size=honest_size)
    with pytest.raises(DocumentIntegrityError):
        for start in range(0, len(ct), 3000):
            verifier.feed(ct[start : start + 3000])
        verifier.finish()


def test_every_single_byte_edit_of_the_header_is_refused(key: bytes) -> None:
    ct = bytearray(encrypt(plaintext(SMALL + 1), key))
    for position in range(HEADER_SIZE):
        edited = bytearray(ct)
        edited[position] ^= 0x40
        with pytest.raises(DocumentIntegrityError):
            decrypt_document(bytes(edited), key, DOC, VERSION)


def test_header_edits_say_what_is_wrong(key: bytes) -> None:
    ct = encrypt(plaintext(10), key)

    def edit(position: int, value: int) -> bytes:
        edited = bytearray(ct)
        edited[position] = value
        return bytes(edited)

    with pytest.raises(TamperedHeader):
        decrypt_document(edit(0, ord("X")), key, DOC, VERSION)  # magic
    with pytest.raises(UnsupportedFormat):
        decrypt_document(edit(9, 2), key, DOC, VERSION)  # format version 2
    with pytest.raises(WrongDocument):
        decrypt_document(edit(23, VERSION + 1), key, DOC, VERSION)  # document version
    with pytest.raises(TamperedChunk):
        decrypt_document(edit(24, ct[24] ^ 1), key, DOC, VERSION)  # nonce prefix
    with pytest.raises(TamperedHeader):
        decrypt_document(edit(120, 1), key, DOC, VERSION)  # reserved


def test_authentic_chunks_before_a_tampered_one_are_the_only_ones_released(key: bytes) -> None:
    data = plaintext(3 * SMALL)
    ct = bytearray(encrypt(data, key))
    ct[chunk_offset(2, SMALL) + 5] ^= 0xFF
    released = []
    with pytest.raises(TamperedChunk):
        for piece in iter_decrypt(bytes(ct), key, DOC, VERSION):
            released.append(piece)
    assert b"".join(released) == data[: 2 * SMALL]


# --- download verification and resume -----------------------------------------------


def test_verifier_accepts_any_split_and_returns_the_file_hash(key: bytes) -> None:
    ct = encrypt(plaintext(5 * SMALL + 7), key)
    rng = random.Random(7)
    verifier = ChunkVerifier(
        key, DOC, VERSION, ciphertext_size=len(ct), ciphertext_sha256=hashlib.sha256(ct).hexdigest()
    )
    position = 0
    while position < len(ct):
        step = rng.choice([1, 15, 16, 17, 200, SMALL, 3 * SMALL])
        verifier.feed(memoryview(ct)[position : position + step])
        position += step
    assert verifier.done
    assert verifier.finish() == hashlib.sha256(ct).hexdigest()


def test_cut_download_resumes_from_the_verified_chunk_boundary(key: bytes) -> None:
    ct = encrypt(plaintext(6 * SMALL + 99), key)
    cut = chunk_offset(3, SMALL) + 1000  # the connection dropped mid-chunk
    first = ChunkVerifier(key, DOC, VERSION, ciphertext_size=len(ct))
    assert first.feed(ct[:cut]) == 3
    assert first.verified_offset == chunk_offset(3, SMALL)
    with pytest.raises(TruncatedDocument):
        first.finish()
    # After a restart: re-check what is on disk, then ask for Range: bytes=<verified>-.
    partial = ct[: first.verified_offset]
    second = ChunkVerifier(key, DOC, VERSION, ciphertext_size=len(ct))
    second.feed(partial)
    second.feed(ct[second.received :])
    assert second.finish() == hashlib.sha256(ct).hexdigest()


def test_verifier_refuses_more_bytes_than_announced_and_a_wrong_hash(key: bytes) -> None:
    ct = encrypt(plaintext(SMALL + 1), key)
    verifier = ChunkVerifier(key, DOC, VERSION, ciphertext_size=len(ct))
    with pytest.raises(TamperedChunk):
        verifier.feed(ct + b"x")
    wrong = ChunkVerifier(key, DOC, VERSION, ciphertext_size=len(ct), ciphertext_sha256="0" * 64)
    wrong.feed(ct)
    with pytest.raises(CiphertextHashMismatch):
        wrong.finish()


def test_verifier_stops_at_the_tampered_chunk(key: bytes) -> None:
    ct = bytearray(encrypt(plaintext(4 * SMALL), key))
    ct[chunk_offset(2, SMALL)] ^= 1
    verifier = ChunkVerifier(key, DOC, VERSION, ciphertext_size=len(ct))
    with pytest.raises(TamperedChunk):
        verifier.feed(bytes(ct))
    assert verifier.verified_offset == chunk_offset(2, SMALL)


def test_verify_document_on_a_file(key: bytes, tmp_path) -> None:
    data = plaintext(3 * SMALL)
    path = tmp_path / "doc.hdndoc"
    with open(path, "wb") as out:
        info = encrypt_document(data, key, DOC, VERSION, out, chunk_size=SMALL)
    with open(path, "rb") as source:
        digest = verify_document(
            source, key, DOC, VERSION, ciphertext_size=info.size, ciphertext_sha256=info.sha256
        )
    assert digest == info.sha256
    with open(path, "rb") as source:
        assert decrypt_document(source, key, DOC, VERSION) == data


def test_a_file_embedded_in_a_larger_stream(key: bytes) -> None:
    data = plaintext(2 * SMALL + 3)
    stream = io.BytesIO(b"prefix" + encrypt(data, key))
    stream.seek(6)
    assert decrypt_document(stream, key, DOC, VERSION) == data
