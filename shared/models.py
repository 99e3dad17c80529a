"""The tables, as SQLAlchemy Core metadata used to build queries.

The schema itself changes only through the migrations in `shared/migrations`; this module mirrors
them (a test compares the two) so queries are written against names the type checker knows.
"""

from __future__ import annotations

from typing import Any, Final

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from shared.classifier import CATEGORIES

metadata = sa.MetaData()

ROLES: Final[tuple[str, ...]] = ("admin", "analyst")
SOURCES: Final[tuple[str, ...]] = ("sync", "ingest")


def _in_list(column: str, values: tuple[str, ...]) -> str:
    quoted = ", ".join("'" + value.replace("'", "''") + "'" for value in values)
    return f"{column} IN ({quoted})"


def _timestamp(name: str) -> sa.Column[Any]:
    """A required instant that is the moment the row is written unless one is given."""
    return sa.Column(name, sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now())


CATEGORY_CHECK: Final = _in_list("categoria", CATEGORIES)
CORRECTED_CATEGORY_CHECK: Final = (
    f"categoria_corrigida IS NULL OR {_in_list('categoria_corrigida', CATEGORIES)}"
)
ROLE_CHECK: Final = _in_list("role", ROLES)
SOURCE_CHECK: Final = _in_list("source", SOURCES)
COMMENT_ID_CHECK: Final = "id ~ '^[A-Za-z0-9._:@-]{1,128}$'"

comments = sa.Table(
    "comments",
    metadata,
    sa.Column("id", sa.Text, primary_key=True),
    sa.Column("texto", sa.Text, nullable=False),
    # The model's answer, never overwritten by a correction.
    sa.Column("categoria", sa.Text, nullable=False),
    sa.Column("tags_funcionalidades", postgresql.ARRAY(sa.Text), nullable=False),
    sa.Column("confianca", sa.REAL, nullable=False),
    sa.Column("needs_review", sa.Boolean, nullable=False),
    sa.Column("model_name", sa.Text, nullable=False),
    sa.Column("model_version", sa.Text, nullable=False),
    sa.Column("fallback_reason", sa.Text, nullable=True),
    # A human's correction, kept beside the model's answer.
    sa.Column("categoria_corrigida", sa.Text, nullable=True),
    sa.Column("tags_corrigidas", postgresql.ARRAY(sa.Text), nullable=True),
    sa.Column("corrected_by", sa.Text, nullable=True),
    sa.Column("corrected_at", sa.DateTime(timezone=True), nullable=True),
    # What the product shows: the correction when there is one, else the model's answer.
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
    # When the listener wrote the comment (the client's criado_em, else the time the request
    # arrived): the time every chart, digest and filter buckets by.
    _timestamp("created_at"),
    _timestamp("classified_at"),
    # When the row was inserted, and when it last changed (classification or correction).
    _timestamp("stored_at"),
    _timestamp("updated_at"),
    sa.CheckConstraint(COMMENT_ID_CHECK, name="ck_comments_id_format"),
    sa.CheckConstraint("length(texto) > 0", name="ck_comments_texto_not_empty"),
    sa.CheckConstraint(CATEGORY_CHECK, name="ck_comments_categoria"),
    sa.CheckConstraint(CORRECTED_CATEGORY_CHECK, name="ck_comments_categoria_corrigida"),
    sa.CheckConstraint("confianca >= 0 AND confianca <= 1", name="ck_comments_confianca_range"),
    sa.CheckConstraint(SOURCE_CHECK, name="ck_comments_source"),
)

users = sa.Table(
    "users",
    metadata,
    sa.Column("id", sa.BigInteger, sa.Identity(always=True), primary_key=True),
    sa.Column("username", sa.Text, nullable=False),
    sa.Column("password_hash", sa.Text, nullable=False),
    sa.Column("role", sa.Text, nullable=False),
    sa.Column("active", sa.Boolean, nullable=False, server_default=sa.true()),
    _timestamp("created_at"),
    # Refresh tokens issued before this instant are refused (a password change logs out everywhere).
    _timestamp("password_changed_at"),
    sa.UniqueConstraint("username", name="uq_users_username"),
    sa.CheckConstraint(ROLE_CHECK, name="ck_users_role"),
)

