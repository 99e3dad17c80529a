"""The local scheduler's loop, driven by a fake clock: on time, one catch-up, retries, state."""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta

import pytest

from shared.errors import TransientFailure
from shared.events import OutgoingMessage
from shared.schedule import Tick, parse_tick
from tooling.devstack.scheduler import Scheduler, read_state_file
from tooling.devstack.stack import JobSpec

CHARTS = JobSpec("charts-refresh", "* * * * *", "America/Sao_Paulo", "charts-tick", {})
DIGEST = JobSpec("weekly-digest", "0 8 * * 1", "America/Sao_Paulo", "digest-tick", {"n": 1})
START = datetime(2026, 11, 30, 10, 59, 30, tzinfo=UTC)  # Monday 07:59:30 in Sao Paulo


class FakeClock:
    def __init__(self, now: datetime) -> None:
        self.now = now
        self.waits: list[float] = []

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


class RecordingPublisher:
    def __init__(self) -> None:
        self.sent: list[tuple[str, OutgoingMessage]] = []
        self.failures = 0

    def publish(self, topic: str, data: bytes, attributes: Mapping[str, str]):
        raise NotImplementedError

    def publish_many(
        self, topic: str, messages: Sequence[OutgoingMessage], *, timeout: float = 30.0
    ) -> list[str]:
        if self.failures:
            self.failures -= 1
            raise TransientFailure("Pub/Sub is down")
        self.sent.extend((topic, m) for m in messages)
        return [str(len(self.sent))]

    def close(self) -> None:
        pass

    def ticks(self) -> list[tuple[str, Tick]]:
        return [(topic, parse_tick(m.data, m.attributes, None)) for topic, m in self.sent]


def _run_loop(scheduler: Scheduler, clock: FakeClock, until: datetime) -> None:
    """serve() with a wait that moves the fake clock instead of sleeping."""
    stop = threading.Event()

    def wait(seconds: float) -> bool:
        clock.waits.append(seconds)
        clock.advance(seconds)
        return clock.now >= until

    scheduler.serve(stop, wait=wait)


def test_each_job_publishes_on_time_with_its_scheduled_time():
    # Given the scheduler started at 07:59:30 Sao Paulo on a Monday
    clock, publisher = FakeClock(START), RecordingPublisher()
    scheduler = Scheduler([CHARTS, DIGEST], publisher, clock=clock)
    # When it runs for three minutes of fake time
    _run_loop(scheduler, clock, until=START + timedelta(minutes=3))
    # Then charts ticked every minute and the digest once, at Monday 08:00 local
    ticks = publisher.ticks()
    charts = [t.scheduled_time for topic, t in ticks if topic == "charts-tick"]
    assert charts == [datetime(2026, 11, 30, 11, m, tzinfo=UTC) for m in (0, 1, 2)]
    assert [(topic, t) for topic, t in ticks if topic == "digest-tick"] == [
        ("digest-tick", Tick("weekly-digest", datetime(2026, 11, 30, 11, 0, tzinfo=UTC), {"n": 1}))
    ]
    # And it waited until each fire time, never a fixed sleep, never past one
    assert clock.waits[0] == pytest.approx(30.0)
    assert all(0 <= w <= 30.0 for w in clock.waits)


def test_nothing_is_published_before_the_first_fire_time():
    clock, publisher = FakeClock(START), RecordingPublisher()
    scheduler = Scheduler([CHARTS], publisher, clock=clock)
    assert scheduler.run_pending() == []
    assert scheduler.next_wake() == datetime(2026, 11, 30, 11, 0, tzinfo=UTC)
    assert publisher.sent == []


def test_after_a_long_sleep_only_the_latest_missed_run_is_published(caplog):
    # Given a scheduler that published the 11:00 charts tick
    clock, publisher = FakeClock(START), RecordingPublisher()
    scheduler = Scheduler([CHARTS, DIGEST], publisher, clock=clock)
    clock.now = datetime(2026, 11, 30, 11, 0, 1, tzinfo=UTC)
    scheduler.run_pending()
    publisher.sent.clear()
    # When the machine sleeps 8 days and wakes on a Tuesday 12:34:20 Sao Paulo
    clock.now = datetime(2026, 12, 8, 15, 34, 20, tzinfo=UTC)
    with caplog.at_level(logging.INFO, logger="tooling.devstack.scheduler"):
        fired = scheduler.run_pending()
    # Then each job publishes once: its latest missed run (the digest missed only one)
    assert sorted((t.job, t.scheduled_time) for _, t in publisher.ticks()) == [
        ("charts-refresh", datetime(2026, 12, 8, 15, 34, tzinfo=UTC)),
        ("weekly-digest", datetime(2026, 12, 7, 11, 0, tzinfo=UTC)),
    ]
    assert {f.job: f.skipped_missed_runs for f in fired} == {
        "charts-refresh": True,
        "weekly-digest": False,
    }
    assert any(r.message.startswith("missed runs skipped") for r in caplog.records)
    # And a second pass in the same minute publishes nothing more
    clock.advance(20)
    assert scheduler.run_pending() == []


