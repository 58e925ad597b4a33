"""digital signatures of document versions (issue 17)

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import server.models.base

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

S = sqlmodel.sql.sqltypes.AutoString


def upgrade() -> None:
    op.create_table(
        "document_signature",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("field_name", S(length=100), nullable=False),
        sa.Column("signer_name", S(length=300), nullable=False),
        sa.Column("subject", S(length=1000), nullable=False),
        sa.Column("issuer", S(length=1000), nullable=False),
        sa.Column("serial", S(length=100), nullable=False),
        sa.Column("signing_time", server.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("valid", sa.Boolean(), nullable=False),
        sa.Column("summary", S(length=500), nullable=False),
        sa.Column("checked_at", server.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["document_id"], ["document.id"]),
        sa.ForeignKeyConstraint(["version_id"], ["documentversion.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("version_id", "position"),
    )
    with op.batch_alter_table("document_signature", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_document_signature_document_id"), ["document_id"])
        batch_op.create_index(batch_op.f("ix_document_signature_version_id"), ["version_id"])


def downgrade() -> None:
    with op.batch_alter_table("document_signature", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_document_signature_version_id"))
        batch_op.drop_index(batch_op.f("ix_document_signature_document_id"))
    op.drop_table("document_signature")
