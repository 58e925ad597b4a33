"""questions registered before a sitting, their programme and written answers (issue 18)

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import server.models.base

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

S = sqlmodel.sql.sqltypes.AutoString


def upgrade() -> None:
    op.create_table(
        "prepared_question",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("to_whom", S(length=300), nullable=False),
        sa.Column("topic", S(length=300), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("petition_ids", S(length=500), nullable=False),
        sa.Column("status", server.models.base.short_text(16), nullable=False),
        sa.Column("group_label", S(length=200), nullable=False),
        sa.Column("position", sa.Integer(), nullable=True),
        sa.Column("addressee_id", sa.Integer(), nullable=True),
        sa.Column("prepare_by", sa.Date(), nullable=True),
        sa.Column("sitting_id", sa.Integer(), nullable=True),
        sa.Column("live_question_id", S(length=16), nullable=True),
        sa.Column("conclusion", sa.Text(), nullable=False),
        sa.Column("written_due", sa.Date(), nullable=True),
        sa.Column("answer_document_id", sa.Integer(), nullable=True),
        sa.Column("answered_on", sa.Date(), nullable=True),
        sa.Column("created_at", server.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["session_id"], ["council_session.id"]),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"]),
        sa.ForeignKeyConstraint(["addressee_id"], ["person.id"]),
        sa.ForeignKeyConstraint(["sitting_id"], ["sitting.id"]),
        sa.ForeignKeyConstraint(["answer_document_id"], ["document.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("prepared_question", schema=None) as batch_op:
        for column in ("session_id", "person_id", "status", "sitting_id"):
            batch_op.create_index(batch_op.f(f"ix_prepared_question_{column}"), [column])


def downgrade() -> None:
    with op.batch_alter_table("prepared_question", schema=None) as batch_op:
        for column in ("session_id", "person_id", "status", "sitting_id"):
            batch_op.drop_index(batch_op.f(f"ix_prepared_question_{column}"))
    op.drop_table("prepared_question")
