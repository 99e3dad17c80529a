"""PostgreSQL for the local stack and the tests: reuse a running server, or start a private one.

A laptop may already run PostgreSQL on 127.0.0.1:5432 (these machines do, with trust auth); when it
does not, or when it runs below the server settings the stack is sized for (infra/stack.json,
`database.server_settings`), we initialise a cluster under `.dev/` with the server binaries found
on the machine and start it with those settings. A server someone else runs is never reconfigured
or restarted: its settings are theirs.
"""

from __future__ import annotations

import glob
import logging
import os
import shlex
import shutil
import socket
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path

import psycopg
from tenacity import retry, retry_if_exception_type, stop_after_delay, wait_fixed

log = logging.getLogger(__name__)

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 5432
PRIVATE_PORT = 55432
MEMORY_UNITS = frozenset({"B", "kB", "8kB", "MB"})


@dataclass(frozen=True)
class PostgresServer:
    host: str
    port: int
    user: str
    started_here: bool
    data_dir: Path | None = None
    # Why this server and not the one on the default port, when that one was passed over.
    chosen_because: str | None = None

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://{self.user}@{self.host}:{self.port}/{database}"

    def admin_connection(self) -> psycopg.Connection[tuple[object, ...]]:
        # CREATE/DROP DATABASE refuse to run inside a transaction block.
        return psycopg.connect(
            user=self.user, host=self.host, port=self.port, dbname="postgres", autocommit=True
        )

    def create_database(self, name: str, *, drop_existing: bool = False) -> None:
        conn = self.admin_connection()
        try:
            if drop_existing:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            exists = conn.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", (name,)
            ).fetchone()
            if not exists:
                conn.execute(f'CREATE DATABASE "{name}"')
        finally:
            conn.close()

    def drop_database(self, name: str) -> None:
        conn = self.admin_connection()
        try:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            conn.close()

    def shortfalls(self, wanted: Mapping[str, str]) -> dict[str, str]:
        """Each wanted setting this server runs below (a memory size) or otherwise (the rest),
        with the value it runs with."""
        found: dict[str, str] = {}
        conn = self.admin_connection()
        try:
            for name, value in wanted.items():
                row = conn.execute(
                    "SELECT current_setting(name), unit FROM pg_settings WHERE name = %s", (name,)
                ).fetchone()
                if row is None:
                    found[name] = "unknown to this server"
                    continue
                running, unit = str(row[0]), row[1]
                if unit in MEMORY_UNITS:
                    below = conn.execute(
                        "SELECT pg_size_bytes(%s) < pg_size_bytes(%s)", (running, value)
                    ).fetchone()
                    if below is not None and below[0]:
                        found[name] = running
                elif running != value:
                    found[name] = running
        finally:
            conn.close()
        return found

    def stop(self) -> None:
        if self.started_here and self.data_dir is not None:
            subprocess.run(
                _as_server_user(
                    [_pg_bin("pg_ctl"), "-D", str(self.data_dir), "-m", "fast", "stop"]
                ),
                check=False,
                capture_output=True,
            )


def _as_server_user(command: list[str]) -> list[str]:
    # PostgreSQL refuses to run as root; on a root shell run its tools as the postgres user.
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *command]
    return command


