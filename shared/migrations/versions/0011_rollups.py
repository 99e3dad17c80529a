"""Rollups: comments counted per 15-minute UTC bucket and final category, and per bucket, final
category and tag, filled from the comments already stored.

The charts stop reading a week of rows, so the index that served that pass (created_at with the
two columns it read) goes: every insert paid for it. The few minutes of rows charts still read go
through `ix_comments_created_at_id`.

The backfill is this revision's own SQL (what `shared/rollups.py` computed when it was written),
so later changes to the application do not change what this revision did.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_BUCKET = "date_bin(interval '15 minutes', created_at, TIMESTAMPTZ 'epoch')"


def upgrade() -> None:
    op.create_table(
        "category_rollups",
        sa.Column("bucket", sa.DateTime(timezone=True), nullable=False),
        sa.Column("categoria", sa.Text, nullable=False),
        sa.Column("slot", sa.SmallInteger, nullable=False),
        sa.Column("comments", sa.BigInteger, nullable=False),
        sa.Column("confianca_sum", sa.Numeric, nullable=False),
        sa.Column("awaiting_review", sa.BigInteger, nullable=False),
        sa.Column("corrected", sa.BigInteger, nullable=False),
        sa.PrimaryKeyConstraint("bucket", "categoria", "slot", name="pk_category_rollups"),
    )
    op.create_table(
        "tag_rollups",
        sa.Column("bucket", sa.DateTime(timezone=True), nullable=False),
        sa.Column("categoria", sa.Text, nullable=False),
        sa.Column("tag", sa.Text, nullable=False),
        sa.Column("slot", sa.SmallInteger, nullable=False),
        sa.Column("comments", sa.BigInteger, nullable=False),
        sa.PrimaryKeyConstraint("bucket", "categoria", "tag", "slot", name="pk_tag_rollups"),
    )
    op.execute(
        "INSERT INTO category_rollups "
        "(bucket, categoria, slot, comments, confianca_sum, awaiting_review, corrected) "
        f"SELECT {_BUCKET}, categoria_final, 0, count(*), "
        "sum(CAST(CAST(confianca AS float8) AS numeric)), "
        "count(*) FILTER (WHERE needs_review AND corrected_at IS NULL), "
        "count(*) FILTER (WHERE corrected_at IS NOT NULL) "
        "FROM comments GROUP BY 1, 2"
    )
    op.execute(
        "INSERT INTO tag_rollups (bucket, categoria, tag, slot, comments) "
        f"SELECT {_BUCKET}, categoria_final, tag, 0, count(*) "
        "FROM comments CROSS JOIN LATERAL unnest(tags_final) AS tag GROUP BY 1, 2, 3"
    )
    op.execute("DROP INDEX IF EXISTS ix_comments_created_at_charts")


def downgrade() -> None:
    op.execute(
        "CREATE INDEX ix_comments_created_at_charts "
        "ON comments (created_at) INCLUDE (categoria_final, confianca)"
    )
    op.drop_table("tag_rollups")
    op.drop_table("category_rollups")
