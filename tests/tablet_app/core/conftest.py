"""Fixtures of this folder: a live HĐND server for the pack sync tests (see _pack_server)."""

from tests.tablet_app.core._pack_server import live, live_template  # noqa: F401
