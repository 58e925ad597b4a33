"""The "access" counter moves with every device column the signed-request check reads
(council, keys, renumbering as well as revocation and owner), so a device in good
standing can be answered from memory (server/packs/known_devices.py)

Revision ID: 0029
Revises: 0028
Create Date: 2026-12-07
"""

from collections.abc import Sequence

from alembic import op

from server.cache import generations

revision: str = "0029"
down_revision: str | None = "0028"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# as this revision installs it (a migration must not change when the code does)
_NEW = generations.Watch(generations.ACCESS, "device",
                         "UPDATE OF revoked_at, person_id, council_id, renumber_pending, "
                         "ed25519_public, order_public")
_OLD = generations.Watch(generations.ACCESS, "device", "UPDATE OF revoked_at, person_id")


def _replace(old: generations.Watch, new: generations.Watch) -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    op.execute(f"DROP TRIGGER IF EXISTS {old.trigger}" + (f" ON {old.table}" if postgres else ""))
    generations.install(op, (new,))


def upgrade() -> None:
    _replace(_OLD, _NEW)


def downgrade() -> None:
    _replace(_NEW, _OLD)
