"""`alumusic bench hostile`: a normal client's latency and the functions' memory under hostile traffic.

Against a stack started by `make dev` (or `alumusic dev up`), through its gateway. A quiet client
makes normal calls in turn (a page of the comment list, the weekly report, a dashboard file, the
digest list), one every `--pause` seconds: first alone for `--quiet-seconds`, then for `--seconds`
while `--attackers` threads send the worst bodies, each in turn, `--rate` requests a second in all
(a fixed rate: a server that refuses faster is not sent more; a thread late for its turn sends at
once, so at most `--attackers` requests are in flight):

- `login_16mb`: a 16 MB JSON array to POST /api/auth/login (its limit is 16 KB);
- `refresh_16mb`: the same to POST /api/auth/refresh (4 KB);
- `static_16mb`: a 16 MB body on GET of a dashboard file;
- `deep_json`: 16,000 `[` to POST /api/insights/perguntar and to the login;
- `long_number`: a 5,000-digit user name at the login;
- `ndjson_flood`: 15 MB of `{}` lines (1,250 times the item limit) to POST /api/comentarios/ingest.

Attackers hold a valid token (the worst case: their requests pass the token check and reach the
decoders). Their bodies are built once; sending one is a single `sendall` of those bytes, and the
attackers' own CPU (reported as `attacker_cpu_seconds`) is part of the machine's load. Each function's memory is the resident set of its process tree (and the gateway's),
read from /proc with the process ids the stack keeps in its state file: when the attack starts,
every second during it (the peak) and when it ends.

Prints one JSON line: the quiet client's p50/p99 alone and under attack and their ratio, the
attack's requests and statuses per kind, memory per process, 5xx answers. Exit code 1 when a bar
is missed (DESIGN section 8): p99 under attack over 2x the quiet one, a function growing over
50 MB at its peak (the local gateway's memory is reported, not judged: production has API
Gateway in its place), or any 5xx. Each hostile request is sent once before anything is
measured, so what a process loads on first use is not counted as growth.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Final

import requests

from tooling.benchmarks.pipeline import Target, resolve_target
from tooling.benchmarks.soak import Latencies, process_tree_rss
from tooling.devstack.client import GatewayClient
from tooling.devstack.state import read_state, state_dir_from
from tooling.progress import progress_bar

BAR_P99_RATIO: Final = 2.0
BAR_GROWTH_MB: Final = 50.0
SIXTEEN_MB: Final = 16_000_000
# What 4 attackers sending without pause reached against the stack before its gateway refused
# bodies by each operation's limit (about 1,170 requests a minute): the same attack, kept fixed
# so that refusing faster is measured as less work, not as more requests.
DEFAULT_RATE: Final = 20.0
NORMAL_CALLS: Final[tuple[tuple[str, str], ...]] = (
    ("list", "/api/comentarios?limit=20"),
    ("report", "/api/relatorio/semana"),
    ("static", "/painel/app.js"),
    ("digests", "/api/digests"),
)
JSON_TYPE: Final = {"Content-Type": "application/json"}
LOCAL_GATEWAY: Final = "gateway"


@dataclass(frozen=True)
class Attack:
    kind: str
    method: str
    path: str
    body: bytes
    headers: Mapping[str, str]


def attacks() -> list[Attack]:
    """The hostile requests, bodies built once before the clock starts."""
    huge_array = b"[" + b"{}," * ((SIXTEEN_MB - 4) // 3) + b"{}]"
    deep = b"[" * 16_000
    ndjson = b"{}\n" * 5_000_000
    digits = b'{"username": ' + b"9" * 5000 + b', "password": "x"}'
    return [
        Attack("login_16mb", "POST", "/api/auth/login", huge_array, JSON_TYPE),
        Attack("refresh_16mb", "POST", "/api/auth/refresh", huge_array, JSON_TYPE),
        Attack("static_16mb", "GET", "/painel/app.js", huge_array, JSON_TYPE),
        Attack("deep_json", "POST", "/api/insights/perguntar", deep, JSON_TYPE),
        Attack("deep_json", "POST", "/api/auth/login", deep, JSON_TYPE),
        Attack("long_number", "POST", "/api/auth/login", digits, JSON_TYPE),
        Attack(
            "ndjson_flood",
            "POST",
            "/api/comentarios/ingest",
            ndjson,
            {"Content-Type": "application/x-ndjson"},
        ),
    ]


@dataclass
class AttackTally:
    """Requests, statuses and time per attack kind, filled from the attackers' threads."""

    requests: Counter[str] = field(default_factory=Counter)
    statuses: dict[str, Counter[int]] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    # The server may answer a refused body early and close: the client sees the connection end.
    cut_off: Counter[str] = field(default_factory=Counter)
    sent_bytes: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, kind: str, status: int | None, seconds: float, sent: int) -> None:
        with self.lock:
            self.requests[kind] += 1
            self.sent_bytes += sent
            self.seconds[kind] = self.seconds.get(kind, 0.0) + seconds
            if status is None:
                self.cut_off[kind] += 1
            else:
                self.statuses.setdefault(kind, Counter())[status] += 1

    @property
    def server_errors(self) -> int:
        return sum(n for c in self.statuses.values() for s, n in c.items() if s >= 500)

    def summary(self) -> dict[str, Any]:
        return {
            kind: {
                "requests": count,
                "mean_ms": round(1000 * self.seconds[kind] / count, 1),
                "statuses": {str(s): n for s, n in sorted(self.statuses.get(kind, {}).items())},
                "cut_off": self.cut_off[kind],
            }
            for kind, count in sorted(self.requests.items())
        }


