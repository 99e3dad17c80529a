"""Scheduled ticks: the Pub/Sub message a scheduled job publishes, and how a consumer reads it.

A tick's data is the JSON object `{"job": ..., "scheduled_time": ..., ...job body}` and its
attributes are `{"job": ..., "scheduled_time": ...}`. The scheduled time is the idempotency key of
a run: delivery is at least once, so a consumer keys what it writes on (job, scheduled_time) and a
redelivered tick changes nothing.

The local scheduler puts the scheduled time in the message. Cloud Scheduler does not (its Pub/Sub
target sends a fixed body and fixed attributes), so a tick without one is dated by the message's
publish time floored to the minute: Cloud Scheduler publishes within seconds of the scheduled
minute, so both deliveries of one run get the same key.

A function reads the tick its push subscription delivered with `read_tick(event, job=...)`; a tick
it can never handle (unreadable, or another job's) is `UnreadableTick`. A function's entry point
is its handler of a tick wrapped by `tick_handler`, which reads the tick and logs and acknowledges
an UnreadableTick: redelivering it could not help, and the next run does the work.

Cron evaluation lives with the local scheduler (tooling): functions only read ticks.
"""

from __future__ import annotations

import functools
import json
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Final

from shared.decoding import decode_json
from shared.errors import InvalidInput, PoisonMessage
from shared.events import MalformedEnvelope, message_from_cloud_event
from shared.logs import log_context

log = logging.getLogger(__name__)

JOB_KEY: Final = "job"
SCHEDULED_TIME_KEY: Final = "scheduled_time"
RESERVED_KEYS: Final = frozenset({JOB_KEY, SCHEDULED_TIME_KEY})


class UnreadableTick(PoisonMessage, code="unreadable_tick"):
    """A tick that can never be handled: not a tick, or a tick of another job."""


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
    publish_time: datetime | None,
) -> Tick:
    """The tick in a message, or UnreadableTick saying why it can never be read.

    The job comes from the data or the attributes (they must agree when both name it); the
    scheduled time from the attributes or the data, else `publish_time` (aware) floored to the
    minute.
    """
    try:
        decoded = decode_json(data, what="data") if data.strip() else {}
    except InvalidInput as error:
        raise UnreadableTick(f"tick data is not JSON a tick can hold: {error}") from error
    if not isinstance(decoded, dict):
        raise UnreadableTick("tick data must be a JSON object")

    job = _one_value(JOB_KEY, decoded, attributes)
    if not job:
        raise UnreadableTick("tick names no job (neither in data nor in attributes)")
    raw_time = _one_value(SCHEDULED_TIME_KEY, decoded, attributes)
    if raw_time:
        try:
            scheduled = parse_scheduled_time(raw_time)
        except ValueError as error:
            raise UnreadableTick(
                f"tick scheduled_time {raw_time!r} is not a time: {error}"
            ) from error
    elif publish_time is not None:
        scheduled = floor_to_minute(publish_time)
    else:
        raise UnreadableTick("tick has no scheduled_time and no publish time to fall back on")

    body = {k: v for k, v in decoded.items() if k not in RESERVED_KEYS}
    return Tick(job=job, scheduled_time=scheduled, body=body)


def read_tick(event: Any, *, job: str) -> Tick:
    """The tick of `job` in a push delivery (a Pub/Sub CloudEvent), or UnreadableTick saying why
    it can never be handled, a tick of another job included."""
    try:
        message = message_from_cloud_event(event)
    except MalformedEnvelope as error:
        raise UnreadableTick(error.message) from error
    tick = parse_tick(message.data, message.attributes, message.publish_time)
    if tick.job != job:
        raise UnreadableTick(f"a tick of job {tick.job!r} was delivered to the {job!r} job")
    return tick


def tick_handler(
    job: str, *, function: str
) -> Callable[[Callable[[Tick], None]], Callable[[Any], None]]:
    """The CloudEvent entry point of `function`, which handles the ticks of `job`, around its
    handler of one tick.

    Each delivery is logged under its message id. An UnreadableTick is logged with its reason and
    acknowledged; whatever the handler raises propagates, so the function answers 5xx and Pub/Sub
    redelivers (then dead-letters).
    """

    def entry_point(handle: Callable[[Tick], None]) -> Callable[[Any], None]:
        @functools.wraps(handle)
        def handle_delivery(cloud_event: Any) -> None:
            with log_context(message_id=str(cloud_event["id"]), function=function):
                try:
                    tick = read_tick(cloud_event, job=job)
                except UnreadableTick as error:
                    log.error("unreadable tick acknowledged", extra={"reason": error.message})
                    return
                handle(tick)

        return handle_delivery

    return entry_point


def _one_value(key: str, decoded: Mapping[str, Any], attributes: Mapping[str, str]) -> str | None:
    in_data = decoded.get(key)
    if in_data is not None and not isinstance(in_data, str):
        raise UnreadableTick(f"tick {key!r} in data must be a string")
    in_attributes = attributes.get(key)
    if in_data and in_attributes and in_data != in_attributes:
        raise UnreadableTick(
            f"tick {key!r} differs between data ({in_data!r}) and attributes ({in_attributes!r})"
        )
    return in_attributes or in_data or None
