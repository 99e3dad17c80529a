"""Alerts: a spike or drop of a tag or category against its baseline, stored once per (rule,
window) with the numbers it rests on, and its delivery per channel.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "alerts",
        sa.Column("id", sa.BigInteger, sa.Identity(always=True), nullable=False),
        sa.Column("regra", sa.Text, nullable=False),
        sa.Column("escopo", sa.Text, nullable=False),
        sa.Column("chave", sa.Text, nullable=False),
        sa.Column("janela", sa.Text, nullable=False),
        sa.Column("direcao", sa.Text, nullable=False),
        sa.Column("inicio", sa.DateTime(timezone=True), nullable=False),
        sa.Column("fim", sa.DateTime(timezone=True), nullable=False),
        sa.Column("contagem", sa.BigInteger, nullable=False),
        sa.Column("media_base", sa.Numeric, nullable=False),
        sa.Column("contagens_base", postgresql.ARRAY(sa.BigInteger), nullable=False),
        sa.Column("p_valor", sa.Float, nullable=False),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()
        ),
        sa.PrimaryKeyConstraint("id", name="pk_alerts"),
        sa.UniqueConstraint("regra", "inicio", "fim", name="uq_alerts_regra_janela"),
        sa.CheckConstraint("escopo IN ('tag', 'categoria')", name="ck_alerts_escopo"),
        sa.CheckConstraint("janela IN ('hora', 'dia')", name="ck_alerts_janela"),
        sa.CheckConstraint("direcao IN ('alta', 'queda')", name="ck_alerts_direcao"),
        sa.CheckConstraint("fim > inicio", name="ck_alerts_window"),
    )
    op.create_index("ix_alerts_regra_fim", "alerts", ["regra", "fim"])
    op.create_index("ix_alerts_created_at", "alerts", ["created_at"])
    op.create_table(
        "alert_deliveries",
        sa.Column(
            "alert_id",
            sa.BigInteger,
            sa.ForeignKey("alerts.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("channel", sa.Text, nullable=False),
        sa.Column("status", sa.Text, nullable=False, server_default="pending"),
        sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
        sa.Column("last_error", sa.Text, nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()
        ),
        sa.PrimaryKeyConstraint("alert_id", "channel", name="pk_alert_deliveries"),
        sa.CheckConstraint(
            "status IN ('pending', 'sent', 'failed')", name="ck_alert_deliveries_status"
        ),
    )
    op.create_index(
        "ix_alert_deliveries_unsent",
        "alert_deliveries",
        ["alert_id"],
        postgresql_where=sa.text("status <> 'sent'"),
    )


def downgrade() -> None:
    op.drop_table("alert_deliveries")
    op.drop_table("alerts")
