"""One-time enrolment codes and the enrolment of a device with its own public keys.

The code is shown once (text and QR) and stored only as an HMAC under the server's
secret key: a copied database yields no usable code. The device sends only public keys;
its private keys never leave it.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import update
from sqlmodel import Session, col, select

from server.errors import ValidationFailed
from server.models import Account
from server.models.base import id_of, utcnow
from server.models.devices import Device, EnrolmentCode
from server.packs.errors import (
    DeviceKeyInUse,
    EnrolmentCodeExpired,
    EnrolmentCodeInvalid,
    EnrolmentCodeUsed,
)
from server.services import audit
from server.services.council import get_person
from server.tenancy import scoping
from server.tenancy.scope import Scope
from shared.crypto.encoding import BadEncoding
from shared.crypto.signing import ServerSigningKey, ed25519_public_from_b64, x25519_public_from_b64

# Crockford-like alphabet: no 0/O, 1/I/L, U, so a code read aloud or typed is unambiguous.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTVWXYZ23456789"
CODE_GROUPS, GROUP_SIZE = 4, 4  # 16 characters, about 78 bits
DEFAULT_VALID_HOURS = 24


@dataclass(frozen=True)
class IssuedCode:
    record: EnrolmentCode
    code: str  # the only time the clear code exists on the server


def normalise_code(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


def code_hash(secret_key: str, code: str) -> str:
    return hmac.new(secret_key.encode(), normalise_code(code).encode(), hashlib.sha256).hexdigest()


def issue_code(db: Session, actor: Account, secret_key: str, person_id: int,
               valid_hours: int = DEFAULT_VALID_HOURS) -> IssuedCode:
    person = get_person(db, person_id)
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_GROUPS * GROUP_SIZE))
    code = "-".join(raw[i:i + GROUP_SIZE] for i in range(0, len(raw), GROUP_SIZE))
    record = EnrolmentCode(code_hash=code_hash(secret_key, code), person_id=id_of(person),
                           created_by=actor.id, expires_at=utcnow() + timedelta(hours=valid_hours))
    db.add(record)
    db.flush()
    audit.record(db, actor, "device.enrolment_code_issued", "person", person.id,
                 code_id=record.id, expires_at=record.expires_at.isoformat())
    return IssuedCode(record, code)


def get_code(db: Session, secret_key: str, code_id: int, code: str) -> EnrolmentCode:
    """The code record, only for someone who holds the clear code (to draw its QR)."""
    record = db.get(EnrolmentCode, code_id)
    if record is None or not hmac.compare_digest(record.code_hash, code_hash(secret_key, code)):
        raise EnrolmentCodeInvalid()
    return record


def qr_payload(server_url: str, code: str) -> str:
    """What the QR code holds: the tablet app reads the server address and the code."""
    return f"hdnd-enrol:{normalise_code(code)}@{server_url.rstrip('/')}"


def qr_png(payload: str) -> bytes:
    import qrcode

    image = qrcode.make(payload, box_size=8, border=4)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def qr_svg(payload: str) -> bytes:
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(payload, image_factory=qrcode.image.svg.SvgPathImage, box_size=10)
    out = io.BytesIO()
    image.save(out)
    return out.getvalue()


def enrol_device(db: Session, secret_key: str, code: str, x25519_public: str,
                 ed25519_public: str, label: str, platform: str,
                 order_public: str | None = None) -> Device:
    """Spend the code (once, even under concurrent attempts) and record the device.

    ``order_public`` (optional: older apps send none) is the key the device signs its
    order checks with before the PIN is entered; it must differ from the device key.
    """
    try:
        x25519_public_from_b64(x25519_public)
        ed25519_public_from_b64(ed25519_public)
        if order_public is not None:
            ed25519_public_from_b64(order_public)
    except (BadEncoding, ValueError) as exc:
        raise ValidationFailed("Khóa công khai của thiết bị không hợp lệ.",
                               "The device's public keys are not valid.") from exc
    if order_public == ed25519_public:
        raise ValidationFailed("Khóa ra lệnh phải khác khóa ký của thiết bị.",
                               "The order key must differ from the device's signing key.")
    record = db.exec(select(EnrolmentCode).where(
        EnrolmentCode.code_hash == code_hash(secret_key, code))).first()
    if record is None:
        raise EnrolmentCodeInvalid()
    if record.used_at is not None:
        raise EnrolmentCodeUsed()
    # the rest is the code's council's: its device, its audit chain (server/tenancy)
    scoping.enter(db, Scope.of_council(int(record.council_id or 0)))
    now = utcnow()
    if record.expires_at <= now:
        raise EnrolmentCodeExpired(expired_at=record.expires_at.isoformat())
    if db.exec(select(Device).where(Device.ed25519_public == ed25519_public)).first():
        raise DeviceKeyInUse()
    spent = db.exec(update(EnrolmentCode)
                    .where(col(EnrolmentCode.id) == record.id, col(EnrolmentCode.used_at).is_(None))
                    .values(used_at=now))
    if spent.rowcount != 1:  # another request spent it between our read and this write
        raise EnrolmentCodeUsed()
    # the code's council: the device belongs to it, and pins that council's signing key
    device = Device(council_id=record.council_id, person_id=record.person_id, label=label,
                    platform=platform, x25519_public=x25519_public, ed25519_public=ed25519_public,
                    order_public=order_public, enrolled_at=now)
    db.add(device)
    db.flush()
    db.exec(update(EnrolmentCode).where(col(EnrolmentCode.id) == record.id)
            .values(device_id=device.id))
    audit.record(db, None, "device.enrolled", "device", device.id, person_id=record.person_id,
                 label=label, platform=platform, code_id=record.id,
                 order_key=order_public is not None)
    return device


def enrolment_answer(device: Device, server_key: ServerSigningKey) -> dict[str, object]:
    return {"device_id": str(device.id), "person_id": str(device.person_id),
            "server_public_key": server_key.public_b64, "server_key_id": server_key.key_id}
