"""Chart refresh time with 1,000,000 comments stored, against the earlier system's way.

Fills a database of its own (`alumusic_bench_charts` on the server of DATABASE_URL, kept between
runs and refilled only when its size or generator changes) with comments spread evenly over 30
days, written in time order as a live stream writes them, then times:
- `refresh_ms`: the product's refresh (the five charts in one SQL statement, the snapshot row
  stored, the bucket copy written to an in-memory store), median of `--repeats`;
- `earlier_ms`: the earlier system's way, the last 7 days' rows loaded into Python and counted in
  loops, median of `--repeats`, on the same database in the same run;
and prints one JSON line with both and their ratio. Refreshes run "as of" the newest stored
comment, so a database kept for weeks gives the same figures.

Run: `alumusic bench charts --comments 1000000`.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.engine import make_url

from shared.config import Settings, get_settings
from shared.rollups import rebuild
from tooling.benchmarks.bulkload import indexes_dropped
from tooling.progress import progress_bar

BENCH_DATABASE = "alumusic_bench_charts"
BAR_MS = 100.0
DAYS_SPREAD = 30
LOAD_BATCH_ROWS = 200_000
# Bumped whenever the generated data changes, so a kept database is refilled.
DATA_VERSION = "charts-bench-1"

_TAGS = [
    "feat_letra",
    "fix_volume",
    "perf_carregamento",
    "ui_layout",
    "feat_clipe",
    "feat_turne",
    "fix_audio",
    "feat_playlist",
    "perf_buffer",
    "ui_tema",
    "api_integracao",
    "sec_golpe",
    "doc_creditos",
    "feat_remix",
    "feat_acustico",
    "feat_lancamento",
]

# Comment g of N is written at `end - spread + g * spread / N`: evenly over the 30 days, in order.
_LOAD_SQL = """
INSERT INTO comments (
    id, texto, categoria, tags_funcionalidades, confianca, needs_review,
    model_name, model_version, source, created_at, classified_at,
    categoria_corrigida, corrected_by, corrected_at
)
SELECT
    'bench-' || g,
    'comentario ' || g,
    (ARRAY['ELOGIO', 'CRÍTICA', 'SUGESTÃO', 'DÚVIDA', 'SPAM'])[1 + mod(g * 7919, 5)],
    CASE WHEN mod(g * 7919, 5) = 4 OR mod(g, 5) < 2 THEN ARRAY[]::text[]
         WHEN mod(g, 5) < 4 THEN ARRAY[(CAST(:tags AS text[]))[1 + mod(g * 31, :ntags)]]
         ELSE ARRAY[(CAST(:tags AS text[]))[1 + mod(g * 31, :ntags)],
                    (CAST(:tags AS text[]))[1 + mod(g * 17 + 1, :ntags)]] END,
    c, c < 0.6, 'bench', '1', 'ingest', t, t,
    CASE WHEN mod(g, 100) = 0 THEN 'SPAM' END,
    CASE WHEN mod(g, 100) = 0 THEN 'bench' END,
    CASE WHEN mod(g, 100) = 0 THEN t END
FROM (
    SELECT g, CAST(0.3 + 0.7 * random() AS real) AS c,
           CAST(:end AS timestamptz) - :spread * interval '1 second'
               + g * (:spread / CAST(:rows AS double precision)) * interval '1 second' AS t
    FROM generate_series(CAST(:first AS bigint), CAST(:last AS bigint)) AS g
) AS s
"""


def bench_database_url(settings: Settings) -> str:
    url = make_url(settings.database_url).set(database=BENCH_DATABASE)
    return url.render_as_string(hide_password=False)


def admin_engine(database_url: str) -> sa.Engine:
    """An engine on the server's `postgres` database that runs outside transactions, as CREATE and
    DROP DATABASE demand."""
    return sa.create_engine(
        make_url(database_url).set(database="postgres"),
        poolclass=sa.NullPool,
        isolation_level="AUTOCOMMIT",
    )


def ensure_database(database_url: str, *, fresh: bool = False) -> None:
    """Create the URL's database when it is missing (`fresh`: drop it first)."""
    name = make_url(database_url).database
    admin = admin_engine(database_url)
    try:
        with admin.connect() as conn:
            if fresh:
                conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            exists = conn.execute(
                sa.text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}
            ).first()
            if not exists:
                conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    finally:
        admin.dispose()


