"""Classified comments: storing them, reading them back, exporting them, correcting them.

Writes are idempotent on the client's comment id: storing the same batch twice stores it once.
An id that arrives again with another text is not stored over the first one; through ingest it
is recorded in `comment_id_conflicts` (both texts' hashes, where it came from, when), through the
sync API it is refused with 409.
Reads page with an opaque keyset cursor (stable under concurrent inserts, constant cost per page
however deep) and the export streams keyset batches, so neither ever holds the table in memory.
"""

from __future__ import annotations

import base64
import binascii
import csv
import hashlib
import hmac
import io
import json
import logging
import math
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Final

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine, RowMapping

from shared.classifier import CATEGORIES, Classification
from shared.db import QUERY_CANCELED, sqlstate
from shared.errors import Conflict, InvalidInput, NotFound
from shared.models import SOURCES, comment_id_conflicts, comments
from shared.validation import (
    COMMENT_ID_RE,
    CommentFilters,
    CommentIn,
    Correction,
    ListQuery,
    Ordem,
)

if TYPE_CHECKING:
    from shared.bootstrap import App

log = logging.getLogger(__name__)

EXPORT_BATCH_ROWS: Final = 5000
# Beyond this many matches the list reports an estimated total (see count_comments).
EXACT_COUNT_LIMIT: Final = 10_000
EXACT_COUNT_LIMIT_TEXT_SEARCH: Final = 1_000
# Table pages read by the estimate's sample (about 50 comments a page, so ~5,000 rows: a few percent
# of error on totals worth estimating, ~2 ms from cache); fewer with `q`, whose
# pattern costs more per row to match.
ESTIMATE_SAMPLE_PAGES: Final = 100
ESTIMATE_SAMPLE_PAGES_TEXT_SEARCH: Final = 40
# An exact count is tried only when the estimate is under this many times the exact limit.
COUNT_WHEN_ESTIMATE_UNDER: Final = 3
# The most an exact count may take before the estimate stands: the list's latency must not
# depend on how costly one filter combination is to count (see count_comments).
EXACT_COUNT_BUDGET_MS: Final = 10
# A result row by column name (RowMapping's keys may also be Column objects).
Row = Mapping[Any, Any]
CURSOR_VERSION: Final = 1


class IdConflict(Conflict):
    """An id already stored with another text: the client reuses ids, which would lose data."""

    code = "id_conflict"


# --- storing ------------------------------------------------------------------------------------

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
    """What storing a batch did: rows inserted; ids found stored with another text (`conflicts`)
    and how many of those were recorded for the first time (0 on a redelivery)."""

    inserted: int
    conflicts: int = 0
    conflicts_recorded: int = 0


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
        inserted = int(conn.execute(sa.text(_INSERT_SQL), params).rowcount)
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
    return Stored(inserted=inserted, conflicts=int(found), conflicts_recorded=int(recorded))


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
            stored = int(conn.execute(sa.text(_INSERT_SQL), params).rowcount)
            # Read back in the same transaction: a concurrent request may have stored one of these
            # ids first (ON CONFLICT skipped it); if its text differs, roll everything back.
            read_back = _rows_by_id(conn, [comment.id for comment in missing])
            _raise_on_conflicts(missing, read_back)
        existing.update(read_back)
    return SyncOutcome(items=[sync_item(existing[comment_id]) for comment_id in ids], stored=stored)


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


# --- shaping rows for the API -------------------------------------------------------------------

# What a read of comments selects: every column (`updated_at` is kept by the writes themselves:
# set when a comment is stored or classified, moved by a correction).
COMMENT_COLUMNS: Final = tuple(comments.c)


def _instant(value: datetime | None) -> str | None:
    return value.astimezone(UTC).isoformat() if value is not None else None


def sync_item(row: Row) -> dict[str, Any]:
    """The answer of POST /api/comentarios for one comment (what the product currently says)."""
    created = _instant(row["created_at"])
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
        "updated_at": _instant(row["updated_at"]),
    }


def comment_item(row: Row) -> dict[str, Any]:
    """One comment as the list, the detail and the correction endpoints show it."""
    correction = None
    if row["corrected_at"] is not None:
        correction = {
            "categoria": row["categoria_corrigida"],
            "tags": list(row["tags_corrigidas"]) if row["tags_corrigidas"] is not None else None,
            "by": row["corrected_by"],
            "at": _instant(row["corrected_at"]),
        }
    return {
        **sync_item(row),
        "correction": correction,
        "model": {
            "categoria": row["categoria"],
            "tags": list(row["tags_funcionalidades"]),
        },
        "created_at": _instant(row["created_at"]),
        "updated_at": _instant(row["updated_at"]),
    }


