"""The delegate-targets API on both databases, over the same seeded past year as the
follow-up tests (tests/server/followup_api), so the hand-counted figures stay put."""

from tests.server.followup_api.conftest import SEEDED_YEAR, followup_api  # noqa: F401
