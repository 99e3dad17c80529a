"""Scheduled ticks: the Pub/Sub message a job publishes on its schedule.

Data is JSON `{"job": ..., "scheduled_time": "<ISO-8601 UTC>", ...job body}`; the attributes repeat
`job` and `scheduled_time`. Delivery is at least once, so consumers key their work on the scheduled
time, never on when the message happened to arrive.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from shared.errors import PoisonMessage


@dataclass(frozen=True)
class Tick:
    job: str
    scheduled_time: datetime  # aware, UTC
    body: dict[str, Any] = field(default_factory=dict)


def _parse_time(value: str) -> datetime:
    try:
        parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError as error:
        raise PoisonMessage(f"scheduled_time {value!r} is not an ISO-8601 time") from error
    if parsed.tzinfo is None:
        raise PoisonMessage(f"scheduled_time {value!r} has no UTC offset")
    return parsed.astimezone(UTC)


def parse_tick(data: bytes, attributes: Mapping[str, str], publish_time: datetime | None) -> Tick:
    """The tick in a message; raises PoisonMessage when it cannot be one."""
    try:
        payload = json.loads(data) if data.strip() else {}
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise PoisonMessage(f"tick data is not JSON: {error}") from error
    if not isinstance(payload, dict):
        raise PoisonMessage("tick data is not a JSON object")
    job = payload.get("job") or attributes.get("job")
    if not isinstance(job, str) or not job:
        raise PoisonMessage("tick has no job name")
    raw_time = payload.get("scheduled_time") or attributes.get("scheduled_time")
    if raw_time is not None:
        if not isinstance(raw_time, str):
            raise PoisonMessage("scheduled_time is not a string")
        scheduled = _parse_time(raw_time)
    elif publish_time is not None:
        scheduled = publish_time.astimezone(UTC).replace(second=0, microsecond=0)
    else:
        raise PoisonMessage("tick has neither scheduled_time nor a publish time")
    body = {k: v for k, v in payload.items() if k not in ("job", "scheduled_time")}
    return Tick(job=job, scheduled_time=scheduled, body=body)


def encode_tick(tick: Tick) -> tuple[bytes, dict[str, str]]:
    stamp = tick.scheduled_time.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    data = json.dumps({**tick.body, "job": tick.job, "scheduled_time": stamp}).encode()
    return data, {"job": tick.job, "scheduled_time": stamp}
