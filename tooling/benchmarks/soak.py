"""`alumusic bench soak`: steady ingest with readers on the running local stack, for minutes.

Against a stack started by `make dev` (or `alumusic dev up`): ingest through the gateway at a
steady rate (default 5,000 comments/s, `--per-request` comments per NDJSON request on a fixed
schedule), while the scheduler refreshes the charts every minute, one client pages the comment list
(filters rotating, up to three pages each) and another asks insights questions. Each function's
memory is the resident set of its process tree (functions-framework's gunicorn master and
workers), read from /proc with the process ids the stack keeps in its state file: at `start` after
a warm-up at full rate (default a minute: the model, connection pools and the first chart
refresh are loaded by then; the read waits for a chart refresh made after it, whose first pass
over a large table loads what the refresh keeps), and at `end` when the ingest stops.

When the ingest stops the readers stop too, and the run waits (up to `--drain-timeout`) until
every accepted comment is stored; `drained` says whether it got there, `drain_seconds` how long the
consumer took to catch up. Prints one JSON line: comments sent (accepted with 202), stored, lost (accepted, not
stored), duplicated (rows beyond one per id plus rows under the run's prefix never accepted),
list and insights p50/p99, chart snapshots made during the run, memory per function.
Exit code 1 when a bar is missed: lost or duplicated > 0, memory growth >= 10%, list p99 > 100 ms.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import itertools
import json
import os
import statistics
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from tooling.benchmarks.pipeline import Target, _send, resolve_target
from tooling.demo import demo_comment_id, demo_id_width, iter_demo_comments, run_prefix
from tooling.devstack.client import GatewayClient
from tooling.devstack.stack import load_stack
from tooling.devstack.state import read_state, state_dir_from
from tooling.devstack.waiting import wait_until

BAR_LIST_P99_MS = 100.0
BAR_MEMORY_GROWTH = 0.10
# The start memory is read after a fifth of the run, and never before a minute of load. A function
# serving requests in several threads and workers keeps growing until the load has been at its
# peak concurrency on every one of them (seen at 5,000/s: classify-api 264 MB read at 78 s, but
# 350 MB at 92 s and at the end of a 3-minute run, 339 MB at the end of a 10-minute one); growth
# from an earlier read is that warm-up, not a leak.
WARMUP_SHARE = 0.2
MIN_WARMUP_SECONDS = 60.0
# The scheduler refreshes the charts every minute; a little more than one tick.
WARMUP_SNAPSHOT_WAIT_SECONDS = 90.0
LIST_FILTERS: tuple[dict[str, str], ...] = (
    {},
    {"categoria": "CRÍTICA"},
    {"tag": "feat_letra"},
    {"q": "letra"},
    {"ordem": "confianca_asc"},
)
QUESTIONS: tuple[str, ...] = (
    "O que as pessoas mais criticaram nas últimas semanas?",
    "Quais sugestões apareceram mais na última semana?",
    "What did listeners praise most in the last weeks?",
    "As críticas aumentaram ou diminuíram?",
)
PAGES_PER_QUERY = 3


# --- memory ---------------------------------------------------------------------------------------


def warmup_for(minutes: float, given: float | None) -> float:
    """Seconds of load before the start memory is read: `given`, else a fifth of the run and at
    least MIN_WARMUP_SECONDS."""
    if given is not None:
        return given
    return max(MIN_WARMUP_SECONDS, WARMUP_SHARE * minutes * 60)


def _children(pid: int) -> list[int]:
    children: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            children += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            continue
    return children


def _rss_bytes(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    except OSError:
        return 0
    return 0


def process_tree_rss(pid: int) -> int:
    """Resident bytes of a process and all its descendants (0 when it is gone)."""
    total, pending, seen = 0, [pid], set()
    while pending:
        current = pending.pop()
        if current in seen:
            continue
        seen.add(current)
        total += _rss_bytes(current)
        pending += _children(current)
    return total


def functions_memory(pids: Mapping[str, int], names: list[str]) -> dict[str, float]:
    """MB resident per function, for the functions the stack's state file has a process for."""
    return {name: round(process_tree_rss(pids[name]) / 1e6, 1) for name in names if name in pids}


# --- readers --------------------------------------------------------------------------------------


