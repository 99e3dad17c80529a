"""One alerts check with 1,000,000 comments stored.

Loads the chart benchmark's comments (its loader: evenly over 30 days, rollups counted once) into
a database of its own (`alumusic_bench_alerts` on the server of DATABASE_URL, kept between runs
and refilled only when its size or generator changes), then times the check as the scheduled run
does it (the rollups of the last hour and day and of the same windows 1 to 4 weeks earlier, the
test, the store), as of the newest stored comment, median of `--repeats`, and the peak memory one
check allocates in Python (tracemalloc). No channel is configured: sending is not the check.

Run: `alumusic bench alerts --comments 1000000`.
"""

from __future__ import annotations

import argparse
import json
import logging
import statistics
import time
import tracemalloc
from collections.abc import Sequence
from datetime import UTC, timedelta

import sqlalchemy as sa
from sqlalchemy.engine import make_url

from shared.config import get_settings
from tooling.benchmarks.charts import ensure_database, fill

BENCH_DATABASE = "alumusic_bench_alerts"
BAR_MS = 500.0


def run(args: argparse.Namespace) -> int:
    from shared.alerts.service import check_and_store
    from shared.bootstrap import App
    from shared.db import upgrade

    base = get_settings()
    database_url = args.database_url or make_url(base.database_url).set(
        database=BENCH_DATABASE
    ).render_as_string(hide_password=False)
    ensure_database(database_url)
    upgrade(database_url)
    app = App(settings=base.model_copy(update={"database_url": database_url}))
    logging.getLogger().setLevel(logging.WARNING)
    try:
        load_seconds = fill(app.engine, args.comments)
        with app.engine.begin() as conn:
            newest = conn.execute(sa.text("SELECT max(created_at) FROM comments")).scalar_one()
            conn.execute(sa.text("TRUNCATE alerts CASCADE"))
        as_of = newest.astimezone(UTC) + timedelta(seconds=1)
        # One untimed check warms the pool, the caches and the planner.
        check_and_store(app, as_of, [])
        runs_ms: list[float] = []
        compared = stored = 0
        for _ in range(args.repeats):
            started = time.perf_counter()
            _windows, compared, new = check_and_store(app, as_of, [])
            runs_ms.append((time.perf_counter() - started) * 1000)
            stored += len(new)
        tracemalloc.start()
        check_and_store(app, as_of, [])
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        with app.engine.connect() as conn:
            alerts = conn.execute(sa.text("SELECT count(*) FROM alerts")).scalar_one()
        median = round(statistics.median(runs_ms), 1)
        passed = median <= args.bar_ms
        print(
            json.dumps(
                {
                    "comments": args.comments,
                    "load_seconds": round(load_seconds, 1),
                    "compared": compared,
                    "alerts_stored": alerts,
                    "check_ms": median,
                    "check_runs_ms": [round(x, 1) for x in runs_ms],
                    "peak_kib": round(peak / 1024, 1),
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
    parser.add_argument("--repeats", type=int, default=5, help="timed checks")
    parser.add_argument("--bar-ms", type=float, default=BAR_MS, help="check bar in ms")
    parser.add_argument(
        "--database-url",
        default=None,
        help=f"default: database {BENCH_DATABASE} on DATABASE_URL's server",
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tooling.benchmarks.alerts", description=__doc__
    )
    add_arguments(parser)
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    raise SystemExit(main())
