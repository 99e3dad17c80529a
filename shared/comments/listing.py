"""GET /api/comentarios: pages of comments in keyset order, and how many match.

Keyset paging (where the last page ended, not an offset) is stable under concurrent inserts and
costs the same per page however deep; the export walks the same pages. A total is exact when that
is cheap, else estimated from a sample of the table.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any, Final

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from shared.comments.api import COMMENT_COLUMNS, comment_item
from shared.comments.cursors import decode_cursor, encode_cursor, filters_fingerprint
from shared.comments.types import CommentFilters, ListQuery, Ordem, Position, Row, Total, by_time
from shared.db import QUERY_CANCELED, sqlstate
from shared.models import comments
from shared.rollups import tag_window_start

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class CountPlan:
    """How a total is found: estimated from a sample of `sample_pages` table pages, counted exactly
    up to `exact_limit` matches."""

    exact_limit: int
    sample_pages: int


# About 50 comments a table page, so ~5,000 sampled rows: a few percent of error on totals worth
# estimating, ~2 ms from cache.
PLAIN_COUNT: Final = CountPlan(exact_limit=10_000, sample_pages=100)
# With `q`, whose pattern costs more per row to match: a lower limit and fewer pages.
TEXT_SEARCH_COUNT: Final = CountPlan(exact_limit=1_000, sample_pages=40)
# An exact count is tried only when the estimate is under this many times the exact limit.
COUNT_WHEN_ESTIMATE_UNDER: Final = 3
# The most an exact count may take before the estimate stands: the list's latency must not
# depend on how costly one filter combination is to count (see count_comments).
EXACT_COUNT_BUDGET_MS: Final = 10

# A text search newest first reads its newest UTC days one by one (see _day_by_day_rows), on
# tables of at least this many comments (below, the whole-table page is cheap).
TEXT_WINDOW_MIN_TABLE_ROWS: Final = 200_000
# After a day (or more) has been read, more days are read while the matches found so far say at
# most this many more will fill the page; otherwise the rest is one unbounded statement. Each day
# is one scan of a GIN index, which walks the word's or the tag's whole entry each time.
MORE_DAYS_AT_MOST: Final = 3
# The most days one page reads one by one, whatever the rollups or the rate say (a tag's window
# spans at most TAG_WINDOW_LOOKBACK, three days at most; a comment dated far ahead of the others
# would otherwise put many empty days before them).
DAYS_AT_MOST: Final = 6
DAY: Final = timedelta(days=1)
_EPOCH: Final = datetime(1970, 1, 1, tzinfo=UTC)
# The comment's UTC day, spelt as the GIN indexes on tags and text spell it (migration 0016), so
# PostgreSQL matches the condition with their second column.
_comment_day = sa.func.date_bin(
    sa.literal_column("interval '1 day'"),
    comments.c.created_at,
    sa.literal_column("TIMESTAMPTZ 'epoch'"),
)


@dataclass(frozen=True, slots=True)
class Page:
    items: list[dict[str, Any]]
    next_cursor: str | None
    total: Total


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
    with engine.connect() as conn:
        rows = _page_rows(conn, query.filters, query.ordem, query.limit + 1, after)
        if carried is not None:
            total = carried
        elif after is None and len(rows) <= query.limit:
            total = Total(value=len(rows), exact=True)
        else:
            total = count_comments(conn, query.filters, at_least=len(rows))
    next_cursor = None
    if len(rows) > query.limit:
        rows = rows[: query.limit]
        next_cursor = encode_cursor(
            position_of(rows[-1], query.ordem),
            ordem=query.ordem,
            fingerprint=fingerprint,
            secret=cursor_secret,
            total=total,
        )
    return Page(items=[comment_item(row) for row in rows], next_cursor=next_cursor, total=total)


def _page_rows(
    conn: Connection, filters: CommentFilters, ordem: Ordem, wanted: int, after: Position | None
) -> list[Row]:
    """The page's rows; a tag or text-search page newest first reads its newest days first.

    A tag's or a word's matches come from its GIN index in no particular order, so the newest
    `wanted` of them are otherwise found by reading every match's row and sorting: 5,000
    scattered table pages for a tag on 1 comment in 2,000 at 10,000,000 comments, however small
    the page. Both GIN indexes hold the comment's UTC day as a second key, so one day's matches
    are one index scan that intersects the match's entries with the day's, and only that day's
    matching rows are read. A tag reads the days the rollups say hold its page; a text search
    reads days while they look worth it (see _day_by_day_rows). Either way what the days did not
    fill is read in one statement bounded to older comments, so the page is the same."""
    newest_first = _descending(ordem) and by_time(ordem)
    if filters.tag is not None and newest_first:
        before = after.key if after is not None else filters.created_before
        start = tag_window_start(
            conn,
            filters.tag,
            categoria=filters.categoria,
            before=before if isinstance(before, datetime) else None,
            wanted=wanted,
        )
        if start is not None and (filters.created_from is None or start > filters.created_from):
            span = _time_span(conn, filters, after)
            if span is None:
                return []
            return _day_by_day_rows(conn, filters, ordem, wanted, after, span, first=start)
    if filters.q and newest_first:
        span = _time_span(conn, filters, after)
        if span is None:
            return []
        if span.table_rows >= max(1, TEXT_WINDOW_MIN_TABLE_ROWS):
            return _day_by_day_rows(conn, filters, ordem, wanted, after, span, first=None)
    return _rows(conn, page_statement(filters, ordem, wanted, after))


def _rows(conn: Connection, statement: sa.Select[Any]) -> list[Row]:
    return list(conn.execute(statement).mappings())


@dataclass(frozen=True, slots=True)
class TimeSpan:
    """The comment times a newest-first page may hold, and the table's estimated rows."""

    newest: datetime
    oldest: datetime
    table_rows: float


