"""Comment time apart from insert time; id conflicts recorded instead of dropped.

`comments.created_at` becomes the time the listener wrote the comment (the client's `criado_em`
or the request's arrival, set by the application); `stored_at` keeps the insert time and
`updated_at` the last change. Rows stored before this revision were stamped at insert, which is
the best time known for them.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-30
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "comments",
        sa.Column(
            "stored_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()
        ),
    )
    op.add_column(
        "comments",
        sa.Column(
            "updated_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()
        ),
    )
    op.execute(
        "UPDATE comments SET stored_at = created_at, "
        "updated_at = greatest(classified_at, coalesce(corrected_at, classified_at))"
    )
    # What arrived since a given moment, whatever time its comments were written (a late batch
    # of old comments, the pipeline benchmark's progress): comment time cannot answer that.
    op.execute("CREATE INDEX ix_comments_stored_at ON comments (stored_at)")

    op.create_table(
        "comment_id_conflicts",
        sa.Column("id", sa.BigInteger, sa.Identity(always=True), primary_key=True),
        sa.Column("comment_id", sa.Text, nullable=False),
        sa.Column("stored_text_sha256", sa.Text, nullable=False),
        sa.Column("incoming_text_sha256", sa.Text, nullable=False),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("message_id", sa.Text, nullable=True),
        sa.Column("request_id", sa.Text, nullable=True),
        sa.Column(
            "detected_at",
            sa.DateTime(timezone=True),
            nullable=False,
            server_default=sa.func.now(),
        ),
        sa.UniqueConstraint(
            "comment_id", "incoming_text_sha256", name="uq_comment_id_conflicts_id_incoming"
        ),
        sa.CheckConstraint("source IN ('sync', 'ingest')", name="ck_comment_id_conflicts_source"),
    )
    op.execute(
        "CREATE INDEX ix_comment_id_conflicts_detected_at_id "
        "ON comment_id_conflicts (detected_at DESC, id DESC)"
    )


def downgrade() -> None:
    op.drop_table("comment_id_conflicts")
    op.drop_column("comments", "updated_at")
    op.drop_column("comments", "stored_at")
