"""`alumusic bench pipeline|store|classifier|listing|coldstart|charts|digest|alerts|faults|hostile|
themes`: measured figures, one JSON line each."""

from __future__ import annotations

import argparse
import importlib
from collections.abc import Callable
from typing import Any


def _runner(kind: str) -> Callable[[argparse.Namespace], int]:
    """The `run` of tooling/benchmarks/<kind>.py, imported only when that benchmark runs."""

    def run(args: argparse.Namespace) -> int:
        return int(importlib.import_module(f"tooling.benchmarks.{kind}").run(args))

    return run


def register(subparsers: Any) -> None:
    bench = subparsers.add_parser("bench", help="run a benchmark and print one JSON line")
    kinds = bench.add_subparsers(dest="bench_kind", required=True, metavar="KIND")

    pipeline = kinds.add_parser(
        "pipeline", help="ingest N comments through the gateway and Pub/Sub until all are stored"
    )
    pipeline.add_argument("--comments", type=int, default=100_000, help="how many comments")
    pipeline.add_argument(
        "--gateway", default=None, help="gateway base URL (default from settings)"
    )
    pipeline.add_argument(
        "--per-request", type=int, default=10_000, help="comments per ingest call"
    )
    pipeline.add_argument(
        "--timeout", type=float, default=600.0, help="seconds to wait for storage"
    )
    pipeline.add_argument(
        "--concurrency", type=int, default=4, help="ingest requests in flight at once"
    )
    pipeline.set_defaults(handler=_runner("pipeline"))

    from tooling.benchmarks.store import add_arguments as add_store_arguments

    store = kinds.add_parser(
        "store",
        help="CPU per 500 comments of storing (insert and rollups), ingest and message decoding",
    )
    add_store_arguments(store)
    store.set_defaults(handler=_runner("store"))

    classifier = kinds.add_parser(
        "classifier", help="in-process classifier throughput and cold-start time"
    )
    classifier.add_argument("--batch", type=int, default=10_000, help="comments per batch")
    classifier.add_argument("--repeats", type=int, default=5, help="timed batches (median kept)")
    classifier.set_defaults(handler=_runner("classifier"))

    from tooling.benchmarks.listing import add_arguments as add_listing_arguments

    listing = kinds.add_parser(
        "listing", help="comment list latency (p50/p95) with filters over a large stored table"
    )
    add_listing_arguments(listing)
    listing.set_defaults(handler=_runner("listing"))

    from tooling.benchmarks.coldstart import add_arguments as add_coldstart_arguments

    coldstart = kinds.add_parser(
        "coldstart", help="each function's process start to first answered request"
    )
    add_coldstart_arguments(coldstart)
    coldstart.set_defaults(handler=_runner("coldstart"))

    from tooling.benchmarks.soak import add_arguments as add_soak_arguments

    soak = kinds.add_parser(
        "soak",
        help="steady ingest with list and insights readers for minutes: lost, duplicated, "
        "p99s and each function's memory",
    )
    add_soak_arguments(soak)
    soak.set_defaults(handler=_runner("soak"))

    from tooling.benchmarks.charts import add_arguments as add_charts_arguments

    charts = kinds.add_parser(
        "charts", help="chart refresh time over 1,000,000 stored comments vs the earlier way"
    )
    add_charts_arguments(charts)
    charts.set_defaults(handler=_runner("charts"))

    from tooling.benchmarks.alerts import add_arguments as add_alerts_arguments

    alerts = kinds.add_parser(
        "alerts", help="one alerts check over 1,000,000 stored comments: time and memory"
    )
    add_alerts_arguments(alerts)
    alerts.set_defaults(handler=_runner("alerts"))

    from tooling.benchmarks.digest import add_arguments as add_digest_arguments

    digest = kinds.add_parser(
        "digest", help="a week's digest (`digest run --no-send`) over 1,000,000 stored comments"
    )
    add_digest_arguments(digest)
    digest.set_defaults(handler=_runner("digest"))

    from tooling.benchmarks.faults import add_arguments as add_faults_arguments

    faults = kinds.add_parser(
        "faults", help="PostgreSQL restarted mid-ingest on a private server: lost, duplicated"
    )
    add_faults_arguments(faults)
    faults.set_defaults(handler=_runner("faults"))

    from tooling.benchmarks.hostile import add_arguments as add_hostile_arguments

    hostile = kinds.add_parser(
        "hostile",
        help="a normal client's p99 and each function's memory while the worst bodies arrive",
    )
    add_hostile_arguments(hostile)
    hostile.set_defaults(handler=_runner("hostile"))

    from tooling.benchmarks.themes import add_arguments as add_themes_arguments

    themes = kinds.add_parser(
        "themes", help="the weekly themes run: a week of 250,000 within 1,000,000 stored"
    )
    add_themes_arguments(themes)
    themes.set_defaults(handler=_runner("themes"))