def send(session: requests.Session, base_url: str, item: Attack, tally: AttackTally) -> None:
    """One hostile request, tallied."""
    started = time.perf_counter()
    status: int | None
    try:
        response = session.request(
            item.method,
            base_url + item.path,
            data=item.body,
            headers=dict(item.headers),
            timeout=60,
        )
        status = response.status_code
    except requests.ConnectionError:
        status = None
    tally.add(item.kind, status, time.perf_counter() - started, len(item.body))


@dataclass
class Schedule:
    """The attack's turns at a fixed rate, shared by the attacker threads: turn n is due at
    start + n / rate and sends the plan's request n (in turn)."""

    rate: float
    start: float = field(default_factory=time.monotonic)
    turns: Iterator[int] = field(default_factory=itertools.count)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def next_turn(self) -> tuple[int, float]:
        """(turn number, seconds until it is due; 0 or less: now)."""
        with self.lock:
            turn = next(self.turns)
        return turn, self.start + turn / self.rate - time.monotonic()


def attack(
    base_url: str,
    token: str,
    plan: list[Attack],
    schedule: Schedule,
    stop: threading.Event,
    tally: AttackTally,
) -> None:
    """Send the plan's requests in turn, each when its turn is due, until `stop`."""
    with requests.Session() as session:
        session.headers["Authorization"] = f"Bearer {token}"
        while not stop.is_set():
            turn, wait = schedule.next_turn()
            if wait > 0 and stop.wait(wait):
                return
            send(session, base_url, plan[turn % len(plan)], tally)


def quiet_client(
    base_url: str, token: str, stop: threading.Event, pause: float, out: Latencies
) -> None:
    """Normal calls in turn, one every `pause` seconds, timed."""
    with requests.Session() as session:
        session.headers["Authorization"] = f"Bearer {token}"
        for kind, path in itertools.cycle(NORMAL_CALLS):
            if stop.wait(pause):
                return
            started = time.perf_counter()
            try:
                response = session.get(base_url + path, timeout=60)
            except requests.RequestException:
                out.errors += 1
                continue
            out.add(response.status_code, (time.perf_counter() - started) * 1000, kind)


def memory_mb(pids: Mapping[str, int], names: list[str]) -> dict[str, float]:
    return {name: process_tree_rss(pids[name]) / 1e6 for name in names if name in pids}


def _timed_phase(seconds: float, desc: str, each_second: Callable[[], None]) -> None:
    """Wait `seconds` with a progress bar, calling `each_second` once a second."""
    deadline = time.monotonic() + seconds
    with progress_bar(total=round(seconds), unit="s", desc=desc) as bar:
        while (left := deadline - time.monotonic()) > 0:
            time.sleep(min(1.0, left))
            each_second()
            bar.update(1)


