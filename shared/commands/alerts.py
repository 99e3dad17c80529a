"""`alumusic alerts run [--at ISO]`: check now (or at a given instant), store and send."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from typing import Any

from shared.alerts import render, service
from shared.bootstrap import App
from shared.commands import instant_option
from shared.config import get_settings


def _run(args: argparse.Namespace) -> int:
    now = instant_option(args.at, "--at") if args.at is not None else datetime.now(UTC)
    with App(settings=get_settings()) as app:
        result = service.run(app, now)
        zone = app.settings.product_zone
    for window in result.windows:
        print(f"window {window.name}: {window.start.isoformat()} to {window.end.isoformat()}")
    print(f"{result.observed} counts compared with their baseline in {result.check_ms:.0f} ms")
    print(f"{len(result.stored)} alert(s) stored")
    for alert in result.stored:
        print(f"  #{alert.id} {render.text(alert, zone)}")
    report = result.delivery
    if not result.channels:
        print("no channel configured (ALERTS_WEBHOOK_URLS, ALERTS_EMAILS): nothing is sent")
    print(f"{len(report.sent)} delivery(ies) sent, {len(report.failed)} failed")
    for (alert_id, channel), reason in sorted(report.failed.items()):
        print(f"  #{alert_id} {channel}: {reason} (retried on the next run)")
    return 0


def register(subparsers: Any) -> None:
    alerts = subparsers.add_parser("alerts", help="spikes and drops of tags and categories")
    actions = alerts.add_subparsers(dest="alerts_action", required=True, metavar="ACTION")
    run = actions.add_parser(
        "run",
        help="check the last hour and day against the previous 4 weeks, store what is new, "
        "send what was not sent yet",
    )
    run.add_argument(
        "--at", default=None, help="check as of this instant (ISO 8601 with offset; default now)"
    )
    run.set_defaults(handler=_run)