login_attempts = sa.Table(
    "login_attempts",
    metadata,
    sa.Column("id", sa.BigInteger, sa.Identity(always=True), primary_key=True),
    sa.Column("username", sa.Text, nullable=False),
    sa.Column("client_ip", sa.Text, nullable=False),
    sa.Column("succeeded", sa.Boolean, nullable=False),
    _timestamp("at"),
)

# One row per refresh token issued, by its `jti` (never the token): a token is honoured once, while
# its row is unused and unexpired. A family is one login's chain of rotated tokens; replaying a used
# token, or logging out, deletes the whole family. Expired rows are deleted by table maintenance.
refresh_tokens = sa.Table(
    "refresh_tokens",
    metadata,
    sa.Column("jti", sa.Text, nullable=False),
    sa.Column("family", sa.Text, nullable=False),
    sa.Column("username", sa.Text, nullable=False),
    sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint("jti", name="pk_refresh_tokens"),
    sa.Index("ix_refresh_tokens_family", "family"),
    sa.Index("ix_refresh_tokens_expires_at", "expires_at"),
)

# Requests per key (an operation and a user) in fixed windows: the per-user rate limits, counted
# where every instance sees the same number.
rate_limit_windows = sa.Table(
    "rate_limit_windows",
    metadata,
    sa.Column("key", sa.Text, nullable=False),
    sa.Column("window_start", sa.DateTime(timezone=True), nullable=False),
    sa.Column("requests", sa.Integer, nullable=False),
    sa.PrimaryKeyConstraint("key", "window_start", name="pk_rate_limit_windows"),
)

# An id that arrived through ingest with another text than the one stored under it: the first
# text stays, this records that a second one came (both hashed), from where and when.
comment_id_conflicts = sa.Table(
    "comment_id_conflicts",
    metadata,
    sa.Column("id", sa.BigInteger, sa.Identity(always=True), primary_key=True),
    sa.Column("comment_id", sa.Text, nullable=False),
    sa.Column("stored_text_sha256", sa.Text, nullable=False),
    sa.Column("incoming_text_sha256", sa.Text, nullable=False),
    sa.Column("source", sa.Text, nullable=False),
    sa.Column("message_id", sa.Text, nullable=True),
    sa.Column("request_id", sa.Text, nullable=True),
    _timestamp("detected_at"),
    sa.UniqueConstraint(
        "comment_id", "incoming_text_sha256", name="uq_comment_id_conflicts_id_incoming"
    ),
    sa.CheckConstraint(SOURCE_CHECK, name="ck_comment_id_conflicts_source"),
)

DIGEST_WRITERS: Final[tuple[str, ...]] = ("template", "llm")
DELIVERY_STATUSES: Final[tuple[str, ...]] = ("pending", "sent", "failed")

weekly_digests = sa.Table(
    "weekly_digests",
    metadata,
    sa.Column("semana", sa.Text, primary_key=True),
    sa.Column("inicio", sa.Date, nullable=False),
    sa.Column("fim", sa.Date, nullable=False),
    sa.Column("stats", postgresql.JSONB, nullable=False),
    sa.Column("texto", sa.Text, nullable=False),
    sa.Column("html", sa.Text, nullable=False),
    sa.Column("writer", sa.Text, nullable=False),
    sa.Column("writer_model", sa.Text, nullable=True),
    sa.Column("fallback_reason", sa.Text, nullable=True),
    _timestamp("created_at"),
    sa.CheckConstraint("semana ~ '^[0-9]{4}-W[0-9]{2}$'", name="ck_weekly_digests_semana"),
    sa.CheckConstraint(_in_list("writer", DIGEST_WRITERS), name="ck_weekly_digests_writer"),
)

