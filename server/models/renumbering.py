"""How a council's ids moved when it was imported into a deployment holding others."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from server.models.base import Tenanted, UTCDateTime, utcnow


class CouncilRenumbering(Tenanted, SQLModel, table=True):
    """One table's shift for one imported council: its rows came in as ``old + id_offset``,
    up to ``last_moved_id``; rows made afterwards have higher ids.

    Records that are hashed or signed keep the ids they were made with (the audit chain,
    a secret ballot's board, the pack manifests a tablet holds), so this is what reads
    them in today's numbering, and what tells a tablet of the commune its new ids.
    """

    __tablename__ = "council_renumbering"
    __table_args__ = (UniqueConstraint("council_id", "table_name"),)

    id: int | None = Field(default=None, primary_key=True)
    council_id: int | None = Field(default=None, foreign_key="council.id", index=True)
    table_name: str = Field(max_length=64)
    id_offset: int
    last_moved_id: int
    moved_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
