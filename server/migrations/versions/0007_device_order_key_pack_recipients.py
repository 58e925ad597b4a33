"""devices: the order key (a wipe order reaches a tablet before its PIN) and the
recipients of each published pack (the tablet's "my sessions" list) (issue 4)

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03
"""

import json
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Nullable: devices enrolled before have none and keep checking orders after the PIN.
    with op.batch_alter_table("device", schema=None, recreate="never") as batch_op:
        batch_op.add_column(sa.Column("order_public", sqlmodel.sql.sqltypes.AutoString(length=64),
                                      nullable=True))
    recipients = op.create_table(
        "pack_recipient",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("build_id", sa.Integer(), nullable=False),
        sa.Column("device_id", sa.Integer(), nullable=False),
        sa.Column("grants", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["build_id"], ["pack_build.id"]),
        sa.ForeignKeyConstraint(["device_id"], ["device.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("build_id", "device_id"),
    )
    with op.batch_alter_table("pack_recipient", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_pack_recipient_build_id"), ["build_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_pack_recipient_device_id"), ["device_id"],
                              unique=False)
    # Packs published before this revision: their signed manifests say who received them.
    builds = op.get_bind().execute(sa.text(
        "SELECT id, manifest FROM pack_build WHERE status = 'published' AND manifest IS NOT NULL"))
    rows = []
    for build_id, manifest in builds:
        body = json.loads(manifest)["manifest"]
        grants = {r["device_id"]: 0 for r in body["recipients"]}
        for key in body["keys"]:
            grants[key["device_id"]] += 1
        rows += [{"build_id": build_id, "device_id": int(device), "grants": count}
                 for device, count in grants.items()]
    if rows:
        op.bulk_insert(recipients, rows)


def downgrade() -> None:
    with op.batch_alter_table("pack_recipient", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pack_recipient_device_id"))
        batch_op.drop_index(batch_op.f("ix_pack_recipient_build_id"))
    op.drop_table("pack_recipient")
    # A plain ALTER (SQLite >= 3.35, PostgreSQL): recreating "device" would trip the
    # foreign keys of every table that points at it.
    with op.batch_alter_table("device", schema=None, recreate="never") as batch_op:
        batch_op.drop_column("order_public")
