"""Table maintenance: the product keeps its own tables' statistics and visibility map fresh.

Right after a bulk ingest PostgreSQL's planner still believes the old row counts and value
distributions, and the new pages are not yet marked all-visible, so index-only scans visit the
heap. On a server whose autovacuum is off (or slow to reach a large table) the comment list then
costs several times its usual latency until someone runs `VACUUM ANALYZE`. The scheduled job
`table-maintenance` runs `maintain_tables` every few minutes instead:

- cheap when nothing changed: one read of `pg_stat_user_tables`; a table is vacuumed (with
  ANALYZE) when the rows inserted since its last vacuum or its dead rows reach the threshold,
  analysed alone when only the rows modified since its last analyze do;
- threshold = `MAINTENANCE_MIN_CHANGED_ROWS` + `MAINTENANCE_CHANGED_FRACTION` x live rows, the
  same shape as autovacuum's but tighter, so large writes are noticed within one tick;
- idempotent on the tick's scheduled time: a table vacuumed or analysed (by anyone, autovacuum
  included) at or after the scheduled time is left alone, so a redelivered tick changes nothing;
  a session advisory lock keeps two concurrent runs from vacuuming the same table twice;
- throttled as autovacuum is (`vacuum_cost_delay`, default 2 ms, `MAINTENANCE_COST_DELAY_MS`):
  a manual VACUUM runs flat out, and on a small server that would take the CPU and disk the
  comment list's readers need while a large ingest is still going;
- says so, as a warning, when the server runs with `autovacuum = off`.

Each run also deletes the rows of expired refresh tokens (see `shared.auth`), before the
statistics are read, so the vacuum that follows can reclaim them; `run_tick` first moves the
comments older than `COMMENTS_RETENTION_DAYS` to the bucket (`shared/retention.py`).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Final, Literal

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from shared import models
from shared.db import CONNECT_ARGS
from shared.retention import RetentionOutcome, expire_comments
from shared.storage import StorageUnavailable

if TYPE_CHECKING:
    from shared.bootstrap import App

log = logging.getLogger(__name__)

# autovacuum's own default pause: maintenance that replaces it should be as gentle.
DEFAULT_COST_DELAY_MS: Final = 2.0

# pg_try_advisory_lock key: any constant the product uses nowhere else ("alumusic" in ASCII).
ADVISORY_LOCK_KEY: Final = 0x616C756D75736963

Action = Literal["vacuum_analyze", "analyze"]

_STATS_SQL = sa.text(
    """
    SELECT relname,
           n_live_tup,
           n_dead_tup,
           n_mod_since_analyze,
           n_ins_since_vacuum,
           GREATEST(last_vacuum, last_autovacuum) AS last_vacuumed,
           GREATEST(last_analyze, last_autoanalyze) AS last_analyzed
    FROM pg_stat_user_tables
    WHERE schemaname = current_schema() AND relname = ANY(CAST(:tables AS text[]))
    ORDER BY relname
    """
)


@dataclass(frozen=True, slots=True)
class TableStats:
    """One table's counters from pg_stat_user_tables."""

    table: str
    live_rows: int
    dead_rows: int
    modified_since_analyze: int
    inserted_since_vacuum: int
    last_vacuumed: datetime | None
    last_analyzed: datetime | None


@dataclass(frozen=True, slots=True)
class Thresholds:
    """How many changed rows make a table due: `min_rows + fraction * live rows`."""

    min_rows: int
    fraction: float

    def limit(self, stats: TableStats) -> int:
        return self.min_rows + int(self.fraction * max(stats.live_rows, 0))

    def action_for(self, stats: TableStats, scheduled_time: datetime) -> Action | None:
        """What the table needs for the tick of `scheduled_time`, or None."""
        limit = self.limit(stats)
        if max(stats.inserted_since_vacuum, stats.dead_rows) >= limit and not _done_since(
            stats.last_vacuumed, scheduled_time
        ):
            return "vacuum_analyze"
        if stats.modified_since_analyze >= limit and not _done_since(
            stats.last_analyzed, scheduled_time
        ):
            return "analyze"
        return None


@dataclass(frozen=True, slots=True)
class TableAction:
    table: str
    action: Action
    changed_rows: int
    limit: int
    duration_ms: float


@dataclass(frozen=True, slots=True)
class MaintenanceOutcome:
    scheduled_time: datetime
    autovacuum_on: bool
    tables_checked: int
    actions: tuple[TableAction, ...]
    # Another run held the lock: this one did nothing (that run does the work).
    busy: bool = False
    refresh_tokens_deleted: int = 0


def product_tables() -> tuple[str, ...]:
    """The tables the product owns: those of its metadata (migrations mirror them)."""
    return tuple(table.name for table in models.metadata.sorted_tables)


def _done_since(when: datetime | None, scheduled_time: datetime) -> bool:
    return when is not None and when >= scheduled_time


def read_table_stats(conn: sa.Connection, tables: Iterable[str]) -> list[TableStats]:
    rows = conn.execute(_STATS_SQL, {"tables": list(tables)}).all()
    return [
        TableStats(
            table=row.relname,
            live_rows=int(row.n_live_tup),
            dead_rows=int(row.n_dead_tup),
            modified_since_analyze=int(row.n_mod_since_analyze),
            inserted_since_vacuum=int(row.n_ins_since_vacuum),
            last_vacuumed=row.last_vacuumed,
            last_analyzed=row.last_analyzed,
        )
        for row in rows
    ]


