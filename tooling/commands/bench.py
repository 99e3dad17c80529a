"""`alumusic bench pipeline|classifier|listing|coldstart|charts|faults`: measured figures, one
JSON line each."""

from __future__ import annotations

import argparse
from typing import Any


def _run_pipeline(args: argparse.Namespace) -> int:
    from tooling.benchmarks.pipeline import run

    return run(args)


def _run_classifier(args: argparse.Namespace) -> int:
    from tooling.benchmarks.classifier import run

    return run(args)


def _run_listing(args: argparse.Namespace) -> int:
    from tooling.benchmarks.listing import run

    return run(args)


def _run_coldstart(args: argparse.Namespace) -> int:
    from tooling.benchmarks.coldstart import run

    return run(args)


def _run_charts(args: argparse.Namespace) -> int:
    from tooling.benchmarks.charts import run

    return run(args)


def _run_faults(args: argparse.Namespace) -> int:
    from tooling.benchmarks.faults import run

    return run(args)


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
    pipeline.set_defaults(handler=_run_pipeline)

    classifier = kinds.add_parser(
        "classifier", help="in-process classifier throughput and cold-start time"
    )
    classifier.add_argument("--batch", type=int, default=10_000, help="comments per batch")
    classifier.add_argument("--repeats", type=int, default=5, help="timed batches (median kept)")
    classifier.set_defaults(handler=_run_classifier)

    from tooling.benchmarks.listing import add_arguments as add_listing_arguments

    listing = kinds.add_parser(
        "listing", help="comment list latency (p50/p95) with filters over a large stored table"
    )
    add_listing_arguments(listing)
    listing.set_defaults(handler=_run_listing)

    from tooling.benchmarks.coldstart import add_arguments as add_coldstart_arguments

    coldstart = kinds.add_parser(
        "coldstart", help="each function's process start to first answered request"
    )
    add_coldstart_arguments(coldstart)
    coldstart.set_defaults(handler=_run_coldstart)

    from tooling.benchmarks.charts import add_arguments as add_charts_arguments

    charts = kinds.add_parser(
        "charts", help="chart refresh time over 1,000,000 stored comments vs the earlier way"
    )
    add_charts_arguments(charts)
    charts.set_defaults(handler=_run_charts)

    from tooling.benchmarks.faults import add_arguments as add_faults_arguments

    faults = kinds.add_parser(
        "faults", help="PostgreSQL restarted mid-ingest on a private server: lost, duplicated"
    )
    add_faults_arguments(faults)
    faults.set_defaults(handler=_run_faults)
