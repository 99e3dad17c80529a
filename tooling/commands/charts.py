"""`alumusic charts refresh`: one chart refresh now, its snapshot JSON and how long it took."""

from __future__ import annotations

import argparse
import json
import time
from datetime import UTC, datetime
from typing import Any

from shared.errors import InvalidInput


def _as_of(raw: str | None) -> datetime:
    if raw is None:
        # To the second: each run is a tick of its own (a scheduled tick falls on :00).
        return datetime.now(UTC).replace(microsecond=0)
    try:
        moment = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        raise InvalidInput(f"--at {raw!r} is not an ISO-8601 date-time") from None
    if moment.tzinfo is None:
        raise InvalidInput(f"--at {raw!r} needs an offset, e.g. 2026-11-30T11:32:00Z")
    return moment.astimezone(UTC)


def _refresh(args: argparse.Namespace) -> int:
    from shared.bootstrap import get_app
    from shared.charts.snapshots import refresh

    app = get_app()
    started = time.perf_counter()
    outcome = refresh(app, _as_of(args.at))
    took_ms = (time.perf_counter() - started) * 1000
    print(json.dumps(outcome.snapshot.document(), ensure_ascii=False, indent=2))
    state = "refreshed" if outcome.created else "already stored for that time, unchanged"
    bucket = "and in the bucket" if outcome.stored_in_bucket else "not in the bucket"
    print(
        f"{state}: {took_ms:.1f} ms in all, charts computed in "
        f"{outcome.snapshot.duration_ms:.1f} ms; stored in the database {bucket}"
    )
    return 0


def register(subparsers: Any) -> None:
    charts = subparsers.add_parser("charts", help="the five dashboard charts")
    actions = charts.add_subparsers(dest="charts_action", required=True, metavar="ACTION")
    refresh = actions.add_parser(
        "refresh", help="compute and store one snapshot now; print it and the time it took"
    )
    refresh.add_argument(
        "--at", default=None, help="as-of instant, ISO-8601 with offset (default: now)"
    )
    refresh.set_defaults(handler=_refresh)
