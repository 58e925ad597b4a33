"""delegate profiles, training, group supervision participants, congress targets (issue 21)

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-05
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import server.models.base

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

S = sqlmodel.sql.sqltypes.AutoString


def _index(table: str, column: str, unique: bool = False) -> None:
    with op.batch_alter_table(table, schema=None) as batch_op:
        batch_op.create_index(batch_op.f(f"ix_{table}_{column}"), [column], unique=unique)


def upgrade() -> None:
    op.create_table(
        "delegate_profile",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("term", S(length=20), nullable=False),
        sa.Column("constituency", S(length=200), nullable=False),
        sa.Column("full_time", sa.Boolean(), nullable=False),
        sa.Column("education", server.models.base.short_text(20), nullable=True),
        sa.Column("education_recorded_on", sa.Date(), nullable=True),
        sa.Column("education_recorded_by", sa.Integer(), nullable=True),
        sa.Column("theory", server.models.base.short_text(20), nullable=True),
        sa.Column("theory_recorded_on", sa.Date(), nullable=True),
        sa.Column("theory_recorded_by", sa.Integer(), nullable=True),
        sa.Column("updated_at", server.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"]),
        sa.ForeignKeyConstraint(["education_recorded_by"], ["account.id"]),
        sa.ForeignKeyConstraint(["theory_recorded_by"], ["account.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("person_id"),
    )
    op.create_table(
        "training_course",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", S(length=300), nullable=False),
        sa.Column("topic", S(length=200), nullable=False),
        sa.Column("digital_skills", sa.Boolean(), nullable=False),
        sa.Column("ai", sa.Boolean(), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("organiser", S(length=300), nullable=False),
        sa.Column("created_at", server.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    _index("training_course", "starts_on")
    op.create_table(
        "training_attendance",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("course_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("certificate_key", S(length=64), nullable=True),
        sa.Column("certificate_name", S(length=255), nullable=False),
        sa.Column("certificate_sha256", S(length=64), nullable=False),
        sa.Column("certificate_size", sa.BigInteger(), nullable=True),
        sa.ForeignKeyConstraint(["course_id"], ["training_course.id"]),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("course_id", "person_id"),
        sa.UniqueConstraint("certificate_key"),
    )
    _index("training_attendance", "course_id")
    _index("training_attendance", "person_id")
    op.create_table(
        "supervision_participant",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("supervision_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["supervision_id"], ["supervision.id"]),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("supervision_id", "person_id"),
    )
    _index("supervision_participant", "supervision_id")
    _index("supervision_participant", "person_id")
    op.create_table(
        "congress_target",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", S(length=20), nullable=False),
        sa.Column("text", S(length=1000), nullable=False),
        sa.Column("source", S(length=300), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "congress_target_link",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("target_id", sa.Integer(), nullable=False),
        sa.Column("resolution_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["target_id"], ["congress_target.id"]),
        sa.ForeignKeyConstraint(["resolution_id"], ["resolution.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("target_id", "resolution_id"),
    )
    _index("congress_target_link", "target_id")
    _index("congress_target_link", "resolution_id")


def downgrade() -> None:
    for table in ("congress_target_link", "congress_target", "supervision_participant",
                  "training_attendance", "training_course", "delegate_profile"):
        op.drop_table(table)