def test_a_single_missed_run_is_caught_up_without_a_skip_warning():
    clock, publisher = FakeClock(START), RecordingPublisher()
    scheduler = Scheduler([CHARTS], publisher, clock=clock)
    clock.now = datetime(2026, 11, 30, 11, 0, 50, tzinfo=UTC)
    (fired,) = scheduler.run_pending()
    assert fired.scheduled_time == datetime(2026, 11, 30, 11, 0, tzinfo=UTC)
    assert not fired.skipped_missed_runs


def test_a_failed_publish_is_retried_and_the_run_is_not_lost(caplog):
    # Given Pub/Sub refusing the first two publishes
    clock, publisher = FakeClock(START), RecordingPublisher()
    publisher.failures = 2
    scheduler = Scheduler([CHARTS], publisher, clock=clock, retry_after=5.0)
    # When the loop runs through the 11:00 fire time
    with caplog.at_level(logging.ERROR, logger="tooling.devstack.scheduler"):
        _run_loop(scheduler, clock, until=datetime(2026, 11, 30, 11, 0, 30, tzinfo=UTC))
    # Then the 11:00 tick went out once, 10 s late, after two logged failures
    assert [t.scheduled_time for _, t in publisher.ticks()] == [
        datetime(2026, 11, 30, 11, 0, tzinfo=UTC)
    ]
    failures = [r for r in caplog.records if r.message == "tick not published; retrying"]
    assert len(failures) == 2
    assert failures[0].job == "charts-refresh"


def test_a_restart_catches_up_from_the_state_file(tmp_path):
    # Given a scheduler that published 11:00 and kept it in its state file
    state = tmp_path / "scheduler-state.json"
    clock, publisher = FakeClock(START), RecordingPublisher()
    first = Scheduler([CHARTS], publisher, clock=clock, state_file=state)
    clock.now = datetime(2026, 11, 30, 11, 0, 2, tzinfo=UTC)
    first.run_pending()
    assert read_state_file(state) == {"charts-refresh": datetime(2026, 11, 30, 11, 0, tzinfo=UTC)}
    assert json.loads(state.read_text())["last_published"] == {
        "charts-refresh": "2026-11-30T11:00:00Z"
    }
    publisher.sent.clear()
    # When a new process starts five minutes later
    clock.now = datetime(2026, 11, 30, 11, 5, 10, tzinfo=UTC)
    restarted = Scheduler([CHARTS], publisher, clock=clock, state_file=state)
    restarted.run_pending()
    # Then it publishes the one latest missed run at once
    assert [t.scheduled_time for _, t in publisher.ticks()] == [
        datetime(2026, 11, 30, 11, 5, tzinfo=UTC)
    ]


def test_without_state_a_new_scheduler_starts_from_now(tmp_path):
    clock, publisher = (
        FakeClock(datetime(2026, 11, 30, 11, 5, 10, tzinfo=UTC)),
        RecordingPublisher(),
    )
    (tmp_path / "broken.json").write_text("{not json")
    for state_file in (None, tmp_path / "missing.json", tmp_path / "broken.json"):
        scheduler = Scheduler([CHARTS], publisher, clock=clock, state_file=state_file)
        assert scheduler.run_pending() == []
        assert scheduler.next_run("charts-refresh") == datetime(2026, 11, 30, 11, 6, tzinfo=UTC)


def test_the_loop_stops_when_the_event_is_set():
    # Given a stop already requested
    clock, publisher = FakeClock(START), RecordingPublisher()
    stop = threading.Event()
    stop.set()
    # Then serve returns without publishing or waiting
    Scheduler([CHARTS], publisher, clock=clock).serve(stop, wait=lambda s: pytest.fail("waited"))
    assert publisher.sent == []
