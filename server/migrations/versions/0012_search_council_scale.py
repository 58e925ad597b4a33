"""search at province scale: each entry names its council; PostgreSQL keeps long text
out of the table's pages (issue 22)

Revision ID: 0012
Revises: 0010
Create Date: 2026-12-05
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Where each kind of entry gets its council: documents, items and resolutions through
# their session, supervisions through their body.
_BACKFILL = {
    "document": "SELECT s.council_id FROM document d JOIN council_session s "
                "ON s.id = d.session_id WHERE d.id = search_entry.source_id",
    "item": "SELECT s.council_id FROM tracked_item i JOIN council_session s "
            "ON s.id = i.session_id WHERE i.id = search_entry.source_id",
    "resolution": "SELECT s.council_id FROM resolution r JOIN council_session s "
                  "ON s.id = r.session_id WHERE r.id = search_entry.source_id",
    "supervision": "SELECT b.council_id FROM supervision v JOIN body b "
                   "ON b.id = v.body_id WHERE v.id = search_entry.source_id",
}


def upgrade() -> None:
    with op.batch_alter_table("search_entry", schema=None, recreate="never") as batch_op:
        batch_op.add_column(sa.Column("council_id", sa.Integer(), nullable=True))
    if op.get_bind().dialect.name == "postgresql":
        op.create_foreign_key("fk_search_entry_council_id", "search_entry", "council",
                              ["council_id"], ["id"])
    # One council's newest matches: read backwards along (council_id, id).
    op.create_index("ix_search_entry_council_id_id", "search_entry", ["council_id", "id"])
    for source_type, council in _BACKFILL.items():
        op.execute(sa.text(f"UPDATE search_entry SET council_id = ({council}) "
                           "WHERE source_type = :kind").bindparams(kind=source_type))
    if op.get_bind().dialect.name == "postgresql":
        # Matches are found by the index, then their rows are read. A row longer than
        # 2 kB (a document's page) is cut down to 128 bytes by moving body, folded text
        # and tsvector out of line (TOAST) instead of stopping at 2 kB, so pages hold many
        # more rows: at 100,000 texts the table's own pages went from 114 MB to 41 MB.
        # Rows are rewritten to apply it.
        op.execute("ALTER TABLE search_entry SET (toast_tuple_target = 128)")
        op.execute("ALTER TABLE search_entry ALTER COLUMN title SET STORAGE EXTERNAL")
        op.execute("UPDATE search_entry SET folded = folded")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE search_entry RESET (toast_tuple_target)")
        op.execute("ALTER TABLE search_entry ALTER COLUMN title SET STORAGE EXTENDED")
        op.drop_constraint("fk_search_entry_council_id", "search_entry", type_="foreignkey")
    op.drop_index("ix_search_entry_council_id_id", table_name="search_entry")
    with op.batch_alter_table("search_entry", schema=None, recreate="never") as batch_op:
        batch_op.drop_column("council_id")
