"""`alumusic rollups rebuild [--since ISO] [--check]`: the rollups recomputed from the comments.

Exit 0 when the stored rollups equalled the recomputation, 1 when they differed (and were
replaced, unless --check): something wrote comments past the store, which a monitor should hear.
"""

from __future__ import annotations

import argparse
from typing import Any

from shared.commands import instant_option
from shared.config import load_settings
from shared.db import create_db_engine
from shared.rollups import rebuild


def _rebuild(args: argparse.Namespace) -> int:
    since = (
        instant_option(args.since, "--since", "2026-11-30T00:00:00-03:00")
        if args.since is not None
        else None
    )
    engine = create_db_engine(load_settings(("database",)))
    try:
        outcome = rebuild(engine, since, fix=not args.check)
    finally:
        engine.dispose()
    scope = f"from {outcome.since.isoformat()}" if outcome.since else "every bucket"
    for table in outcome.tables:
        print(f"{table.table} ({scope}): {table.compared} rows compared, {table.differing} differ")
        for line in table.shown:
            print(f"  {line}")
        if table.differing > len(table.shown):
            print(f"  ... and {table.differing - len(table.shown)} more")
    if not outcome.differing:
        print("rollups equal to the comments")
        return 0
    print("rollups replaced by the recomputation" if outcome.fixed else "nothing changed (--check)")
    return 1


def register(subparsers: Any) -> None:
    rollups = subparsers.add_parser("rollups", help="the counts charts and digests read")
    actions = rollups.add_subparsers(dest="rollups_action", required=True, metavar="ACTION")
    rebuild_parser = actions.add_parser(
        "rebuild",
        help="recompute the rollups from the comments, report what differed and fix it; "
        "exit 1 when anything differed",
    )
    rebuild_parser.add_argument(
        "--since",
        default=None,
        help="only the 15-minute buckets from this instant on (ISO 8601 with offset; "
        "default: every bucket)",
    )
    rebuild_parser.add_argument(
        "--check", action="store_true", help="report the differences, change nothing"
    )
    rebuild_parser.set_defaults(handler=_rebuild)
