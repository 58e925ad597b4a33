"""Encrypting many documents at once: same files as one at a time, and a failure leaves
only complete, checked files under final names."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from pathlib import Path

import pytest

from shared.crypto.chunked import SEAL_BATCH, decrypt_document
from shared.pack.builder import SourceDocument, build_pack
from shared.pack.encryptor import PackEncryptor, ciphertext_path
from shared.pack.errors import SourceDocumentChanged
from shared.pack.manifest import Confidentiality

from .conftest import CHUNK, ISSUED, SESSION, agenda_for, document


def on_disk(docs: list[SourceDocument], folder: Path) -> list[SourceDocument]:
    """The same documents as uploaded files, each with the hash recorded at upload."""
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for source in docs:
        path = folder / f"{source.id}.pdf"
        path.write_bytes(source.content)  # type: ignore[arg-type]
        out.append(replace(source, content=path,
                           expected_sha256=hashlib.sha256(path.read_bytes()).hexdigest()))
    return out


def build(server_key, devices, docs, out_dir: Path, **extra):
    return build_pack(council="HĐND xã Y Tý", session=SESSION, pack_version=1,
                      agenda=agenda_for([d.id for d in docs]), documents=docs,
                      recipients=[d.recipient(set()) for d in devices], server_key=server_key,
                      out_dir=out_dir, issued_at=ISSUED, chunk_size=CHUNK, **extra)


SIZES = [0, 1, CHUNK, SEAL_BATCH * CHUNK, SEAL_BATCH * CHUNK + 1, 3 * SEAL_BATCH * CHUNK + 77]


def test_files_of_every_size_build_in_parallel_and_open(server_key, devices, tmp_path) -> None:
    docs = on_disk([document(f"tai-lieu-{n}", Confidentiality.INTERNAL, size)
                    for n, size in enumerate(SIZES)], tmp_path / "uploads")
    finished: list[str] = []
    pack = build(server_key, devices, docs, tmp_path / "out", workers=3,
                 on_encrypted=lambda done: finished.append(done.doc_id))
    assert finished == [d.id for d in docs]  # each reported once, in order
    for source, entry in zip(docs, pack.signed.manifest.documents, strict=True):
        path = ciphertext_path(tmp_path / "out", source.id, 1)
        stored = path.read_bytes()
        assert entry.ciphertext_size == len(stored)
        assert entry.ciphertext_sha256 == hashlib.sha256(stored).hexdigest()
        assert entry.plaintext_sha256 == source.expected_sha256
        key = pack.documents[source.id].content_key
        assert decrypt_document(stored, key, source.id, 1) == source.content.read_bytes()  # type: ignore[union-attr]
    assert not list((tmp_path / "out").glob("*.part"))


def test_a_reused_document_is_not_encrypted_again(server_key, devices, tmp_path) -> None:
    docs = [document("a", Confidentiality.INTERNAL, 3 * CHUNK),
            document("b", Confidentiality.INTERNAL, 2 * CHUNK)]
    first = build(server_key, devices, docs, tmp_path)
    kept = first.documents["a"]
    finished: list[str] = []
    second = build(server_key, devices, [docs[0], document("b", Confidentiality.INTERNAL, 5, 2)],
                   tmp_path, previous={("a", 1): kept},
                   on_encrypted=lambda done: finished.append(done.doc_id))
    assert finished == ["b"]
    assert second.documents["a"] == kept


def test_a_stored_file_changed_since_upload_stops_the_build(server_key, devices,
                                                            tmp_path) -> None:
    docs = on_disk([document(f"d{n}", Confidentiality.INTERNAL, 2 * CHUNK + n) for n in range(4)],
                   tmp_path / "uploads")
    docs[2].content.write_bytes(b"%PDF-1.7 replaced behind the server's back")  # type: ignore[union-attr]
    finished: list[str] = []
    with pytest.raises(SourceDocumentChanged) as caught:
        build(server_key, devices, docs, tmp_path / "out",
              on_encrypted=lambda done: finished.append(done.doc_id))
    assert caught.value.extra["document"] == "d2"
    out = tmp_path / "out"
    # What was finished before the bad file is complete and stays; nothing else is left.
    assert finished == ["d0", "d1"]
    assert sorted(p.name for p in out.iterdir()) == ["d0.v1.hdndoc", "d1.v1.hdndoc"]


def test_a_missing_source_fails_cleanly(server_key, devices, tmp_path) -> None:
    docs = on_disk([document(f"d{n}", Confidentiality.INTERNAL, CHUNK) for n in range(3)],
                   tmp_path / "uploads")
    with pytest.raises(FileNotFoundError):
        build(server_key, devices, [*docs, replace(docs[0], id="gone",
                                                   content=tmp_path / "missing.pdf")],
              tmp_path / "out")
    assert not list((tmp_path / "out").glob("*.part"))


def test_leaving_early_removes_partial_files(tmp_path) -> None:
    big = document("lon", Confidentiality.INTERNAL, 40 * SEAL_BATCH * CHUNK)
    with pytest.raises(RuntimeError), PackEncryptor(tmp_path, CHUNK, workers=2) as encryptor:
        encryptor.submit(big.id, 1, big.content)
        encryptor.start_sealing()
        raise RuntimeError("the caller failed while the document was being encrypted")
    assert list(tmp_path.iterdir()) == []
