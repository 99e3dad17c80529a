"""The comment's UTC day inside the tag and text-search GIN indexes, so a rare tag's or word's
newest page is found from the index entries of its last days alone.

A GIN index returns a tag's or a word's matches in no particular order; bounding the list's time
with the time index (a bitmap of every comment in the window, 100,000 and more at 10,000,000
comments) cost more than the matches themselves. With the day as a second key (btree_gin), one
index scan per day intersects the match's entries with the day's, and only the window's matches
are read. Queries on the tag or the text alone use the same indexes as before (a multicolumn GIN
index answers any subset of its columns), so these replace the single-column ones instead of
adding to every insert's work. btree_gin, like pg_trgm, is an extension Cloud SQL for PostgreSQL
offers.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Written out rather than imported from shared.comments.listing: a migration is history.
_DAY = "date_bin(interval '1 day', created_at, TIMESTAMPTZ 'epoch')"


def upgrade() -> None:
    op.execute("CREATE EXTENSION IF NOT EXISTS btree_gin")
    op.execute(
        f"CREATE INDEX ix_comments_tags_final_day ON comments USING gin (tags_final, {_DAY})"
    )
    op.execute(
        "CREATE INDEX ix_comments_texto_trgm_day "
        f"ON comments USING gin (texto gin_trgm_ops, {_DAY})"
    )
    op.execute("DROP INDEX ix_comments_tags_final")
    op.execute("DROP INDEX ix_comments_texto_trgm")


def downgrade() -> None:
    op.execute("CREATE INDEX ix_comments_tags_final ON comments USING gin (tags_final)")
    op.execute("CREATE INDEX ix_comments_texto_trgm ON comments USING gin (texto gin_trgm_ops)")
    op.execute("DROP INDEX ix_comments_tags_final_day")
    op.execute("DROP INDEX ix_comments_texto_trgm_day")
