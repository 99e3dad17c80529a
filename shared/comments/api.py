"""Comment rows as the HTTP API shows them."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, Final

from shared.comments.types import Row
from shared.models import comments

# What a read of comments selects: every column (`updated_at` is kept by the writes themselves:
# set when a comment is stored or classified, moved by a correction).
COMMENT_COLUMNS: Final = tuple(comments.c)


def instant_text(value: datetime | None) -> str | None:
    """An instant as ISO 8601 in UTC (`+00:00`), None kept as None."""
    return value.astimezone(UTC).isoformat() if value is not None else None


def sync_item(row: Row) -> dict[str, Any]:
    """The answer of POST /api/comentarios for one comment (what the product currently says)."""
    created = instant_text(row["created_at"])
    return {
        "id": row["id"],
        "texto": row["texto"],
        "categoria": row["categoria_final"],
        "tags_funcionalidades": list(row["tags_final"]),
        "confianca": row["confianca"],
        "needs_review": row["needs_review"],
        "model_name": row["model_name"],
        "model_version": row["model_version"],
        "fallback_reason": row["fallback_reason"],
        # When the listener wrote it (the client's criado_em, else the request's arrival);
        # `created_at` is the same instant under the earlier system's name.
        "criado_em": created,
        "created_at": created,
        "updated_at": instant_text(row["updated_at"]),
    }


def comment_item(row: Row) -> dict[str, Any]:
    """One comment as the list, the detail and the correction endpoints show it."""
    correction = None
    if row["corrected_at"] is not None:
        correction = {
            "categoria": row["categoria_corrigida"],
            "tags": list(row["tags_corrigidas"]) if row["tags_corrigidas"] is not None else None,
            "by": row["corrected_by"],
            "at": instant_text(row["corrected_at"]),
        }
    return {
        **sync_item(row),
        "correction": correction,
        "model": {
            "categoria": row["categoria"],
            "tags": list(row["tags_funcionalidades"]),
        },
    }


def conflict_item(row: Row) -> dict[str, Any]:
    """One recorded id conflict as GET /api/comentarios/conflitos and the CLI show it."""
    return {
        "comment_id": row["comment_id"],
        "stored_text_sha256": row["stored_text_sha256"],
        "incoming_text_sha256": row["incoming_text_sha256"],
        "source": row["source"],
        "message_id": row["message_id"],
        "request_id": row["request_id"],
        "detected_at": instant_text(row["detected_at"]),
    }
