"""The local scheduler: publishes each job of infra/stack.json to its topic on time.

It stands in for Cloud Scheduler on a laptop (`make dev` starts it; `alumusic schedule serve`
runs it alone). Each run's tick carries its scheduled time (shared.schedule), the consumer's
idempotency key. When runs were missed (the laptop slept, the process was stopped) only the latest
missed run is published, once: a consumer wants the current picture, not a burst of stale ones.
The last published run of each job is kept in a small JSON state file when one is given, so a
restarted scheduler catches up instead of starting afresh; without one it starts from now.

The loop never sleeps on its own: it asks an injected clock for the time and an injected `wait`
for the pause until the next fire time, so tests drive it with a fake clock.
"""

from __future__ import annotations

import json
import logging
import os
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Final

from shared.errors import DomainError
from shared.events import DEFAULT_PUBLISH_TIMEOUT_SECONDS, OutgoingMessage, Publisher
from shared.schedule import Tick, encode_tick, format_scheduled_time, parse_scheduled_time
from tooling.devstack.cron import CronSchedule
from tooling.devstack.stack import JobSpec

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]
# Pauses up to the given seconds; True means "stop now".
Wait = Callable[[float], bool]

# Re-read the clock at least this often, so a suspended laptop or a clock change is noticed.
MAX_WAIT_SECONDS: Final = 30.0
RETRY_AFTER_SECONDS: Final = 5.0


def utc_now() -> datetime:
    return datetime.now(UTC)


def publish_tick(
    publisher: Publisher,
    job: JobSpec,
    scheduled_time: datetime,
    *,
    timeout: float = DEFAULT_PUBLISH_TIMEOUT_SECONDS,
) -> tuple[Tick, str]:
    """Publish one run of `job`; returns the tick and the message id."""
    tick = Tick(job=job.name, scheduled_time=scheduled_time, body=dict(job.body))
    data, attributes = encode_tick(tick)
    (message_id,) = publisher.publish_many(
        job.topic, [OutgoingMessage(data=data, attributes=attributes)], timeout=timeout
    )
    return tick, message_id


def read_state_file(path: Path) -> dict[str, datetime]:
    """Job name -> scheduled time of its last published run; {} when absent or unreadable."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
        return {
            str(name): parse_scheduled_time(str(value))
            for name, value in dict(document.get("last_published", {})).items()
        }
    except FileNotFoundError:
        return {}
    except (OSError, ValueError, TypeError, AttributeError) as error:
        log.warning(
            "scheduler state unreadable; starting from now",
            extra={"path": str(path), "error": str(error)},
        )
        return {}


def write_state_file(path: Path, last_published: Mapping[str, datetime]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    document = {"last_published": {k: format_scheduled_time(v) for k, v in last_published.items()}}
    partial = path.with_name(path.name + ".tmp")
    partial.write_text(json.dumps(document, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    os.replace(partial, path)


@dataclass
class _JobState:
    spec: JobSpec
    schedule: CronSchedule
    last_published: datetime
    retry_at: datetime | None = None


@dataclass(frozen=True)
class Fired:
    """What one pass of the loop did for a job."""

    job: str
    scheduled_time: datetime
    message_id: str | None
    skipped_missed_runs: bool = False
    error: str | None = None


@dataclass
class Scheduler:
    jobs: Sequence[JobSpec]
    publisher: Publisher
    clock: Clock = utc_now
    state_file: Path | None = None
    publish_timeout: float = DEFAULT_PUBLISH_TIMEOUT_SECONDS
    retry_after: float = RETRY_AFTER_SECONDS
    _states: dict[str, _JobState] = field(default_factory=dict, init=False, repr=False)

    def __post_init__(self) -> None:
        start = self.clock()
        stored = read_state_file(self.state_file) if self.state_file else {}
        for job in self.jobs:
            self._states[job.name] = _JobState(
                spec=job,
                schedule=CronSchedule(job.schedule, job.time_zone),
                last_published=stored.get(job.name, start),
            )

    def last_published(self) -> dict[str, datetime]:
        return {name: state.last_published for name, state in self._states.items()}

    def next_run(self, job: str) -> datetime:
        state = self._states[job]
        return state.schedule.next_after(state.last_published)

    def next_wake(self) -> datetime | None:
        """When the loop has something to do next (a fire time or a retry), None with no jobs."""
        times = [
            state.retry_at or state.schedule.next_after(state.last_published)
            for state in self._states.values()
        ]
        return min(times) if times else None

    def run_pending(self, now: datetime | None = None) -> list[Fired]:
        """Publish every run due at `now` (default: the clock): per job, only its latest one."""
        now = now or self.clock()
        fired: list[Fired] = []
        for state in self._states.values():
            if state.retry_at is not None and now < state.retry_at:
                continue
            due = state.schedule.latest_at_or_before(now, not_before=state.last_published)
            if due is None:
                continue
            skipped = state.schedule.next_after(state.last_published) < due
            fired.append(self._publish(state, due, now, skipped=skipped))
        if self.state_file and any(f.error is None for f in fired):
            try:
                write_state_file(self.state_file, self.last_published())
            except OSError as error:
                # Losing the state only costs the catch-up after a restart; keep publishing.
                log.warning(
                    "scheduler state not saved",
                    extra={"path": str(self.state_file), "error": str(error)},
                )
        return fired

    def _publish(self, state: _JobState, due: datetime, now: datetime, *, skipped: bool) -> Fired:
        job = state.spec
        fields = {
            "job": job.name,
            "topic": job.topic,
            "scheduled_time": format_scheduled_time(due),
            "late_seconds": round((now - due).total_seconds(), 3),
        }
        try:
            _, message_id = publish_tick(self.publisher, job, due, timeout=self.publish_timeout)
        except (DomainError, OSError) as error:
            state.retry_at = now + timedelta(seconds=self.retry_after)
            log.error(
                "tick not published; retrying",
                extra={**fields, "error": str(error), "retry_in_seconds": self.retry_after},
            )
            return Fired(job.name, due, None, skipped, error=str(error))
        state.last_published = due
        state.retry_at = None
        if skipped:
            log.warning(
                "missed runs skipped; published only the latest",
                extra={**fields, "message_id": message_id},
            )
        log.info("tick published", extra={**fields, "message_id": message_id})
        return Fired(job.name, due, message_id, skipped)

    def serve(self, stop: threading.Event, *, wait: Wait | None = None) -> None:
        """Publish on time until `stop` is set (or `wait` returns True)."""
        pause: Wait = wait or stop.wait
        log.info(
            "scheduler started",
            extra={
                "jobs": {
                    name: {
                        "schedule": state.spec.schedule,
                        "time_zone": state.spec.time_zone,
                        "topic": state.spec.topic,
                        "next_run": format_scheduled_time(self.next_run(name)),
                    }
                    for name, state in self._states.items()
                }
            },
        )
        while not stop.is_set():
            self.run_pending()
            wake = self.next_wake()
            delay = MAX_WAIT_SECONDS
            if wake is not None:
                delay = min(delay, max(0.0, (wake - self.clock()).total_seconds()))
            if pause(delay):
                break
        log.info("scheduler stopped")
