"""The council, its bodies, its people and their memberships."""

from __future__ import annotations

import secrets
from datetime import datetime
from enum import StrEnum

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from server.models.base import Tenanted, UTCDateTime, short_text, utcnow


class CouncilLevel(StrEnum):
    commune = "xa"
    province = "tinh"


class BodyKind(StrEnum):
    plenary = "plenary"  # the council in full session
    standing_committee = "standing_committee"  # Thường trực HĐND
    committee = "committee"  # Ban của HĐND
    delegate_group = "delegate_group"  # Tổ đại biểu


class MembershipRole(StrEnum):
    chair = "chair"
    vice_chair = "vice_chair"
    member = "member"


class Council(SQLModel, table=True):
    """One council: a tenant of the deployment (server/tenancy).

    A province runs one deployment for its own council and the communes under it
    (``parent_id``). Everything else a council owns carries its ``council_id``.
    """

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200)
    level: CouncilLevel = Field(sa_type=short_text(8))
    term_start: int = Field(ge=1945, le=2200)
    term_end: int = Field(ge=1945, le=2200)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    # the province council over a commune; None for the top of the deployment
    parent_id: int | None = Field(default=None, foreign_key="council.id", index=True)
    # the portal's address: /hdnd/<slug>/ on any host, or the whole of ``portal_host``
    slug: str | None = Field(default=None, max_length=64, unique=True, index=True)
    portal_host: str | None = Field(default=None, max_length=253, unique=True, index=True)
    # where this council's audit chain starts (server/services/audit.py): each council
    # has its own chain, so its entries can be verified, exported and moved on their own.
    # Random, so no two chains share a first link; a council from before tenancy keeps
    # the "0" * 64 its chain started from (migration 0026).
    audit_genesis: str = Field(default_factory=lambda: secrets.token_hex(32), max_length=64)


class Body(Tenanted, SQLModel, table=True):
    """A body that holds sittings: the plenary, the standing committee, a committee, a group."""

    id: int | None = Field(default=None, primary_key=True)
    council_id: int = Field(foreign_key="council.id", index=True)
    name: str = Field(max_length=200)
    kind: BodyKind = Field(sa_type=short_text(32))
    # Quorum: at least numerator/denominator of all members (default 2/3). Its legal source
    # is NOT verified: Luật Tổ chức chính quyền địa phương 2025 (72/2025/QH15) Điều 34 has no
    # quorum clause; see docs/rules.md, rule "quorum".
    quorum_numerator: int = Field(default=2, ge=1)
    quorum_denominator: int = Field(default=3, ge=1)
    publish_named_votes: bool = Field(default=False)
    publish_vote_results: bool = Field(default=True)


class Person(Tenanted, SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    council_id: int = Field(foreign_key="council.id", index=True)
    full_name: str = Field(max_length=200)
    position: str = Field(default="", max_length=300)
    email: str | None = Field(default=None, max_length=254)
    phone: str | None = Field(default=None, max_length=40)
    is_delegate: bool = Field(default=False)


class Membership(Tenanted, SQLModel, table=True):
    __table_args__ = (UniqueConstraint("person_id", "body_id"),)

    id: int | None = Field(default=None, primary_key=True)
    council_id: int | None = Field(default=None, foreign_key="council.id", index=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    body_id: int = Field(foreign_key="body.id", index=True)
    role: MembershipRole = Field(default=MembershipRole.member, sa_type=short_text(16))
