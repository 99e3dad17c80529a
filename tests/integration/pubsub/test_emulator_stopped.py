"""The Pub/Sub emulator stopped while comments are ingested: 503 for what could not be published,
and every comment answered 202 is stored once the emulator runs again.

The emulator here is private to the test (the session's emulator serves other tests), and it is
stopped with SIGSTOP: the process freezes with its sockets open, as a hung or partitioned service
does, so publishes neither fail fast nor succeed, and the API must give up on its own deadline.
"""

from __future__ import annotations

import json
import secrets
import signal
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import requests
import sqlalchemy as sa

from shared.auth import issue_token
from shared.config import Settings
from tests.integration.pubsub.conftest import ConsumerFactory, comments_for, stored_ids
from tests.support.db_fixtures import ensure_user
from tests.support.service_fixtures import (
    STARTUP_TIMEOUT_SECONDS,
    FunctionServerFactory,
    PubSubEmulator,
    service_env,
)
from tooling.devstack.services import (
    LOOPBACK,
    free_port,
    pubsub_emulator_command,
    pubsub_emulator_env,
    pubsub_ready,
    wait_for,
)
from tooling.devstack.stack import function_settings_env, load_stack
from tooling.devstack.supervisor import ManagedProcess, Supervisor
from tooling.devstack.waiting import wait_until

pytestmark = pytest.mark.integration

PER_REQUEST = 200
# The API's own publish deadline is 30 s; a request may take that long, plus a loaded machine.
REQUEST_TIMEOUT_SECONDS = 90.0


@dataclass
class PrivateEmulator:
    emulator: PubSubEmulator
    process: ManagedProcess
    frozen: bool = False

    def freeze(self) -> None:
        self.process.signal_group(signal.SIGSTOP)
        self.frozen = True

    def thaw(self) -> None:
        self.process.signal_group(signal.SIGCONT)
        self.frozen = False


@pytest.fixture
def private_emulator(tmp_path: Path) -> Iterator[PrivateEmulator]:
    port = free_port()
    supervisor = Supervisor(tmp_path / "emulator-logs")
    process = supervisor.start(
        "pubsub",
        pubsub_emulator_command(LOOPBACK, port, tmp_path / "emulator-data"),
        env=pubsub_emulator_env(tmp_path),
        echo=False,
    )
    host = f"{LOOPBACK}:{port}"
    private = PrivateEmulator(
        PubSubEmulator(host=host, project_id=f"alumusic-stop-{secrets.token_hex(3)}"), process
    )
    try:
        wait_for(f"a private Pub/Sub emulator on {host}", lambda: pubsub_ready(host), timeout=90)
        yield private
    finally:
        if private.frozen:
            private.thaw()
        supervisor.stop_all()


@pytest.fixture
def pubsub_emulator(private_emulator: PrivateEmulator) -> PubSubEmulator:
    """This module's tests use their own emulator (the pubsub fixtures all build on this one)."""
    return private_emulator.emulator


@dataclass(frozen=True)
class Answer:
    """One request: the ids it sent, the status (-1 when no answer came) and any error code."""

    ids: list[str]
    status: int
    error_code: str | None = None


@dataclass
class IngestLog:
    """What the API answered, request by request."""

    answers: list[Answer] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, answer: Answer) -> None:
        with self.lock:
            self.answers.append(answer)

    def statuses(self) -> list[int]:
        with self.lock:
            return [answer.status for answer in self.answers]

    def ids_with(self, status: int) -> set[str]:
        with self.lock:
            return {i for answer in self.answers if answer.status == status for i in answer.ids}

    def error_codes_with(self, status: int) -> set[str | None]:
        with self.lock:
            return {answer.error_code for answer in self.answers if answer.status == status}


def test_ingest_answers_503_while_the_emulator_is_stopped_and_stores_every_202(
    private_emulator: PrivateEmulator,
    pubsub_settings: Settings,
    start_consumer: ConsumerFactory,
    function_server: FunctionServerFactory,
    clean_db: sa.Engine,
) -> None:
    # Given the consumer behind its push subscription and the HTTP API, both on the emulator
    start_consumer(max_delivery_attempts=100)
    api = function_server(
        "handle_http",
        env=function_settings_env(
            load_stack(env={}).function("classify-api"), service_env(pubsub_settings)
        ),
        threads=4,
        name="classify-api",
    )
    # The API checks that the token's user exists and is active, not only the signature
    ensure_user(clean_db, "root", "admin")
    token = issue_token(pubsub_settings, username="root", role="admin", typ="access")
    prefix = f"stop-{secrets.token_hex(3)}"
    comments = [{"id": c.id, "texto": c.texto} for c in comments_for(prefix, 60 * PER_REQUEST)]
    batches = [comments[n : n + PER_REQUEST] for n in range(0, len(comments), PER_REQUEST)]
    answered = IngestLog()
    stop_sending = threading.Event()

    def send(batch: list[dict[str, str]]) -> None:
        ids = [c["id"] for c in batch]
        try:
            response = requests.post(
                f"{api.url}/api/comentarios/ingest",
                data="\n".join(json.dumps(c, ensure_ascii=False) for c in batch).encode(),
                headers={
                    "Authorization": f"Bearer {token}",
                    "Content-Type": "application/x-ndjson",
                },
                timeout=REQUEST_TIMEOUT_SECONDS,
            )
        except requests.RequestException:
            answered.add(Answer(ids, -1))
            return
        error = None if response.ok else response.json()["error"]["code"]
        answered.add(Answer(ids, response.status_code, error))

    def sender(batches: list[list[dict[str, str]]]) -> None:
        for batch in batches:
            if stop_sending.is_set():
                return
            send(batch)

    # Futures carry a sender's exception to this thread; a bare thread would only print it
    pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="ingest-sender")
    senders = [pool.submit(sender, batches[n::2]) for n in (0, 1)]
    try:
        # When the emulator stops once the first requests were accepted and comments flow
        assert wait_until(lambda: answered.statuses().count(202) >= 4, timeout=120), (
            answered.statuses()
        )
        private_emulator.freeze()
        # ...every request in flight then gives up with 503 on the API's publish deadline
        assert wait_until(lambda: 503 in answered.statuses(), timeout=120, interval=0.5), (
            answered.statuses()
        )
        # ...and the emulator comes back
        private_emulator.thaw()
        accepted_before = answered.statuses().count(202)
        assert wait_until(
            lambda: answered.statuses().count(202) > accepted_before + 1, timeout=120
        ), answered.statuses()
    finally:
        private_emulator.thaw()
        stop_sending.set()
        pool.shutdown(wait=False)
        for future in senders:
            future.result(timeout=STARTUP_TIMEOUT_SECONDS + REQUEST_TIMEOUT_SECONDS)

    # Then the API only ever answered 202 or 503 (no other error, no hang past its deadline)
    statuses = answered.statuses()
    assert set(statuses) == {202, 503}, statuses
    # ...each 503 saying a dependency is unavailable
    assert answered.error_codes_with(503) == {"unavailable"}
    # ...and every comment it answered 202 for is stored, each once (the id is the key)
    accepted = answered.ids_with(202)
    assert wait_until(lambda: accepted <= stored_ids(clean_db, prefix), timeout=120), (
        f"{len(accepted - stored_ids(clean_db, prefix))} accepted comments never stored"
    )
    # ...what was stored beyond them came from a 503 request whose publish was late, not lost
    assert stored_ids(clean_db, prefix) - accepted <= answered.ids_with(503)