def run(args: argparse.Namespace) -> int:
    seconds, quiet_seconds = float(args.seconds), float(args.quiet_seconds)
    if (
        seconds <= 0
        or quiet_seconds <= 0
        or args.attackers < 1
        or args.pause <= 0
        or args.rate <= 0
    ):
        print(
            "alumusic: error: --seconds, --quiet-seconds, --attackers, --rate and --pause must be"
            " positive",
            file=sys.stderr,
        )
        return 2
    target: Target = resolve_target(args)
    state = read_state(state_dir_from(getattr(args, "state_dir", None)))
    pids = {str(k): int(v) for k, v in (state.get("pids") or {}).items()}
    watched = [name for name in pids if name not in ("pubsub", "s3", "mail-sink", "scheduler")]
    token = GatewayClient(target.gateway_url).login(target.username, target.password)
    plan = attacks()
    # Each hostile request once before anything is measured: what a process loads on first use
    # (modules, pools) is not what the attack makes it keep.
    with requests.Session() as session:
        session.headers["Authorization"] = f"Bearer {token}"
        for item in plan:
            send(session, target.gateway_url, item, AttackTally())

    # Alone
    alone, under_attack = Latencies(), Latencies()
    stop_quiet = threading.Event()
    reader = threading.Thread(
        target=quiet_client,
        args=(target.gateway_url, token, stop_quiet, args.pause, alone),
        daemon=True,
    )
    reader.start()
    _timed_phase(quiet_seconds, "quiet", lambda: None)
    stop_quiet.set()
    reader.join(timeout=60)

    # Under attack
    load_before = os.getloadavg()[0]
    before = memory_mb(pids, watched)
    peak = dict(before)

    def sample_memory() -> None:
        for name, mb in memory_mb(pids, watched).items():
            peak[name] = max(peak.get(name, 0.0), mb)

    stop = threading.Event()
    tally = AttackTally()
    schedule = Schedule(float(args.rate))
    threads = [
        threading.Thread(
            target=attack,
            args=(target.gateway_url, token, plan, schedule, stop, tally),
            daemon=True,
        )
        for _ in range(args.attackers)
    ]
    threads.append(
        threading.Thread(
            target=quiet_client,
            args=(target.gateway_url, token, stop, args.pause, under_attack),
            daemon=True,
        )
    )
    cpu_before = time.process_time()
    for thread in threads:
        thread.start()
    _timed_phase(seconds, "under attack", sample_memory)
    stop.set()
    for thread in threads:
        thread.join(timeout=120)
    # This process's CPU while attacking: the attackers, the quiet client and the sampling.
    attacker_cpu = time.process_time() - cpu_before
    sample_memory()
    after = memory_mb(pids, watched)
    load_end = os.getloadavg()[0]

    quiet = alone.summary("quiet")
    attacked = under_attack.summary("attacked")
    quiet_p99, attacked_p99 = quiet["quiet_p99_ms"], attacked["attacked_p99_ms"]
    ratio = round(attacked_p99 / quiet_p99, 2) if quiet_p99 and attacked_p99 else None
    memory = {
        name: {
            "start_mb": round(before[name], 1),
            "peak_mb": round(peak[name], 1),
            "end_mb": round(after.get(name, 0.0), 1),
            "peak_growth_mb": round(peak[name] - before[name], 1),
        }
        for name in before
    }
    # The bar is the functions'. The local gateway stands in for API Gateway (which refuses
    # bodies over its own limit in production); its memory is reported, not judged.
    worst_growth = max(
        (m["peak_growth_mb"] for name, m in memory.items() if name != LOCAL_GATEWAY), default=0.0
    )
    server_errors = (
        tally.server_errors
        + sum(n for s, n in alone.statuses.items() if s >= 500)
        + sum(n for s, n in under_attack.statuses.items() if s >= 500)
    )
    result: dict[str, Any] = {
        "seconds": seconds,
        "quiet_seconds": quiet_seconds,
        "attackers": args.attackers,
        "rate": float(args.rate),
        **quiet,
        **attacked,
        "p99_ratio": ratio,
        "attack": tally.summary(),
        "attack_requests": sum(tally.requests.values()),
        "attack_rate_achieved": round(sum(tally.requests.values()) / seconds, 1),
        "attacker_cpu_seconds": round(attacker_cpu, 1),
        "attack_megabytes_sent": round(tally.sent_bytes / 1e6),
        "server_errors": server_errors,
        "memory": memory,
        "function_peak_growth_max_mb": worst_growth,
        # The machine's 1-minute load average: latencies on a shared machine depend on it.
        "load_average": [round(load_before, 1), round(load_end, 1)],
    }
    passed = (
        ratio is not None
        and ratio <= args.ratio_bar
        and worst_growth <= args.growth_bar_mb
        and server_errors == 0
    )
    result["passed"] = passed
    print(json.dumps(result, ensure_ascii=False), flush=True)
    return 0 if passed else 1


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--seconds", type=float, default=60.0, help="how long the attack runs (default 60)"
    )
    parser.add_argument(
        "--quiet-seconds",
        type=float,
        default=30.0,
        help="how long the normal client runs alone first, for its quiet p99 (default 30)",
    )
    parser.add_argument(
        "--attackers", type=int, default=4, help="threads sending hostile requests (default 4)"
    )
    parser.add_argument(
        "--rate",
        type=float,
        default=DEFAULT_RATE,
        help=f"hostile requests a second, all attackers together (default {DEFAULT_RATE:g})",
    )
    parser.add_argument(
        "--pause", type=float, default=0.05, help="seconds between the normal client's calls"
    )
    parser.add_argument(
        "--ratio-bar", type=float, default=BAR_P99_RATIO, help="p99 under attack / quiet, at most"
    )
    parser.add_argument(
        "--growth-bar-mb",
        type=float,
        default=BAR_GROWTH_MB,
        help="a process's peak memory growth during the attack, at most (MB)",
    )
    parser.add_argument("--gateway", default=None, help="gateway base URL (default: the stack's)")
    parser.add_argument("--state-dir", default=None, help="state directory of the running stack")
