"""`alumusic dev up|bootstrap|compose|gateway`: the local stack on emulators, and as containers."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any


def _say(message: str) -> None:
    print(f"alumusic dev: {message}" if "\n" not in message else message, flush=True)


def _echo(line: str) -> None:
    sys.stdout.write(line)
    sys.stdout.flush()


def _up(args: argparse.Namespace) -> int:
    from shared.logs import configure_logging
    from tooling.devstack.runner import StackConfig, run

    configure_logging("dev", "WARNING")
    if args.demo < 0:
        print("alumusic: error: --demo must not be negative", file=sys.stderr)
        return 2
    config = StackConfig.from_environment(state_dir=args.state_dir, demo=args.demo)
    if args.gateway_server:
        config.gateway_server = args.gateway_server
    return run(config, say=_say, echo=None if args.quiet else _echo)


def _bootstrap(args: argparse.Namespace) -> int:
    import os

    from tooling.devstack.bootstrap import bootstrap
    from tooling.devstack.services import DEFAULT_PUBSUB_PORT, DEFAULT_S3_PORT, LOOPBACK
    from tooling.devstack.stack import load_stack
    from tooling.devstack.state import read_state, state_dir_from

    state = read_state(state_dir_from(args.state_dir))
    emulator_host = (
        os.environ.get("PUBSUB_EMULATOR_HOST")
        or state.get("pubsub_emulator_host")
        or f"{LOOPBACK}:{DEFAULT_PUBSUB_PORT}"
    )
    endpoint = (
        os.environ.get("AWS_ENDPOINT_URL")
        or state.get("aws_endpoint_url")
        or f"http://{LOOPBACK}:{DEFAULT_S3_PORT}"
    )
    spec = load_stack(args.stack, project_id=os.environ.get("PUBSUB_PROJECT_ID"))
    report = bootstrap(
        spec,
        emulator_host=emulator_host,
        s3_endpoint_url=None if args.skip_buckets else endpoint,
        region=os.environ.get("AWS_REGION", "us-east-1"),
    )
    print(json.dumps(report.as_dict(), indent=2))
    return 0


def _gateway(args: argparse.Namespace) -> int:
    from tooling.devstack.gateway import run_gateway

    run_gateway(
        host=args.host,
        port=args.port,
        server=args.server,
        threads=args.threads,
        stack_file=args.stack,
        openapi_file=args.openapi,
    )
    return 0


def _compose(args: argparse.Namespace) -> int:
    from tooling.devstack.compose import compose_file, render_compose
    from tooling.devstack.stack import load_stack

    # Ports as the stack description gives them: a developer's <NAME>_PORT stays out of the file.
    text = render_compose(load_stack(args.stack, env={}))
    path = args.output or compose_file()
    if args.check:
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            print(
                f"alumusic dev compose: {path} is not what infra/stack.json gives: "
                "run `alumusic dev compose --write`",
                file=sys.stderr,
            )
            return 1
        return 0
    if args.write:
        path.write_text(text, encoding="utf-8")
        _say(f"wrote {path}")
        return 0
    _echo(text)
    return 0


def register(subparsers: Any) -> None:
    from pathlib import Path

    from tooling.devstack.gateway import add_arguments as add_gateway_arguments

    dev = subparsers.add_parser("dev", help="run the local stack on emulators")
    commands = dev.add_subparsers(dest="dev_command", required=True, metavar="COMMAND")

    up = commands.add_parser(
        "up",
        help="start PostgreSQL, emulators, every function and the gateway; Ctrl-C stops all",
    )
    up.add_argument(
        "--demo", type=int, default=0, metavar="N", help="ingest N demo comments once up"
    )
    up.add_argument(
        "--state-dir",
        default=None,
        help="logs, secrets and state (default .dev, or ALUMUSIC_STATE_DIR)",
    )
    up.add_argument(
        "--gateway-server",
        choices=("gunicorn", "werkzeug"),
        default=None,
        help="WSGI server of the gateway (default gunicorn)",
    )
    up.add_argument(
        "--quiet", action="store_true", help="keep function output in the log files only"
    )
    up.set_defaults(handler=_up)

    boot = commands.add_parser(
        "bootstrap", help="create topics, subscriptions and buckets on running emulators"
    )
    boot.add_argument(
        "--stack", type=Path, default=None, help="stack description (infra/stack.json)"
    )
    boot.add_argument("--state-dir", default=None, help="state directory of a running stack")
    boot.add_argument("--skip-buckets", action="store_true", help="Pub/Sub only")
    boot.set_defaults(handler=_bootstrap)

    compose = commands.add_parser(
        "compose", help="docker-compose.yml from the stack description (printed by default)"
    )
    compose.add_argument(
        "--stack", type=Path, default=None, help="stack description (infra/stack.json)"
    )
    compose.add_argument(
        "--output", type=Path, default=None, help="the file (default: docker-compose.yml)"
    )
    action = compose.add_mutually_exclusive_group()
    action.add_argument("--write", action="store_true", help="write the file")
    action.add_argument(
        "--check", action="store_true", help="exit 1 when the file is not what it would write"
    )
    compose.set_defaults(handler=_compose)

    gateway = commands.add_parser("gateway", help="run the gateway alone in the foreground")
    add_gateway_arguments(gateway)
    gateway.set_defaults(handler=_gateway)
