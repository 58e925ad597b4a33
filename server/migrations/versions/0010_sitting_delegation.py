"""live: the chair delegates driving a sitting from the web console to a clerk (issue 14)

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-05
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import server.models.base

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "sitting_delegation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sitting_id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("chair_person_id", sa.Integer(), nullable=False),
        sa.Column("granted_by", sa.Integer(), nullable=False),
        sa.Column("granted_at", server.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", server.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["sitting_id"], ["sitting.id"]),
        sa.ForeignKeyConstraint(["account_id"], ["account.id"]),
        sa.ForeignKeyConstraint(["chair_person_id"], ["person.id"]),
        sa.ForeignKeyConstraint(["granted_by"], ["account.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("sitting_delegation", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sitting_delegation_sitting_id"), ["sitting_id"],
                              unique=False)


def downgrade() -> None:
    with op.batch_alter_table("sitting_delegation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sitting_delegation_sitting_id"))
    op.drop_table("sitting_delegation")
