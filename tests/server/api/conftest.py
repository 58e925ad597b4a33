"""The ``api`` fixtures live in ``tests/server/conftest.py`` so that every server test
folder shares one seeded database per backend (two copies would seed one PostgreSQL
database from two data folders)."""

from tests.server.conftest import DEMO_PASSWORD, Api

__all__ = ["Api", "DEMO_PASSWORD"]
