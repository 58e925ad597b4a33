"""The REST-only pack tests reuse the API suite's seeded app (SQLite and PostgreSQL)."""

from tests.server.api.conftest import api, backend, demo_session_id  # noqa: F401
