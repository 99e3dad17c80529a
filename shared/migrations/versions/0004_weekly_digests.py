"""Weekly digests (one per ISO week), their recipients and one delivery per (week, recipient).

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-30
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "weekly_digests",
        sa.Column("semana", sa.Text, primary_key=True),
        sa.Column("inicio", sa.Date, nullable=False),
        sa.Column("fim", sa.Date, nullable=False),
        sa.Column("stats", postgresql.JSONB, nullable=False),
        sa.Column("texto", sa.Text, nullable=False),
        sa.Column("html", sa.Text, nullable=False),
        sa.Column("writer", sa.Text, nullable=False),
        sa.Column("writer_model", sa.Text, nullable=True),
        sa.Column("fallback_reason", sa.Text, nullable=True),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()
        ),
        sa.CheckConstraint("semana ~ '^[0-9]{4}-W[0-9]{2}$'", name="ck_weekly_digests_semana"),
        sa.CheckConstraint("writer IN ('template', 'llm')", name="ck_weekly_digests_writer"),
    )

    op.create_table(
        "digest_recipients",
        sa.Column("email", sa.Text, primary_key=True),
        sa.Column("nome", sa.Text, nullable=True),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()
        ),
        sa.CheckConstraint("email = lower(email)", name="ck_digest_recipients_email_lower"),
    )

    # No foreign key to digest_recipients: removing a recipient keeps the record of what was sent.
    op.create_table(
        "digest_deliveries",
        sa.Column("semana", sa.Text, sa.ForeignKey("weekly_digests.semana"), nullable=False),
        sa.Column("email", sa.Text, nullable=False),
        sa.Column("status", sa.Text, nullable=False, server_default="pending"),
        sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
        sa.Column("last_error", sa.Text, nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()
        ),
        sa.PrimaryKeyConstraint("semana", "email", name="pk_digest_deliveries"),
        sa.CheckConstraint(
            "status IN ('pending', 'sent', 'failed')", name="ck_digest_deliveries_status"
        ),
    )


def downgrade() -> None:
    op.drop_table("digest_deliveries")
    op.drop_table("digest_recipients")
    op.drop_table("weekly_digests")
