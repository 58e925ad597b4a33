"""verifiable secret ballot: ballot, committee, public board, roll of who voted

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import server.models.base

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "ballot",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sitting_id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("vote_key", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
        sa.Column("live_vote_id", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("definition", sa.Text(), nullable=False),
        sa.Column("threshold", sa.String(length=24), nullable=False),
        sa.Column("allow_revote", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", server.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["created_by"], ["account.id"]),
        sa.ForeignKeyConstraint(["sitting_id"], ["sitting.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("vote_key"),
    )
    with op.batch_alter_table("ballot", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_ballot_sitting_id"), ["sitting_id"], unique=False)

    op.create_table(
        "ballot_committee_member",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ballot_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("public", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column("proof", sqlmodel.sql.sqltypes.AutoString(length=128), nullable=True),
        sa.Column("key_posted_at", server.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["ballot_id"], ["ballot.id"]),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("ballot_id", "person_id"),
    )
    with op.batch_alter_table("ballot_committee_member", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_ballot_committee_member_ballot_id"), ["ballot_id"],
                              unique=False)

    op.create_table(
        "ballot_board_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ballot_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("prev", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["ballot_id"], ["ballot.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("ballot_id", "position"),
    )
    with op.batch_alter_table("ballot_board_entry", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_ballot_board_entry_ballot_id"), ["ballot_id"],
                              unique=False)

    op.create_table(
        "ballot_voter",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ballot_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("ballots_cast", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["ballot_id"], ["ballot.id"]),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("ballot_id", "person_id"),
    )
    with op.batch_alter_table("ballot_voter", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_ballot_voter_ballot_id"), ["ballot_id"],
                              unique=False)


def downgrade() -> None:
    for table in ("ballot_voter", "ballot_board_entry", "ballot_committee_member"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(batch_op.f(f"ix_{table}_ballot_id"))
        op.drop_table(table)
    with op.batch_alter_table("ballot", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_ballot_sitting_id"))
    op.drop_table("ballot")
