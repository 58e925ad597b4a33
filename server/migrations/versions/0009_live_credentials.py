"""auth tokens: the device a live credential was issued to (issue 13: the enrolled
tablet is the key to the sitting; revoking the device cuts it off)

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-05
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Nullable: tokens from a password sign-in belong to no device.
    with op.batch_alter_table("authtoken", schema=None) as batch_op:
        batch_op.add_column(sa.Column("device_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_authtoken_device_id"), ["device_id"],
                              unique=False)
        batch_op.create_foreign_key("fk_authtoken_device_id", "device", ["device_id"], ["id"])


def downgrade() -> None:
    with op.batch_alter_table("authtoken", schema=None) as batch_op:
        batch_op.drop_constraint("fk_authtoken_device_id", type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_authtoken_device_id"))
        batch_op.drop_column("device_id")
