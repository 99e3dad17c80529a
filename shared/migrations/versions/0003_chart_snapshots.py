"""Chart snapshots (the five charts of each scheduled refresh) and the index the refresh reads.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-30
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "chart_snapshots",
        # The tick's scheduled time is the key: a redelivered tick finds its row and stops.
        sa.Column("scheduled_time", sa.DateTime(timezone=True), primary_key=True),
        sa.Column("payload", postgresql.JSONB, nullable=False),
        sa.Column(
            "generated_at",
            sa.DateTime(timezone=True),
            nullable=False,
            server_default=sa.func.now(),
        ),
        sa.Column("duration_ms", sa.Float, nullable=False),
        sa.CheckConstraint("duration_ms >= 0", name="ck_chart_snapshots_duration_ms"),
    )
    # The refresh reads a week of comments by created_at and needs only these two columns: with
    # them in the index it is an index-only scan (measured at 1M comments: the week's pass went
    # from ~100 ms to ~35 ms). Pages not yet marked all-visible by (auto)vacuum fall back to the
    # heap, as before this index.
    op.execute(
        "CREATE INDEX ix_comments_created_at_charts "
        "ON comments (created_at) INCLUDE (categoria_final, confianca)"
    )


def downgrade() -> None:
    op.execute("DROP INDEX IF EXISTS ix_comments_created_at_charts")
    op.drop_table("chart_snapshots")
