"""A delegate's end-to-end encrypted annotation backup: stored, never read.

The tablet seals the backup under a phrase only the delegate knows (scrypt + AES-256-GCM,
``tablet_app/core/annotation_backup.py``); the server keeps the opaque blob per person so
that a replacement device of the same delegate can restore it. The server cannot open it.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from sqlmodel import Session

from server.errors import NotFound, UploadTooLarge
from server.models.devices import Device
from server.services import audit

MAX_BACKUP_BYTES = 50 * 1024 * 1024


def _path(data_dir: Path, person_id: int) -> Path:
    return data_dir / "annotation-backups" / f"{int(person_id)}.bin"


def store_backup(db: Session, data_dir: Path, device: Device, blob: bytes) -> dict[str, object]:
    if len(blob) > MAX_BACKUP_BYTES:
        raise UploadTooLarge("Bản sao lưu ghi chú quá lớn.", "The annotation backup is too large.",
                             limit_bytes=MAX_BACKUP_BYTES)
    target = _path(data_dir, device.person_id)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".partial")
    with open(partial, "wb") as handle:
        handle.write(blob)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(partial, target)  # the previous backup stays until the new one is whole
    digest = hashlib.sha256(blob).hexdigest()
    audit.record(db, None, "device.annotation_backup_stored", "device", device.id,
                 person_id=device.person_id, size=len(blob), sha256=digest)
    db.commit()
    return {"size": len(blob), "sha256": digest}


def load_backup(data_dir: Path, device: Device) -> bytes:
    target = _path(data_dir, device.person_id)
    if not target.exists():
        raise NotFound("Chưa có bản sao lưu ghi chú.", "There is no annotation backup yet.")
    return target.read_bytes()
