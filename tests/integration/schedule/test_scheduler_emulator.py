"""Ticks through the real Pub/Sub emulator: `schedule run`, `schedule serve` and the loop.

Each test gets its own topics and pull subscriptions (unique names on the session's emulator),
and reads what a consumer would: data, attributes and publish time of each message.
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import subprocess
import sys
import threading
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from google.api_core.exceptions import DeadlineExceeded

from shared.config import Settings
from shared.events import PubSubPublisher, emulator_channel
from shared.schedule import Tick, floor_to_minute, parse_tick
from tests.support.service_fixtures import PubSubEmulator
from tooling.devstack.bootstrap import bootstrap_pubsub
from tooling.devstack.scheduler import Scheduler, read_state_file, write_state_file
from tooling.devstack.stack import StackSpec, parse_stack, repo_root
from tooling.devstack.waiting import wait_until

pytestmark = pytest.mark.integration


@dataclass
class Pulled:
    data: bytes
    attributes: dict[str, str]
    publish_time: datetime

    def tick(self) -> Tick:
        return parse_tick(self.data, self.attributes, self.publish_time)


@dataclass
class TickStack:
    spec: StackSpec
    path: Path
    charts_subscription: str
    digest_subscription: str


@pytest.fixture
def tick_stack(pubsub_emulator: PubSubEmulator, tmp_path: Path) -> TickStack:
    """A stack description with the two product jobs on unique topics, each with a pull
    subscription, created on the emulator."""
    suffix = secrets.token_hex(4)
    charts, digest = f"charts-tick-{suffix}", f"digest-tick-{suffix}"
    document: dict[str, Any] = {
        "project_id": pubsub_emulator.project_id,
        "topics": [{"name": charts}, {"name": digest}],
        "subscriptions": [
            {"name": f"{charts}-pull", "topic": charts, "ack_deadline_seconds": 10},
            {"name": f"{digest}-pull", "topic": digest, "ack_deadline_seconds": 10},
        ],
        "jobs": [
            {
                "name": "charts-refresh",
                "schedule": "* * * * *",
                "time_zone": "America/Sao_Paulo",
                "topic": charts,
                "body": {},
            },
            {
                "name": "weekly-digest",
                "schedule": "0 8 * * 1",
                "time_zone": "America/Sao_Paulo",
                "topic": digest,
                "body": {"recipients": "stakeholders"},
            },
        ],
    }
    path = tmp_path / "stack.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    spec = parse_stack(document, source_path=path)
    bootstrap_pubsub(spec, pubsub_emulator.host)
    return TickStack(spec, path, f"{charts}-pull", f"{digest}-pull")


def pull(
    emulator: PubSubEmulator, subscription: str, *, expected: int, timeout: float = 30.0
) -> list[Pulled]:
    """Wait until `expected` messages arrived on the pull subscription (each acknowledged), then
    return them plus any that came with them."""
    from google.cloud import pubsub_v1
    from google.pubsub_v1.services.subscriber.transports.grpc import SubscriberGrpcTransport

    subscriber = pubsub_v1.SubscriberClient(
        transport=SubscriberGrpcTransport(channel=emulator_channel(emulator.host))
    )
    path = emulator.subscription_path(subscription)
    pulled: list[Pulled] = []

    def arrived() -> bool:
        try:
            response = subscriber.pull(
                request={"subscription": path, "max_messages": 100}, timeout=min(timeout, 5.0)
            )
        except DeadlineExceeded:
            return False
        received = list(response.received_messages)
        if received:
            subscriber.acknowledge(
                request={"subscription": path, "ack_ids": [m.ack_id for m in received]}
            )
        pulled.extend(
            Pulled(
                bytes(m.message.data),
                dict(m.message.attributes),
                m.message.publish_time.astimezone(UTC),
            )
            for m in received
        )
        return len(pulled) >= expected

    try:
        wait_until(arrived, timeout=timeout, interval=0.2)
    finally:
        subscriber.close()
    return pulled


def _cli_env(emulator: PubSubEmulator) -> dict[str, str]:
    env = {
        **os.environ,
        "PUBSUB_EMULATOR_HOST": emulator.host,
        "PUBSUB_PROJECT_ID": emulator.project_id,
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("ENVIRONMENT", None)
    return env


def _alumusic(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "shared.cli", *args],
        cwd=repo_root(),
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_schedule_run_publishes_one_tick_a_subscriber_receives(
    pubsub_emulator: PubSubEmulator, tick_stack: TickStack
) -> None:
    # When `alumusic schedule run weekly-digest --at ...` runs against the emulator
    result = _alumusic(
        [
            "schedule",
            "run",
            "weekly-digest",
            "--at",
            "2026-11-30T08:00:00-03:00",
            "--stack",
            str(tick_stack.path),
        ],
        _cli_env(pubsub_emulator),
    )
    assert result.returncode == 0, result.stderr
    printed = json.loads(result.stdout)
    # Then the digest topic's subscriber receives exactly that run, in data and attributes
    (message,) = pull(pubsub_emulator, tick_stack.digest_subscription, expected=1)
    assert json.loads(message.data) == {
        "job": "weekly-digest",
        "scheduled_time": "2026-11-30T11:00:00Z",
        "recipients": "stakeholders",
    }
    assert message.attributes == {
        "job": "weekly-digest",
        "scheduled_time": "2026-11-30T11:00:00Z",
    }
    assert message.tick() == Tick(
        "weekly-digest", datetime(2026, 11, 30, 11, 0, tzinfo=UTC), {"recipients": "stakeholders"}
    )
    assert printed["scheduled_time"] == "2026-11-30T11:00:00Z"
    assert printed["message_id"]
    assert printed["topic"] == tick_stack.spec.job("weekly-digest").topic
    # And the charts topic got nothing
    assert pull(pubsub_emulator, tick_stack.charts_subscription, expected=1, timeout=1.0) == []


def test_schedule_run_without_at_dates_the_tick_to_the_current_minute(
    pubsub_emulator: PubSubEmulator, tick_stack: TickStack
) -> None:
    before = floor_to_minute(datetime.now(UTC))
    result = _alumusic(
        ["schedule", "run", "charts-refresh", "--stack", str(tick_stack.path)],
        _cli_env(pubsub_emulator),
    )
    after = floor_to_minute(datetime.now(UTC))
    assert result.returncode == 0, result.stderr
    (message,) = pull(pubsub_emulator, tick_stack.charts_subscription, expected=1)
    tick = message.tick()
    assert tick.job == "charts-refresh"
    assert before <= tick.scheduled_time <= after
    assert tick.scheduled_time == floor_to_minute(tick.scheduled_time)
    # The emulator stamped it when it was published, in the same minute or just after
    assert timedelta(0) <= message.publish_time - tick.scheduled_time < timedelta(minutes=2)


def test_the_loop_with_a_fake_clock_publishes_each_run_to_the_emulator(
    pubsub_emulator: PubSubEmulator, tick_stack: TickStack
) -> None:
    # Given the scheduler on a fake clock at Monday 07:58:30 in Sao Paulo, publishing for real
    now = [datetime(2026, 11, 30, 10, 58, 30, tzinfo=UTC)]
    settings = Settings(
        environment="development",
        pubsub_emulator_host=pubsub_emulator.host,
        pubsub_project_id=pubsub_emulator.project_id,
    )
    publisher = PubSubPublisher(settings)
    scheduler = Scheduler(tick_stack.spec.jobs, publisher, clock=lambda: now[0])

    def wait(seconds: float) -> bool:
        now[0] += timedelta(seconds=seconds)
        return now[0] >= datetime(2026, 11, 30, 11, 2, 30, tzinfo=UTC)

    # When it runs through four minutes of fake time
    try:
        scheduler.serve(threading.Event(), wait=wait)
    finally:
        publisher.close()
    # Then the charts subscriber got one tick a minute and the digest one at 08:00 local
    charts = pull(pubsub_emulator, tick_stack.charts_subscription, expected=4)
    assert sorted(m.tick().scheduled_time for m in charts) == [
        datetime(2026, 11, 30, 10, 59, tzinfo=UTC) + timedelta(minutes=i) for i in range(4)
    ]
    (digest,) = pull(pubsub_emulator, tick_stack.digest_subscription, expected=1)
    assert digest.tick() == Tick(
        "weekly-digest", datetime(2026, 11, 30, 11, 0, tzinfo=UTC), {"recipients": "stakeholders"}
    )


def test_schedule_serve_catches_up_one_missed_run_logs_json_and_stops_on_sigterm(
    pubsub_emulator: PubSubEmulator, tick_stack: TickStack, tmp_path: Path
) -> None:
    # Given a state file saying charts last ran five minutes ago (the process was down)
    state = tmp_path / "scheduler-state.json"
    started = datetime.now(UTC)
    five_minutes_ago = floor_to_minute(started) - timedelta(minutes=5)
    write_state_file(state, {"charts-refresh": five_minutes_ago})
    # When `alumusic schedule serve` starts against the emulator
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "shared.cli",
            "schedule",
            "serve",
            "--stack",
            str(tick_stack.path),
            "--state-file",
            str(state),
        ],
        cwd=repo_root(),
        env=_cli_env(pubsub_emulator),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        # Then it publishes the latest missed run at once, only that one (not five)
        messages = pull(pubsub_emulator, tick_stack.charts_subscription, expected=1, timeout=60)
        first = min(m.tick().scheduled_time for m in messages)
        assert all(m.tick().scheduled_time >= floor_to_minute(started) for m in messages)
        assert floor_to_minute(started) <= first <= floor_to_minute(started) + timedelta(minutes=1)
        # And keeps the run it published in its state file, for the next restart
        assert wait_until(
            lambda: read_state_file(state).get("charts-refresh", five_minutes_ago) >= first,
            timeout=10,
        )
    finally:
        # And SIGTERM stops it cleanly
        process.send_signal(signal.SIGTERM)
        output, _ = process.communicate(timeout=30)
    assert process.returncode == 0, output
    lines = [json.loads(line) for line in output.splitlines() if line.startswith("{")]
    messages_logged = [line["message"] for line in lines]
    assert messages_logged[0] == "scheduler started"
    assert "missed runs skipped; published only the latest" in messages_logged
    assert messages_logged[-1] == "scheduler stopped"
    published = [line for line in lines if line["message"] == "tick published"]
    assert published[0]["job"] == "charts-refresh"
    assert published[0]["message_id"]
    assert all(line["severity"] and line["function"] == "scheduler" for line in lines)
