"""`alumusic schedule serve|run|list`: the scheduled jobs of infra/stack.json.

`serve` is the local stand-in for Cloud Scheduler (`make dev` runs it); `run JOB` publishes one
tick now, e.g. to refresh the charts or send the digest without waiting; `list` shows each job's
next run. Ticks go to the Pub/Sub emulator when PUBSUB_EMULATOR_HOST is set.
"""

from __future__ import annotations

import argparse
import json
import signal
import threading
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Any

from shared.errors import InvalidInput, NotFound

if TYPE_CHECKING:
    from tooling.devstack.stack import JobSpec, StackSpec


def _stack(args: argparse.Namespace) -> StackSpec:
    from tooling.devstack.stack import load_stack

    try:
        return load_stack(args.stack)
    except ValueError as error:
        raise InvalidInput(f"the stack description is invalid: {error}") from None


def _job(spec: StackSpec, name: str) -> JobSpec:
    try:
        return spec.job(name)
    except KeyError as error:
        raise NotFound(str(error.args[0])) from None


def _time(value: str | None, option: str) -> Any:
    from shared.schedule import parse_scheduled_time
    from tooling.devstack.scheduler import utc_now

    if value is None:
        return utc_now()
    try:
        return parse_scheduled_time(value)
    except ValueError as error:
        raise InvalidInput(
            f"{option} {value!r} is not an ISO-8601 time with an offset, "
            f"e.g. 2026-11-30T08:00:00-03:00: {error}"
        ) from None


def _serve(args: argparse.Namespace) -> int:
    from shared.config import get_settings
    from shared.events import PubSubPublisher
    from shared.logs import configure_logging
    from tooling.devstack.scheduler import Scheduler

    settings = get_settings()
    configure_logging("scheduler", settings.log_level)
    spec = _stack(args)
    publisher = PubSubPublisher(settings)
    stop = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, on_signal)
    try:
        Scheduler(spec.jobs, publisher, state_file=args.state_file).serve(stop)
    finally:
        publisher.close()
    return 0


def _run(args: argparse.Namespace) -> int:
    from shared.config import get_settings
    from shared.events import PubSubPublisher
    from shared.schedule import floor_to_minute, format_scheduled_time
    from tooling.devstack.scheduler import publish_tick

    job = _job(_stack(args), args.job)
    # A run on demand is dated to its minute, like the scheduled runs and Cloud Scheduler's.
    scheduled = _time(args.at, "--at") if args.at else floor_to_minute(_time(None, "--at"))
    publisher = PubSubPublisher(get_settings())
    try:
        tick, message_id = publish_tick(publisher, job, scheduled)
    finally:
        publisher.close()
    print(
        json.dumps(
            {
                "job": tick.job,
                "topic": job.topic,
                "scheduled_time": format_scheduled_time(tick.scheduled_time),
                "message_id": message_id,
            }
        )
    )
    return 0


def _list(args: argparse.Namespace) -> int:
    from shared.schedule import format_scheduled_time
    from tooling.devstack.cron import CronSchedule

    spec = _stack(args)
    now = _time(args.at, "--at")
    if not spec.jobs:
        print("no scheduled jobs in the stack description")
        return 0
    rows = [("job", "schedule", "time zone", "topic", "next run (local)", "next run (UTC)")]
    for job in spec.jobs:
        schedule = CronSchedule(job.schedule, job.time_zone)
        upcoming = schedule.next_after(now)
        rows.append(
            (
                job.name,
                job.schedule,
                job.time_zone,
                job.topic,
                upcoming.astimezone(schedule.zone).strftime("%Y-%m-%d %H:%M %a"),
                format_scheduled_time(upcoming),
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        print(
            "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        )
    return 0


def register(subparsers: Any) -> None:
    schedule = subparsers.add_parser("schedule", help="scheduled jobs: serve, run one now, list")
    commands = schedule.add_subparsers(dest="schedule_command", required=True, metavar="COMMAND")
    stack_help = "stack description (default infra/stack.json or ALUMUSIC_STACK_FILE)"

    serve = commands.add_parser(
        "serve", help="publish each job's tick on time until stopped (the local Cloud Scheduler)"
    )
    serve.add_argument("--stack", type=Path, default=None, help=stack_help)
    serve.add_argument(
        "--state-file",
        type=Path,
        default=None,
        help="keeps each job's last run so a restart catches up one missed run "
        "(default: none, start from now)",
    )
    serve.set_defaults(handler=_serve)

    run = commands.add_parser("run", help="publish one tick of JOB now")
    run.add_argument("job", metavar="JOB", help="job name from infra/stack.json")
    run.add_argument(
        "--at",
        default=None,
        metavar="ISO",
        help="scheduled time to put in the tick (ISO-8601 with offset; default: this minute)",
    )
    run.add_argument("--stack", type=Path, default=None, help=stack_help)
    run.set_defaults(handler=_run)

    listing = commands.add_parser("list", help="show every job with its next run")
    listing.add_argument(
        "--at", default=None, metavar="ISO", help="list the runs after this time (default: now)"
    )
    listing.add_argument("--stack", type=Path, default=None, help=stack_help)
    listing.set_defaults(handler=_list)
