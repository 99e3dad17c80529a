"""`alumusic bench store`: what the ingest path costs per 500 comments, apart from the rest of the
stack: storing classified batches the way the consumer does (the insert and its rollups, into a
fresh database), decoding an NDJSON ingest body, and decoding and validating a Pub/Sub message.

Figures are CPU time, not wall time: on a shared machine the wall clock measures the neighbours.
The server's share is read from the PostgreSQL process serving each writer's connection
(/proc/<pid>/stat), so it needs the server on this machine (otherwise it is null). Lock waits are
sampled from pg_stat_activity every 2 ms while the writers run.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import make_url

from shared.config import get_settings
from tooling.benchmarks.charts import admin_engine, drop_database, ensure_database

BENCH_DATABASE = "alumusic_bench_store"
BATCH = 500
NDJSON_COMMENTS = 10_000  # one ingest request of `alumusic bench pipeline`
TAGS = ("feat_letra", "fix_volume", "perf_carregamento", "ui_layout", "feat_clipe")
REPEATS = 7  # decode timings: best of, the run least disturbed by other processes


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--batches", type=int, default=100, help="batches of 500 per writer")
    parser.add_argument("--writers", type=int, default=1, help="writers storing at once")
    parser.add_argument(
        "--database-url",
        default=None,
        help=f"database to recreate and fill (default: {BENCH_DATABASE} on the configured server)",
    )


def _process_cpu(pid: int) -> float | None:
    """CPU seconds used so far by process `pid` of this machine, or None when it is not here."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _batches(writer: int, count: int, start: datetime) -> list[tuple[list[Any], list[Any]]]:
    from shared.classifier import CATEGORIES, Classification
    from shared.comments.types import CommentIn

    batches = []
    for b in range(count):
        when = start + timedelta(seconds=b)  # one quarter hour or two, as a live ingest writes
        comments = [
            CommentIn(
                id=f"w{writer}-{b}-{i}", texto=f"a letra da música {b} trava {i}", criado_em=when
            )
            for i in range(BATCH)
        ]
        results = [
            Classification(
                categoria=CATEGORIES[(b + i) % len(CATEGORIES)],
                tags_funcionalidades=tuple(TAGS[(i + k) % len(TAGS)] for k in range(i % 3)),
                confianca=((i * 7919) % 1000) / 1000.0,
                model_name="bench",
                model_version="1",
            )
            for i in range(BATCH)
        ]
        batches.append((comments, results))
    return batches


def measure_store(database_url: str, batches: int, writers: int) -> dict[str, Any]:
    from shared.comments.store import store_classified

    engines = [sa.create_engine(database_url, pool_size=1, max_overflow=0) for _ in range(writers)]
    start = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    data = [_batches(w, batches, start) for w in range(writers)]
    pids = []
    for engine in engines:
        with engine.connect() as conn:
            pids.append(int(conn.execute(sa.text("SELECT pg_backend_pid()")).scalar_one()))
    server_before = [_process_cpu(pid) for pid in pids]
    waits: Counter[str] = Counter()
    done = threading.Event()

    def sample() -> None:
        admin = admin_engine(database_url)
        try:
            with admin.connect() as conn:
                while not done.is_set():
                    rows = conn.execute(
                        sa.text(
                            "SELECT coalesce(wait_event_type || ':' || wait_event, 'running') "
                            "FROM pg_stat_activity WHERE pid = ANY(:pids) AND state = 'active'"
                        ),
                        {"pids": pids},
                    ).scalars()
                    waits.update(rows)
                    done.wait(0.002)
        finally:
            admin.dispose()

    client = [0.0] * writers

    def write(writer: int) -> None:
        # This thread's CPU alone: the sampler's queries are not the store's cost.
        before = time.thread_time()
        for comments, results in data[writer]:
            store_classified(
                engines[writer], comments, results, source="ingest", review_threshold=0.6
            )
        client[writer] = time.thread_time() - before

    sampler = threading.Thread(target=sample)
    sampler.start()
    started = time.perf_counter()
    threads = [threading.Thread(target=write, args=(w,)) for w in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    done.set()
    sampler.join()
    server_after = [_process_cpu(pid) for pid in pids]
    for engine in engines:
        engine.dispose()
    stored = batches * writers
    spent = [
        after - before
        for before, after in zip(server_before, server_after, strict=True)
        if before is not None and after is not None
    ]
    server = sum(spent) if len(spent) == writers else None
    sampled = sum(waits.values())
    lock_waits = sum(n for event, n in waits.items() if event.startswith("Lock:"))
    return {
        "store_server_cpu_ms": None if server is None else round(server / stored * 1000, 2),
        "store_client_cpu_ms": round(sum(client) / stored * 1000, 2),
        "store_wall_ms": round(wall / stored * 1000, 2),
        "lock_wait_share": round(lock_waits / sampled, 3) if sampled else None,
        "lock_waits": {event: n for event, n in waits.items() if event.startswith("Lock:")},
    }


def _best_cpu_ms(action: Callable[[], object], rounds: int) -> float:
    times = []
    for _ in range(REPEATS):
        before = time.process_time()
        for _ in range(rounds):
            action()
        times.append((time.process_time() - before) / rounds * 1000)
    return min(times)


def measure_decoding() -> dict[str, float]:
    from shared.comments.types import CommentIn
    from shared.consumer import validate_submitted
    from shared.events import decode_comments_submitted, encode_comments_submitted
    from shared.validation import parse_comments
    from tooling.demo import iter_demo_comments

    now = datetime.now(UTC)
    demo = list(iter_demo_comments(NDJSON_COMMENTS, prefix="bench-store"))
    body = "\n".join(json.dumps(item, ensure_ascii=False) for item in demo).encode()
    comments = [
        CommentIn(id=item["id"], texto=item["texto"], criado_em=now) for item in demo[:BATCH]
    ]
    (message,) = encode_comments_submitted(
        comments, request_id="bench", per_message=BATCH, submitted_at=now
    )

    def ingest() -> None:
        parse_comments(
            body,
            "application/x-ndjson",
            max_items=NDJSON_COMMENTS,
            max_text_chars=2000,
            allow_ndjson=True,
            received_at=now,
        )

    def consume() -> None:
        event = decode_comments_submitted(message.data, message.attributes)
        validate_submitted(event.items, max_items=BATCH, max_text_chars=2000, submitted_at=now)

    return {
        "ingest_decode_cpu_ms": round(_best_cpu_ms(ingest, 1) * BATCH / NDJSON_COMMENTS, 3),
        "message_decode_cpu_ms": round(_best_cpu_ms(consume, 10), 3),
    }


def run(args: argparse.Namespace) -> int:
    from shared.db import upgrade

    if args.batches < 1 or args.writers < 1:
        print("alumusic: error: --batches and --writers must be positive", file=sys.stderr)
        return 2
    database_url = args.database_url or make_url(get_settings().database_url).set(
        database=BENCH_DATABASE
    ).render_as_string(hide_password=False)
    ensure_database(database_url, fresh=True)
    try:
        upgrade(database_url)
        result: dict[str, Any] = {
            "per_comments": BATCH,
            "batches": args.batches,
            "writers": args.writers,
        }
        result.update(measure_store(database_url, args.batches, args.writers))
    finally:
        drop_database(database_url)
    result.update(measure_decoding())
    print(json.dumps(result), flush=True)
    return 0