def delete_expired_refresh_tokens(conn: sa.Connection) -> int:
    """Delete the rows of refresh tokens that no longer verify; how many went."""
    refresh_tokens = models.refresh_tokens
    deleted = conn.execute(
        sa.delete(refresh_tokens).where(refresh_tokens.c.expires_at < sa.func.now())
    )
    return int(deleted.rowcount)


def autovacuum_enabled(conn: sa.Connection) -> bool:
    return str(conn.execute(sa.text("SHOW autovacuum")).scalar_one()).lower() == "on"


def maintain_tables(
    engine: Engine,
    scheduled_time: datetime,
    thresholds: Thresholds,
    tables: Iterable[str] | None = None,
    *,
    cost_delay_ms: float = DEFAULT_COST_DELAY_MS,
) -> MaintenanceOutcome:
    """Vacuum or analyse each product table that changed enough since its last maintenance,
    pausing `cost_delay_ms` each time it has done a cost limit's worth of work (0: no pauses)."""
    names = tuple(tables) if tables is not None else product_tables()
    # VACUUM refuses to run inside a transaction block, and a pooled connection checked out with
    # pre-ping may already have one open (the ping's), whatever isolation level is set after:
    # one unpooled autocommit connection per run instead (a run every few minutes).
    autocommit = sa.create_engine(
        engine.url, poolclass=sa.NullPool, isolation_level="AUTOCOMMIT", connect_args=CONNECT_ARGS
    )
    try:
        return _maintain_all(autocommit, names, scheduled_time, thresholds, cost_delay_ms)
    finally:
        autocommit.dispose()


def _maintain_all(
    engine: Engine,
    names: tuple[str, ...],
    scheduled_time: datetime,
    thresholds: Thresholds,
    cost_delay_ms: float,
) -> MaintenanceOutcome:
    with engine.connect() as conn:
        # For this session only: the connection is not pooled and ends with the run.
        conn.execute(
            sa.text("SELECT set_config('vacuum_cost_delay', :delay, false)"),
            {"delay": f"{cost_delay_ms:g}ms"},
        )
        autovacuum_on = autovacuum_enabled(conn)
        if not autovacuum_on:
            log.warning(
                "autovacuum is off on this server: the product's own maintenance job is what "
                "keeps its tables' statistics and visibility map fresh",
                extra={"autovacuum": "off"},
            )
        if not conn.execute(
            sa.text("SELECT pg_try_advisory_lock(:key)"), {"key": ADVISORY_LOCK_KEY}
        ).scalar_one():
            log.info("another maintenance run holds the lock; nothing done")
            return MaintenanceOutcome(scheduled_time, autovacuum_on, 0, (), busy=True)
        try:
            expired = delete_expired_refresh_tokens(conn)
            stats = read_table_stats(conn, names)
            actions = tuple(
                done
                for table in stats
                if (done := _maintain(conn, table, thresholds, scheduled_time)) is not None
            )
        finally:
            conn.execute(sa.text("SELECT pg_advisory_unlock(:key)"), {"key": ADVISORY_LOCK_KEY})
    return MaintenanceOutcome(
        scheduled_time, autovacuum_on, len(stats), actions, refresh_tokens_deleted=expired
    )


def _maintain(
    conn: sa.Connection, stats: TableStats, thresholds: Thresholds, scheduled_time: datetime
) -> TableAction | None:
    action = thresholds.action_for(stats, scheduled_time)
    if action is None:
        return None
    table = conn.dialect.identifier_preparer.quote(stats.table)
    statement = f"VACUUM (ANALYZE) {table}" if action == "vacuum_analyze" else f"ANALYZE {table}"
    changed = (
        max(stats.inserted_since_vacuum, stats.dead_rows)
        if action == "vacuum_analyze"
        else stats.modified_since_analyze
    )
    started = time.perf_counter()
    conn.execute(sa.text(statement))
    done = TableAction(
        table=stats.table,
        action=action,
        changed_rows=changed,
        limit=thresholds.limit(stats),
        duration_ms=round((time.perf_counter() - started) * 1000, 1),
    )
    log.info(
        "table maintained",
        extra={
            "table": done.table,
            "action": done.action,
            "changed_rows": done.changed_rows,
            "limit": done.limit,
            "live_rows": stats.live_rows,
            "duration_ms": done.duration_ms,
        },
    )
    return done


@dataclass(frozen=True, slots=True)
class TickOutcome:
    retention: RetentionOutcome
    tables: MaintenanceOutcome


def run_tick(app: App, scheduled_time: datetime) -> TickOutcome:
    """One tick of the table-maintenance job: expired comments archived and deleted, then the
    tables that changed enough vacuumed or analysed.

    A bucket that fails the archive leaves every comment in place; the tables are still
    maintained, then the failure is raised so the tick is delivered again."""
    settings = app.settings
    failure: StorageUnavailable | None = None
    try:
        retention = expire_comments(
            app.engine,
            app.storage,
            retention_days=settings.comments_retention_days,
            now=scheduled_time,
            zone=settings.product_zone,
        )
    except StorageUnavailable as error:
        log.error("comments not archived: the bucket failed", extra={"error": str(error)})
        failure = error
        retention = RetentionOutcome(cutoff=None)
    tables = maintain_tables(
        app.engine,
        scheduled_time,
        Thresholds(
            min_rows=settings.maintenance_min_changed_rows,
            fraction=settings.maintenance_changed_fraction,
        ),
        cost_delay_ms=settings.maintenance_cost_delay_ms,
    )
    if failure is not None:
        raise failure
    return TickOutcome(retention=retention, tables=tables)