# --- reading one, correcting one ----------------------------------------------------------------


def get_comment(engine: Engine, comment_id: str) -> dict[str, Any]:
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


# --- id conflicts -------------------------------------------------------------------------------


def conflict_item(row: Row) -> dict[str, Any]:
    return {
        "comment_id": row["comment_id"],
        "stored_text_sha256": row["stored_text_sha256"],
        "incoming_text_sha256": row["incoming_text_sha256"],
        "source": row["source"],
        "message_id": row["message_id"],
        "request_id": row["request_id"],
        "detected_at": _instant(row["detected_at"]),
    }


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


# --- listing ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Position:
    """Where a page ended: the order key of its last row and that row's id."""

    key: datetime | float
    id: str


@dataclass(frozen=True, slots=True)
class Total:
    """How many comments match; `exact` is False when the number is estimated."""

    value: int
    exact: bool


@dataclass(frozen=True, slots=True)
class Page:
    items: list[dict[str, Any]]
    next_cursor: str | None
    total: Total


def escape_like(text: str) -> str:
    """`text` as a literal inside a LIKE pattern (escape character: backslash)."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _conditions(
    filters: CommentFilters, source: sa.FromClause = comments
) -> list[sa.ColumnElement[bool]]:
    c = source.c
    conditions: list[sa.ColumnElement[bool]] = []
    if filters.categoria is not None:
        conditions.append(c.categoria_final == filters.categoria)
    if filters.tag is not None:
        conditions.append(c.tags_final.contains(sa.cast([filters.tag], c.tags_final.type)))
    if filters.q:
        conditions.append(c.texto.ilike(f"%{escape_like(filters.q)}%", escape="\\"))
    if filters.created_from is not None:
        conditions.append(c.created_at >= filters.created_from)
    if filters.created_before is not None:
        conditions.append(c.created_at < filters.created_before)
    # confianca is REAL: compare with REAL bounds, so 0.8 given means the 0.8 that is stored.
    if filters.confianca_min is not None:
        conditions.append(c.confianca >= sa.cast(filters.confianca_min, sa.REAL))
    if filters.confianca_max is not None:
        conditions.append(c.confianca <= sa.cast(filters.confianca_max, sa.REAL))
    if filters.needs_review is not None:
        conditions.append(c.needs_review == filters.needs_review)
    return conditions


def _by_time(ordem: Ordem) -> bool:
    return ordem in ("recentes", "antigos")


def _order_key(ordem: Ordem) -> sa.ColumnElement[Any]:
    return comments.c.created_at if _by_time(ordem) else comments.c.confianca


def _descending(ordem: Ordem) -> bool:
    # `desc` and `asc` are the earlier system's names for the confidence orders.
    return ordem in ("recentes", "confianca_desc", "desc")


def _page_statement(
    filters: CommentFilters, ordem: Ordem, limit: int, after: Position | None
) -> sa.Select[Any]:
    key = _order_key(ordem)
    conditions = _conditions(filters)
    if after is not None:
        after_key: Any = after.key
        if isinstance(after.key, float):
            after_key = sa.cast(after.key, sa.REAL)
        row = sa.tuple_(key, comments.c.id)
        bound = sa.tuple_(after_key, sa.literal(after.id, sa.Text))
        conditions.append(row < bound if _descending(ordem) else row > bound)
    order = (
        (key.desc(), comments.c.id.desc())
        if _descending(ordem)
        else (key.asc(), comments.c.id.asc())
    )
    return sa.select(*COMMENT_COLUMNS).where(*conditions).order_by(*order).limit(limit)


def _position_of(row: Row, ordem: Ordem) -> Position:
    if _by_time(ordem):
        return Position(key=row["created_at"], id=row["id"])
    return Position(key=float(row["confianca"]), id=row["id"])


def list_comments(engine: Engine, query: ListQuery, *, cursor_secret: bytes) -> Page:
    """One page of comments, the cursor of the next one (None on the last page) and the total.

    The total is counted for the first page and carried, signed, by the cursor to the next ones,
    so every page of one walk reports the same total and only the first pays for it. A first page
    that is also the last one is its own exact count."""
    fingerprint = filters_fingerprint(query.filters)
    after, carried = (
        decode_cursor(
            query.cursor, secret=cursor_secret, ordem=query.ordem, fingerprint=fingerprint
        )
        if query.cursor
        else (None, None)
    )
    statement = _page_statement(query.filters, query.ordem, query.limit + 1, after)
    with engine.connect() as conn:
        rows = list(conn.execute(statement).mappings())
        if carried is not None:
            total = carried
        elif after is None and len(rows) <= query.limit:
            total = Total(value=len(rows), exact=True)
        else:
            total = _count(conn, query.filters, exact_limit=None, at_least=len(rows))
    next_cursor = None
    if len(rows) > query.limit:
        rows = rows[: query.limit]
        next_cursor = encode_cursor(
            _position_of(rows[-1], query.ordem),
            ordem=query.ordem,
            fingerprint=fingerprint,
            secret=cursor_secret,
            total=total,
        )
    return Page(items=[comment_item(row) for row in rows], next_cursor=next_cursor, total=total)


def count_comments(
    engine: Engine, filters: CommentFilters, *, exact_limit: int | None = None
) -> Total:
    """The number of comments matching `filters`, exact when that is cheap, else estimated.

    First an estimate from a fixed random sample of table pages (ESTIMATE_SAMPLE_PAGES): the share
    of matches in it scaled to the whole table, rounded to three significant digits. When that is
    not far above the exact limit (`exact_limit`, default EXACT_COUNT_LIMIT, or
    EXACT_COUNT_LIMIT_TEXT_SEARCH with `q`), the matches are counted, stopping at the limit, within
    EXACT_COUNT_BUDGET_MS: the server cancels a count that runs longer (some filter combinations
    cost more per match than others). An exact count of more grows with the matches (hundreds of
    milliseconds at a million comments), so larger or costlier totals stay estimated: never below
    what is known (the limit, when the count reached it), and marked as not exact.
    """
    with engine.connect() as conn:
        return _count(conn, filters, exact_limit=exact_limit)


def _count(
    conn: Connection, filters: CommentFilters, *, exact_limit: int | None, at_least: int = 0
) -> Total:
    if exact_limit is not None:
        limit = exact_limit
    else:
        limit = EXACT_COUNT_LIMIT_TEXT_SEARCH if filters.q else EXACT_COUNT_LIMIT
    estimate, sampled_everything = _estimate(conn, filters)
    if sampled_everything:
        return Total(value=estimate, exact=True)
    known = at_least
    if estimate < COUNT_WHEN_ESTIMATE_UNDER * limit:
        capped = (
            sa.select(sa.literal(1))
            .select_from(comments)
            .where(*_conditions(filters))
            .limit(limit + 1)
            .subquery()
        )
        counted = _within_budget(conn, sa.select(sa.func.count()).select_from(capped))
        if counted is not None and counted <= limit:
            return Total(value=counted, exact=True)
        if counted is not None:
            known = max(known, limit + 1)
    return Total(value=max(_round_significant(estimate, 3), known), exact=False)


def _within_budget(conn: Connection, statement: sa.Select[Any]) -> int | None:
    """The statement's single number, or None when the server cancelled it at the budget.

    Timeout and statement live in a savepoint that is always rolled back: the timeout set inside
    it ends with it, and a cancelled count leaves the connection's transaction usable."""
    savepoint = conn.begin_nested()
    try:
        conn.execute(
            sa.select(sa.func.set_config("statement_timeout", f"{EXACT_COUNT_BUDGET_MS}ms", True))
        )
        return int(conn.execute(statement).scalar_one())
    except sa.exc.DBAPIError as error:
        if sqlstate(error) != QUERY_CANCELED:
            raise
        log.debug(
            "exact count over its budget, estimating", extra={"budget_ms": EXACT_COUNT_BUDGET_MS}
        )
        return None
    finally:
        savepoint.rollback()


