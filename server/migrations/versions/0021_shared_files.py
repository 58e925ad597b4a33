"""Shared file storage: document and pack files as PostgreSQL large objects.

``stored_file`` maps a file's key to its large object (server/documents/shared_files.py,
``HDND_FILE_STORAGE=postgres``). PostgreSQL only: SQLite serves one host.

Revision ID: 0021
Revises: 0019
"""

from __future__ import annotations

from alembic import op

revision = "0021"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE TABLE stored_file ("
                   "key varchar(200) PRIMARY KEY, oid oid NOT NULL, "
                   "size bigint NOT NULL, sha256 char(64) NOT NULL)")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("SELECT lo_unlink(oid) FROM stored_file")
        op.execute("DROP TABLE stored_file")
