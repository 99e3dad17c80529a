"""Chart snapshots: the five charts as computed by each scheduled refresh.

Revision ID: 0003
Revises: 0001
Create Date: 2026-11-30
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0003"
down_revision: str | None = "0001"
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


def downgrade() -> None:
    op.drop_table("chart_snapshots")