_TABLE_SIZE_SQL: Final = """
SELECT pg_relation_size(oid) / current_setting('block_size')::int,
       CASE WHEN reltuples > 0 AND relpages > 0 THEN reltuples / relpages END
FROM pg_class WHERE oid = 'comments'::regclass
"""


def _estimate(conn: Connection, filters: CommentFilters) -> tuple[int, bool]:
    """Matches estimated from a page-level random sample, and whether the sample was the whole
    table (then the figure is exact).

    SYSTEM sampling reads only the sampled pages; REPEATABLE keeps the same sample so the figure
    does not jitter between requests. The share of matches among the sampled rows times the
    table's rows (rows per page at the last ANALYZE times today's pages); on a table never
    analysed, matches found divided by each page's chance of being sampled."""
    pages, rows_per_page = conn.execute(sa.text(_TABLE_SIZE_SQL)).one()
    wanted = ESTIMATE_SAMPLE_PAGES_TEXT_SEARCH if filters.q else ESTIMATE_SAMPLE_PAGES
    percent = 100.0 if pages <= wanted else max(0.0001, wanted * 100.0 / pages)
    sample = sa.tablesample(comments, sa.func.system(percent), name="sample", seed=sa.literal(17))
    conditions = _conditions(filters, sample)
    matching = sa.func.count().filter(sa.and_(*conditions)) if conditions else sa.func.count()
    sampled, hits = conn.execute(sa.select(sa.func.count(), matching).select_from(sample)).one()
    if percent >= 100.0:
        return int(hits), True
    if rows_per_page is None:
        return round(hits * 100.0 / percent), False
    return round(float(rows_per_page) * pages * hits / max(1, int(sampled))), False