def _port_open(host: str, port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex((host, port)) == 0


def _find_pg_bin(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True)
    return candidates[0] if candidates else None


def _pg_bin(name: str) -> str:
    found = _find_pg_bin(name)
    if found is None:
        raise RuntimeError(
            f"PostgreSQL is not running on {DEFAULT_HOST}:{DEFAULT_PORT} and '{name}' is not "
            "installed; install PostgreSQL (e.g. apt-get install postgresql) or set DATABASE_URL"
        )
    return found


def server_options(settings: Mapping[str, str]) -> str:
    """`settings` as the options pg_ctl passes to the server (`-o`), each quoted for its shell."""
    return " ".join(f"-c {shlex.quote(f'{name}={value}')}" for name, value in settings.items())


def _described(shortfalls: Mapping[str, str], wanted: Mapping[str, str]) -> str:
    return ", ".join(
        f"{name} {shortfalls[name]} where the stack wants {wanted[name]}" for name in shortfalls
    )


@retry(
    stop=stop_after_delay(30),
    wait=wait_fixed(0.2),
    retry=retry_if_exception_type(Exception),
    reraise=True,
)
def _wait_ready(server: PostgresServer) -> None:
    server.admin_connection().close()


def ensure_postgres(
    state_dir: Path,
    server_settings: Mapping[str, str] | None = None,
    *,
    private_port: int = PRIVATE_PORT,
) -> PostgresServer:
    """A reachable PostgreSQL server: the one on 127.0.0.1:5432 when it runs with
    `server_settings` (or none are asked for), else a private one started with them."""
    wanted = dict(server_settings or {})
    user = os.environ.get("PGUSER", "postgres")
    if _port_open(DEFAULT_HOST, DEFAULT_PORT):
        server = PostgresServer(DEFAULT_HOST, DEFAULT_PORT, user, started_here=False)
        _wait_ready(server)
        shortfalls = server.shortfalls(wanted) if wanted else {}
        if not shortfalls:
            return server
        if _find_pg_bin("initdb") is None or _find_pg_bin("pg_ctl") is None:
            log.warning(
                "the PostgreSQL server on %s:%s runs with %s; the stack is sized for more "
                "(infra/stack.json, database.server_settings) and no server binaries are here to "
                "start a private one: expect slower lists under heavy ingest",
                DEFAULT_HOST,
                DEFAULT_PORT,
                _described(shortfalls, wanted),
            )
            return server
        reason = (
            f"the server on {DEFAULT_HOST}:{DEFAULT_PORT} runs with "
            f"{_described(shortfalls, wanted)}"
        )
        log.info("%s: a private server under %s instead", reason, state_dir)
        return replace(_private_server(state_dir, wanted, private_port), chosen_because=reason)
    return _private_server(state_dir, wanted, private_port)


def init_cluster(folder: Path) -> Path:
    """A new cluster in `folder`/pgdata (kept when it exists), trust auth; returns its data dir."""
    data_dir = folder / "pgdata"
    if (data_dir / "PG_VERSION").exists():
        return data_dir
    data_dir.mkdir(parents=True, exist_ok=True)
    if os.geteuid() == 0:
        # The server refuses to run as root; its tools run as `postgres`, who must own these.
        shutil.chown(folder, "postgres")
        shutil.chown(data_dir, "postgres")
    subprocess.run(
        _as_server_user(
            [
                _pg_bin("initdb"),
                *("-D", str(data_dir), "-U", "postgres", "-A", "trust", "-E", "UTF8"),
            ]
        ),
        check=True,
        capture_output=True,
    )
    return data_dir


def start_cluster(
    folder: Path, port: int, settings: Mapping[str, str] | None = None
) -> PostgresServer:
    """Start the cluster of `folder` on `port` (socket and log in `folder`) with `settings`,
    and wait until it answers."""
    data_dir = folder / "pgdata"
    options = f"-p {port} -k {shlex.quote(str(folder))} -c listen_addresses={DEFAULT_HOST}"
    if settings:
        options += " " + server_options(settings)
    subprocess.run(
        _as_server_user(
            [
                _pg_bin("pg_ctl"),
                *("-D", str(data_dir), "-l", str(folder / "postgres.log")),
                *("-o", options, "-w", "start"),
            ]
        ),
        check=True,
        capture_output=True,
    )
    server = PostgresServer(DEFAULT_HOST, port, "postgres", started_here=True, data_dir=data_dir)
    _wait_ready(server)
    return server


def _private_server(state_dir: Path, settings: Mapping[str, str], port: int) -> PostgresServer:
    data_dir = init_cluster(state_dir)
    if not _port_open(DEFAULT_HOST, port):
        log.info("starting a private PostgreSQL", extra={"port": port, **settings})
        return start_cluster(state_dir, port, settings)
    server = PostgresServer(DEFAULT_HOST, port, "postgres", started_here=True, data_dir=data_dir)
    _wait_ready(server)
    shortfalls = server.shortfalls(settings) if settings else {}
    if shortfalls:
        log.warning(
            "the private PostgreSQL on port %s was already running, with %s; stop it "
            "(pg_ctl -D %s stop) to have it started with the stack's settings",
            port,
            _described(shortfalls, settings),
            data_dir,
        )
    return server
