"""`alumusic themes run [--period dia|semana] [--date D | --week W]`: a period's new themes now."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from typing import Any

from shared.bootstrap import App
from shared.config import get_settings
from shared.themes import service
from shared.themes.periods import choose_period, period_kind


def _run(args: argparse.Namespace) -> int:
    with App(settings=get_settings()) as app:
        zone = app.settings.product_zone
        period = choose_period(
            period_kind(args.period), zone, datetime.now(UTC), day=args.date, week=args.week
        )
        labeller = service.llm_labeller(app.llm) if app.llm is not None else None
        outcome = service.run_period(app.engine, period, zone, labeller=labeller)
    print(
        f"themes {period.kind} {period.key}: {outcome.comments} uncovered comments, "
        f"{outcome.units} after near-duplicates, {outcome.themes} themes stored, "
        f"{outcome.kept} kept as decided ({outcome.seconds:.2f} s)"
    )
    return 0


def register(subparsers: Any) -> None:
    themes = subparsers.add_parser("themes", help="new themes: comments no tag covers, grouped")
    actions = themes.add_subparsers(dest="themes_action", required=True, metavar="ACTION")
    run = actions.add_parser(
        "run",
        help="find and store the themes of a day or an ISO week (default: the last one closed)",
    )
    run.add_argument("--period", choices=("dia", "semana"), default="dia")
    when = run.add_mutually_exclusive_group()
    when.add_argument("--date", default=None, help="a day (YYYY-MM-DD), or a day of the week")
    when.add_argument("--week", default=None, help="an ISO week (YYYY-Www), with --period semana")
    run.set_defaults(handler=_run)
