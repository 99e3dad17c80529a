"""`alumusic bench faults`: PostgreSQL restarted in the middle of an ingest loses and duplicates nothing.

The whole local stack (gateway, functions, Pub/Sub and S3 emulators, scheduler) runs on free ports
against a PostgreSQL server of its own, initialised in a temporary folder, so the machine's shared
server is never touched. Comments go in through the gateway; once part of them is stored the
private server is stopped (`pg_ctl stop -m fast`, every connection cut), kept down for a while and
started again. Consumer writes fail meanwhile and Pub/Sub redelivers them (the subscription of
infra/stack.json, with its backoff and dead-letter policy).

Prints one JSON line: comments accepted (answered 202), stored, lost (accepted, not stored),
duplicated (rows beyond one per id, plus rows never sent), how many were stored when the server
went down, the outage and the total time. Exit code 1 when anything was lost or duplicated.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import contextlib
import json
import logging
import os
import secrets
import shutil
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

import sqlalchemy as sa

from tooling.devstack.postgres import (
    PostgresServer,
    _as_server_user,
    _pg_bin,
    init_cluster,
    start_cluster,
)
from tooling.devstack.services import LOOPBACK, free_port

log = logging.getLogger(__name__)

DEFAULT_COMMENTS = 100_000
DEFAULT_PER_REQUEST = 1_000
DEFAULT_DOWN_SECONDS = 3.0
DEFAULT_TIMEOUT_SECONDS = 600.0
# The server goes down once this share of the comments is stored: well inside the ingest.
RESTART_AT_SHARE = 0.25
POLL_INTERVAL_SECONDS = 0.2


class PrivatePostgres:
    """A PostgreSQL cluster of our own under `folder`, on `port`, that a test may stop and start."""

    def __init__(self, folder: Path, port: int | None = None) -> None:
        self.folder = folder
        self.data_dir = folder / "pgdata"
        self.port = port or free_port()
        self.server = PostgresServer(
            LOOPBACK, self.port, "postgres", started_here=True, data_dir=self.data_dir
        )

    def init(self) -> PrivatePostgres:
        init_cluster(self.folder)
        return self

    def start(self) -> None:
        start_cluster(self.folder, self.port)

    def stop(self) -> None:
        """Fast shutdown: open transactions roll back, every client connection is cut."""
        subprocess.run(
            _as_server_user(
                [_pg_bin("pg_ctl"), "-D", str(self.data_dir), "-m", "fast", "-w", "stop"]
            ),
            check=False,
            capture_output=True,
        )

    def url(self, database: str) -> str:
        return self.server.url(database)


@contextlib.contextmanager
def private_postgres() -> Iterator[PrivatePostgres]:
    """A started private cluster in a fresh temporary folder, stopped and removed afterwards."""
    # Directly under the temporary root: the `postgres` user must be able to reach the folder.
    folder = Path(tempfile.mkdtemp(prefix="alumusic-pg-"))
    postgres = PrivatePostgres(folder).init()
    try:
        postgres.start()
        yield postgres
    finally:
        postgres.stop()
        shutil.rmtree(folder, ignore_errors=True)


@dataclass
class RestartOutcome:
    comments: int
    accepted: int
    stored: int
    lost: int
    duplicated: int
    stored_when_down: int
    down_seconds: float
    seconds: float
    per_request: int
    run_prefix: str


@contextlib.contextmanager
def private_stack(database_url: str, state_dir: Path) -> Iterator[tuple[str, str, str]]:
    """`alumusic dev up` in this process on free ports; yields (gateway URL, admin, password)."""
    from tooling.devstack.runner import LocalStack, StackConfig
    from tooling.devstack.stack import load_stack, port_env_name

    password = secrets.token_urlsafe(18)
    env = {
        **os.environ,
        "GATEWAY_PORT": str(free_port()),
        **{port_env_name(f.name): str(free_port()) for f in load_stack(env={}).functions},
        "PUBSUB_EMULATOR_HOST": f"{LOOPBACK}:{free_port()}",
        "AWS_ENDPOINT_URL": f"http://{LOOPBACK}:{free_port()}",
        "DATABASE_URL": database_url,
        "ADMIN_USERNAME": "admin",
        "ADMIN_PASSWORD": password,
        "PYTHONUNBUFFERED": "1",
        # The local stack's rules, said explicitly (unset means production).
        "ENVIRONMENT": "development",
    }
    # The stack makes its own token keys and cursor secret in its state directory.
    for inherited in ("JWT_PRIVATE_KEYS", "JWT_PUBLIC_KEYS", "CURSOR_SECRET"):
        env.pop(inherited, None)
    config = StackConfig.from_environment(state_dir=str(state_dir), env=env)
    stack = LocalStack(config)
    try:
        stack.start()
        yield config.gateway_url, config.admin_username, config.admin_password
    finally:
        stack.stop()


def _count(engine: sa.Engine, pattern: str) -> tuple[int, int]:
    with engine.connect() as conn:
        rows, distinct = conn.execute(
            sa.text("SELECT count(*), count(DISTINCT id) FROM comments WHERE id LIKE :p"),
            {"p": pattern},
        ).one()
    return int(rows), int(distinct)


def ingest_through_restart(
    postgres: PrivatePostgres,
    database_url: str,
    gateway_url: str,
    username: str,
    password: str,
    *,
    comments: int,
    per_request: int = DEFAULT_PER_REQUEST,
    down_seconds: float = DEFAULT_DOWN_SECONDS,
    timeout: float = DEFAULT_TIMEOUT_SECONDS,
    concurrency: int = 2,
    on_stored: Callable[[int], None] | None = None,
) -> RestartOutcome:
    """Ingest `comments` through the gateway, restart `postgres` once a quarter is stored, and
    wait (up to `timeout`) until every accepted comment is stored; count what was lost or doubled."""
    from tooling.benchmarks.pipeline import _bodies, _send
    from tooling.demo import demo_comment_id, demo_id_width, run_prefix
    from tooling.devstack.client import GatewayClient
    from tooling.devstack.waiting import wait_until

    prefix = run_prefix("faults")
    pattern = prefix + "-%"
    bodies = _bodies(prefix, comments, per_request)
    client = GatewayClient(gateway_url, timeout=120.0)
    client.login(username, password)
    engine = sa.create_engine(database_url, poolclass=sa.NullPool)
    started = time.perf_counter()
    deadline = started + timeout

    def remaining() -> float:
        return max(0.0, deadline - time.perf_counter())

    def stored() -> int:
        count = _count(engine, pattern)[1]
        if on_stored is not None:
            on_stored(count)
        return count

    try:
        with concurrent.futures.ThreadPoolExecutor(max_workers=concurrency) as pool:
            sending = [pool.submit(_send, client, body) for body in bodies]
            threshold = max(1, int(comments * RESTART_AT_SHARE))
            if not wait_until(
                lambda: stored() >= threshold, timeout=remaining(), interval=POLL_INTERVAL_SECONDS
            ):
                raise TimeoutError(f"fewer than {threshold} comments stored within {timeout:g} s")
            stored_when_down = stored()
            went_down = time.perf_counter()
            log.info("stopping PostgreSQL", extra={"stored": stored_when_down})
            postgres.stop()
            # Deliveries keep arriving and failing while it is down; that is the fault under test.
            threading.Event().wait(down_seconds)
            postgres.start()
            outage = time.perf_counter() - went_down
            log.info("PostgreSQL is back", extra={"down_seconds": round(outage, 2)})
            accepted = sum(future.result(timeout=remaining()) for future in sending)
        wait_until(
            lambda: stored() >= accepted, timeout=remaining(), interval=POLL_INTERVAL_SECONDS
        )
        rows, distinct = _count(engine, pattern)
        width = demo_id_width(comments)
        sent_ids = [demo_comment_id(prefix, n, width) for n in range(comments)]
        with engine.connect() as conn:
            strangers = conn.execute(
                sa.text(
                    "SELECT count(*) FROM comments WHERE id LIKE :p "
                    "AND NOT (id = ANY(CAST(:ids AS text[])))"
                ),
                {"p": pattern, "ids": sent_ids},
            ).scalar_one()
    finally:
        engine.dispose()
    return RestartOutcome(
        comments=comments,
        accepted=accepted,
        stored=distinct,
        lost=accepted - distinct,
        duplicated=rows - distinct + int(strangers),
        stored_when_down=stored_when_down,
        down_seconds=round(outage, 2),
        seconds=round(time.perf_counter() - started, 2),
        per_request=per_request,
        run_prefix=prefix,
    )


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--comments", type=int, default=DEFAULT_COMMENTS, help="how many comments")
    parser.add_argument(
        "--per-request", type=int, default=DEFAULT_PER_REQUEST, help="comments per ingest call"
    )
    parser.add_argument(
        "--down-seconds",
        type=float,
        default=DEFAULT_DOWN_SECONDS,
        help="how long PostgreSQL stays down",
    )
    parser.add_argument(
        "--timeout", type=float, default=DEFAULT_TIMEOUT_SECONDS, help="seconds for the whole run"
    )


def run(args: argparse.Namespace) -> int:
    from tooling.progress import progress_bar

    progress = progress_bar(total=int(args.comments), unit="comments", desc="stored")
    seen = [0]

    def show(count: int) -> None:
        progress.update(count - seen[0])
        seen[0] = count

    with private_postgres() as postgres, tempfile.TemporaryDirectory() as state:
        database_url = postgres.url("alumusic")
        with private_stack(database_url, Path(state)) as (gateway, username, password):
            outcome = ingest_through_restart(
                postgres,
                database_url,
                gateway,
                username,
                password,
                comments=int(args.comments),
                per_request=int(args.per_request),
                down_seconds=float(args.down_seconds),
                timeout=float(args.timeout),
                on_stored=show,
            )
    progress.close()
    print(json.dumps({"fault": "postgres-restart", **asdict(outcome)}), flush=True)
    return 0 if outcome.lost == 0 and outcome.duplicated == 0 else 1