def drop_database(database_url: str) -> None:
    admin = admin_engine(database_url)
    try:
        with admin.connect() as conn:
            conn.execute(
                sa.text(f'DROP DATABASE IF EXISTS "{make_url(database_url).database}" WITH (FORCE)')
            )
    finally:
        admin.dispose()


def fill(engine: sa.Engine, rows: int, *, vacuum: bool = True) -> float:
    """Make the table hold exactly `rows` generated comments; seconds spent loading (0 if kept).

    `vacuum=False` leaves the table as a bulk load leaves it on a server with autovacuum off: no
    visibility map (no index-only scans) and no statistics.
    """
    marker = f"{DATA_VERSION}:{rows}:{'vacuumed' if vacuum else 'raw'}"
    with engine.connect() as conn:
        version = conn.execute(sa.text("SELECT obj_description('comments'::regclass)")).scalar()
    if version == marker:
        return 0.0
    started = time.perf_counter()
    end = datetime.now(UTC).replace(microsecond=0)
    with engine.begin() as conn:
        conn.execute(sa.text("TRUNCATE comments, chart_snapshots, category_rollups, tag_rollups"))
        conn.execute(sa.text("COMMENT ON TABLE comments IS NULL"))
    bar = progress_bar(total=rows, unit="rows", desc="loading comments")
    params = {
        "tags": list(_TAGS),
        "ntags": len(_TAGS),
        "end": end,
        "spread": DAYS_SPREAD * 86400,
        "rows": rows,
    }
    with indexes_dropped(engine, "comments"):
        for first in range(1, rows + 1, LOAD_BATCH_ROWS):
            last = min(rows, first + LOAD_BATCH_ROWS - 1)
            with engine.begin() as conn:
                conn.execute(sa.text(_LOAD_SQL), {**params, "first": first, "last": last})
            bar.update(last - first + 1)
    bar.close()
    # Loaded past the store, as a data import would be: the rollups are counted once, after.
    rebuild(engine)
    autocommit = sa.create_engine(engine.url, poolclass=sa.NullPool, isolation_level="AUTOCOMMIT")
    try:
        with autocommit.connect() as conn:
            if vacuum:
                conn.execute(sa.text("VACUUM ANALYZE comments"))
            conn.execute(sa.text(f"COMMENT ON TABLE comments IS '{marker}'"))
    finally:
        autocommit.dispose()
    return time.perf_counter() - started


def earlier_way(engine: sa.Engine, as_of: datetime, timezone: str) -> dict[str, Any]:
    """The earlier system's approach: the last 7 days' rows into Python, counted in loops."""
    zone = ZoneInfo(timezone)
    since = as_of - timedelta(days=7)
    with engine.connect() as conn:
        rows = conn.execute(
            sa.text(
                "SELECT categoria_final, tags_final, confianca, created_at FROM comments "
                "WHERE created_at >= :since AND created_at <= :as_of"
            ),
            {"since": since, "as_of": as_of},
        ).all()
    per_category: Counter[str] = Counter()
    confidence: defaultdict[str, float] = defaultdict(float)
    per_day: defaultdict[str, Counter[str]] = defaultdict(Counter)
    tags: Counter[str] = Counter()
    per_hour: Counter[str] = Counter()
    tags_since = as_of - timedelta(hours=48)
    hours_since = as_of - timedelta(hours=24)
    for categoria, row_tags, confianca, created_at in rows:
        local = created_at.astimezone(zone)
        per_category[categoria] += 1
        confidence[categoria] += confianca
        per_day[local.date().isoformat()][categoria] += 1
        if created_at > tags_since:
            for tag in row_tags:
                tags[tag] += 1
        if created_at > hours_since:
            per_hour[local.replace(minute=0, second=0, microsecond=0).isoformat()] += 1
    total = sum(per_category.values())
    return {
        "rows": len(rows),
        "distribuicao": {c: round(100 * n / total, 2) for c, n in per_category.items()},
        "media": {c: confidence[c] / n for c, n in per_category.items()},
        "dias": len(per_day),
        "tags": tags.most_common(10),
        "horas": len(per_hour),
    }


