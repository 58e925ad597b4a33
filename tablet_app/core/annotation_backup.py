"""End-to-end encrypted backup of one's own annotations, and restore onto a new device.

The backup is sealed on the tablet with a key derived from a backup phrase only the
delegate knows (scrypt, then AES-256-GCM); the server stores an opaque blob it cannot
read. A replacement device (new keys, new annotation key) restores it with the same
phrase and re-seals every layer under its own key.

Wire: ``PUT /api/devices/me/annotation-backup`` (body: the blob) and ``GET`` of the same
path, device-signed like every ``/devices/me`` call. **The server has no such route
yet**; this is the client side, written against that contract (see docs/tablet.md).

Blob layout: ``MAGIC || salt(16) || nonce(12) || AES-GCM(key, nonce, JSON, aad=MAGIC||salt)``
with the JSON ``{"layers": [{"doc_id", "version", "marks": [...]}]}``.
"""

from __future__ import annotations

import json
import os
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from shared.pack.backup import BACKUP_PATH, DOCUMENT_OFFSET_HEADER
from tablet_app.core.annotation_store import AnnotationStore
from tablet_app.core.annotations import mark_from_dict, mark_to_dict

MAGIC = b"HDNDAB1\n"
MIN_PHRASE = 8
_SCRYPT_N = 2**15


class BackupError(Exception):
    code = "backup_error"
    message_vi = "Không sao lưu hoặc khôi phục được ghi chú."
    message_en = "The annotations could not be backed up or restored."


class WeakPhrase(BackupError):
    code = "backup_phrase_short"
    message_vi = f"Cụm mật khẩu sao lưu cần ít nhất {MIN_PHRASE} ký tự."
    message_en = f"The backup phrase needs at least {MIN_PHRASE} characters."


class WrongPhraseOrDamaged(BackupError):
    code = "backup_wrong_phrase"
    message_vi = "Sai cụm mật khẩu sao lưu, hoặc bản sao lưu đã bị hỏng."
    message_en = "Wrong backup phrase, or the backup is damaged."


def _key(phrase: str, salt: bytes) -> bytes:
    return Scrypt(salt=salt, length=32, n=_SCRYPT_N, r=8, p=1).derive(phrase.encode())


def seal_backup(store: AnnotationStore, phrase: str) -> bytes:
    """Every layer in ``store`` (each document version), sealed under the phrase."""
    if len(phrase) < MIN_PHRASE:
        raise WeakPhrase()
    layers: list[dict[str, Any]] = []
    for doc_id, version in store.layers():
        with store.open(doc_id, version) as journal:
            marks = [mark_to_dict(m) for m in journal.layer.marks()]
        if marks:
            layers.append({"doc_id": doc_id, "version": version, "marks": marks})
    plain = json.dumps({"layers": layers}, ensure_ascii=False).encode()
    salt, nonce = os.urandom(16), os.urandom(12)
    return MAGIC + salt + nonce + AESGCM(_key(phrase, salt)).encrypt(nonce, plain, MAGIC + salt)


def restore_backup(store: AnnotationStore, blob: bytes, phrase: str,
                   document_offset: int = 0) -> int:
    """Put the backup's marks into ``store`` (under its own key); returns marks restored.

    A mark already on the device (same id) is not added twice, so restoring twice is safe.
    ``document_offset``: how far document ids moved since the backup was sealed (the
    commune moved beside other councils), added to each layer's document id.
    """
    head = len(MAGIC)
    if not blob.startswith(MAGIC) or len(blob) < head + 28:
        raise WrongPhraseOrDamaged()
    salt, nonce = blob[head:head + 16], blob[head + 16:head + 28]
    try:
        plain = AESGCM(_key(phrase, salt)).decrypt(nonce, blob[head + 28:], MAGIC + salt)
    except InvalidTag as exc:
        raise WrongPhraseOrDamaged() from exc
    restored = 0
    for layer in json.loads(plain)["layers"]:
        doc = str(layer["doc_id"])
        doc = str(int(doc) + document_offset) if doc.isdigit() else doc
        with store.open(doc, int(layer["version"])) as journal:
            known = {m.id for m in journal.layer.marks()}
            fresh = [mark_from_dict(m) for m in layer["marks"] if m["id"] not in known]
            if fresh:
                journal.layer.add(*fresh)
            restored += len(fresh)
    return restored


def upload_backup(client: Any, blob: bytes) -> None:
    """``client``: the device-signed ``TabletClient`` (its ``_call`` raises our errors)."""
    client._call("PUT", BACKUP_PATH, content=blob,
                 headers={"Content-Type": "application/octet-stream"})


def download_backup(client: Any) -> tuple[bytes, int]:
    """The sealed backup and how far document ids moved since it was sealed."""
    response = client._call("GET", BACKUP_PATH)
    try:
        moved = int(response.headers.get(DOCUMENT_OFFSET_HEADER, "0"))
    except ValueError:
        moved = 0
    return response.content, moved


def fetch_and_restore(client: Any, store: AnnotationStore, phrase: str) -> int:
    """What Settings → "Khôi phục" does: the server's backup into this tablet's layers."""
    blob, moved = download_backup(client)
    return restore_backup(store, blob, phrase, moved)
