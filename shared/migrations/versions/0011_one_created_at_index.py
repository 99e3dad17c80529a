"""One index on comment time for the list and the charts, where there were two.

The list walks (created_at DESC, id DESC); the charts refresh reads a week of
(created_at, categoria_final, confianca). One index with the chart's two columns included serves
both (an index-only scan for the charts, a keyset walk for the list), and every stored comment
then updates one index fewer. Comment times arrive in no order, so each of these indexes takes
its inserts at random leaf pages: under a steady ingest of thousands of comments a second that
is thousands of pages dirtied per batch, which readers then wait to write out of a small buffer
cache. Measured in the soak's insert plans: see the README's figures.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute(
        "CREATE INDEX ix_comments_created_at_id_new "
        "ON comments (created_at DESC, id DESC) INCLUDE (categoria_final, confianca)"
    )
    op.execute("DROP INDEX ix_comments_created_at_id")
    op.execute("DROP INDEX ix_comments_created_at_charts")
    op.execute("ALTER INDEX ix_comments_created_at_id_new RENAME TO ix_comments_created_at_id")


def downgrade() -> None:
    op.execute("ALTER INDEX ix_comments_created_at_id RENAME TO ix_comments_created_at_id_old")
    op.execute("CREATE INDEX ix_comments_created_at_id ON comments (created_at DESC, id DESC)")
    op.execute(
        "CREATE INDEX ix_comments_created_at_charts "
        "ON comments (created_at) INCLUDE (categoria_final, confianca)"
    )
    op.execute("DROP INDEX ix_comments_created_at_id_old")
