"""documents: số/ký hiệu, withdrawal; sittings: scheduled time and place (issue 17)

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("document", schema=None, recreate="never") as batch_op:
        batch_op.add_column(sa.Column("number", sqlmodel.sql.sqltypes.AutoString(length=60),
                                      nullable=False, server_default=""))
        batch_op.add_column(sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("withdrawn_reason",
                                      sqlmodel.sql.sqltypes.AutoString(length=1000),
                                      nullable=False, server_default=""))
    with op.batch_alter_table("sitting", schema=None, recreate="never") as batch_op:
        batch_op.add_column(sa.Column("scheduled_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("place", sqlmodel.sql.sqltypes.AutoString(length=300),
                                      nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("sitting", schema=None) as batch_op:
        batch_op.drop_column("place")
        batch_op.drop_column("scheduled_at")
    with op.batch_alter_table("document", schema=None) as batch_op:
        batch_op.drop_column("withdrawn_reason")
        batch_op.drop_column("withdrawn_at")
        batch_op.drop_column("number")
