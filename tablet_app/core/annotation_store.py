"""Annotation layers on disk: an encrypted, append-only journal per document version.

Each finished stroke, highlight, note, erase, undo or redo is one record appended and
fsynced before the call returns, so killing the app loses at most the stroke still under
the finger. Closing the layer compacts the journal into one snapshot record (written to
a temporary file, fsynced, renamed over the old one).

File ``annotations/<document id>@<version>.journal``: a sequence of records, each
``length (4 bytes, big endian) || nonce (12) || AES-256-GCM(key, nonce, JSON, aad)`` with
``aad = "hdnd-annotations-1" 0x00 doc id 0x00 version 0x00 record number``, so records
cannot be moved between documents or reordered without failing authentication. A
record cut short by a crash (only ever the last one) is dropped when the file is read.

The key is the caller's (the key store's annotation key); this module never makes or
keeps keys of its own.
"""

from __future__ import annotations

import json
import os
import re
import struct
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from tablet_app.core.annotations import AnnotationLayer, Mark, Operation, replay_operation

TAG = b"hdnd-annotations-1"
JOURNAL_DIR = "annotations"
KEY_NAME = "annotation_key"  # the layers' key, sealed in the PIN-protected key store
_LENGTH = struct.Struct(">I")
_SAFE_ID = re.compile(r"^[A-Za-z0-9_.-]{1,100}$")


class AnnotationStoreError(Exception):
    code = "annotations_error"
    message_vi = "Lỗi khi lưu ghi chú."
    message_en = "Annotations could not be stored."


class AnnotationsCorrupt(AnnotationStoreError):
    code = "annotations_corrupt"
    message_vi = "Tệp ghi chú bị hỏng, bị sửa hoặc không mở được bằng khóa của máy này."
    message_en = "The annotations file is damaged, altered, or not openable with this key."


class BadKey(AnnotationStoreError):
    code = "annotations_bad_key"
    message_vi = "Khóa mã hóa ghi chú không hợp lệ."
    message_en = "The annotations encryption key is invalid."


def _aad(doc_id: str, version: int, number: int) -> bytes:
    return b"\x00".join([TAG, doc_id.encode(), str(version).encode(), str(number).encode()])


def _fsync_dir(folder: Path) -> None:
    if hasattr(os, "O_DIRECTORY"):
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


class AnnotationJournal:
    """One open layer and the journal file behind it. Use ``AnnotationStore.open``."""

    def __init__(self, path: Path, aead: AESGCM, doc_id: str, version: int) -> None:
        self.path, self._aead = path, aead
        self.doc_id, self.version = doc_id, version
        marks, self._count = self._read()
        self._file = open(path, "ab")  # kept open while the layer is
        self.layer = AnnotationLayer(marks, sink=self.append)

    def _read(self) -> tuple[list[Mark], int]:
        if not self.path.exists():
            return [], 0
        data = self.path.read_bytes()
        marks: dict[str, Mark] = {}
        offset = number = 0
        while offset + _LENGTH.size <= len(data):
            (size,) = _LENGTH.unpack_from(data, offset)
            end = offset + _LENGTH.size + size
            if end > len(data):
                break  # the record being written when the app died
            blob = data[offset + _LENGTH.size:end]
            try:
                plain = self._aead.decrypt(blob[:12], blob[12:],
                                           _aad(self.doc_id, self.version, number))
            except (InvalidTag, ValueError) as exc:
                raise AnnotationsCorrupt(str(self.path)) from exc
            replay_operation(marks, json.loads(plain))
            offset, number = end, number + 1
        if offset != len(data):  # cut the torn tail so new records follow whole ones
            with open(self.path, "r+b") as handle:
                handle.truncate(offset)
                os.fsync(handle.fileno())
        return list(marks.values()), number

    def _record(self, op: Operation, number: int) -> bytes:
        plain = json.dumps(op, ensure_ascii=False, separators=(",", ":")).encode()
        nonce = os.urandom(12)
        sealed = nonce + self._aead.encrypt(nonce, plain, _aad(self.doc_id, self.version, number))
        return _LENGTH.pack(len(sealed)) + sealed

    def append(self, op: Operation) -> None:
        """Write one operation and fsync before returning (called by the layer)."""
        self._file.write(self._record(op, self._count))
        self._file.flush()
        os.fsync(self._file.fileno())
        self._count += 1

    @property
    def records(self) -> int:
        return self._count

    def compact(self) -> None:
        """Replace the journal by one snapshot of the marks as they are now."""
        from tablet_app.core.annotations import mark_to_dict

        snapshot = {"op": "snapshot", "marks": [mark_to_dict(m) for m in self.layer.marks()]}
        temporary = self.path.with_suffix(".tmp")
        with open(temporary, "wb") as handle:
            handle.write(self._record(snapshot, 0))
            handle.flush()
            os.fsync(handle.fileno())
        self._file.close()
        os.replace(temporary, self.path)
        _fsync_dir(self.path.parent)
        self._count = 1
        self._file = open(self.path, "ab")

    def close(self) -> None:
        if self._file.closed:
            return
        self.compact()
        self._file.close()

    def __enter__(self) -> AnnotationJournal:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class AnnotationStore:
    """Every annotation layer of this device, under ``folder/annotations``."""

    def __init__(self, folder: str | os.PathLike[str], key: bytes) -> None:
        if len(key) != 32:
            raise BadKey(f"need 32 bytes, got {len(key)}")
        self.folder = Path(folder) / JOURNAL_DIR
        self.folder.mkdir(parents=True, exist_ok=True)
        self._aead = AESGCM(key)

    def path(self, doc_id: str | int, version: int) -> Path:
        doc = str(doc_id)
        if not _SAFE_ID.match(doc):
            raise ValueError(f"unsafe document id {doc!r}")
        return self.folder / f"{doc}@{int(version)}.journal"

    def open(self, doc_id: str | int, version: int) -> AnnotationJournal:
        """The layer of one document version, replayed from its journal (or empty)."""
        return AnnotationJournal(self.path(doc_id, version), self._aead, str(doc_id),
                                 int(version))

    def has(self, doc_id: str | int, version: int) -> bool:
        return self.path(doc_id, version).exists()

    def versions(self, doc_id: str | int) -> list[int]:
        """Versions of a document that have a layer, oldest first."""
        prefix = f"{doc_id}@"
        found = [p.name[len(prefix):-len(".journal")]
                 for p in self.folder.glob(f"{prefix}*.journal")]
        return sorted(int(v) for v in found if v.isdigit())

    def layers(self) -> list[tuple[str, int]]:
        """Every (document id, version) that has a layer on this device (for the backup)."""
        found = []
        for path in sorted(self.folder.glob("*@*.journal")):
            doc, _, version = path.name[:-len(".journal")].rpartition("@")
            if version.isdigit():
                found.append((doc, int(version)))
        return found

    def write_layer(self, doc_id: str | int, version: int, marks: list[Mark]) -> None:
        """A new layer holding exactly ``marks``, as one snapshot record (the document's
        id is renumbered: the old layer's records are bound to the old id)."""
        journal = AnnotationJournal(self.path(doc_id, version), self._aead, str(doc_id),
                                    int(version))
        journal.layer = AnnotationLayer(list(marks), sink=journal.append)
        journal.close()  # closing compacts: the snapshot is written and fsynced

    def wipe(self) -> None:
        """Delete every layer (sign out and wipe this device)."""
        for path in self.folder.glob("*"):
            path.unlink(missing_ok=True)