digest_recipients = sa.Table(
    "digest_recipients",
    metadata,
    sa.Column("email", sa.Text, primary_key=True),
    sa.Column("nome", sa.Text, nullable=True),
    _timestamp("created_at"),
    sa.CheckConstraint("email = lower(email)", name="ck_digest_recipients_email_lower"),
)

digest_deliveries = sa.Table(
    "digest_deliveries",
    metadata,
    sa.Column("semana", sa.Text, sa.ForeignKey("weekly_digests.semana"), nullable=False),
    sa.Column("email", sa.Text, nullable=False),
    sa.Column("status", sa.Text, nullable=False, server_default="pending"),
    sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
    sa.Column("last_error", sa.Text, nullable=True),
    sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
    _timestamp("created_at"),
    sa.PrimaryKeyConstraint("semana", "email", name="pk_digest_deliveries"),
    sa.CheckConstraint(_in_list("status", DELIVERY_STATUSES), name="ck_digest_deliveries_status"),
)

chart_snapshots = sa.Table(
    "chart_snapshots",
    metadata,
    # The scheduled time of the tick that produced the snapshot: redelivered ticks change nothing.
    sa.Column("scheduled_time", sa.DateTime(timezone=True), primary_key=True),
    sa.Column("payload", postgresql.JSONB, nullable=False),
    _timestamp("generated_at"),
    sa.Column("duration_ms", sa.Float, nullable=False),
    sa.CheckConstraint("duration_ms >= 0", name="ck_chart_snapshots_duration_ms"),
)

# Counts per 15-minute UTC bucket by final label, changed with the comments (shared/rollups.py).
# A key's counts are spread over a few slots, so concurrent writers rarely wait on one another;
# readers sum them.
category_rollups = sa.Table(
    "category_rollups",
    metadata,
    sa.Column("bucket", sa.DateTime(timezone=True), nullable=False),
    sa.Column("categoria", sa.Text, nullable=False),
    sa.Column("slot", sa.SmallInteger, nullable=False),
    sa.Column("comments", sa.BigInteger, nullable=False),
    sa.Column("confianca_sum", sa.Numeric, nullable=False),
    # Flagged for review and not corrected yet; corrected by a person.
    sa.Column("awaiting_review", sa.BigInteger, nullable=False),
    sa.Column("corrected", sa.BigInteger, nullable=False),
    sa.PrimaryKeyConstraint("bucket", "categoria", "slot", name="pk_category_rollups"),
)

tag_rollups = sa.Table(
    "tag_rollups",
    metadata,
    sa.Column("bucket", sa.DateTime(timezone=True), nullable=False),
    sa.Column("categoria", sa.Text, nullable=False),
    sa.Column("tag", sa.Text, nullable=False),
    sa.Column("slot", sa.SmallInteger, nullable=False),
    sa.Column("comments", sa.BigInteger, nullable=False),
    sa.PrimaryKeyConstraint("bucket", "categoria", "tag", "slot", name="pk_tag_rollups"),
)

# Alerts (shared/alerts): one row per (rule, window) with the numbers it rests on, and one
# delivery row per (alert, channel) so a failed channel is retried alone.
ALERT_SCOPES: Final[tuple[str, ...]] = ("tag", "categoria")
ALERT_WINDOWS: Final[tuple[str, ...]] = ("hora", "dia")
ALERT_DIRECTIONS: Final[tuple[str, ...]] = ("alta", "queda")

