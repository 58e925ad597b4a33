"""minutes drafts, their edit history, resolutions prepared from passed votes (issue 17)

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import server.models.base

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

S = sqlmodel.sql.sqltypes.AutoString
T = server.models.base.UTCDateTime


def upgrade() -> None:
    op.create_table(
        "minutes_draft",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sitting_id", sa.Integer(), nullable=False),
        sa.Column("state", server.models.base.short_text(16), nullable=False),
        sa.Column("sections", sa.JSON(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=True),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", T(), nullable=False),
        sa.Column("updated_at", T(), nullable=False),
        sa.ForeignKeyConstraint(["sitting_id"], ["sitting.id"]),
        sa.ForeignKeyConstraint(["document_id"], ["document.id"]),
        sa.ForeignKeyConstraint(["created_by"], ["account.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("sitting_id"),
    )
    op.create_index("ix_minutes_draft_document_id", "minutes_draft", ["document_id"])
    op.create_table(
        "minutes_edit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("draft_id", sa.Integer(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("action", S(length=20), nullable=False),
        sa.Column("section_key", S(length=40), nullable=False),
        sa.Column("heading", S(length=200), nullable=False),
        sa.Column("before", S(), nullable=False),
        sa.Column("after", S(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=True),
        sa.Column("username", S(length=100), nullable=False),
        sa.Column("at", T(), nullable=False),
        sa.ForeignKeyConstraint(["draft_id"], ["minutes_draft.id"]),
        sa.ForeignKeyConstraint(["account_id"], ["account.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_minutes_edit_draft_id", "minutes_edit", ["draft_id"])
    op.create_table(
        "prepared_resolution",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sitting_id", sa.Integer(), nullable=False),
        sa.Column("vote_id", S(length=64), nullable=False),
        sa.Column("agenda_item_id", sa.Integer(), nullable=False),
        sa.Column("draft_document_id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("register_entry_id", sa.Integer(), nullable=False),
        sa.Column("status", server.models.base.short_text(24), nullable=False),
        sa.Column("created_at", T(), nullable=False),
        sa.ForeignKeyConstraint(["sitting_id"], ["sitting.id"]),
        sa.ForeignKeyConstraint(["agenda_item_id"], ["agendaitem.id"]),
        sa.ForeignKeyConstraint(["draft_document_id"], ["document.id"]),
        sa.ForeignKeyConstraint(["document_id"], ["document.id"]),
        sa.ForeignKeyConstraint(["register_entry_id"], ["register_entry.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("sitting_id", "vote_id"),
    )
    op.create_index("ix_prepared_resolution_sitting_id", "prepared_resolution", ["sitting_id"])


def downgrade() -> None:
    op.drop_table("prepared_resolution")
    op.drop_table("minutes_edit")
    op.drop_table("minutes_draft")
