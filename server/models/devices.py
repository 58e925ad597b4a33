"""Delegates' enrolled devices and the agenda packs built for them.

A device holds only public keys here; its private keys never leave the tablet. Content
keys are stored sealed under the server's at-rest key (``shared.crypto.at_rest``), never
in clear, so a copied database alone opens no document.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import BigInteger, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from server.models.base import Tenanted, UTCDateTime, short_text, utcnow


class EnrolmentCode(Tenanted, SQLModel, table=True):
    """A one-time code the clerk gives a person to enrol one device. Only its HMAC is kept."""

    __tablename__ = "enrolment_code"

    id: int | None = Field(default=None, primary_key=True)
    council_id: int | None = Field(default=None, foreign_key="council.id", index=True)
    code_hash: str = Field(max_length=64, unique=True, index=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    created_by: int | None = Field(default=None, foreign_key="account.id")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    expires_at: datetime = Field(sa_type=UTCDateTime)
    used_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    device_id: int | None = Field(default=None)


class Device(Tenanted, SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    council_id: int | None = Field(default=None, foreign_key="council.id", index=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    label: str = Field(max_length=100)
    platform: str = Field(default="", max_length=100)
    x25519_public: str = Field(max_length=64)  # b64url, receives wrapped content keys
    ed25519_public: str = Field(max_length=64, unique=True)  # b64url, signs requests
    # b64url; signs only the order routes, usable before the PIN (docs/security.md)
    order_public: str | None = Field(default=None, max_length=64)
    enrolled_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    last_seen_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    revoked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    wipe_ordered_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    wipe_acknowledged_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # its council moved beside others (hdnd import): told its new numbers until it says done
    renumber_pending: bool = False

    @property
    def wipe_pending(self) -> bool:
        return self.wipe_ordered_at is not None and self.wipe_acknowledged_at is None


class DeviceRequestNonce(Tenanted, SQLModel, table=True):
    """Nonces of recent device requests: the same signed request is accepted only once."""

    __tablename__ = "device_request_nonce"
    __table_args__ = (UniqueConstraint("device_id", "nonce"),)

    id: int | None = Field(default=None, primary_key=True)
    council_id: int | None = Field(default=None, foreign_key="council.id", index=True)
    device_id: int = Field(foreign_key="device.id", index=True)
    nonce: str = Field(max_length=64)
    seen_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)


class PackStatus(StrEnum):
    building = "building"
    published = "published"
    failed = "failed"


class PackBuild(Tenanted, SQLModel, table=True):
    """One version of a session's agenda pack: its build progress and signed manifest."""

    __tablename__ = "pack_build"
    __table_args__ = (UniqueConstraint("session_id", "version"),)

    id: int | None = Field(default=None, primary_key=True)
    council_id: int | None = Field(default=None, foreign_key="council.id", index=True)
    session_id: int = Field(foreign_key="council_session.id", index=True)
    version: int = Field(ge=1)
    status: PackStatus = Field(default=PackStatus.building, sa_type=short_text(16))
    documents_done: int = Field(default=0)
    documents_total: int = Field(default=0)
    error: str = Field(default="", max_length=2000)
    manifest: str | None = Field(default=None, sa_type=Text)  # canonical signed JSON
    created_by: int | None = Field(default=None, foreign_key="account.id")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    published_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class PackDocument(Tenanted, SQLModel, table=True):
    """A document version encrypted once; reused unchanged by every later pack version."""

    __tablename__ = "pack_document"
    __table_args__ = (UniqueConstraint("document_id", "version"),)

    id: int | None = Field(default=None, primary_key=True)
    council_id: int | None = Field(default=None, foreign_key="council.id", index=True)
    document_id: int = Field(foreign_key="document.id", index=True)
    version: int = Field(ge=1)
    file_name: str = Field(max_length=128)  # under var/packs/blobs/
    sealed_key: str = Field(max_length=128)  # content key sealed under the at-rest key
    size: int = Field(sa_type=BigInteger)
    sha256: str = Field(max_length=64)
    chunk_count: int
    chunk_size: int
    plaintext_sha256: str = Field(max_length=64)
    plaintext_size: int = Field(sa_type=BigInteger)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class PackGrant(Tenanted, SQLModel, table=True):
    """A device received a wrapped key for this document version: it may fetch the file."""

    __tablename__ = "pack_grant"
    __table_args__ = (UniqueConstraint("device_id", "document_id", "version"),)

    id: int | None = Field(default=None, primary_key=True)
    council_id: int | None = Field(default=None, foreign_key="council.id", index=True)
    device_id: int = Field(foreign_key="device.id", index=True)
    document_id: int = Field(foreign_key="document.id", index=True)
    version: int


class PackRecipient(Tenanted, SQLModel, table=True):
    """A device listed in a published pack version, and how many document keys it got.

    What the tablet's "my sessions" list reads (the manifest says the same, signed)."""

    __tablename__ = "pack_recipient"
    __table_args__ = (UniqueConstraint("build_id", "device_id"),)

    id: int | None = Field(default=None, primary_key=True)
    council_id: int | None = Field(default=None, foreign_key="council.id", index=True)
    build_id: int = Field(foreign_key="pack_build.id", index=True)
    device_id: int = Field(foreign_key="device.id", index=True)
    grants: int = Field(default=0)


class DevicePackState(Tenanted, SQLModel, table=True):
    """The pack version a device reports holding for a session (the readiness table)."""

    __tablename__ = "device_pack_state"
    __table_args__ = (UniqueConstraint("device_id", "session_id"),)

    id: int | None = Field(default=None, primary_key=True)
    council_id: int | None = Field(default=None, foreign_key="council.id", index=True)
    device_id: int = Field(foreign_key="device.id", index=True)
    session_id: int = Field(foreign_key="council_session.id", index=True)
    pack_version: int
    acknowledged_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
