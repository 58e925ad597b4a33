"""Shapes of the device routes' requests (server/routes/devices.py)."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, StringConstraints

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
