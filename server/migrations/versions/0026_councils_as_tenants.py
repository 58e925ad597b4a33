"""councils as tenants: every row names its council; councils nest, have a portal address
and an audit chain of their own

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-06

Until now an installation held one council and most rows reached it only through their
session or body. A province runs one deployment for all its councils, so every table gets
``council_id`` (filled with the one council an installation had) and an index on it: the
ORM scopes every query by it (server/tenancy) and, on PostgreSQL, row-level security
policies enforce the same scoping as a second wall (``hdnd_tenant`` role).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from server.cache import generations
from server.tenancy import rls

revision: str = "0026"
down_revision: str | None = "0025"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# the tables that had no council_id (body, person, council_session, search_entry had one)
NEW_TABLES = [
    "account",
    "agendaitem",
    "attendance",
    "auditentry",
    "authtoken",
    "ballot",
    "ballot_board_entry",
    "ballot_committee_member",
    "ballot_voter",
    "citizen_case",
    "citizen_notice",
    "command_receipt",
    "complainant_record",
    "congress_target",
    "congress_target_link",
    "delegate_profile",
    "device",
    "device_pack_state",
    "device_request_nonce",
    "document",
    "document_signature",
    "documentgrant",
    "documentversion",
    "enrolment_code",
    "entitlement_entry",
    "followup_attachment",
    "followup_reminder",
    "live_event",
    "membership",
    "minutes_draft",
    "minutes_edit",
    "pack_build",
    "pack_document",
    "pack_grant",
    "pack_recipient",
    "prepared_question",
    "prepared_resolution",
    "register_entry",
    "resolution",
    "secret_tally",
    "sessionofficer",
    "sitting",
    "sitting_delegation",
    "supervision",
    "supervision_participant",
    "tracked_item",
    "tracked_item_event",
    "training_attendance",
    "training_course",
    "voter_meeting",
    "voter_meeting_delegate",
]


def upgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    _add_council_reference("council", "parent_id", postgres)
    op.add_column("council", sa.Column("slug", sa.String(64), nullable=True))
    op.add_column("council", sa.Column("portal_host", sa.String(253), nullable=True))
    op.add_column("council", sa.Column("audit_genesis", sa.String(64), nullable=False,
                                       server_default="0" * 64))
    op.create_index("ix_council_parent_id", "council", ["parent_id"])
    op.create_index("ix_council_slug", "council", ["slug"], unique=True)
    op.create_index("ix_council_portal_host", "council", ["portal_host"], unique=True)
    op.add_column("account", sa.Column("reads_councils_below", sa.Boolean(), nullable=False,
                                       server_default=sa.false()))
    first = "(SELECT min(id) FROM council)"
    for table in NEW_TABLES:
        _add_council_reference(table, "council_id", postgres)
        op.execute(f"UPDATE {table} SET council_id = {first} WHERE council_id IS NULL")
        op.create_index(f"ix_{table}_council_id", table, ["council_id"])
        if postgres:
            op.alter_column(table, "council_id", nullable=False)
    op.execute(f"UPDATE search_entry SET council_id = {first} WHERE council_id IS NULL")
    _register_numbers_per_council(postgres)
    # the access counter now also watches an account's council and the councils' tree
    if not postgres:
        op.execute("DROP TRIGGER IF EXISTS hdnd_gen_access_account_update")
    generations.install(op, generations.WATCHES_AT_0026)
    if postgres:
        rls.install(op, [*NEW_TABLES, "body", "person", "council_session", "search_entry"])


# the register's numbers ran per series and year; each council has its own register now
_REGISTER_OLD = (("register_entry_year_series_number_key", ["year", "series", "number"]),
                 ("register_entry_series_subject_key", ["series", "subject"]))
_REGISTER_NEW = (("uq_register_entry_council_number", ["council_id", "year", "series", "number"]),
                 ("uq_register_entry_council_subject", ["council_id", "series", "subject"]))
# SQLite names no unique constraint: name them as reflected so batch mode can drop them
_SQLITE_NAMES = {"uq": "%(table_name)s_%(column_0_N_name)s_key"}


Constraints = tuple[tuple[str, list[str]], ...]


def _register_numbers_per_council(postgres: bool, new: Constraints = _REGISTER_NEW,
                                  old: Constraints = _REGISTER_OLD) -> None:
    with op.batch_alter_table("register_entry", naming_convention=None if postgres else _SQLITE_NAMES,
                              recreate="auto" if postgres else "always") as batch:
        for name, _columns in old:
            batch.drop_constraint(name, type_="unique")
        for name, columns in new:
            batch.create_unique_constraint(name, columns)


def _add_council_reference(table: str, column: str, postgres: bool) -> None:
    if postgres:
        op.add_column(table, sa.Column(column, sa.Integer(), sa.ForeignKey("council.id"), nullable=True))
    else:
        # SQLite adds a column with its reference in place; alembic would rebuild the table
        op.execute(f"ALTER TABLE {table} ADD COLUMN {column} INTEGER REFERENCES council (id)")


def downgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    for watch in generations.WATCHES_AT_0026:
        if watch not in generations.WATCHES_AT_0025:
            op.execute(f"DROP TRIGGER IF EXISTS {watch.trigger}" + (f" ON {watch.table}" if postgres else ""))
    if postgres:
        rls.uninstall(op, [*NEW_TABLES, "body", "person", "council_session", "search_entry"])
    for table in reversed(NEW_TABLES):
        op.drop_index(f"ix_{table}_council_id", table)
        with op.batch_alter_table(table) as batch:
            batch.drop_column("council_id")
    _register_numbers_per_council(postgres, new=_REGISTER_OLD, old=_REGISTER_NEW)
    with op.batch_alter_table("account") as batch:
        batch.drop_column("reads_councils_below")
    for index in ("ix_council_portal_host", "ix_council_slug", "ix_council_parent_id"):
        op.drop_index(index, "council")
    with op.batch_alter_table("council") as batch:
        for column in ("audit_genesis", "portal_host", "slug", "parent_id"):
            batch.drop_column(column)
    # SQLite's batch mode rebuilt the tables and with them dropped their triggers
    generations.install(op, generations.WATCHES_AT_0025)