def _round_significant(value: float, digits: int) -> int:
    if value <= 0:
        return 0
    return int(round(value, digits - 1 - math.floor(math.log10(value))))


# --- cursors ------------------------------------------------------------------------------------


def cursor_secret_from(cursor_secret: str) -> bytes:
    """The key signing the comment list's cursors, derived from CURSOR_SECRET for this one use
    (a cursor key has nothing to do with tokens: verifiers hold no token secret)."""
    return hmac.new(cursor_secret.encode("utf-8"), b"comment-list-cursor", hashlib.sha256).digest()


def filters_fingerprint(filters: CommentFilters) -> str:
    canonical = json.dumps(filters.canonical(), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:16]


def _b64encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _b64decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _signature(payload: bytes, secret: bytes) -> bytes:
    return hmac.new(secret, payload, hashlib.sha256).digest()[:16]


def encode_cursor(
    position: Position,
    *,
    ordem: Ordem,
    fingerprint: str,
    secret: bytes,
    total: Total | None = None,
) -> str:
    """An opaque, signed token: base64url JSON of where the page ended (and the walk's total),
    plus an HMAC."""
    key: Any = position.key.isoformat() if isinstance(position.key, datetime) else position.key
    data: dict[str, Any] = {
        "v": CURSOR_VERSION,
        "o": ordem,
        "f": fingerprint,
        "k": [key, position.id],
    }
    if total is not None:
        data["t"] = [total.value, total.exact]
    payload = json.dumps(data, separators=(",", ":")).encode("utf-8")
    return f"{_b64encode(payload)}.{_b64encode(_signature(payload, secret))}"


def decode_cursor(
    token: str, *, secret: bytes, ordem: Ordem, fingerprint: str
) -> tuple[Position, Total | None]:
    """The position a cursor names and the total it carries (None when it carries none);
    InvalidInput when it was altered or belongs to another query."""
    invalid = InvalidInput("cursor is not one this API issued (altered or truncated)")
    encoded_payload, dot, encoded_signature = token.partition(".")
    if not dot or not token.isascii():
        raise invalid
    try:
        payload = _b64decode(encoded_payload)
        signature = _b64decode(encoded_signature)
    except (binascii.Error, ValueError):
        raise invalid from None
    # Only the canonical spelling: base64 leaves spare bits that would let two tokens decode alike.
    if _b64encode(payload) != encoded_payload or _b64encode(signature) != encoded_signature:
        raise invalid
    if not hmac.compare_digest(signature, _signature(payload, secret)):
        raise invalid
    try:
        data = json.loads(payload)
    except ValueError:
        raise invalid from None
    if not isinstance(data, dict) or data.get("v") != CURSOR_VERSION:
        raise invalid
    if data.get("o") != ordem or data.get("f") != fingerprint:
        raise InvalidInput(
            "cursor belongs to a query with other filters or another ordem; "
            "repeat the same query with the cursor, or start again without one"
        )
    key_and_id = data.get("k")
    if not (isinstance(key_and_id, list) and len(key_and_id) == 2):
        raise invalid
    key, row_id = key_and_id
    if not isinstance(row_id, str) or not COMMENT_ID_RE.fullmatch(row_id):
        raise invalid
    return _position(key, row_id, ordem, invalid), _carried_total(data.get("t"), invalid)