@dataclass
class Latencies:
    """Request latencies (ms) and status counts of one reader, filled from its thread."""

    samples: list[float] = field(default_factory=list)
    statuses: Counter[int] = field(default_factory=Counter)
    errors: int = 0
    by_kind: dict[str, list[float]] = field(default_factory=dict)

    def add(self, status: int, ms: float, kind: str | None = None) -> None:
        self.statuses[status] += 1
        if status < 500:
            self.samples.append(ms)
            if kind is not None:
                self.by_kind.setdefault(kind, []).append(ms)

    def summary(self, prefix: str) -> dict[str, Any]:
        return {
            f"{prefix}_requests": sum(self.statuses.values()),
            f"{prefix}_p50_ms": _percentile(self.samples, 0.50),
            f"{prefix}_p99_ms": _percentile(self.samples, 0.99),
            f"{prefix}_statuses": {str(k): v for k, v in sorted(self.statuses.items())},
            f"{prefix}_errors": self.errors,
            **(
                {
                    f"{prefix}_p99_ms_by_query": {
                        kind: _percentile(samples, 0.99) for kind, samples in self.by_kind.items()
                    }
                }
                if self.by_kind
                else {}
            ),
        }


def _percentile(samples: list[float], fraction: float) -> float | None:
    if not samples:
        return None
    if fraction == 0.5:
        return round(statistics.median(samples), 1)
    ordered = sorted(samples)
    index = min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))
    return round(ordered[index], 1)


def _timed(client: GatewayClient, target: Target, method: str, path: str, **kw: Any) -> Any:
    """One request with the reader's token; logs in again once when the token has expired."""
    for attempt in range(2):
        headers = {"Authorization": f"Bearer {client.access_token}", **kw.pop("headers", {})}
        started = time.perf_counter()
        response = client.request(method, path, headers=headers, **kw)
        elapsed = (time.perf_counter() - started) * 1000
        if response.status_code == 401 and attempt == 0:
            client.login(target.username, target.password)
            continue
        return response, elapsed
    raise AssertionError("unreachable")


def page_comment_list(target: Target, stop: threading.Event, out: Latencies, pause: float) -> None:
    from urllib.parse import urlencode

    client = GatewayClient(target.gateway_url, timeout=30)
    client.login(target.username, target.password)
    for filters in itertools.cycle(LIST_FILTERS):
        cursor: str | None = None
        for _page in range(PAGES_PER_QUERY):
            if stop.wait(pause):
                return
            query = {**filters, "limit": "50", **({"cursor": cursor} if cursor else {})}
            try:
                response, ms = _timed(client, target, "GET", f"/api/comentarios?{urlencode(query)}")
            except Exception:
                out.errors += 1
                break
            out.add(
                response.status_code, ms, "&".join(f"{k}={v}" for k, v in filters.items()) or "all"
            )
            cursor = response.headers.get("X-Next-Cursor")
            if cursor is None:
                break


def ask_questions(target: Target, stop: threading.Event, out: Latencies, pause: float) -> None:
    client = GatewayClient(target.gateway_url, timeout=30)
    client.login(target.username, target.password)
    for question in itertools.cycle(QUESTIONS):
        if stop.wait(pause):
            return
        try:
            response, ms = _timed(
                client,
                target,
                "POST",
                "/api/insights/perguntar",
                data=json.dumps({"pergunta": question}),
                headers={"Content-Type": "application/json"},
            )
        except Exception:
            out.errors += 1
            continue
        out.add(response.status_code, ms)


# --- ingest ---------------------------------------------------------------------------------------


# Distinct demo comments generated before the run; the run reuses their texts and times under
# new ids. Generating each comment afresh cost the load generator about a tenth of a core at
# 5,000/s on the machine it shares with the stack: CPU taken from the product being measured.
BODY_TEXT_POOL = 50_000


def _bodies(prefix: str, count: int, per_request: int) -> Iterator[tuple[int, int, bytes]]:
    """(first index, comments, NDJSON body) per request: ids `{prefix}-{number}` as the demo
    names them, texts and times drawn in turn from a pool of demo comments made here, before the
    caller starts its clock."""
    width = demo_id_width(count)
    # Each pooled comment encoded once, without its id: a line is the id's text plus this tail.
    tails = [
        json.dumps({"texto": c["texto"], "criado_em": c["criado_em"]}, ensure_ascii=False)[1:]
        for c in iter_demo_comments(min(count, BODY_TEXT_POOL), prefix=prefix)
    ]
    pool = len(tails)

    def requests() -> Iterator[tuple[int, int, bytes]]:
        for first in range(0, count, per_request):
            size = min(per_request, count - first)
            body = "\n".join(
                f'{{"id": {json.dumps(demo_comment_id(prefix, number, width))}, {tails[number % pool]}'
                for number in range(first, first + size)
            ).encode()
            yield first, size, body

    return requests()


@dataclass
class IngestTally:
    accepted: int = 0
    failed_ranges: list[tuple[int, int]] = field(default_factory=list)
    behind_seconds: float = 0.0  # the most the schedule slipped (the stack could not keep up)
    lock: threading.Lock = field(default_factory=threading.Lock)


