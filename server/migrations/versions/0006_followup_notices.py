"""follow-up reminders: in-app notices of deadlines, sent once by e-mail

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import server.models.base

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "followup_reminder",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("days_from_due", sa.Integer(), nullable=False),
        sa.Column("created_at", server.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("read_at", server.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("emailed_at", server.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("email_error", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.ForeignKeyConstraint(["item_id"], ["tracked_item.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("item_id", "due_on", "days_from_due"),
    )
    with op.batch_alter_table("followup_reminder", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_followup_reminder_item_id"), ["item_id"],
                              unique=False)


def downgrade() -> None:
    with op.batch_alter_table("followup_reminder", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_followup_reminder_item_id"))
    op.drop_table("followup_reminder")
