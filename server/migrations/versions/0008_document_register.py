"""document register: numbers per year and symbol (Nghị định 30/2020/NĐ-CP, Điều 15) (issue 15)

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-05
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import server.models.base

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "register_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("series", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("given_to", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column("subject", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=True),
        sa.Column("issued_on", sa.Date(), nullable=False),
        sa.Column("reserved_by_account_id", sa.Integer(), nullable=True),
        sa.Column("reserved_at", server.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["reserved_by_account_id"], ["account.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("year", "series", "number"),
        sa.UniqueConstraint("series", "subject"),
    )
    with op.batch_alter_table("register_entry", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_register_entry_year"), ["year"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("register_entry", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_register_entry_year"))
    op.drop_table("register_entry")