def chart_snapshots_since(engine: sa.Engine, since: datetime) -> int | None:
    """Chart snapshots made since `since`; None on a database without the charts table."""
    with engine.connect() as conn:
        if not conn.execute(sa.text("SELECT to_regclass('chart_snapshots')")).scalar():
            return None
        return int(
            conn.execute(
                sa.text("SELECT count(*) FROM chart_snapshots WHERE generated_at >= :since"),
                {"since": since},
            ).scalar_one()
        )


def _count_stored(
    engine: sa.Engine, prefix: str, width: int, count: int, failed: list[tuple[int, int]]
) -> dict[str, int]:
    """Rows, distinct ids, ids outside what was accepted, under the run's prefix."""
    number = f"CAST(substr(id, {len(prefix) + 2}) AS bigint)"
    well_formed = f"substr(id, {len(prefix) + 2}) ~ '^[0-9]{{{width}}}$'"
    accepted_ranges = (
        " AND ".join(f"NOT ({number} BETWEEN {a} AND {b})" for a, b in failed) or "TRUE"
    )
    sql = sa.text(
        f"""
        SELECT count(*) AS rows, count(DISTINCT id) AS ids,
               count(*) FILTER (WHERE NOT ({well_formed})
                                OR NOT ({number} < :count AND {accepted_ranges})) AS strangers
        FROM comments WHERE id LIKE :pattern
        """
    )
    with engine.connect() as conn:
        row = conn.execute(sql, {"pattern": prefix + "-%", "count": count}).one()
    return {"rows": int(row.rows), "ids": int(row.ids), "strangers": int(row.strangers)}


