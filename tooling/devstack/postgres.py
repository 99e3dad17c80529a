"""PostgreSQL for the local stack and the tests: reuse a running server, or start a private one.

A laptop may already run PostgreSQL on 127.0.0.1:5432 (these machines do, with trust auth); when it
does not, we initialise a throwaway cluster under `.dev/` with the server binaries found on the machine.
"""

from __future__ import annotations

import glob
import logging
import os
import shutil
import socket
import subprocess
from dataclasses import dataclass
from pathlib import Path

import psycopg
from tenacity import retry, retry_if_exception_type, stop_after_delay, wait_fixed

log = logging.getLogger(__name__)

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 5432
PRIVATE_PORT = 55432


@dataclass(frozen=True)
class PostgresServer:
    host: str
    port: int
    user: str
    started_here: bool
    data_dir: Path | None = None

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


def _pg_bin(name: str) -> str:
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True)
    if not candidates:
        raise RuntimeError(
            f"PostgreSQL is not running on {DEFAULT_HOST}:{DEFAULT_PORT} and '{name}' is not "
            "installed; install PostgreSQL (e.g. apt-get install postgresql) or set DATABASE_URL"
        )
    return candidates[0]


@retry(
    stop=stop_after_delay(30),
    wait=wait_fixed(0.2),
    retry=retry_if_exception_type(Exception),
    reraise=True,
)
def _wait_ready(server: PostgresServer) -> None:
    server.admin_connection().close()


def ensure_postgres(state_dir: Path) -> PostgresServer:
    """A reachable PostgreSQL server: the one on 127.0.0.1:5432 if any, else a private one."""
    user = os.environ.get("PGUSER", "postgres")
    if _port_open(DEFAULT_HOST, DEFAULT_PORT):
        server = PostgresServer(DEFAULT_HOST, DEFAULT_PORT, user, started_here=False)
        _wait_ready(server)
        return server

    data_dir = state_dir / "pgdata"
    if not (data_dir / "PG_VERSION").exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(state_dir, "postgres")
            shutil.chown(data_dir, "postgres")
        subprocess.run(
            _as_server_user(
                [
                    _pg_bin("initdb"),
                    "-D",
                    str(data_dir),
                    "-U",
                    "postgres",
                    "-A",
                    "trust",
                    "-E",
                    "UTF8",
                ]
            ),
            check=True,
            capture_output=True,
        )
    if not _port_open(DEFAULT_HOST, PRIVATE_PORT):
        log.info("starting a private PostgreSQL", extra={"port": PRIVATE_PORT})
        subprocess.run(
            _as_server_user(
                [
                    _pg_bin("pg_ctl"),
                    "-D",
                    str(data_dir),
                    "-l",
                    str(state_dir / "postgres.log"),
                    "-o",
                    f"-p {PRIVATE_PORT} -k {state_dir} -c listen_addresses={DEFAULT_HOST}",
                    "-w",
                    "start",
                ]
            ),
            check=True,
            capture_output=True,
        )
    server = PostgresServer(
        DEFAULT_HOST, PRIVATE_PORT, "postgres", started_here=True, data_dir=data_dir
    )
    _wait_ready(server)
    return server
