"""`alumusic bench pipeline`: ingest through the gateway until PostgreSQL holds every comment.

Measures the whole path a client's comments take on the running local stack: HTTP ingest through
the gateway, publish to the Pub/Sub emulator, push to the consumer, classification, one insert
per message. Comments are real corpus texts under ids with a prefix unique to the run; the clock
starts when the first request leaves and stops at the creation time of the last stored row.

Prints one JSON line: comments, seconds, per_second, lost (sent but not stored) and duplicated
(rows beyond one per id, plus rows under the run's prefix that were never sent), with the ingest
time and settings used. Exit code 1 when anything was lost or duplicated.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import json
import os
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from tenacity import Retrying, retry_if_exception_type, stop_after_attempt, wait_exponential

from shared.errors import InvalidInput
from tooling.demo import demo_comment_id, demo_id_width, iter_demo_comments, run_prefix
from tooling.devstack.client import ApiError, GatewayClient
from tooling.devstack.state import read_secrets, read_state, state_dir_from
from tooling.devstack.waiting import wait_until
from tooling.progress import progress_bar

DEFAULT_CONCURRENCY = 4
# Polling reads the index of recent rows; every half second keeps its CPU off the pipeline.
POLL_INTERVAL_SECONDS = 0.5


@dataclass(frozen=True)
class Target:
    gateway_url: str
    database_url: str
    username: str
    password: str


def resolve_target(args: argparse.Namespace) -> Target:
    """Where the stack runs and how to log in: flags, then environment, then `.dev/` state."""
    from shared.config import get_settings

    state_dir = state_dir_from(getattr(args, "state_dir", None))
    state = read_state(state_dir)
    settings = get_settings()
    gateway = (
        args.gateway
        or os.environ.get("GATEWAY_URL")
        or state.get("gateway_url")
        or f"http://127.0.0.1:{settings.gateway_port}"
    )
    database_url = (
        os.environ.get("DATABASE_URL") or state.get("database_url") or settings.database_url
    )
    stored = read_secrets(state_dir)
    username = os.environ.get("ADMIN_USERNAME") or stored.get("admin_username") or "admin"
    password = os.environ.get("ADMIN_PASSWORD") or stored.get("admin_password")
    if not password:
        raise InvalidInput(
            f"no admin password: set ADMIN_PASSWORD, or start the stack with `alumusic dev up` "
            f"(it keeps one in {state_dir / 'secrets.json'}; ALUMUSIC_STATE_DIR moves that directory)"
        )
    return Target(str(gateway), str(database_url), username, password)


def _bodies(prefix: str, count: int, per_request: int) -> list[bytes]:
    """NDJSON request bodies, built before the clock starts."""
    bodies: list[bytes] = []
    lines: list[str] = []
    for comment in iter_demo_comments(count, prefix=prefix):
        lines.append(json.dumps(comment, ensure_ascii=False))
        if len(lines) == per_request:
            bodies.append("\n".join(lines).encode())
            lines = []
    if lines:
        bodies.append("\n".join(lines).encode())
    return bodies


def _send(client: GatewayClient, body: bytes) -> int:
    """POST one ingest body; retried on 5xx or a dropped connection (ingest is idempotent)."""
    import requests

    for attempt in Retrying(
        stop=stop_after_attempt(4),
        wait=wait_exponential(multiplier=0.2, max=2),
        retry=retry_if_exception_type((ApiError, requests.ConnectionError)),
        reraise=True,
    ):
        with attempt:
            response = client.request(
                "POST",
                "/api/comentarios/ingest",
                data=body,
                headers={
                    "Content-Type": "application/x-ndjson",
                    "Authorization": f"Bearer {client.access_token}",
                },
            )
            if response.status_code >= 500:
                raise ApiError(response.status_code, response.text)
            if response.status_code != 202:
                raise RuntimeError(
                    f"ingest refused: HTTP {response.status_code} {response.text[:300]}"
                )
            return int(response.json()["accepted"])
    raise AssertionError("unreachable")


def run(args: argparse.Namespace) -> int:
    count = int(args.comments)
    per_request = int(args.per_request)
    concurrency = int(getattr(args, "concurrency", None) or DEFAULT_CONCURRENCY)
    timeout = float(args.timeout)
    if count < 1 or per_request < 1:
        print("alumusic: error: --comments and --per-request must be positive", file=sys.stderr)
        return 2
    target = resolve_target(args)
    prefix = run_prefix("bench")
    bodies = _bodies(prefix, count, per_request)

    client = GatewayClient(target.gateway_url, timeout=timeout)
    client.login(target.username, target.password)
    engine = sa.create_engine(target.database_url, poolclass=sa.NullPool)
    pattern = prefix + "-%"
    progress = progress_bar(total=count, unit="comments", desc="stored")

    started_at = datetime.now(UTC)
    started = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(max_workers=concurrency) as pool:
        accepted = sum(pool.map(lambda body: _send(client, body), bodies))
    ingest_seconds = time.perf_counter() - started

    count_sql = sa.text(
        "SELECT count(*), max(stored_at) FROM comments "
        "WHERE stored_at >= :since AND id LIKE :pattern"
    )
    observed: dict[str, Any] = {"stored": 0, "newest": None}

    def all_stored(conn: sa.Connection) -> bool:
        distinct, newest = conn.execute(count_sql, {"since": started_at, "pattern": pattern}).one()
        progress.update(int(distinct) - observed["stored"])
        observed.update(stored=int(distinct), newest=newest)
        return int(distinct) >= count

    remaining = max(0.0, timeout - (time.perf_counter() - started))
    with engine.connect() as conn:
        conn.execution_options(isolation_level="AUTOCOMMIT")
        # The newest row's insert time (stored_at; created_at is when the comment was written) is
        # the reported end, so the polling interval delays only the detection, not the figure.
        wait_until(lambda: all_stored(conn), timeout=remaining, interval=POLL_INTERVAL_SECONDS)
    progress.close()

    width = demo_id_width(count)
    sent_ids = [demo_comment_id(prefix, n, width) for n in range(count)]
    with engine.connect() as conn:
        rows, distinct = conn.execute(
            sa.text("SELECT count(*), count(DISTINCT id) FROM comments WHERE id LIKE :pattern"),
            {"pattern": pattern},
        ).one()
        strangers = conn.execute(
            sa.text(
                "SELECT count(*) FROM comments WHERE id LIKE :pattern "
                "AND NOT (id = ANY(CAST(:ids AS text[])))"
            ),
            {"pattern": pattern, "ids": sent_ids},
        ).scalar_one()
    engine.dispose()
    last_created = observed["newest"]

    end = last_created or datetime.now(UTC)
    seconds = max((end - started_at).total_seconds(), 1e-9)
    lost = count - int(distinct)
    duplicated = int(rows) - int(distinct) + int(strangers)
    result = {
        "comments": count,
        "seconds": round(seconds, 3),
        "per_second": round(int(distinct) / seconds, 1),
        "lost": lost,
        "duplicated": duplicated,
        "accepted": accepted,
        "ingest_seconds": round(ingest_seconds, 3),
        "per_request": per_request,
        "concurrency": concurrency,
        "run_prefix": prefix,
    }
    print(json.dumps(result), flush=True)
    return 0 if lost == 0 and duplicated == 0 else 1
