"""Counts kept with the comments, so charts and digests read a few rows per quarter hour whatever
the volume stored.

Two tables, by final label (a human correction wins), per 15-minute UTC bucket:
- `category_rollups` (bucket, categoria): comments, the sum of their confidence (for means), how
  many await review (flagged, not corrected) and how many were corrected;
- `tag_rollups` (bucket, categoria, tag): comments carrying the tag (a tag listed twice counts
  twice, as `unnest(tags_final)` counts it).
Every offset of every time zone in use is a multiple of 15 minutes (+05:45, +08:45, -09:30 ...),
so each local day and hour is a whole number of buckets.

They change in the transaction that changes the comments: the stored batch adds the rows its
insert returned (a redelivered or replayed batch inserts nothing and adds nothing), a correction
takes the comment's old labels out and puts the new ones in. Every consumer writes the current
quarter hour, so each key's counts are spread over SLOTS rows chosen by transaction id: writers
running together land on different rows instead of each waiting for the other's commit (measured:
a fifth of the pipeline's rate). Writers lock rollup rows in one order (categories before tags,
each by key), so when they do meet they queue instead of deadlocking. Readers sum the slots.
`rebuild` recomputes the rollups from `comments` and says what differed.

Readers ask for a window [start, end): its whole buckets come from the rollups, the parts of a
bucket at either end from the comments themselves (at most two quarter hours of rows), so a
window that does not fall on bucket boundaries (a refresh "as of" 14:31:07) is still exact.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Final

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from shared.models import comment_archives

BUCKET: Final = timedelta(minutes=15)
SLOTS: Final = 8
_ORIGIN: Final = datetime(1970, 1, 1, tzinfo=UTC)
_BUCKET_OF_CREATED_AT: Final = "date_bin(interval '15 minutes', created_at, TIMESTAMPTZ 'epoch')"

# What one comment brings to the rollups, as columns of a `comments` row.
CONTRIBUTION: Final = (
    "created_at, categoria_final AS categoria, tags_final AS tags, confianca, "
    "needs_review AND corrected_at IS NULL AS awaiting_review, "
    "corrected_at IS NOT NULL AS corrected"
)
_VALUES: Final = ("comments", "confianca_sum", "awaiting_review", "corrected")


def _category_totals(changes: str) -> str:
    # The confidence is summed as numeric (float8's 15 significant digits of each value), so a sum
    # does not depend on the order rows were added in, and a correction taken out and put back
    # leaves it exactly as it was.
    return f"""
    SELECT {_BUCKET_OF_CREATED_AT} AS bucket, categoria,
           sum(weight) AS comments,
           sum(weight * CAST(CAST(confianca AS float8) AS numeric)) AS confianca_sum,
           coalesce(sum(weight) FILTER (WHERE awaiting_review), 0) AS awaiting_review,
           coalesce(sum(weight) FILTER (WHERE corrected), 0) AS corrected
    FROM ({changes}) AS changes
    GROUP BY 1, 2"""


def _tag_totals(changes: str) -> str:
    return f"""
    SELECT {_BUCKET_OF_CREATED_AT} AS bucket, categoria, tag, sum(weight) AS comments
    FROM ({changes}) AS changes CROSS JOIN LATERAL unnest(tags) AS tag
    GROUP BY 1, 2, 3"""


# One slot for the whole statement: transactions running together have neighbouring ids.
_SLOT: Final = f"CAST(txid_current() % {SLOTS} AS smallint)"

# The CTEs that add `changed` (CONTRIBUTION's columns and a `weight`, 1 to add a comment, -1 to
# take it out) to both tables. The statement's main query selects WRITTEN, which runs them in
# that order: categories, then tags.
ADD_CHANGED: Final = f"""
rollup_categories AS (
    INSERT INTO category_rollups AS r (bucket, categoria, slot, {", ".join(_VALUES)})
    SELECT bucket, categoria, {_SLOT}, {", ".join(_VALUES)}
    FROM ({_category_totals("SELECT * FROM changed")}) AS totals
    WHERE ({", ".join(_VALUES)}) <> (0, 0, 0, 0)
    ORDER BY bucket, categoria COLLATE "C"
    ON CONFLICT (bucket, categoria, slot) DO UPDATE SET
        {", ".join(f"{value} = r.{value} + excluded.{value}" for value in _VALUES)}
    RETURNING 1
),
rollup_tags AS (
    INSERT INTO tag_rollups AS r (bucket, categoria, tag, slot, comments)
    SELECT bucket, categoria, tag, {_SLOT}, comments
    FROM ({_tag_totals("SELECT * FROM changed")}) AS totals
    WHERE comments <> 0
    ORDER BY bucket, categoria COLLATE "C", tag COLLATE "C"
    ON CONFLICT (bucket, categoria, tag, slot) DO UPDATE SET comments = r.comments + excluded.comments
    RETURNING 1
)"""
# The `changed` CTE of a statement that rewrote comments (a correction, a tag added): each one's
# contribution before (CTE `old`, CONTRIBUTION's columns, taken out) and after (CTE `updated`,
# the rewritten rows, put in).
MOVED: Final = f"""
changed AS (
    SELECT created_at, categoria, tags, confianca, awaiting_review, corrected, -1 AS weight
    FROM old
    UNION ALL
    SELECT {CONTRIBUTION}, 1 FROM updated
)"""
WRITTEN: Final = (
    "(SELECT count(*) FROM rollup_categories) AS category_rollups_written, "
    "(SELECT count(*) FROM rollup_tags) AS tag_rollups_written"
)


# --- reading a window ----------------------------------------------------------------------------


def floor_bucket(instant: datetime) -> datetime:
    """The start of the bucket holding `instant` (aware), in UTC."""
    return _ORIGIN + (instant - _ORIGIN) // BUCKET * BUCKET


def window_params(window: str, start: datetime, end: datetime) -> dict[str, datetime]:
    """Bind values of `category_source(window)` and `tag_source(window)` for [start, end)."""
    whole_start = floor_bucket(start)
    if whole_start < start:
        whole_start += BUCKET
    whole_end = floor_bucket(end)
    if whole_end <= whole_start:
        # Inside one bucket, or across one boundary only: rows alone.
        whole_start = whole_end = end
    return {
        f"{window}_start": start,
        f"{window}_whole_start": whole_start,
        f"{window}_whole_end": whole_end,
        f"{window}_end": end,
    }


def _edge_rows(window: str) -> str:
    return f"""
    SELECT {CONTRIBUTION}, 1 AS weight FROM comments
    WHERE (created_at >= :{window}_start AND created_at < :{window}_whole_start)
       OR (created_at >= :{window}_whole_end AND created_at < :{window}_end)"""


def category_source(window: str) -> str:
    """SQL: rows (bucket, categoria, comments, confianca_sum, awaiting_review, corrected) whose
    sums are those of the comments in `window` (bind `window_params`). A (bucket, categoria)
    may come twice, and a row may hold zeros: read it through sums."""
    return f"""
    SELECT bucket, categoria, {", ".join(_VALUES)} FROM category_rollups
    WHERE bucket >= :{window}_whole_start AND bucket < :{window}_whole_end
    UNION ALL {_category_totals(_edge_rows(window))}"""


def tag_source(window: str) -> str:
    """SQL: rows (bucket, categoria, tag, comments), as `category_source` for tags."""
    return f"""
    SELECT bucket, categoria, tag, comments FROM tag_rollups
    WHERE bucket >= :{window}_whole_start AND bucket < :{window}_whole_end
    UNION ALL {_tag_totals(_edge_rows(window))}"""


# --- where a tag's newest comments are ----------------------------------------------------------

# How far back from its newest bucket the lookup sums a tag's counts: it bounds the index rows
# read (about 75 per bucket at 10,000,000 comments) and the time range a windowed page reads.
TAG_WINDOW_LOOKBACK: Final = timedelta(days=2)
# A window holding fewer comments than this is not worth it: walking the time index and skipping
# the comments without the tag is cheap then, while intersecting with the tag's index entry (long
# for a common tag) is not.
TAG_WINDOW_MIN_COMMENTS: Final = 20_000

_TAG_WINDOW_SQL: Final = sa.text(
    """
    WITH anchor AS (
        SELECT coalesce(CAST(:upper AS timestamptz), (SELECT max(bucket) FROM tag_rollups)) AS at
    ),
    counted AS (
        SELECT bucket, sum(sum(comments)) OVER (ORDER BY bucket DESC) AS running
        FROM tag_rollups, anchor
        WHERE tag = :tag
          AND (CAST(:categoria AS text) IS NULL OR categoria = :categoria)
          AND bucket <= anchor.at AND bucket > anchor.at - CAST(:lookback AS interval)
        GROUP BY bucket
    ),
    reached AS (
        SELECT bucket FROM counted WHERE running >= :wanted ORDER BY bucket DESC LIMIT 1
    )
    SELECT reached.bucket FROM reached, anchor
    WHERE (
        SELECT coalesce(sum(comments), 0) FROM category_rollups AS c
        WHERE c.bucket >= reached.bucket AND c.bucket <= anchor.at
          AND (CAST(:categoria AS text) IS NULL OR c.categoria = :categoria)
    ) >= :min_comments
    """
)


def tag_window_start(
    conn: Connection,
    tag: str,
    *,
    categoria: str | None,
    before: datetime | None,
    wanted: int,
) -> datetime | None:
    """The latest bucket start from which the rollups count at least `wanted` comments with
    `tag` (and final `categoria`) up to `before` (None: the newest bucket), looking back at most
    TAG_WINDOW_LOOKBACK; None when they count fewer, or when the window holds fewer than
    TAG_WINDOW_MIN_COMMENTS comments in all (a common tag). Counts may be stale (rows written past the product) or
    larger than the rows (a tag listed twice on a comment): callers check that the window really
    held what they needed."""
    found = conn.execute(
        _TAG_WINDOW_SQL,
        {
            "tag": tag,
            "categoria": categoria,
            "upper": floor_bucket(before) if before is not None else None,
            "lookback": TAG_WINDOW_LOOKBACK,
            "min_comments": TAG_WINDOW_MIN_COMMENTS,
            "wanted": wanted,
        },
    ).scalar_one_or_none()
    return found if isinstance(found, datetime) else None


# --- rebuilding ----------------------------------------------------------------------------------

SHOWN_DIFFERENCES: Final = 20
_KEYS: Final = {
    "category_rollups": ("bucket", "categoria"),
    "tag_rollups": ("bucket", "categoria", "tag"),
}
_TOTALS: Final = {"category_rollups": _VALUES, "tag_rollups": ("comments",)}
_SCOPED_COMMENTS: Final = (
    f"SELECT {CONTRIBUTION}, 1 AS weight FROM comments "
    "WHERE CAST(:since AS timestamptz) IS NULL OR created_at >= :since"
)
_RECOMPUTED: Final = {
    "category_rollups": _category_totals(_SCOPED_COMMENTS),
    "tag_rollups": _tag_totals(_SCOPED_COMMENTS),
}
_IN_SCOPE: Final = "CAST(:since AS timestamptz) IS NULL OR bucket >= :since"


@dataclass(frozen=True, slots=True)
class TableCheck:
    """One table against its recomputation: rows compared, how many differed, the first few."""

    table: str
    compared: int
    differing: int
    shown: list[str]


@dataclass(frozen=True, slots=True)
class Rebuilt:
    """What `rebuild` found, and whether it stored the recomputation."""

    since: datetime | None  # the first bucket recomputed; None: every bucket
    tables: list[TableCheck]
    fixed: bool

    @property
    def differing(self) -> int:
        return sum(table.differing for table in self.tables)


def rebuild(engine: Engine, since: datetime | None = None, *, fix: bool = True) -> Rebuilt:
    """Recompute the rollups from `comments` (from the bucket holding `since` on, or all of them),
    compare them with the stored ones and, when any differ and `fix`, store the recomputation.

    Writers wait until it commits, so no comment stored meanwhile is missed or counted twice;
    readers go on. A stored row of zeros and a missing row are the same."""
    with engine.begin() as conn:
        # Writers take ROW EXCLUSIVE, which this mode excludes (so does another rebuild).
        conn.execute(
            sa.text("LOCK TABLE category_rollups, tag_rollups IN SHARE ROW EXCLUSIVE MODE")
        )
        # Days archived by retention are no longer in `comments`: their rollups are the record.
        archived = conn.execute(sa.select(sa.func.max(comment_archives.c.ends_at))).scalar_one()
        if archived is not None and (since is None or since < archived):
            since = archived
        first = floor_bucket(since) if since is not None else None
        scope = {"since": first}
        checks = []
        for table in _KEYS:
            conn.execute(
                sa.text(
                    f"CREATE TEMPORARY TABLE recomputed_{table} ON COMMIT DROP AS "
                    f"{_RECOMPUTED[table]}"
                ),
                scope,
            )
            checks.append(_check(conn, table, scope))
        fixed = fix and any(check.differing for check in checks)
        if fixed:
            for table in _KEYS:
                columns = ", ".join((*_KEYS[table], *_TOTALS[table]))
                conn.execute(sa.text(f"DELETE FROM {table} WHERE {_IN_SCOPE}"), scope)
                conn.execute(
                    sa.text(
                        f"INSERT INTO {table} ({columns}, slot) "
                        f"SELECT {columns}, 0 FROM recomputed_{table}"
                    )
                )
    return Rebuilt(since=first, tables=checks, fixed=fixed)


def _check(conn: Connection, table: str, scope: dict[str, datetime | None]) -> TableCheck:
    keys = ", ".join(_KEYS[table])
    stored = [f"coalesce(s.{total}, 0)" for total in _TOTALS[table]]
    recomputed = [f"coalesce(r.{total}, 0)" for total in _TOTALS[table]]
    compared = f"""
    WITH stored AS (
        SELECT {keys}, {", ".join(f"sum({total}) AS {total}" for total in _TOTALS[table])}
        FROM {table} WHERE {_IN_SCOPE} GROUP BY {keys}
    )
    SELECT {keys},
           ({", ".join(stored)}) <> ({", ".join(recomputed)}) AS differs,
           concat_ws(', ', {", ".join(stored)}) AS stored,
           concat_ws(', ', {", ".join(recomputed)}) AS recomputed
    FROM stored AS s FULL JOIN recomputed_{table} AS r USING ({keys})"""
    total, differing = conn.execute(
        sa.text(f"SELECT count(*), count(*) FILTER (WHERE differs) FROM ({compared}) AS c"),
        scope,
    ).one()
    shown = conn.execute(
        sa.text(
            f"SELECT * FROM ({compared}) AS c WHERE differs "
            f"ORDER BY {keys} LIMIT {SHOWN_DIFFERENCES}"
        ),
        scope,
    ).all()
    return TableCheck(
        table=table,
        compared=int(total),
        differing=int(differing),
        shown=[_difference(row, len(_KEYS[table])) for row in shown],
    )


def _difference(row: sa.Row[Any], keys: int) -> str:
    key = " ".join(
        value.astimezone(UTC).isoformat() if isinstance(value, datetime) else str(value)
        for value in row[:keys]
    )
    return f"{key}: stored ({row.stored}), comments give ({row.recomputed})"