def run(args: argparse.Namespace) -> int:
    minutes, rate = float(args.minutes), int(args.rate)
    per_request = int(args.per_request or max(1, rate // 2))
    if minutes <= 0 or rate < 1 or per_request < 1:
        print(
            "alumusic: error: --minutes, --rate and --per-request must be positive", file=sys.stderr
        )
        return 2
    target = resolve_target(args)
    state = read_state(state_dir_from(getattr(args, "state_dir", None)))
    pids = {str(k): int(v) for k, v in (state.get("pids") or {}).items()}
    names = [f.name for f in load_stack(env=os.environ).functions]
    count = int(rate * minutes * 60)
    warmup_seconds = warmup_for(minutes, args.warmup_seconds)
    width = demo_id_width(count)
    interval = per_request / rate
    prefix = run_prefix("soak")

    client = GatewayClient(target.gateway_url, timeout=120)
    client.login(target.username, target.password)
    engine = sa.create_engine(target.database_url, poolclass=sa.NullPool)
    memory_before = functions_memory(pids, names)
    load_before = os.getloadavg()[0]
    started_at = datetime.now(UTC)

    stop = threading.Event()
    listing, insights = Latencies(), Latencies()
    readers = [
        threading.Thread(
            target=page_comment_list, args=(target, stop, listing, args.list_pause), daemon=True
        ),
        threading.Thread(
            target=ask_questions, args=(target, stop, insights, args.question_pause), daemon=True
        ),
    ]
    for reader in readers:
        reader.start()

    tally = IngestTally()

    def send(first: int, size: int, body: bytes) -> None:
        try:
            accepted = _send(client, body)
        except Exception:
            with tally.lock:
                tally.failed_ranges.append((first, first + size - 1))
            return
        with tally.lock:
            tally.accepted += accepted

    memory_start: dict[str, float] | None = None
    memory_start_s: float | None = None
    last_look = 0.0

    def warmed_up() -> bool:
        # The chart refresh keeps what its first refresh over a large table loaded: the start
        # memory is read after a refresh made once the warm-up is over, so that is not counted
        # as growth. A stack without charts is read at warm-up + WARMUP_SNAPSHOT_WAIT_SECONDS.
        nonlocal last_look
        elapsed = time.monotonic() - t0
        if elapsed < warmup_seconds:
            return False
        if elapsed >= warmup_seconds + WARMUP_SNAPSHOT_WAIT_SECONDS:
            return True
        if elapsed - last_look < 1.0:
            return False
        last_look = elapsed
        since = started_at + timedelta(seconds=warmup_seconds)
        return bool(chart_snapshots_since(engine, since))

    in_flight = threading.BoundedSemaphore(int(args.concurrency))
    bodies = _bodies(prefix, count, per_request)
    t0 = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(max_workers=int(args.concurrency)) as pool:
        for index, (first, size, body) in enumerate(bodies):
            due = t0 + index * interval
            # Pacing a load generator, not waiting for a condition: the schedule is the point.
            delay = due - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            else:
                tally.behind_seconds = max(tally.behind_seconds, -delay)
            if memory_start is None and warmed_up():
                memory_start = functions_memory(pids, names)
                memory_start_s = time.monotonic() - t0
            in_flight.acquire()
            future = pool.submit(send, first, size, body)
            future.add_done_callback(lambda _f: in_flight.release())
    load_seconds = time.monotonic() - t0
    memory_end = functions_memory(pids, names)
    load_end = os.getloadavg()[0]
    stop.set()
    for reader in readers:
        reader.join(timeout=60)

    def all_stored() -> bool:
        counted = _count_stored(engine, prefix, width, count, tally.failed_ranges)
        return counted["ids"] - counted["strangers"] >= tally.accepted

    drain_started = time.monotonic()
    drained = wait_until(all_stored, timeout=args.drain_timeout, interval=1.0)
    drain_seconds = time.monotonic() - drain_started
    counted = _count_stored(engine, prefix, width, count, tally.failed_ranges)
    snapshots = chart_snapshots_since(engine, started_at)
    engine.dispose()

    stored = counted["ids"] - counted["strangers"]
    lost = tally.accepted - stored
    duplicated = counted["rows"] - counted["ids"] + counted["strangers"]
    start = memory_start or memory_before
    memory = {
        name: {
            "before_warmup_mb": memory_before.get(name),
            "start_mb": start.get(name),
            "end_mb": memory_end.get(name),
            "growth_pct": round(100 * (memory_end[name] / start[name] - 1), 1)
            if start.get(name) and name in memory_end
            else None,
        }
        for name in names
        if name in memory_end
    }
    worst_growth = max((m["growth_pct"] or 0.0 for m in memory.values()), default=0.0)
    result: dict[str, Any] = {
        "minutes": minutes,
        "rate": rate,
        "per_request": per_request,
        "sent": tally.accepted,
        "stored": stored,
        "lost": lost,
        "duplicated": duplicated,
        "refused_requests": len(tally.failed_ranges),
        # False: the consumer had not caught up within --drain-timeout, so `lost` counts comments
        # still queued as well; count again later with the run prefix.
        "drained": drained,
        "drain_seconds": round(drain_seconds, 1),
        "achieved_rate": round(tally.accepted / max(load_seconds, 1e-9), 1),
        "schedule_slip_max_s": round(tally.behind_seconds, 2),
        **listing.summary("list"),
        **insights.summary("insights"),
        "chart_snapshots": snapshots,
        "memory": memory,
        # Seconds into the ingest when the start memory was read (null: before the warm-up).
        "memory_start_s": None if memory_start_s is None else round(memory_start_s, 1),
        "memory_growth_max_pct": worst_growth,
        # The machine's 1-minute load average: latencies on a shared 2-core machine depend on it.
        "load_average": [round(load_before, 1), round(load_end, 1)],
        "run_prefix": prefix,
    }
    list_p99 = result["list_p99_ms"]
    passed = (
        drained
        and lost == 0
        and duplicated == 0
        and not tally.failed_ranges
        and worst_growth < 100 * BAR_MEMORY_GROWTH
        and list_p99 is not None
        and list_p99 <= args.list_bar_ms
    )
    result["passed"] = passed
    print(json.dumps(result, ensure_ascii=False), flush=True)
    return 0 if passed else 1


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--minutes", type=float, default=10.0, help="how long the ingest runs")
    parser.add_argument("--rate", type=int, default=5000, help="comments per second")
    parser.add_argument(
        "--per-request", type=int, default=None, help="comments per ingest call (default rate/2)"
    )
    parser.add_argument(
        "--concurrency", type=int, default=4, help="ingest requests in flight at most"
    )
    parser.add_argument(
        "--warmup-seconds",
        type=float,
        default=None,
        help="load before the start memory is read (default: a fifth of the run, at least a "
        "minute: every function has reached the load it keeps); the read then waits for one more "
        "chart refresh",
    )
    parser.add_argument(
        "--list-pause", type=float, default=0.1, help="seconds between comment list requests"
    )
    parser.add_argument(
        "--question-pause", type=float, default=1.0, help="seconds between insights questions"
    )
    parser.add_argument(
        "--drain-timeout",
        type=float,
        default=900.0,
        help="seconds to wait, once the ingest stops, for every accepted comment to be stored",
    )
    parser.add_argument(
        "--list-bar-ms", type=float, default=BAR_LIST_P99_MS, help="list p99 bar in ms"
    )
    parser.add_argument("--gateway", default=None, help="gateway base URL (default: the stack's)")
    parser.add_argument("--state-dir", default=None, help="state directory of the running stack")
