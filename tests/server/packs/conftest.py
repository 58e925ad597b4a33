"""The REST-only pack tests reuse the API suite's seeded app (SQLite and PostgreSQL)."""

