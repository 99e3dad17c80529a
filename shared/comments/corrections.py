"""One comment read back, and corrected by a person: GET and PATCH /api/comentarios/{id}.

A correction is kept beside the model's answer, never over it (training reads both)."""

from __future__ import annotations

import logging
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from shared.comments.api import COMMENT_COLUMNS, comment_item
from shared.comments.types import Correction
from shared.errors import NotFound
from shared.models import comments

log = logging.getLogger(__name__)


def get_comment(engine: Engine, comment_id: str) -> dict[str, Any]:
    """One comment as the detail endpoint shows it; NotFound when no comment has that id."""
    with engine.connect() as conn:
        row = (
            conn.execute(sa.select(*COMMENT_COLUMNS).where(comments.c.id == comment_id))
            .mappings()
            .first()
        )
    if row is None:
        raise NotFound(f"no comment with id {comment_id!r}")
    return comment_item(row)


def correct_comment(
    engine: Engine, comment_id: str, correction: Correction, *, by: str
) -> dict[str, Any]:
    """Record a human's answer beside the model's; a part not given keeps its earlier correction."""
    values: dict[str, Any] = {
        "corrected_by": by,
        "corrected_at": sa.func.now(),
        "updated_at": sa.func.now(),
    }
    if correction.categoria is not None:
        values["categoria_corrigida"] = correction.categoria
    if correction.tags is not None:
        values["tags_corrigidas"] = list(correction.tags)
    statement = (
        sa.update(comments)
        .where(comments.c.id == comment_id)
        .values(**values)
        .returning(*COMMENT_COLUMNS)
    )
    with engine.begin() as conn:
        row = conn.execute(statement).mappings().first()
    if row is None:
        raise NotFound(f"no comment with id {comment_id!r}")
    log.info(
        "comment corrected",
        extra={"comment_id": comment_id, "by": by, "categoria": correction.categoria},
    )
    return comment_item(row)
