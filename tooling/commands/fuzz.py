"""`alumusic fuzz`: schemathesis against the OpenAPI document through a running stack's gateway."""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

LOGIN_WAIT_SECONDS = 600.0


def _login(client: Any, username: str, password: str) -> str:
    """The admin's token; a previous run's wrong passwords (login fuzzing from this address)
    may still be rate limited, so wait out Retry-After within LOGIN_WAIT_SECONDS."""
    from tooling.devstack.client import ApiError

    deadline = time.monotonic() + LOGIN_WAIT_SECONDS
    while True:
        try:
            return str(client.login(username, password))
        except ApiError as error:
            if error.status != 429 or time.monotonic() >= deadline:
                raise
            wait = _retry_after(error.body)
            print(f"alumusic fuzz: login rate limited; retrying in {wait:.0f} s", file=sys.stderr)
            time.sleep(min(wait, max(0.0, deadline - time.monotonic())))


def _retry_after(body: str) -> float:
    try:
        return max(1.0, float(json.loads(body)["error"]["details"]["retry_after"]))
    except (ValueError, KeyError, TypeError):
        return 5.0


def _fuzz(args: argparse.Namespace) -> int:
    from tooling.benchmarks.pipeline import resolve_target
    from tooling.devstack.client import GatewayClient
    from tooling.fuzzing.runner import PassResult, run_fuzz

    if args.max_examples < 1:
        print("alumusic: error: --max-examples must be at least 1", file=sys.stderr)
        return 2
    target = resolve_target(args)
    token = _login(GatewayClient(target.gateway_url), target.username, target.password)
    work_dir = (
        Path(args.report_dir).resolve()
        if args.report_dir
        else Path(tempfile.mkdtemp(prefix="alumusic-fuzz-"))
    )

    def said(outcome: PassResult) -> None:
        print(
            f"alumusic fuzz: pass {outcome.name}: {outcome.generated} cases, "
            f"{outcome.findings} findings in {outcome.seconds:.0f} s ({outcome.output_path})",
            file=sys.stderr,
            flush=True,
        )

    result = run_fuzz(
        target.gateway_url,
        token=token,
        work_dir=work_dir,
        max_examples=args.max_examples,
        seed=args.seed,
        workers=args.workers,
        on_pass=said,
    )
    if not result.ok:
        print(result.describe_findings(), file=sys.stderr)
    print(json.dumps(result.summary(), ensure_ascii=False))
    return 0 if result.ok else 1


def register(subparsers: Any) -> None:
    from tooling.fuzzing.runner import DEFAULT_MAX_EXAMPLES, DEFAULT_SEED

    fuzz = subparsers.add_parser(
        "fuzz",
        help="schemathesis over every operation of the OpenAPI document, through the gateway",
        description=(
            "Generates requests from infra/terraform/openapi.yaml.tftpl and sends them through "
            "a running stack's gateway (`make dev`), as the admin and anonymously: no 5xx, every "
            "response of its documented status, content type, headers and schema, invalid input "
            "refused. Prints one JSON line of counts; exits 1 on any finding."
        ),
    )
    fuzz.add_argument(
        "--max-examples",
        type=int,
        default=DEFAULT_MAX_EXAMPLES,
        help=f"generated cases per operation and phase (default {DEFAULT_MAX_EXAMPLES})",
    )
    fuzz.add_argument("--seed", type=int, default=DEFAULT_SEED, help="Hypothesis seed")
    fuzz.add_argument("--workers", type=int, default=1, help="concurrent schemathesis workers")
    fuzz.add_argument(
        "--gateway", default=None, help="gateway base URL (default: the running stack)"
    )
    fuzz.add_argument("--state-dir", default=None, help="the stack's state directory (.dev)")
    fuzz.add_argument(
        "--report-dir", default=None, help="where reports and outputs go (default: a temp dir)"
    )
    fuzz.set_defaults(handler=_fuzz)
