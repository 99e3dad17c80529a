"""A week's digest with 1,000,000 comments stored (or 10,000,000): `digest run --no-send` timed.

Uses the listing benchmark's database and loader (`alumusic_bench_listing`: comments spread at
random over the 90 days before the load, their rollups counted), so one load serves both; at
10,000,000 comments a week holds about 777,000. The week measured is the last ISO week of
`PRODUCT_TIMEZONE` that closed before the newest stored comment. Each run deletes that week's
stored digest (a week is built once) and runs `alumusic digest run --week W --no-send` as a new
process, as an operator or the scheduled job's cold instance would; `stats_seconds` is the
figures' SQL alone (`compute_stats`, in this process).

Prints one JSON line; exit 1 when the median run is over the bar (3 s).
Run: `alumusic bench digest --comments 10000000`.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence

import sqlalchemy as sa

from shared.config import get_settings
from shared.timezone import IsoWeek
from tooling.benchmarks.charts import ensure_database
from tooling.benchmarks.listing import BENCH_DATABASE, bench_database_url, fill

BAR_SECONDS = 3.0


def _clear_week(engine: sa.Engine, semana: str) -> None:
    with engine.begin() as conn:
        conn.execute(sa.text("DELETE FROM digest_deliveries WHERE semana = :s"), {"s": semana})
        conn.execute(sa.text("DELETE FROM weekly_digests WHERE semana = :s"), {"s": semana})


def _run_once(database_url: str, semana: str) -> float:
    env = {**os.environ, "DATABASE_URL": database_url, "DIGEST_WRITER": "template"}
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "shared.cli", "digest", "run", "--week", semana, "--no-send"],
        env=env,
        check=True,
        capture_output=True,
    )
    return time.perf_counter() - started


def run(args: argparse.Namespace) -> int:
    from shared.db import upgrade
    from shared.digest.stats import compute_stats

    settings = get_settings()
    database_url = args.database_url or bench_database_url(settings, BENCH_DATABASE)
    ensure_database(database_url)
    upgrade(database_url)
    engine = sa.create_engine(database_url, poolclass=sa.NullPool)
    try:
        load_seconds = fill(engine, args.comments)
        with engine.connect() as conn:
            newest = conn.execute(sa.text("SELECT max(created_at) FROM comments")).scalar_one()
        week = IsoWeek.last_closed_before(newest, settings.product_zone)
        start, end = week.bounds(settings.product_zone)
        with engine.connect() as conn:
            in_week = conn.execute(
                sa.text("SELECT count(*) FROM comments WHERE created_at >= :s AND created_at < :e"),
                {"s": start, "e": end},
            ).scalar_one()
        runs: list[float] = []
        for _ in range(args.repeats):
            _clear_week(engine, str(week))
            runs.append(_run_once(database_url, str(week)))
        stats_runs: list[float] = []
        for _ in range(args.repeats):
            started = time.perf_counter()
            compute_stats(engine, week, settings.product_timezone)
            stats_runs.append(time.perf_counter() - started)
    finally:
        engine.dispose()
    median = statistics.median(runs)
    passed = median <= args.bar_seconds
    print(
        json.dumps(
            {
                "comments": args.comments,
                "week": str(week),
                "comments_in_week": int(in_week),
                "load_seconds": round(load_seconds, 1),
                "run_seconds": round(median, 2),
                "runs_seconds": [round(x, 2) for x in runs],
                "stats_seconds": round(statistics.median(stats_runs), 2),
                "bar_seconds": args.bar_seconds,
                "load_average": round(os.getloadavg()[0], 1),
                "passed": passed,
            }
        ),
        flush=True,
    )
    return 0 if passed else 1


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--comments", type=int, default=1_000_000, help="comments stored")
    parser.add_argument("--repeats", type=int, default=5, help="timed runs (median kept)")
    parser.add_argument("--bar-seconds", type=float, default=BAR_SECONDS, help="bar in seconds")
    parser.add_argument(
        "--database-url",
        default=None,
        help=f"default: database {BENCH_DATABASE} on DATABASE_URL's server (the listing's)",
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tooling.benchmarks.digest", description=__doc__
    )
    add_arguments(parser)
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