alerts = sa.Table(
    "alerts",
    metadata,
    sa.Column("id", sa.BigInteger, sa.Identity(always=True), primary_key=True),
    # "<escopo>:<chave>:<direcao>": what the cool-down is kept per, whichever window saw it.
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
    _timestamp("created_at"),
    sa.UniqueConstraint("regra", "inicio", "fim", name="uq_alerts_regra_janela"),
    sa.CheckConstraint(_in_list("escopo", ALERT_SCOPES), name="ck_alerts_escopo"),
    sa.CheckConstraint(_in_list("janela", ALERT_WINDOWS), name="ck_alerts_janela"),
    sa.CheckConstraint(_in_list("direcao", ALERT_DIRECTIONS), name="ck_alerts_direcao"),
    sa.CheckConstraint("fim > inicio", name="ck_alerts_window"),
)

alert_deliveries = sa.Table(
    "alert_deliveries",
    metadata,
    sa.Column(
        "alert_id", sa.BigInteger, sa.ForeignKey("alerts.id", ondelete="CASCADE"), nullable=False
    ),
    sa.Column("channel", sa.Text, nullable=False),
    sa.Column("status", sa.Text, nullable=False, server_default="pending"),
    sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
    sa.Column("last_error", sa.Text, nullable=True),
    sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
    _timestamp("created_at"),
    sa.PrimaryKeyConstraint("alert_id", "channel", name="pk_alert_deliveries"),
    sa.CheckConstraint(_in_list("status", DELIVERY_STATUSES), name="ck_alert_deliveries_status"),
)

# New themes (shared/themes): groups of comments no tag covers, per period (a local day or ISO
# week), with their members; `anterior` members are the previous period's comments that would
# have joined the theme, for its growth.
THEME_PERIODS: Final[tuple[str, ...]] = ("dia", "semana")
THEME_STATUSES: Final[tuple[str, ...]] = ("novo", "promovido", "dispensado")

themes = sa.Table(
    "themes",
    metadata,
    sa.Column("id", sa.BigInteger, sa.Identity(), primary_key=True),
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
    _timestamp("created_at"),
    sa.CheckConstraint(_in_list("periodo", THEME_PERIODS), name="ck_themes_periodo"),
    sa.CheckConstraint(_in_list("status", THEME_STATUSES), name="ck_themes_status"),
    sa.UniqueConstraint("periodo", "chave", "assinatura", name="uq_themes_period_signature"),
)

theme_members = sa.Table(
    "theme_members",
    metadata,
    sa.Column(
        "theme_id", sa.BigInteger, sa.ForeignKey("themes.id", ondelete="CASCADE"), nullable=False
    ),
    sa.Column("comment_id", sa.Text, nullable=False),
    sa.Column("anterior", sa.Boolean, nullable=False),
    sa.Column("amostra", sa.Boolean, nullable=False),
    sa.PrimaryKeyConstraint("theme_id", "comment_id", name="pk_theme_members"),
)

# Tags analysts made from themes: applied by the tagger beside the taxonomy's.
analyst_tags = sa.Table(
    "analyst_tags",
    metadata,
    sa.Column("tag", sa.Text, primary_key=True),
    sa.Column("descricao", sa.Text, nullable=False),
    sa.Column("padroes", postgresql.ARRAY(sa.Text), nullable=False),
    sa.Column(
        "theme_id", sa.BigInteger, sa.ForeignKey("themes.id", ondelete="SET NULL"), nullable=True
    ),
    sa.Column("created_by", sa.Text, nullable=False),
    _timestamp("created_at"),
)

# One row per day of comments moved to the bucket by retention (shared/retention.py): where its
# archive object is and how many rows went there. Before the latest day's end the comments table
# is no longer complete, so a rollup rebuild leaves those buckets alone.
comment_archives = sa.Table(
    "comment_archives",
    metadata,
    sa.Column("day", sa.Date, primary_key=True),
    # The day's end (PRODUCT_TIMEZONE's midnight after it), the instant rebuilds start from.
    sa.Column("ends_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("rows", sa.BigInteger, nullable=False),
    sa.Column("object_key", sa.Text, nullable=False),
    _timestamp("archived_at"),
    sa.CheckConstraint("rows >= 0", name="ck_comment_archives_rows"),
)