def _median_ms(samples: Sequence[float]) -> float:
    return round(statistics.median(samples), 1)


def run(args: argparse.Namespace) -> int:
    import logging

    from shared.bootstrap import App
    from shared.charts.snapshots import refresh
    from shared.db import upgrade
    from shared.storage import InMemoryObjectStore

    base = get_settings()
    database_url = args.database_url or bench_database_url(base)
    ensure_database(database_url)
    upgrade(database_url)
    store = InMemoryObjectStore()
    app = App(
        settings=base.model_copy(update={"database_url": database_url}),
        storage_factory=lambda _settings: store,
    )
    logging.getLogger().setLevel(logging.WARNING)
    try:
        load_seconds = fill(app.engine, args.comments, vacuum=not args.no_vacuum)
        with app.engine.connect() as conn:
            newest = conn.execute(sa.text("SELECT max(created_at) FROM comments")).scalar_one()
            conn.execute(sa.text("SELECT 1"))
        as_of = newest.astimezone(UTC).replace(microsecond=0) + timedelta(seconds=1)
        with app.engine.begin() as conn:
            conn.execute(sa.text("TRUNCATE chart_snapshots"))
        # One untimed refresh warms the pool, the caches and the planner.
        refresh(app, as_of - timedelta(minutes=10))
        refresh_ms: list[float] = []
        compute_ms: list[float] = []
        for run_index in range(args.repeats):
            # Each run is its own tick, so none is skipped as a redelivery.
            tick = as_of - timedelta(seconds=run_index)
            started = time.perf_counter()
            outcome = refresh(app, tick)
            refresh_ms.append((time.perf_counter() - started) * 1000)
            compute_ms.append(outcome.snapshot.duration_ms)
            assert outcome.created
        earlier_ms: list[float] = []
        earlier: dict[str, Any] = {}
        for _ in range(args.repeats):
            started = time.perf_counter()
            earlier = earlier_way(app.engine, as_of, base.product_timezone)
            earlier_ms.append((time.perf_counter() - started) * 1000)
        refresh_median = _median_ms(refresh_ms)
        earlier_median = _median_ms(earlier_ms)
        passed = refresh_median <= args.bar_ms
        print(
            json.dumps(
                {
                    "comments": args.comments,
                    "vacuumed": not args.no_vacuum,
                    "rows_in_7_days": earlier["rows"],
                    "load_seconds": round(load_seconds, 1),
                    "refresh_ms": refresh_median,
                    "refresh_runs_ms": [round(x, 1) for x in refresh_ms],
                    "sql_ms": _median_ms(compute_ms),
                    "earlier_ms": earlier_median,
                    "earlier_runs_ms": [round(x, 1) for x in earlier_ms],
                    "ratio": round(earlier_median / refresh_median, 1),
                    "bar_ms": args.bar_ms,
                    "passed": passed,
                }
            ),
            flush=True,
        )
        return 0 if passed else 1
    finally:
        app.close()


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--comments", type=int, default=1_000_000, help="comments stored")
    parser.add_argument("--repeats", type=int, default=5, help="timed runs of each way")
    parser.add_argument("--bar-ms", type=float, default=BAR_MS, help="refresh bar in ms")
    parser.add_argument(
        "--database-url",
        default=None,
        help=f"default: database {BENCH_DATABASE} on DATABASE_URL's server",
    )
    parser.add_argument(
        "--no-vacuum",
        action="store_true",
        help="measure right after the bulk load, as with autovacuum off (no VACUUM, no ANALYZE); "
        "use with its own --database-url",
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tooling.benchmarks.charts", description=__doc__
    )
    add_arguments(parser)
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