def _carried_total(raw: Any, invalid: InvalidInput) -> Total | None:
    if raw is None:
        return None
    if not (isinstance(raw, list) and len(raw) == 2):
        raise invalid
    value, exact = raw
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise invalid
    if not isinstance(exact, bool):
        raise invalid
    return Total(value=value, exact=exact)


def _position(key: Any, row_id: str, ordem: Ordem, invalid: InvalidInput) -> Position:
    if _by_time(ordem):
        if not isinstance(key, str):
            raise invalid
        try:
            instant = datetime.fromisoformat(key)
        except ValueError:
            raise invalid from None
        if instant.tzinfo is None:
            raise invalid
        return Position(key=instant, id=row_id)
    if isinstance(key, bool) or not isinstance(key, int | float):
        raise invalid
    if not (math.isfinite(key) and 0.0 <= key <= 1.0):
        raise invalid
    return Position(key=float(key), id=row_id)


# --- CSV export ---------------------------------------------------------------------------------

EXPORT_COLUMNS: Final[tuple[str, ...]] = (
    "id",
    "texto",
    "categoria",
    "tags_funcionalidades",
    "confianca",
    "needs_review",
    "model_name",
    "model_version",
    "fallback_reason",
    "categoria_modelo",
    "tags_modelo",
    "corrigido_por",
    "corrigido_em",
    "created_at",
)
# What makes a spreadsheet read a cell as a formula (OWASP's list, plus the full-width forms some
# spreadsheets also accept).
_FORMULA_STARTS: Final = frozenset("=+-@\t\r＝＋－＠")
_TAG_SEPARATOR: Final = ";"
# Excel opens a CSV as UTF-8 only when it starts with a byte order mark; other tools skip it.
UTF8_BOM: Final = "\ufeff"


def neutralise_cell(value: str) -> str:
    """A cell a spreadsheet shows as text: formula-like starts get a leading single quote."""
    if not value:
        return value
    if value[0] in _FORMULA_STARTS or value.lstrip(" \n")[:1] in _FORMULA_STARTS:
        return "'" + value
    return value


def _csv_row(row: Row) -> list[str]:
    cells = [
        row["id"],
        row["texto"],
        row["categoria_final"],
        _TAG_SEPARATOR.join(row["tags_final"]),
        repr(float(row["confianca"])),
        "true" if row["needs_review"] else "false",
        row["model_name"],
        row["model_version"],
        row["fallback_reason"] or "",
        row["categoria"],
        _TAG_SEPARATOR.join(row["tags_funcionalidades"]),
        row["corrected_by"] or "",
        _instant(row["corrected_at"]) or "",
        _instant(row["created_at"]) or "",
    ]
    return [neutralise_cell(cell) for cell in cells]


def _csv_text(rows: Sequence[Sequence[str]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerows(rows)
    return buffer.getvalue()


def export_csv(
    engine: Engine,
    filters: CommentFilters,
    ordem: Ordem,
    *,
    batch_rows: int = EXPORT_BATCH_ROWS,
) -> Iterator[str]:
    """The filtered comments as CSV text chunks, one keyset batch per chunk.

    The first batch is read before the first chunk is produced, so a database failure surfaces
    before a response has started; later batches are read as the client consumes the stream.
    """
    statement = _page_statement(filters, ordem, batch_rows, None)
    with engine.connect() as conn:
        first = list(conn.execute(statement).mappings())
    return _export_chunks(engine, filters, ordem, batch_rows, first)


def _export_chunks(
    engine: Engine,
    filters: CommentFilters,
    ordem: Ordem,
    batch_rows: int,
    rows: list[RowMapping],
) -> Iterator[str]:
    yield UTF8_BOM + _csv_text([EXPORT_COLUMNS])
    exported = 0
    while rows:
        yield _csv_text([_csv_row(row) for row in rows])
        exported += len(rows)
        if len(rows) < batch_rows:
            break
        after = _position_of(rows[-1], ordem)
        with engine.connect() as conn:
            rows = list(conn.execute(_page_statement(filters, ordem, batch_rows, after)).mappings())
    log.info("export finished", extra={"rows": exported})
