"""Comments with the model's answer and the human correction, users, login attempts.

Revision ID: 0001
Revises:
Create Date: 2026-11-24
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Written out rather than imported from shared.models: a migration is history and must not change
# when the models module does.
CATEGORIES = "('ELOGIO', 'CRÍTICA', 'SUGESTÃO', 'DÚVIDA', 'SPAM')"


def upgrade() -> None:
    # Trigram index for `q` (ILIKE '%...%'); pg_trgm is a trusted extension, Cloud SQL offers it.
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")

    op.create_table(
        "comments",
        sa.Column("id", sa.Text, primary_key=True),
        sa.Column("texto", sa.Text, nullable=False),
        sa.Column("categoria", sa.Text, nullable=False),
        sa.Column("tags_funcionalidades", postgresql.ARRAY(sa.Text), nullable=False),
        sa.Column("confianca", sa.REAL, nullable=False),
        sa.Column("needs_review", sa.Boolean, nullable=False),
        sa.Column("model_name", sa.Text, nullable=False),
        sa.Column("model_version", sa.Text, nullable=False),
        sa.Column("fallback_reason", sa.Text, nullable=True),
        sa.Column("categoria_corrigida", sa.Text, nullable=True),
        sa.Column("tags_corrigidas", postgresql.ARRAY(sa.Text), nullable=True),
        sa.Column("corrected_by", sa.Text, nullable=True),
        sa.Column("corrected_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "categoria_final",
            sa.Text,
            sa.Computed("coalesce(categoria_corrigida, categoria)", persisted=True),
        ),
        sa.Column(
            "tags_final",
            postgresql.ARRAY(sa.Text),
            sa.Computed("coalesce(tags_corrigidas, tags_funcionalidades)", persisted=True),
        ),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()
        ),
        sa.Column(
            "classified_at",
            sa.DateTime(timezone=True),
            nullable=False,
            server_default=sa.func.now(),
        ),
        sa.CheckConstraint("id ~ '^[A-Za-z0-9._:@-]{1,128}$'", name="ck_comments_id_format"),
        sa.CheckConstraint("length(texto) > 0", name="ck_comments_texto_not_empty"),
        sa.CheckConstraint(f"categoria IN {CATEGORIES}", name="ck_comments_categoria"),
        sa.CheckConstraint(
            f"categoria_corrigida IS NULL OR categoria_corrigida IN {CATEGORIES}",
            name="ck_comments_categoria_corrigida",
        ),
        sa.CheckConstraint("confianca >= 0 AND confianca <= 1", name="ck_comments_confianca_range"),
        sa.CheckConstraint("source IN ('sync', 'ingest')", name="ck_comments_source"),
    )
    # One index per way the list is filtered or ordered; each ends with (.., id) so keyset
    # pagination walks the index without sorting.
    op.execute("CREATE INDEX ix_comments_created_at_id ON comments (created_at DESC, id DESC)")
    op.execute(
        "CREATE INDEX ix_comments_categoria_final_created_at_id "
        "ON comments (categoria_final, created_at DESC, id DESC)"
    )
    op.execute("CREATE INDEX ix_comments_tags_final ON comments USING gin (tags_final)")
    op.execute("CREATE INDEX ix_comments_texto_trgm ON comments USING gin (texto gin_trgm_ops)")
    op.execute("CREATE INDEX ix_comments_confianca_id ON comments (confianca, id)")
    op.execute(
        "CREATE INDEX ix_comments_needs_review_created_at_id "
        "ON comments (created_at DESC, id DESC) WHERE needs_review"
    )

    op.create_table(
        "users",
        sa.Column("id", sa.BigInteger, sa.Identity(always=True), primary_key=True),
        sa.Column("username", sa.Text, nullable=False),
        sa.Column("password_hash", sa.Text, nullable=False),
        sa.Column("role", sa.Text, nullable=False),
        sa.Column("active", sa.Boolean, nullable=False, server_default=sa.true()),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()
        ),
        sa.Column(
            "password_changed_at",
            sa.DateTime(timezone=True),
            nullable=False,
            server_default=sa.func.now(),
        ),
        sa.UniqueConstraint("username", name="uq_users_username"),
        sa.CheckConstraint("role IN ('admin', 'analyst')", name="ck_users_role"),
    )

    op.create_table(
        "login_attempts",
        sa.Column("id", sa.BigInteger, sa.Identity(always=True), primary_key=True),
        sa.Column("username", sa.Text, nullable=False),
        sa.Column("client_ip", sa.Text, nullable=False),
        sa.Column("succeeded", sa.Boolean, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    )
    op.execute("CREATE INDEX ix_login_attempts_username_at ON login_attempts (username, at)")
    op.execute("CREATE INDEX ix_login_attempts_client_ip_at ON login_attempts (client_ip, at)")
    op.execute("CREATE INDEX ix_login_attempts_at ON login_attempts (at)")


def downgrade() -> None:
    op.drop_table("login_attempts")
    op.drop_table("users")
    op.drop_table("comments")
