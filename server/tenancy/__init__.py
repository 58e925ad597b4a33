"""Councils as tenants: one deployment serves a province's councils, each seeing only its own.

Two walls. The ORM adds ``council_id IN (...)`` to every query a scoped session makes and
refuses to write a row of another council (``scoping.py``); on PostgreSQL the same scoping
is enforced by row-level security policies under the ``hdnd_tenant`` role (``rls.py``), so
a query that slipped past the first wall (raw SQL, a forgotten filter) still sees nothing
of another council. A session with no scope (migrations, the CLI, background work) sees
everything, as the installation's own tasks must.
"""
