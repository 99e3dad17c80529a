"""Which PostgreSQL the local stack runs on, against the machine's server and a private one.

The stack is sized for infra/stack.json's `database.server_settings`; a server on 127.0.0.1:5432
that runs below them is left as it is and a private server is started with them instead.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tooling.devstack.postgres import DEFAULT_PORT, PostgresServer, ensure_postgres
from tooling.devstack.services import free_port

pytestmark = pytest.mark.integration


@pytest.fixture
def state_dir() -> Iterator[Path]:
    # Not pytest's tmp_path: its parents are private to root, and the server runs as postgres.
    path = Path(tempfile.mkdtemp(prefix="alumusic-pg-"))
    path.chmod(0o755)
    yield path
    shutil.rmtree(path, ignore_errors=True)


def _shared_buffers(server: PostgresServer) -> str:
    conn = server.admin_connection()
    try:
        row = conn.execute("SHOW shared_buffers").fetchone()
    finally:
        conn.close()
    assert row is not None
    return str(row[0])


def _megabytes(server: PostgresServer, size: str) -> int:
    conn = server.admin_connection()
    try:
        row = conn.execute("SELECT pg_size_bytes(%s) / (1024 * 1024)", (size,)).fetchone()
    finally:
        conn.close()
    assert row is not None
    return int(str(row[0]))


def test_a_server_running_below_the_stacks_settings_is_replaced_by_a_private_one(
    pg_server: PostgresServer, state_dir: Path
) -> None:
    # Given the machine's server and twice the shared buffers it runs with
    running = _shared_buffers(pg_server)
    wanted = {"shared_buffers": f"{2 * _megabytes(pg_server, running)}MB"}
    assert pg_server.shortfalls(wanted) == {"shared_buffers": running}
    # When the stack asks for its server
    server = ensure_postgres(state_dir, wanted, private_port=free_port())
    try:
        # Then a private server runs with them, and the machine's is left as it was
        assert server.started_here
        assert server.port != DEFAULT_PORT
        assert _megabytes(server, _shared_buffers(server)) == 2 * _megabytes(pg_server, running)
        assert server.shortfalls(wanted) == {}
        assert f"shared_buffers {running}" in (server.chosen_because or "")
        assert _shared_buffers(pg_server) == running
    finally:
        server.stop()


def test_a_server_that_meets_the_settings_is_reused(
    pg_server: PostgresServer, state_dir: Path
) -> None:
    # Given settings the machine's server already runs with
    running = _shared_buffers(pg_server)
    # When the stack asks for its server
    server = ensure_postgres(state_dir, {"shared_buffers": running}, private_port=free_port())
    # Then it is the machine's, and nothing was started
    assert not server.started_here
    assert server.port == pg_server.port
    assert server.chosen_because is None
    assert not (state_dir / "pgdata").exists()


def test_a_setting_the_server_runs_otherwise_is_a_shortfall(pg_server: PostgresServer) -> None:
    assert pg_server.shortfalls({"shared_buffers": "1kB"}) == {}
    assert pg_server.shortfalls({"no_such_setting": "1"}) == {
        "no_such_setting": "unknown to this server"
    }
    assert pg_server.shortfalls({"datestyle": "SQL, YMD"}) != {}
