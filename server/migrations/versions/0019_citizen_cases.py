"""citizens' cases sent through the portal and the notices sent to them (issue 18)

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import server.models.base

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

S = sqlmodel.sql.sqltypes.AutoString


def upgrade() -> None:
    op.create_table(
        "citizen_case",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("code", server.models.base.short_text(16), nullable=False),
        sa.Column("case_type", server.models.base.short_text(16), nullable=False),
        sa.Column("sender_sealed", sa.Text(), nullable=False),
        sa.Column("notify_by", server.models.base.short_text(8), nullable=False),
        sa.Column("handler_account_id", sa.Integer(), nullable=True),
        sa.Column("answer_public", sa.Boolean(), nullable=False),
        sa.Column("closed_at", server.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("created_at", server.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["item_id"], ["tracked_item.id"]),
        sa.ForeignKeyConstraint(["handler_account_id"], ["account.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("item_id"),
        sa.UniqueConstraint("code"),
    )
    op.create_table(
        "citizen_notice",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("step", server.models.base.short_text(16), nullable=False),
        sa.Column("channel", server.models.base.short_text(8), nullable=False),
        sa.Column("sent_at", server.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("error", S(length=500), nullable=False),
        sa.Column("created_at", server.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["citizen_case.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("citizen_notice", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_citizen_notice_case_id"), ["case_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("citizen_notice", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_citizen_notice_case_id"))
    op.drop_table("citizen_notice")
    op.drop_table("citizen_case")
