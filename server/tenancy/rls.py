"""The PostgreSQL wall: row-level security policies under the ``hdnd_tenant`` role.

The application connects as the owner of the tables, which row-level security does not
restrict; a scoped transaction switches to ``hdnd_tenant`` (``SET LOCAL ROLE``) and names
its councils in two settings, so every statement in it, including raw SQL, sees only rows
of the councils it may read and writes only rows of the council it may write. The role
and the settings end with the transaction, so a pooled connection never keeps a scope.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import text

from server.tenancy.scope import Scope

ROLE = "hdnd_tenant"
READS = "hdnd.read_councils"
WRITES = "hdnd.write_council"

_FUNCTIONS = f"""
CREATE OR REPLACE FUNCTION hdnd_read_councils() RETURNS integer[] LANGUAGE sql STABLE AS $$
  SELECT coalesce(string_to_array(nullif(current_setting('{READS}', true), ''), ',')::integer[],
                  '{{}}'::integer[])
$$;
CREATE OR REPLACE FUNCTION hdnd_write_council() RETURNS integer LANGUAGE sql STABLE AS $$
  SELECT nullif(current_setting('{WRITES}', true), '')::integer
$$;
"""


def role_statements() -> list[str]:
    """Create the role (once per cluster), let the connecting user become it, and grant it
    the schema's tables and sequences, also those made later. Run by migration 0026 and
    again after a restore, whose dump carries no privileges (``--no-privileges``)."""
    return [
        f"""DO $$ BEGIN
        IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{ROLE}') THEN
            CREATE ROLE {ROLE} NOLOGIN;
        END IF; END $$""",
        # the migrating user must be able to become the role; a database whose owner may
        # not create roles has them made beforehand (docs/operations.md) and skips this
        f"""DO $$ BEGIN
        IF NOT pg_has_role(current_user, '{ROLE}', 'MEMBER') THEN
            EXECUTE format('GRANT {ROLE} TO %I', current_user);
        END IF; END $$""",
        _FUNCTIONS,
        f"""DO $$ BEGIN
        EXECUTE format('GRANT USAGE ON SCHEMA %I TO {ROLE}', current_schema());
        EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA %I TO {ROLE}',
                       current_schema());
        EXECUTE format('GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA %I TO {ROLE}',
                       current_schema());
        EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA %I GRANT SELECT, INSERT, UPDATE, DELETE '
                       'ON TABLES TO {ROLE}', current_schema());
        EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA %I GRANT USAGE, SELECT, UPDATE '
                       'ON SEQUENCES TO {ROLE}', current_schema());
        END $$""",
    ]


def grant_role(connection: Any) -> None:
    """``role_statements`` on an open connection (after ``hdnd restore``)."""
    if connection.dialect.name == "postgresql":
        for statement in role_statements():
            connection.execute(text(statement))


def install(op: Any, tables: list[str]) -> None:
    """Create the role, grant it the tables and put the policies on ``tables``."""
    for statement in role_statements():
        op.execute(statement)
    for table in tables:
        op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        op.execute(f"CREATE POLICY tenant_read ON {table} FOR SELECT "
                   f"USING (council_id = ANY (hdnd_read_councils()))")
        op.execute(f"CREATE POLICY tenant_insert ON {table} FOR INSERT "
                   f"WITH CHECK (council_id = hdnd_write_council())")
        op.execute(f"CREATE POLICY tenant_update ON {table} FOR UPDATE "
                   f"USING (council_id = hdnd_write_council()) "
                   f"WITH CHECK (council_id = hdnd_write_council())")
        op.execute(f"CREATE POLICY tenant_delete ON {table} FOR DELETE "
                   f"USING (council_id = hdnd_write_council())")


def uninstall(op: Any, tables: list[str]) -> None:
    for table in tables:
        for policy in ("tenant_read", "tenant_insert", "tenant_update", "tenant_delete"):
            op.execute(f"DROP POLICY IF EXISTS {policy} ON {table}")
        op.execute(f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY")


def release(connection: Any) -> None:
    """Back to the owner in the open transaction (a session that leaves its scope)."""
    if connection.dialect.name != "postgresql":
        return
    connection.execute(text("RESET ROLE"))
    connection.execute(text("SELECT set_config(:reads, '', true), set_config(:writes, '', true)"),
                       {"reads": READS, "writes": WRITES})


def apply(connection: Any, scope: Scope) -> None:
    """Scope the connection's open transaction (PostgreSQL only; SQLite has the ORM wall)."""
    if connection.dialect.name != "postgresql":
        return
    connection.execute(text(f"SET LOCAL ROLE {ROLE}"))
    connection.execute(text("SELECT set_config(:reads, :read_ids, true), "
                            "set_config(:writes, :write_id, true)"),
                       {"reads": READS, "read_ids": ",".join(str(c) for c in sorted(scope.reads)),
                        "writes": WRITES, "write_id": "" if scope.writes is None else str(scope.writes)})
