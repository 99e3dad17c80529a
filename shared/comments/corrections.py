"""One comment read back, and corrected by a person: GET and PATCH /api/comentarios/{id}.

A correction is kept beside the model's answer, never over it (training reads both)."""

from __future__ import annotations

import logging
from typing import Any, Final

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from shared import rollups
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


# The correction and the rollups in one statement: the comment's labels before it (`old`, locked
# first) are taken out of the rollups and its labels after it put in. A part not given keeps its
# earlier correction.
_CORRECT_SQL: Final = f"""
WITH old AS (
    SELECT id, {rollups.CONTRIBUTION} FROM comments WHERE id = :id FOR UPDATE
),
updated AS (
    UPDATE comments AS c SET
        categoria_corrigida = coalesce(CAST(:categoria AS text), c.categoria_corrigida),
        tags_corrigidas = coalesce(CAST(:tags AS text[]), c.tags_corrigidas),
        corrected_by = :by, corrected_at = now(), updated_at = now()
    FROM old WHERE c.id = old.id
    RETURNING c.*
),
{rollups.MOVED},
{rollups.ADD_CHANGED}
SELECT updated.*, {rollups.WRITTEN} FROM updated
"""


def correct_comment(
    engine: Engine, comment_id: str, correction: Correction, *, by: str
) -> dict[str, Any]:
    """Record a human's answer beside the model's, and move the comment in the rollups."""
    tags = list(correction.tags) if correction.tags is not None else None
    with engine.begin() as conn:
        row = (
            conn.execute(
                sa.text(_CORRECT_SQL),
                {"id": comment_id, "categoria": correction.categoria, "tags": tags, "by": by},
            )
            .mappings()
            .first()
        )
    if row is None:
        raise NotFound(f"no comment with id {comment_id!r}")
    log.info(
        "comment corrected",
        extra={"comment_id": comment_id, "by": by, "categoria": correction.categoria},
    )
    return comment_item(row)
