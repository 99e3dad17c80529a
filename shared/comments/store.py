"""Storing classified comments, idempotent on the client's comment id, and the id conflicts
found on the way.

Storing the same batch twice stores it once. An id that arrives again with another text is not
stored over the first one; through ingest it is recorded in `comment_id_conflicts` (both texts'
hashes, where it came from, when), through the sync API it is refused with 409.
"""

from __future__ import annotations

import json
import logging
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Final

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine, RowMapping

from shared import rollups
from shared.classifier import CATEGORIES, Classification
from shared.comments.api import conflict_item, sync_item
from shared.comments.types import CommentIn
from shared.errors import Conflict
from shared.models import SOURCES, comment_id_conflicts, comments

if TYPE_CHECKING:
    from shared.bootstrap import App

log = logging.getLogger(__name__)


class IdConflict(Conflict, code="id_conflict"):
    """An id already stored with another text: the client reuses ids, which would lose data."""


# One statement for a whole batch: the rows travel as one JSON array that json_to_recordset turns
# into typed rows. One JSON text is far cheaper to send than a parameter array per column, whose
# elements the driver adapts one by one (measured: half the client CPU per row). Comment times are
# ISO 8601 text with an offset, so the session's time zone never changes what is stored.
_INSERT_SQL: Final = """
INSERT INTO comments (
    id, texto, categoria, tags_funcionalidades, confianca, needs_review,
    model_name, model_version, fallback_reason, source, created_at
)
SELECT
    u.id, u.texto, u.categoria, u.tags, u.confianca, u.needs_review, u.model_name,
    u.model_version, u.fallback_reason, CAST(:source AS text), coalesce(u.created_at, now())
FROM json_to_recordset(CAST(:rows AS json)) AS u(
    id text, texto text, categoria text, tags text[], confianca float8, needs_review boolean,
    model_name text, model_version text, fallback_reason text, created_at timestamptz
)
ON CONFLICT (id) DO NOTHING
"""

# The insert and the rollups of the rows it inserted, in one statement: ids already stored are
# not returned by ON CONFLICT DO NOTHING, so a redelivered batch adds nothing to them.
_STORE_SQL: Final = f"""
WITH changed AS ({_INSERT_SQL} RETURNING {rollups.CONTRIBUTION}, 1 AS weight),
{rollups.ADD_CHANGED}
SELECT (SELECT count(*) FROM changed) AS inserted, {rollups.WRITTEN}
"""

# The ids of a batch already stored with another text, recorded once per (id, incoming text):
# a redelivered message finds the same clashes and records nothing new. Runs after the insert, in
# its transaction, so it also sees rows a concurrent writer committed while the insert waited.
_RECORD_CONFLICTS_SQL: Final = """
WITH clashing AS (
    SELECT
        c.id AS comment_id,
        encode(sha256(convert_to(c.texto, 'UTF8')), 'hex') AS stored_text_sha256,
        encode(sha256(convert_to(u.texto, 'UTF8')), 'hex') AS incoming_text_sha256
    FROM json_to_recordset(CAST(:rows AS json)) AS u(id text, texto text)
    JOIN comments AS c ON c.id = u.id
    WHERE c.texto <> u.texto
),
recorded AS (
    INSERT INTO comment_id_conflicts (
        comment_id, stored_text_sha256, incoming_text_sha256, source, message_id, request_id
    )
    SELECT
        comment_id, stored_text_sha256, incoming_text_sha256,
        CAST(:source AS text), CAST(:message_id AS text), CAST(:request_id AS text)
    FROM clashing
    ON CONFLICT (comment_id, incoming_text_sha256) DO NOTHING
    RETURNING 1
)
SELECT (SELECT count(*) FROM clashing), (SELECT count(*) FROM recorded)
"""


@dataclass(frozen=True, slots=True)
class Stored:
    """What storing a batch did: rows inserted, and ids found stored with another text."""

    inserted: int
    conflicts: int = 0


def _insert_params(
    batch: Sequence[CommentIn],
    results: Sequence[Classification],
    *,
    source: str,
    review_threshold: float,
) -> dict[str, Any]:
    if len(batch) != len(results):
        raise ValueError(f"{len(batch)} comments but {len(results)} classifications")
    if source not in SOURCES:
        raise ValueError(f"source must be one of {SOURCES}, got {source!r}")
    for result in results:
        if result.categoria not in CATEGORIES:
            raise ValueError(f"classifier answered an unknown category {result.categoria!r}")
        if not (math.isfinite(result.confianca) and 0.0 <= result.confianca <= 1.0):
            raise ValueError(f"classifier answered confianca {result.confianca!r} outside [0, 1]")
    times = _instants_text(batch)
    rows = [
        {
            "id": comment.id,
            "texto": comment.texto,
            "categoria": result.categoria,
            "tags": list(result.tags_funcionalidades),
            "confianca": float(result.confianca),
            "needs_review": result.confianca < review_threshold,
            "model_name": result.model_name,
            "model_version": result.model_version,
            "fallback_reason": result.fallback_reason,
            "created_at": instant,
        }
        for comment, result, instant in zip(batch, results, times, strict=True)
    ]
    return {"source": source, "rows": json.dumps(rows, ensure_ascii=False)}


