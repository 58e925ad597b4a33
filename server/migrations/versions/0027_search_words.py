"""search_word: the words of each council's indexed text, for "did you mean" corrections;
on PostgreSQL a pg_trgm GIN index finds the near ones, and row-level security as on
every council's table

Revision ID: 0027
Revises: 0026
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from server.tenancy import rls
from server.text.search_query import MAX_TERM_CHARS
from server.text.vietnamese import syllables

revision: str = "0027"
down_revision: str | None = "0026"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_BATCH = 1_000


def _words(folded: str) -> set[str]:
    # the rule of server.services.search_words.words_of, frozen here as of this revision
    return {s.folded for s in syllables(folded)
            if 2 <= len(s.folded) <= MAX_TERM_CHARS and not s.folded.isdigit()}


def _fill() -> None:
    """Every word already indexed, per council (read in batches: a province may hold a
    million entries)."""
    bind = op.get_bind()
    words = sa.table("search_word", sa.column("council_id"), sa.column("word"))
    seen: set[tuple[int, str]] = set()
    last = 0
    while True:
        rows = bind.execute(sa.text(
            "SELECT id, council_id, folded FROM search_entry WHERE id > :last "
            "AND council_id IS NOT NULL ORDER BY id LIMIT :n"), {"last": last, "n": _BATCH}).all()
        if not rows:
            return
        new = []
        for _id, council, folded in rows:
            for word in _words(folded or ""):
                if (council, word) not in seen:
                    seen.add((council, word))
                    new.append({"council_id": council, "word": word})
        if new:
            bind.execute(words.insert(), new)
        last = rows[-1][0]


def upgrade() -> None:
    op.create_table(
        "search_word",
        sa.Column("council_id", sa.Integer(), sa.ForeignKey("council.id"), primary_key=True),
        sa.Column("word", sa.String(length=MAX_TERM_CHARS), primary_key=True),
    )
    _fill()
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    rls.install(op, ["search_word"])
    has_trgm = bind.execute(sa.text(
        "SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")).first() is not None
    if has_trgm:  # migration 0023 creates it where the contrib package is installed
        op.execute("CREATE INDEX ix_search_word_trgm ON search_word "
                   "USING GIN (word gin_trgm_ops)")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        rls.uninstall(op, ["search_word"])
    op.drop_table("search_word")
