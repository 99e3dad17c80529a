"""New themes per period, their members, and the tags analysts make of them.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "themes",
        sa.Column("id", sa.BigInteger, sa.Identity(), nullable=False),
        sa.Column("periodo", sa.Text, nullable=False),
        sa.Column("chave", sa.Text, nullable=False),
        sa.Column("inicio", sa.DateTime(timezone=True), nullable=False),
        sa.Column("fim", sa.DateTime(timezone=True), nullable=False),
        sa.Column("assinatura", sa.Text, nullable=False),
        sa.Column("nome", sa.Text, nullable=False),
        sa.Column("palavras", postgresql.ARRAY(sa.Text), nullable=False),
        sa.Column("rotulo", sa.Text, nullable=True),
        sa.Column("status", sa.Text, nullable=False, server_default="novo"),
        sa.Column("tag", sa.Text, nullable=True),
        sa.Column("decided_by", sa.Text, nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()
        ),
        sa.PrimaryKeyConstraint("id", name="pk_themes"),
        sa.CheckConstraint("periodo IN ('dia', 'semana')", name="ck_themes_periodo"),
        sa.CheckConstraint(
            "status IN ('novo', 'promovido', 'dispensado')", name="ck_themes_status"
        ),
        sa.UniqueConstraint("periodo", "chave", "assinatura", name="uq_themes_period_signature"),
    )
    op.create_table(
        "theme_members",
        sa.Column("theme_id", sa.BigInteger, nullable=False),
        sa.Column("comment_id", sa.Text, nullable=False),
        sa.Column("anterior", sa.Boolean, nullable=False),
        sa.Column("amostra", sa.Boolean, nullable=False),
        sa.PrimaryKeyConstraint("theme_id", "comment_id", name="pk_theme_members"),
        sa.ForeignKeyConstraint(
            ["theme_id"], ["themes.id"], name="fk_theme_members_theme", ondelete="CASCADE"
        ),
    )
    op.create_table(
        "analyst_tags",
        sa.Column("tag", sa.Text, nullable=False),
        sa.Column("descricao", sa.Text, nullable=False),
        sa.Column("padroes", postgresql.ARRAY(sa.Text), nullable=False),
        sa.Column("theme_id", sa.BigInteger, nullable=True),
        sa.Column("created_by", sa.Text, nullable=False),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()
        ),
        sa.PrimaryKeyConstraint("tag", name="pk_analyst_tags"),
        sa.ForeignKeyConstraint(
            ["theme_id"], ["themes.id"], name="fk_analyst_tags_theme", ondelete="SET NULL"
        ),
    )


def downgrade() -> None:
    op.drop_table("analyst_tags")
    op.drop_table("theme_members")
    op.drop_table("themes")