_TIME_SPAN_SQL: Final = sa.text(
    """
    SELECT (SELECT max(created_at) FROM comments
            WHERE (CAST(:upto AS timestamptz) IS NULL OR created_at <= :upto)
              AND (CAST(:since AS timestamptz) IS NULL OR created_at >= :since)),
           (SELECT min(created_at) FROM comments
            WHERE CAST(:since AS timestamptz) IS NULL OR created_at >= :since),
           (SELECT reltuples FROM pg_class WHERE oid = 'comments'::regclass)
    """
)


def _time_span(
    conn: Connection, filters: CommentFilters, after: Position | None
) -> TimeSpan | None:
    """Newest and oldest comment time within the page's bounds (index lookups); None when no
    comment lies within them. A cursor's own time is the upper bound, inclusive: comments tied
    with the page's last one and ordered after it by id belong to the next page."""
    upto = after.key if after is not None else filters.created_before
    newest, oldest, table_rows = conn.execute(
        _TIME_SPAN_SQL,
        {"upto": upto if isinstance(upto, datetime) else None, "since": filters.created_from},
    ).one()
    if newest is None or oldest is None:
        return None
    return TimeSpan(newest=newest, oldest=oldest, table_rows=float(table_rows or -1))


def utc_day(instant: datetime) -> datetime:
    """The start of `instant`'s UTC day, as date_bin('1 day', ..., epoch) gives it."""
    return _EPOCH + ((instant - _EPOCH) // DAY) * DAY


def _day_by_day_rows(
    conn: Connection,
    filters: CommentFilters,
    ordem: Ordem,
    wanted: int,
    after: Position | None,
    span: TimeSpan,
    *,
    first: datetime | None,
) -> list[Row]:
    """Up to `wanted` rows newest first, one statement per UTC day from the newest comment's day
    back (at most DAYS_AT_MOST), then one for everything older than the days read.

    Days split the order: every row of a day comes before every row of the day before, so the
    days' rows in turn, then the older rest, are the page. With `first` (the start of a window
    known to hold the page), every day down to `first`'s is read. Without, days are read until
    they cover a whole day back from the newest comment, and then on while the rate of the
    matches found so far says at most MORE_DAYS_AT_MOST more days fill the page (a rare word
    goes to the one unbounded statement sooner than to many index scans). A comment stored on a
    newer day while this runs is seen from the next request on, as one stored after it."""
    rows: list[Row] = []
    day = utc_day(span.newest)
    for days_read in range(1, DAYS_AT_MOST + 1):
        statement = page_statement(filters, ordem, wanted - len(rows), after, day=day)
        rows.extend(_rows(conn, statement))
        if len(rows) >= wanted:
            return rows
        if day <= span.oldest or days_read == DAYS_AT_MOST:
            break
        covered = (span.newest - day) / DAY
        if first is not None:
            if day <= first:
                break
        elif covered >= 1:
            per_day = len(rows) / covered
            if per_day * MORE_DAYS_AT_MOST < wanted - len(rows):
                break
        day -= DAY
    if day <= span.oldest:
        return rows
    older = filters.created_before is None or day < filters.created_before
    rest = replace(filters, created_before=day) if older else filters
    rows.extend(_rows(conn, page_statement(rest, ordem, wanted - len(rows), after)))
    return rows


def escape_like(text: str) -> str:
    """`text` as a literal inside a LIKE pattern (escape character: backslash)."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _conditions(
    filters: CommentFilters, source: sa.FromClause = comments
) -> list[sa.ColumnElement[bool]]:
    """The WHERE conditions of `filters` over `source` (the table, or a sample of it)."""
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


def _order_key(ordem: Ordem) -> sa.ColumnElement[Any]:
    return comments.c.created_at if by_time(ordem) else comments.c.confianca


def _descending(ordem: Ordem) -> bool:
    # `desc` and `asc` are the earlier system's names for the confidence orders.
    return ordem in ("recentes", "confianca_desc", "desc")


def page_statement(
    filters: CommentFilters,
    ordem: Ordem,
    limit: int,
    after: Position | None,
    *,
    day: datetime | None = None,
) -> sa.Select[Any]:
    """Up to `limit` matching comments in `ordem`, starting after `after` (from the first when
    None); with `day`, only comments of that UTC day."""
    key = _order_key(ordem)
    conditions = _conditions(filters)
    if day is not None:
        conditions.append(_comment_day == day)
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


def position_of(row: Row, ordem: Ordem) -> Position:
    """Where a page whose last row is `row` ended, in `ordem`."""
    if by_time(ordem):
        return Position(key=row["created_at"], id=row["id"])
    return Position(key=float(row["confianca"]), id=row["id"])


def count_comments(conn: Connection, filters: CommentFilters, *, at_least: int = 0) -> Total:
    """The number of comments matching `filters`, exact when that is cheap, else estimated.

    First an estimate from a fixed random sample of table pages (PLAIN_COUNT, or TEXT_SEARCH_COUNT
    with `q`): the share of matches in it scaled to the whole table, rounded to three significant
    digits. When that is not far above the plan's exact limit, the matches are counted, stopping at
    the limit, within EXACT_COUNT_BUDGET_MS: the server cancels a count that runs longer (some
    filter combinations cost more per match than others). An exact count of more grows with the
    matches (hundreds of milliseconds at a million comments), so larger or costlier totals stay
    estimated: never below what is known (the limit when the count reached it, or `at_least`), and
    marked as not exact.
    """
    plan = TEXT_SEARCH_COUNT if filters.q else PLAIN_COUNT
    limit = plan.exact_limit
    estimate, sampled_everything = _estimate(conn, filters, plan.sample_pages)
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


def _estimate(conn: Connection, filters: CommentFilters, wanted: int) -> tuple[int, bool]:
    """Matches estimated from a random sample of about `wanted` table pages, and whether the
    sample was the whole table (then the figure is exact).

    SYSTEM sampling reads only the sampled pages; REPEATABLE keeps the same sample so the figure
    does not jitter between requests. The share of matches among the sampled rows times the
    table's rows (rows per page at the last ANALYZE times today's pages); on a table never
    analysed, matches found divided by each page's chance of being sampled."""
    pages, rows_per_page = conn.execute(sa.text(_TABLE_SIZE_SQL)).one()
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
