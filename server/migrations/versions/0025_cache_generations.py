"""cache generations: counters the database moves on every change a hot read depends on

Revision ID: 0025
Revises: 0023
Create Date: 2026-12-06
"""

from collections.abc import Sequence

from alembic import op

from server.cache import generations

revision: str = "0025"
down_revision: str | None = "0023"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    generations.install(op, generations.WATCHES_AT_0025)


def downgrade() -> None:
    generations.uninstall(op)
