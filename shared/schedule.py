"""Scheduled ticks: the Pub/Sub message a scheduled job publishes, and how a consumer reads it.

A tick's data is JSON `{"job": ..., "scheduled_time": "<ISO-8601 UTC>", ...job body}` and its
attributes repeat `job` and `scheduled_time`. Delivery is at least once, so consumers key their
work on `scheduled_time`: a redelivered tick finds its work done and changes nothing.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from shared.errors import PoisonMessage

_RESERVED = ("job", "scheduled_time")


@dataclass(frozen=True, slots=True)
class Tick:
    job: str
    scheduled_time: datetime
    body: dict[str, Any] = field(default_factory=dict)


def _utc(value: datetime) -> datetime:
    if value.tzinfo is None:
        raise PoisonMessage(f"scheduled_time {value.isoformat()} has no offset")
    return value.astimezone(UTC)


def _parse_time(raw: Any) -> datetime:
    if not isinstance(raw, str):
        raise PoisonMessage(f"scheduled_time {raw!r} is not an ISO-8601 string")
    try:
        return _utc(datetime.fromisoformat(raw.replace("Z", "+00:00")))
    except ValueError:
        raise PoisonMessage(f"scheduled_time {raw!r} is not an ISO-8601 date-time") from None


def parse_tick(data: bytes, attributes: Mapping[str, str], publish_time: datetime | None) -> Tick:
    """The tick in a message; PoisonMessage when it can never be read."""
    try:
        decoded = json.loads(data.decode("utf-8")) if data.strip() else {}
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise PoisonMessage("tick data is not UTF-8 JSON") from None
    if not isinstance(decoded, dict):
        raise PoisonMessage("tick data is not a JSON object")
    job = decoded.get("job", attributes.get("job"))
    if not isinstance(job, str) or not job:
        raise PoisonMessage("tick names no job")
    raw_time = decoded.get("scheduled_time", attributes.get("scheduled_time"))
    if raw_time is not None:
        scheduled = _parse_time(raw_time)
    elif publish_time is not None:
        scheduled = _utc(publish_time).replace(second=0, microsecond=0)
    else:
        raise PoisonMessage("tick has neither scheduled_time nor publish time")
    body = {key: value for key, value in decoded.items() if key not in _RESERVED}
    return Tick(job=job, scheduled_time=scheduled, body=body)


def encode_tick(tick: Tick) -> tuple[bytes, dict[str, str]]:
    """Data and attributes of the message that carries `tick`."""
    stamp = tick.scheduled_time.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    data = {"job": tick.job, "scheduled_time": stamp, **tick.body}
    return json.dumps(data, ensure_ascii=False).encode(), {
        "job": tick.job,
        "scheduled_time": stamp,
    }
