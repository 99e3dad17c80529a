"""Scheduled ticks: the Pub/Sub message a scheduled job publishes, and how a consumer reads it.

A tick's data is the JSON object `{"job": ..., "scheduled_time": ..., ...job body}` and its
attributes are `{"job": ..., "scheduled_time": ...}`. The scheduled time is the idempotency key of
a run: delivery is at least once, so a consumer keys what it writes on (job, scheduled_time) and a
redelivered tick changes nothing.

The local scheduler puts the scheduled time in the message. Cloud Scheduler does not (its Pub/Sub
target sends a fixed body and fixed attributes), so a tick without one is dated by the message's
publish time floored to the minute: Cloud Scheduler publishes within seconds of the scheduled
minute, so both deliveries of one run get the same key.

Cron evaluation lives with the local scheduler (tooling): functions only read ticks.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Final

from shared.errors import PoisonMessage

JOB_KEY: Final = "job"
SCHEDULED_TIME_KEY: Final = "scheduled_time"
RESERVED_KEYS: Final = frozenset({JOB_KEY, SCHEDULED_TIME_KEY})


@dataclass(frozen=True, slots=True)
class Tick:
    """One run of a scheduled job. `scheduled_time` is aware and in UTC, whole seconds."""

    job: str
    scheduled_time: datetime
    body: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.job:
            raise ValueError("a tick needs a job name")
        if self.scheduled_time.tzinfo is None or self.scheduled_time.utcoffset() is None:
            raise ValueError("a tick's scheduled_time must be timezone-aware")
        normalised = self.scheduled_time.astimezone(UTC).replace(microsecond=0)
        object.__setattr__(self, "scheduled_time", normalised)
        reserved = RESERVED_KEYS.intersection(self.body)
        if reserved:
            raise ValueError(f"a job body must not contain {sorted(reserved)}")


def format_scheduled_time(when: datetime) -> str:
    """`2026-11-30T11:32:00Z`: UTC, whole seconds, the form ticks carry."""
    if when.tzinfo is None or when.utcoffset() is None:
        raise ValueError("a scheduled time must be timezone-aware")
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_scheduled_time(value: str) -> datetime:
    """An ISO-8601 time with an offset (or `Z`) as aware UTC; ValueError otherwise."""
    parsed = datetime.fromisoformat(value.strip())
    if parsed.tzinfo is None or parsed.utcoffset() is None:
        raise ValueError(f"time {value!r} has no UTC offset")
    return parsed.astimezone(UTC)


def floor_to_minute(when: datetime) -> datetime:
    return when.astimezone(UTC).replace(second=0, microsecond=0)


def encode_tick(tick: Tick) -> tuple[bytes, dict[str, str]]:
    """The message data and attributes of a tick."""
    scheduled = format_scheduled_time(tick.scheduled_time)
    body = {JOB_KEY: tick.job, SCHEDULED_TIME_KEY: scheduled, **tick.body}
    data = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()
    return data, {JOB_KEY: tick.job, SCHEDULED_TIME_KEY: scheduled}


def parse_tick(
    data: bytes,
    attributes: Mapping[str, str],
    publish_time: datetime | str | None,
) -> Tick:
    """The tick in a message, or PoisonMessage saying why it can never be read.

    The job comes from the data or the attributes (they must agree when both name it); the
    scheduled time from the attributes or the data, else `publish_time` floored to the minute.
    `publish_time` may be the datetime of a pulled message or the ISO string of a push envelope.
    """
    try:
        decoded = json.loads(data) if data.strip() else {}
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise PoisonMessage(f"tick data is not JSON: {error}") from error
    if not isinstance(decoded, dict):
        raise PoisonMessage("tick data must be a JSON object")

    job = _one_value(JOB_KEY, decoded, attributes)
    if not job:
        raise PoisonMessage("tick names no job (neither in data nor in attributes)")
    raw_time = _one_value(SCHEDULED_TIME_KEY, decoded, attributes)
    if raw_time:
        try:
            scheduled = parse_scheduled_time(raw_time)
        except ValueError as error:
            raise PoisonMessage(
                f"tick scheduled_time {raw_time!r} is not a time: {error}"
            ) from error
    elif publish_time is not None:
        scheduled = floor_to_minute(_publish_time(publish_time))
    else:
        raise PoisonMessage("tick has no scheduled_time and no publish time to fall back on")

    body = {k: v for k, v in decoded.items() if k not in RESERVED_KEYS}
    return Tick(job=job, scheduled_time=scheduled, body=body)


def _one_value(key: str, decoded: Mapping[str, Any], attributes: Mapping[str, str]) -> str | None:
    in_data = decoded.get(key)
    if in_data is not None and not isinstance(in_data, str):
        raise PoisonMessage(f"tick {key!r} in data must be a string")
    in_attributes = attributes.get(key)
    if in_data and in_attributes and in_data != in_attributes:
        raise PoisonMessage(
            f"tick {key!r} differs between data ({in_data!r}) and attributes ({in_attributes!r})"
        )
    return in_attributes or in_data or None


def _publish_time(value: datetime | str) -> datetime:
    if isinstance(value, datetime):
        if value.tzinfo is None or value.utcoffset() is None:
            # The client libraries give aware times; a naive one can only be UTC.
            return value.replace(tzinfo=UTC)
        return value
    try:
        return parse_scheduled_time(value)
    except ValueError as error:
        raise PoisonMessage(f"publish time {value!r} is not a time: {error}") from error
