"""search: every entry names a council (the installation's by default); on PostgreSQL one
GIN index over (council_id, tsv) and the pg_trgm extension (issue 22)

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0023"
down_revision: str | None = "0022"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The installation's council is the first one (server.services.council.the_council).
_INSTALLATION_COUNCIL = "(SELECT MIN(id) FROM council)"


def _available(name: str) -> bool:
    return op.get_bind().execute(sa.text(
        "SELECT 1 FROM pg_available_extensions WHERE name = :name"
    ).bindparams(name=name)).first() is not None


def upgrade() -> None:
    # Entries indexed before councils were named on them (or with no session or body) go
    # to the installation's council; the tenancy work writes each row's own council.
    op.execute(f"UPDATE search_entry SET council_id = {_INSTALLATION_COUNCIL} "
               "WHERE council_id IS NULL")
    if op.get_bind().dialect.name != "postgresql":
        return  # SQLite: FTS5 and the (council_id, id) index of 0012 serve both scopes
    # pg_trgm: trigram indexes for prefixes and near-spellings; a trusted extension since
    # PostgreSQL 13, so the database's owner may create it. Skipped where the contrib
    # package is missing: nothing in search requires it yet.
    if _available("pg_trgm"):
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    # btree_gin lets one GIN index hold the council next to the words: a one-council search
    # asks that index alone for "this council and these words" instead of combining two
    # indexes, and a cross-council search uses its words part like the old index.
    if _available("btree_gin"):
        op.execute("CREATE EXTENSION IF NOT EXISTS btree_gin")
        op.execute("CREATE INDEX ix_search_entry_council_tsv ON search_entry "
                   "USING GIN (council_id, tsv)")
        op.execute("DROP INDEX IF EXISTS ix_search_entry_tsv")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("CREATE INDEX IF NOT EXISTS ix_search_entry_tsv ON search_entry USING GIN (tsv)")
    op.execute("DROP INDEX IF EXISTS ix_search_entry_council_tsv")
    # The extensions stay: other objects may have come to use them.