def _instants_text(batch: Sequence[CommentIn]) -> list[str | None]:
    # A batch's comments mostly share one time (their request's arrival): format it once.
    spelled: dict[datetime, str] = {}
    out: list[str | None] = []
    for comment in batch:
        instant = comment.criado_em
        if instant is None:
            out.append(None)
            continue
        text = spelled.get(instant)
        if text is None:
            text = spelled[instant] = instant.astimezone(UTC).isoformat()
        out.append(text)
    return out


def store_classified(
    engine: Engine,
    comments_in: Sequence[CommentIn],
    results: Sequence[Classification],
    *,
    source: str,
    review_threshold: float,
    message_id: str | None = None,
    request_id: str | None = None,
) -> Stored:
    """Store a classified batch in one statement; ids already stored are left as they are.

    When some ids were already stored (a redelivery, or a client reusing ids), one more
    set-based statement records those whose stored text differs in `comment_id_conflicts`, with
    `message_id`/`request_id` saying where the clash came from.
    """
    if not comments_in:
        return Stored(inserted=0)
    params = _insert_params(comments_in, results, source=source, review_threshold=review_threshold)
    with engine.begin() as conn:
        inserted = _insert(conn, params)
        if inserted == len(comments_in):
            return Stored(inserted=inserted)
        found, recorded = conn.execute(
            sa.text(_RECORD_CONFLICTS_SQL),
            {
                "rows": params["rows"],
                "source": source,
                "message_id": message_id,
                "request_id": request_id,
            },
        ).one()
    if found:
        log.warning(
            "comment ids already stored with another text",
            extra={"conflicts": int(found), "conflicts_recorded": int(recorded)},
        )
    return Stored(inserted=inserted, conflicts=int(found))


@dataclass(frozen=True, slots=True)
class SyncOutcome:
    """The answer per comment, in request order, and how many of them this request stored."""

    items: list[dict[str, Any]]
    stored: int


def classify_and_store(app: App, batch: Sequence[CommentIn]) -> SyncOutcome:
    """Classify now and store (source "sync"); one answer per comment, in request order.

    A retry of the same request answers with what was stored the first time (and stores
    nothing). An id already stored with a different text raises IdConflict and nothing of the
    request is stored.
    """
    engine = app.engine
    ids = [comment.id for comment in batch]
    with engine.connect() as conn:
        existing = _rows_by_id(conn, ids)
    _raise_on_conflicts(batch, existing)

    stored = 0
    missing = [comment for comment in batch if comment.id not in existing]
    if missing:
        results = app.classifier.classify_batch([comment.texto for comment in missing])
        params = _insert_params(
            missing, results, source="sync", review_threshold=app.settings.review_threshold
        )
        with engine.begin() as conn:
            stored = _insert(conn, params)
            # Read back in the same transaction: a concurrent request may have stored one of these
            # ids first (ON CONFLICT skipped it); if its text differs, roll everything back.
            read_back = _rows_by_id(conn, [comment.id for comment in missing])
            _raise_on_conflicts(missing, read_back)
        existing.update(read_back)
    return SyncOutcome(items=[sync_item(existing[comment_id]) for comment_id in ids], stored=stored)


def _insert(conn: Connection, params: Mapping[str, Any]) -> int:
    """Insert a batch (`_insert_params`) and add it to the rollups; how many rows were new."""
    return int(conn.execute(sa.text(_STORE_SQL), params).scalar_one())


def _rows_by_id(conn: Connection, ids: Sequence[str]) -> dict[str, RowMapping]:
    if not ids:
        return {}
    rows = conn.execute(sa.select(comments).where(comments.c.id.in_(ids))).mappings()
    return {row["id"]: row for row in rows}


def _raise_on_conflicts(batch: Sequence[CommentIn], stored: Mapping[str, RowMapping]) -> None:
    conflicting = [
        comment.id
        for comment in batch
        if comment.id in stored and stored[comment.id]["texto"] != comment.texto
    ]
    if conflicting:
        shown = ", ".join(repr(i) for i in conflicting[:20])
        more = f" and {len(conflicting) - 20} more" if len(conflicting) > 20 else ""
        raise IdConflict(
            f"id(s) {shown}{more} already stored with a different texto; "
            "nothing from this request was stored",
            details={"ids": conflicting},
        )


def list_id_conflicts(engine: Engine, *, limit: int) -> tuple[list[dict[str, Any]], int]:
    """The `limit` most recently detected id conflicts, newest first, and how many there are."""
    table = comment_id_conflicts
    statement = (
        sa.select(table).order_by(table.c.detected_at.desc(), table.c.id.desc()).limit(limit)
    )
    with engine.connect() as conn:
        rows = list(conn.execute(statement).mappings())
        total = int(conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one())
    return [conflict_item(row) for row in rows], total
