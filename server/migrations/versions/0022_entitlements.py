"""entitlement entries: regimes ensured for delegates, target (8) (issue 21)

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import server.models.base

revision: str = "0022"
down_revision: str | None = "0021"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

S = sqlmodel.sql.sqltypes.AutoString


def upgrade() -> None:
    op.create_table(
        "entitlement_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("regime", S(length=40), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("voucher", S(length=100), nullable=False),
        sa.Column("recorded_by", sa.Integer(), nullable=True),
        sa.Column("recorded_at", server.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"]),
        sa.ForeignKeyConstraint(["recorded_by"], ["account.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("person_id", "regime", "period_start"),
    )
    with op.batch_alter_table("entitlement_entry", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_entitlement_entry_person_id"), ["person_id"])
        batch_op.create_index(batch_op.f("ix_entitlement_entry_period_start"), ["period_start"])


def downgrade() -> None:
    op.drop_table("entitlement_entry")
