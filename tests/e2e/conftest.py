"""`alumusic dev up` in a subprocess, on free ports, with a database of its own.

The stack is exactly what `make dev` runs; only ports, the state directory and the database
differ, so it runs beside a developer's stack.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import requests

from tooling.devstack.postgres import PostgresServer
from tooling.devstack.services import free_port
from tooling.devstack.stack import load_stack, port_env_name, repo_root
from tooling.devstack.state import STATE_FILE
from tooling.devstack.waiting import wait_until

ADMIN_PASSWORD = "e2e stack password 7"
STARTUP_TIMEOUT_SECONDS = 120.0


@dataclass
class RunningStack:
    process: subprocess.Popen[bytes]
    state_dir: Path
    log_path: Path
    database_url: str
    ports: dict[str, int] = field(default_factory=dict)
    admin_username: str = "admin"
    admin_password: str = ADMIN_PASSWORD

    @property
    def gateway_url(self) -> str:
        return f"http://127.0.0.1:{self.ports['GATEWAY_PORT']}"

    @property
    def mail_sink_url(self) -> str:
        return f"http://127.0.0.1:{self.ports['MAIL_SINK_PORT']}"

    def output(self) -> str:
        return self.log_path.read_text(errors="replace")

    def admin_token(self) -> str:
        """An access token of the stack's admin, logged in through the gateway."""
        login = requests.post(
            self.gateway_url + "/api/auth/login",
            json={"username": self.admin_username, "password": self.admin_password},
            timeout=30,
        )
        assert login.status_code == 200, login.text
        return str(login.json()["access"])

    def admin_session(self) -> requests.Session:
        """Requests carrying the admin's token."""
        session = requests.Session()
        session.headers["Authorization"] = f"Bearer {self.admin_token()}"
        return session

    # A stop signal may land while the demo still builds its digests: the stack finishes or
    # interrupts that first, which on a busy machine has taken over a minute.
    def stop(self, signum: int = signal.SIGINT, timeout: float = 120.0) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signum)
        try:
            return self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            # The group may have gone in the meantime: the timeout is what the test reports.
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)
            raise


def start_stack(state_dir: Path, database_url: str, *, demo: int = 0) -> RunningStack:
    """Start `alumusic dev up` and wait until its gateway's /healthz is 200."""
    # Every function of infra/stack.json off its default port, so stacks run side by side
    function_ports = {port_env_name(f.name): free_port() for f in load_stack(env={}).functions}
    ports = {
        "GATEWAY_PORT": free_port(),
        **function_ports,
        "PUBSUB_PORT": free_port(),
        "S3_PORT": free_port(),
        "MAIL_SINK_PORT": free_port(),
    }
    env = {
        **os.environ,
        "GATEWAY_PORT": str(ports["GATEWAY_PORT"]),
        **{name: str(port) for name, port in function_ports.items()},
        "PUBSUB_EMULATOR_HOST": f"127.0.0.1:{ports['PUBSUB_PORT']}",
        "AWS_ENDPOINT_URL": f"http://127.0.0.1:{ports['S3_PORT']}",
        "MAIL_SINK_PORT": str(ports["MAIL_SINK_PORT"]),
        "DATABASE_URL": database_url,
        "ADMIN_PASSWORD": ADMIN_PASSWORD,
        "PYTHONUNBUFFERED": "1",
        # The local stack's own rules, said explicitly (unset means production).
        "ENVIRONMENT": "development",
    }
    # The stack makes its own keys and secrets in its state directory.
    for inherited in ("JWT_PRIVATE_KEYS", "JWT_PUBLIC_KEYS", "CURSOR_SECRET", "ADMIN_USERNAME"):
        env.pop(inherited, None)
    log_path = state_dir / "dev-up.log"
    with log_path.open("wb") as log_file:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "shared.cli",
                "dev",
                "up",
                "--state-dir",
                str(state_dir),
                "--quiet",
                *(["--demo", str(demo)] if demo else []),
            ],
            cwd=repo_root(),
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
    stack = RunningStack(process, state_dir, log_path, database_url, ports)

    def healthy() -> bool:
        if process.poll() is not None:
            raise RuntimeError(
                f"alumusic dev up exited with {process.returncode}:\n{stack.output()}"
            )
        # The runner writes its state file right after the gateway turns healthy
        if requests.get(stack.gateway_url + "/healthz", timeout=5).status_code != 200:
            return False
        return (state_dir / STATE_FILE).exists()

    def healthy_or_exited() -> bool:
        try:
            return healthy()
        except RuntimeError:
            return True

    if (
        not wait_until(healthy_or_exited, timeout=STARTUP_TIMEOUT_SECONDS, interval=0.25)
        or not healthy()
    ):
        stack.stop()
        raise RuntimeError(f"the stack did not become healthy:\n{stack.output()[-5000:]}")
    return stack


@pytest.fixture(scope="session")
def e2e_database(pg_server: PostgresServer) -> Iterator[str]:
    """A database only the end-to-end stacks use; `dev up` creates and migrates it."""
    name = f"alumusic_e2e_{secrets.token_hex(4)}"
    try:
        yield pg_server.url(name)
    finally:
        pg_server.drop_database(name)


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory, e2e_database: str) -> Iterator[RunningStack]:
    running = start_stack(tmp_path_factory.mktemp("stack"), e2e_database)
    try:
        yield running
    finally:
        running.stop()


@pytest.fixture(scope="module")
def api(stack: RunningStack) -> Callable[..., requests.Response]:
    """Authenticated requests to the gateway as the stack's admin."""
    session = stack.admin_session()

    def call(method: str, path: str, **kwargs: object) -> requests.Response:
        kwargs.setdefault("timeout", 120)
        return session.request(method, stack.gateway_url + path, **kwargs)  # type: ignore[arg-type]

    return call
