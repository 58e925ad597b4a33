"""council_renumbering: how an imported council's ids moved; device.renumber_pending: a
moved tablet is told its new numbers until it says done; the audit chain's "never forks"
rule per council (two imported chains may both start from the zero hash)

Revision ID: 0028
Revises: 0027
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import server.models.base
from server.cache import generations
from server.tenancy import rls

revision: str = "0028"
down_revision: str | None = "0027"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# SQLite names no unique constraint: name them as reflected so batch mode can drop them
_SQLITE_NAMES = {"uq": "%(table_name)s_%(column_0_N_name)s_key"}
_OLD = "auditentry_prev_hash_key"
# the "packs" counter's triggers, as this revision installs them
_PACK_WATCHES = tuple(generations.Watch(generations.PACKS, table, event)
                      for table in ("pack_build", "pack_recipient", "device_pack_state")
                      for event in ("INSERT", "UPDATE", "DELETE"))
_NEW = "uq_auditentry_council_prev_hash"


def _chain_rule(postgres: bool, drop: str, create: str, columns: list[str]) -> None:
    with op.batch_alter_table("auditentry", naming_convention=None if postgres else _SQLITE_NAMES,
                              recreate="auto" if postgres else "always") as batch:
        batch.drop_constraint(drop, type_="unique")
        batch.create_unique_constraint(create, columns)


def upgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    op.create_table(
        "council_renumbering",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("council_id", sa.Integer(), sa.ForeignKey("council.id"), nullable=True),
        sa.Column("table_name", sa.String(length=64), nullable=False),
        sa.Column("id_offset", sa.Integer(), nullable=False),
        sa.Column("last_moved_id", sa.Integer(), nullable=False),
        sa.Column("moved_at", server.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("council_id", "table_name"),
    )
    op.create_index("ix_council_renumbering_council_id", "council_renumbering", ["council_id"])
    _chain_rule(postgres, _OLD, _NEW, ["council_id", "prev_hash"])
    op.add_column("device", sa.Column("renumber_pending", sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
    # the "packs" counter: a device's list of sessions is answered from memory
    generations.install(op, _PACK_WATCHES)
    if postgres:
        rls.install(op, ["council_renumbering"])


def downgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    for watch in _PACK_WATCHES:
        op.execute(f"DROP TRIGGER IF EXISTS {watch.trigger}" + (f" ON {watch.table}" if postgres else ""))
    if postgres:
        rls.uninstall(op, ["council_renumbering"])
    _chain_rule(postgres, _NEW, _OLD, ["prev_hash"])
    with op.batch_alter_table("device") as batch:
        batch.drop_column("renumber_pending")
    op.drop_index("ix_council_renumbering_council_id", "council_renumbering")
    op.drop_table("council_renumbering")
