"""Service fixtures: the Pub/Sub emulator, the S3 emulator and function servers, started for real.

They start things exactly as `alumusic dev up` does (tooling.devstack), on free ports, each in its
own process group, and stop the whole group at the end.

- `pubsub_emulator` (session): the Google Pub/Sub emulator; `.host` is PUBSUB_EMULATOR_HOST.
- `s3_emulator` (session): moto's S3 server; the value is its endpoint URL.
- `function_server` (per test): a factory running one function under functions-framework in a
  subprocess, e.g. `function_server("consume_comments", signature="cloudevent", env=...)`.
- `service_env(settings, ...)`: the environment variables that make a function read `settings`.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import requests

from shared.config import Settings
from tooling.devstack.services import (
    LOOPBACK,
    free_port,
    moto_server_command,
    pubsub_emulator_command,
    pubsub_emulator_env,
    pubsub_ready,
    s3_ready,
    wait_for,
)
from tooling.devstack.stack import FunctionSpec, repo_root
from tooling.devstack.supervisor import ManagedProcess, Supervisor

STARTUP_TIMEOUT_SECONDS = 90.0


@dataclass(frozen=True)
class PubSubEmulator:
    host: str
    project_id: str

    def topic_path(self, topic: str) -> str:
        return f"projects/{self.project_id}/topics/{topic}"

    def subscription_path(self, subscription: str) -> str:
        return f"projects/{self.project_id}/subscriptions/{subscription}"


@pytest.fixture(scope="session")
def pubsub_emulator(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PubSubEmulator]:
    state_dir = tmp_path_factory.mktemp("pubsub-emulator")
    port = free_port()
    supervisor = Supervisor(state_dir / "logs")
    process = supervisor.start(
        "pubsub",
        pubsub_emulator_command(LOOPBACK, port, state_dir / "data"),
        env=pubsub_emulator_env(state_dir),
        echo=False,
    )
    host = f"{LOOPBACK}:{port}"
    try:
        wait_for(
            f"the Pub/Sub emulator on {host}",
            lambda: _running(process) and pubsub_ready(host),
            timeout=STARTUP_TIMEOUT_SECONDS,
        )
        yield PubSubEmulator(host=host, project_id=f"alumusic-test-{secrets.token_hex(3)}")
    finally:
        supervisor.stop_all()


@pytest.fixture(scope="session")
def s3_emulator(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    state_dir = tmp_path_factory.mktemp("s3-emulator")
    port = free_port()
    supervisor = Supervisor(state_dir / "logs")
    process = supervisor.start("s3", moto_server_command(LOOPBACK, port), echo=False)
    endpoint = f"http://{LOOPBACK}:{port}"
    try:
        wait_for(
            f"the S3 emulator on {endpoint}",
            lambda: _running(process) and s3_ready(endpoint),
            timeout=STARTUP_TIMEOUT_SECONDS,
        )
        yield endpoint
    finally:
        supervisor.stop_all()


def _running(process: ManagedProcess) -> bool:
    if process.exit_code() is not None:
        raise RuntimeError(
            f"{process.name} exited with {process.exit_code()}: "
            f"{process.log_path.read_text(errors='replace')[-2000:]}"
        )
    return True


def service_env(settings: Settings, **extra: str) -> dict[str, str]:
    """Environment variables that make a function's `get_settings()` equal `settings`."""
    env = {
        "ENVIRONMENT": settings.environment,
        "DATABASE_URL": settings.database_url,
        "JWT_SECRET": settings.jwt_secret.get_secret_value(),
        "PUBSUB_PROJECT_ID": settings.pubsub_project_id,
        "COMMENTS_TOPIC": settings.comments_topic,
        "COMMENTS_DEAD_LETTER_TOPIC": settings.comments_dead_letter_topic,
        "COMMENTS_PER_MESSAGE": str(settings.comments_per_message),
        "REVIEW_THRESHOLD": str(settings.review_threshold),
        "PRODUCT_TIMEZONE": settings.product_timezone,
        "LOG_LEVEL": "INFO",
        "PYTHONUNBUFFERED": "1",
    }
    if settings.pubsub_emulator_host:
        env["PUBSUB_EMULATOR_HOST"] = settings.pubsub_emulator_host
    if settings.aws_endpoint_url:
        env["AWS_ENDPOINT_URL"] = settings.aws_endpoint_url
    env.update(extra)
    return env


@dataclass
class FunctionServer:
    spec: FunctionSpec
    process: ManagedProcess
    supervisor: Supervisor

    @property
    def url(self) -> str:
        return self.spec.base_url

    @property
    def port(self) -> int:
        return self.spec.port

    def log_records(self) -> list[dict[str, Any]]:
        """The JSON log lines the function wrote so far."""
        records = []
        for line in self.process.log_path.read_text(errors="replace").splitlines():
            if line.startswith("{"):
                try:
                    records.append(json.loads(line))
                except json.JSONDecodeError:
                    continue
        return records

    def stop(self) -> None:
        self.supervisor.stop_all()


FunctionServerFactory = Callable[..., FunctionServer]


def start_function_server(
    log_dir: Path,
    target: str,
    *,
    source: str = "functions/classify",
    signature: str = "http",
    env: Mapping[str, str] | None = None,
    port: int | None = None,
    workers: int = 1,
    threads: int = 2,
    name: str | None = None,
) -> FunctionServer:
    """Run `target` of `<source>/main.py` under functions-framework and wait until it answers."""
    import os
    import sys

    spec = FunctionSpec(
        name=name or target,
        source=source,
        target=target,
        signature=signature,  # type: ignore[arg-type]
        port=port or free_port(),
    )
    supervisor = Supervisor(log_dir)
    process_env = {**os.environ, **(env or {}), "WORKERS": str(workers), "THREADS": str(threads)}
    script = Path(sys.executable).with_name("functions-framework")
    process = supervisor.start(
        spec.name,
        [
            str(script),
            "--source",
            str(spec.source_file(repo_root())),
            "--target",
            target,
            "--signature-type",
            signature,
            "--host",
            LOOPBACK,
            "--port",
            str(spec.port),
        ],
        env=process_env,
        cwd=repo_root(),
        echo=False,
    )

    def answers() -> bool:
        _running(process)
        requests.get(f"{spec.base_url}/healthz", timeout=1)
        return True

    try:
        wait_for(f"function {spec.name}", answers, timeout=STARTUP_TIMEOUT_SECONDS)
    except Exception as error:
        supervisor.stop_all()
        output = process.log_path.read_text(errors="replace")[-3000:]
        raise RuntimeError(f"{error}; its output:\n{output}") from error
    return FunctionServer(spec=spec, process=process, supervisor=supervisor)


@pytest.fixture
def function_server(tmp_path: Path) -> Iterator[FunctionServerFactory]:
    started: list[FunctionServer] = []

    def factory(target: str, **kwargs: Any) -> FunctionServer:
        server = start_function_server(tmp_path / f"function-logs-{len(started)}", target, **kwargs)
        started.append(server)
        return server

    try:
        yield factory
    finally:
        for server in started:
            server.stop()
