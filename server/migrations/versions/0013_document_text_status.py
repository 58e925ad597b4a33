"""documents: how much of each version's text reached search (issue 16, finding 1)

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-05
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Versions uploaded before were indexed in full (or the upload failed): "complete".
    with op.batch_alter_table("documentversion", schema=None, recreate="never") as batch_op:
        batch_op.add_column(sa.Column("text_status", sqlmodel.sql.sqltypes.AutoString(length=16),
                                      nullable=False, server_default="complete"))


def downgrade() -> None:
    with op.batch_alter_table("documentversion", schema=None) as batch_op:
        batch_op.drop_column("text_status")
