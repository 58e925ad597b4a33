"""Shapes of the device routes (server/routes/devices.py)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, Field, StringConstraints

from server.packs import enrolment
from server.schemas.base import DbId, Input, example

B64Key = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_-]{43}$")]


class EnrolmentCodeCreate(Input):
    model_config = example({"person_id": 5, "valid_hours": 24})

    person_id: DbId
    valid_hours: int = Field(default=enrolment.DEFAULT_VALID_HOURS, ge=1, le=24 * 14)


class DeviceEnrol(Input):
    model_config = example({"code": "K7QX-2M9P-4TLA", "x25519_public": "q1Jb…", "ed25519_public": "Vt3c…",
                            "label": "Máy tính bảng của đại biểu Giàng Thị Dợ", "platform": "android"})

    code: Annotated[str, StringConstraints(min_length=4, max_length=64)]
    x25519_public: B64Key
    ed25519_public: B64Key
    label: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
    platform: Annotated[str, StringConstraints(max_length=100)] = ""
    order_public: B64Key | None = None  # signs the order check before the PIN


class EnrolmentCodeIssued(BaseModel):
    """The code is shown once: only its hash is kept."""

    id: int
    code: str
    person_id: int
    expires_at: datetime
    qr_payload: str
    qr_png: str
    qr_svg: str


class DevicePackRead(BaseModel):
    session_id: int
    pack_version: int
    acknowledged_at: datetime


class DeviceRead(BaseModel):
    """A device as the clerk sees it (``server.packs.devices.describe``)."""

    id: int
    person_id: int
    owner: str
    label: str
    platform: str
    enrolled_at: datetime
    last_seen_at: datetime | None
    revoked_at: datetime | None
    wipe_ordered_at: datetime | None
    wipe_acknowledged_at: datetime | None
    packs: list[DevicePackRead]


class DeviceSelf(BaseModel):
    """The calling device as the server knows it; ids as strings, as the tablet keeps them."""

    device_id: str
    person_id: str
    label: str
    enrolled_at: datetime
