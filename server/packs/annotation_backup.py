"""A delegate's end-to-end encrypted annotation backup: stored, never read.

The tablet seals the backup under a phrase only the delegate knows (scrypt + AES-256-GCM,
``tablet_app/core/annotation_backup.py``); the server keeps the opaque blob per person so
that a replacement device of the same delegate can restore it. The server cannot open it.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from sqlmodel import Session

from server.errors import NotFound, UploadTooLarge
from server.models.devices import Device
from server.services import audit

MAX_BACKUP_BYTES = 50 * 1024 * 1024


FOLDER = "annotation-backups"
MOVED_SUFFIX = ".moved.json"  # beside "<person>.bin": how far document ids moved since


def _path(data_dir: Path, person_id: int) -> Path:
    return data_dir / FOLDER / f"{int(person_id)}.bin"


def _moved_path(data_dir: Path, person_id: int) -> Path:
    return data_dir / FOLDER / f"{int(person_id)}{MOVED_SUFFIX}"


def document_offset(data_dir: Path, person_id: int) -> int:
    """How far document ids moved since this person's backup was sealed (0: not moved).
    The server cannot open the backup to rename its ids; the tablet adds this when it
    restores (tablet_app/core/annotation_backup.py)."""
    try:
        return int(json.loads(_moved_path(data_dir, person_id).read_text())["document_offset"])
    except (FileNotFoundError, ValueError, KeyError, TypeError):
        return 0


def note_moved(data_dir: Path, person_id: int, offset: int) -> None:
    """Record that the backup's document ids moved by ``offset`` (hdnd import)."""
    target = _moved_path(data_dir, person_id)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".partial")
    partial.write_text(json.dumps({"document_offset": int(offset)}))
    os.chmod(partial, 0o600)
    os.replace(partial, target)


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
    _moved_path(data_dir, device.person_id).unlink(missing_ok=True)  # sealed under today's ids
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
