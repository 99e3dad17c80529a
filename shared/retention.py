"""Comment retention: comments older than `COMMENTS_RETENTION_DAYS` leave the database for the
bucket, one day at a time, never lost on the way.

Run by the scheduled table maintenance (`shared/maintenance.py`). Each run takes the oldest
expired days, up to `DAYS_PER_RUN`, one transaction per day:

1. the day's comments (a day of `PRODUCT_TIMEZONE`, the days charts and digests count in) are
   read and locked (`FOR UPDATE`: a correction waits until they are archived or left alone);
2. they are written as JSON lines, gzip, to the day's archive object
   (`archive/comments/YYYY-MM-DD.jsonl.gz`); an object already there (comments of that day that
   arrived after it was archived) is kept and the new lines are added as another gzip member, which
   every gzip reader reads as one stream;
3. only then are exactly those rows deleted, in chunks, and the day recorded in
   `comment_archives`.

An upload that fails raises before anything is deleted and rolls the day back. A commit that
fails after the upload leaves the rows in place, to be archived again: a row may then appear twice
in its day's object (readers keep one per `id`), never zero times.

Only whole days are archived: a day is due once its last instant is older than the retention,
so each object holds a complete day. The rollups are left as they are, so charts and digests of
archived weeks keep their numbers; `alumusic rollups rebuild` leaves the archived days alone
(`comment_archives.ends_at`).
"""

from __future__ import annotations

import gzip
import json
import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from typing import Any, Final

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.engine import Connection, Engine

from shared.comments.api import instant_text
from shared.models import comment_archives, comments
from shared.storage import ObjectStore
from shared.timezone import day_bounds, local_day

log = logging.getLogger(__name__)

ARCHIVE_PREFIX: Final = "archive/comments/"
GZIP_CONTENT_TYPE: Final = "application/gzip"
# Days archived by one run at most: a tick stays short, and a first run on a long history
# catches up over the following ticks.
DAYS_PER_RUN: Final = 7
# Ids per DELETE statement.
DELETE_CHUNK: Final = 5_000


@dataclass(frozen=True, slots=True)
class ArchivedDay:
    day: date
    rows: int
    key: str


@dataclass(frozen=True, slots=True)
class RetentionOutcome:
    # The instant before which comments are expired; None when retention is unlimited.
    cutoff: datetime | None
    days: tuple[ArchivedDay, ...] = ()
    # Expired days were left for the next run (DAYS_PER_RUN reached).
    more_due: bool = False

    @property
    def rows(self) -> int:
        return sum(day.rows for day in self.days)


def archive_key(day: date) -> str:
    return f"{ARCHIVE_PREFIX}{day.isoformat()}.jsonl.gz"


def expiry_cutoff(now: datetime, retention_days: int, zone: tzinfo) -> datetime:
    """The start of the first local day not wholly older than `retention_days` before `now`:
    every comment before it is due."""
    oldest_kept = local_day(now - timedelta(days=retention_days), zone)
    return day_bounds(oldest_kept, zone)[0]


def archive_line(row: sa.RowMapping) -> bytes:
    """One comment as a JSON line: every column, instants in UTC ISO 8601, ASCII only."""
    document: dict[str, Any] = {}
    for column, value in row.items():
        if isinstance(value, datetime):
            document[column] = instant_text(value)
        elif isinstance(value, list | tuple):
            document[column] = list(value)
        else:
            document[column] = value
    # ASCII only: no reader can take a line separator inside a text (U+2028) for a line's end.
    return json.dumps(document, ensure_ascii=True, separators=(",", ":")).encode() + b"\n"


def expire_comments(
    engine: Engine,
    store: ObjectStore,
    *,
    retention_days: int | None,
    now: datetime,
    zone: tzinfo,
    days_per_run: int = DAYS_PER_RUN,
) -> RetentionOutcome:
    """Archive to `store`, then delete, the comments of each whole local day older than
    `retention_days` before `now`, oldest day first, at most `days_per_run` days."""
    if retention_days is None:
        return RetentionOutcome(cutoff=None)
    cutoff = expiry_cutoff(now, retention_days, zone)
    archived: list[ArchivedDay] = []
    while True:
        with engine.begin() as conn:
            oldest = conn.execute(
                sa.select(sa.func.min(comments.c.created_at)).where(comments.c.created_at < cutoff)
            ).scalar_one()
            if oldest is None:
                return RetentionOutcome(cutoff, tuple(archived))
            if len(archived) >= days_per_run:
                return RetentionOutcome(cutoff, tuple(archived), more_due=True)
            archived.append(_archive_day(conn, store, local_day(oldest, zone), zone))


def _archive_day(conn: Connection, store: ObjectStore, day: date, zone: tzinfo) -> ArchivedDay:
    start, end = day_bounds(day, zone)
    rows = conn.execute(
        sa.select(*comments.c)
        .where(comments.c.created_at >= start, comments.c.created_at < end)
        .order_by(comments.c.created_at, comments.c.id)
        .with_for_update()
    ).mappings()
    ids: list[str] = []
    lines = bytearray()
    for row in rows:
        ids.append(row["id"])
        lines += archive_line(row)
    key = archive_key(day)
    if not ids:
        # Another run archived the day between this run's look and its lock.
        return ArchivedDay(day=day, rows=0, key=key)
    # A day archived before keeps its object; the late rows follow as another gzip member.
    existing = store.get_bytes(key) or b""
    store.put_bytes(key, existing + gzip.compress(bytes(lines)), GZIP_CONTENT_TYPE)
    for first in range(0, len(ids), DELETE_CHUNK):
        chunk = ids[first : first + DELETE_CHUNK]
        conn.execute(sa.delete(comments).where(comments.c.id.in_(chunk)))
    statement = insert(comment_archives).values(day=day, ends_at=end, rows=len(ids), object_key=key)
    conn.execute(
        statement.on_conflict_do_update(
            index_elements=[comment_archives.c.day],
            set_={
                "rows": comment_archives.c.rows + statement.excluded.rows,
                "archived_at": sa.func.now(),
            },
        )
    )
    log.info("comments archived", extra={"day": day.isoformat(), "rows": len(ids), "key": key})
    return ArchivedDay(day=day, rows=len(ids), key=key)
