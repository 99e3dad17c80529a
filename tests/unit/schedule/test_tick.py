"""The tick contract (shared/schedule.py): what a scheduled message carries and how it is read."""

from __future__ import annotations

import base64
import importlib
import json
import logging
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from cloudevents.http import CloudEvent

from shared.errors import PoisonMessage
from shared.events import message_from_cloud_event
from shared.schedule import (
    Tick,
    UnreadableTick,
    encode_tick,
    parse_tick,
    read_tick,
    tick_handler,
)

ROOT = Path(__file__).resolve().parents[3]
SCHEDULED = datetime(2026, 11, 30, 11, 32, tzinfo=UTC)


def test_encoded_tick_carries_job_and_scheduled_time_in_data_and_attributes():
    # Given a tick with a body
    tick = Tick("weekly-digest", SCHEDULED, {"recipients": "stakeholders"})
    # When it is encoded
    data, attributes = encode_tick(tick)
    # Then data is the body plus job and scheduled time, attributes name both
    assert json.loads(data) == {
        "job": "weekly-digest",
        "scheduled_time": "2026-11-30T11:32:00Z",
        "recipients": "stakeholders",
    }
    assert attributes == {"job": "weekly-digest", "scheduled_time": "2026-11-30T11:32:00Z"}


def test_a_tick_survives_encode_and_parse():
    tick = Tick("charts-refresh", SCHEDULED, {"kind": "all", "n": 3})
    data, attributes = encode_tick(tick)
    assert parse_tick(data, attributes, publish_time=None) == tick


def test_scheduled_time_is_normalised_to_utc_whole_seconds():
    sao_paulo = timezone(timedelta(hours=-3))
    tick = Tick("x", datetime(2026, 11, 30, 8, 32, 0, 999_000, tzinfo=sao_paulo))
    assert tick.scheduled_time == SCHEDULED
    assert tick.scheduled_time.tzinfo is UTC


def test_a_naive_scheduled_time_or_a_body_hiding_the_keys_is_refused():
    with pytest.raises(ValueError, match="timezone-aware"):
        Tick("x", datetime(2026, 11, 30, 11, 32))
    with pytest.raises(ValueError, match="scheduled_time"):
        Tick("x", SCHEDULED, {"scheduled_time": "2020-01-01T00:00:00Z"})


def test_attributes_alone_are_enough():
    # Given a message whose data is empty but whose attributes name the run
    tick = parse_tick(b"", {"job": "x", "scheduled_time": "2026-11-30T08:32:00-03:00"}, None)
    assert tick == Tick("x", SCHEDULED, {})


def test_without_scheduled_time_the_publish_time_floored_to_the_minute_is_used():
    # Given a Cloud Scheduler message: body and job, no scheduled time
    data = json.dumps({"job": "charts-refresh", "kind": "all"}).encode()
    # When two deliveries of it are parsed with their publish times, seconds apart
    first = parse_tick(data, {"job": "charts-refresh"}, SCHEDULED + timedelta(seconds=41))
    second = parse_tick(data, {}, SCHEDULED + timedelta(seconds=59, microseconds=999_999))
    # Then the run is dated to its minute, the same for both deliveries
    assert first == second == Tick("charts-refresh", SCHEDULED, {"kind": "all"})


@pytest.mark.parametrize(
    ("data", "attributes", "publish_time", "reason"),
    [
        (b"\xff\xfe", {"job": "x"}, SCHEDULED, "not JSON"),
        (b"{not json", {"job": "x"}, SCHEDULED, "not JSON"),
        (b"[1, 2]", {"job": "x"}, SCHEDULED, "JSON object"),
        (b"{}", {}, SCHEDULED, "names no job"),
        (b'{"job": 5}', {}, SCHEDULED, "must be a string"),
        (b'{"job": "a"}', {"job": "b"}, SCHEDULED, "differs"),
        (b'{"job": "a"}', {"scheduled_time": "yesterday"}, SCHEDULED, "not a time"),
        (b'{"job": "a"}', {"scheduled_time": "2026-11-30T11:32:00"}, SCHEDULED, "not a time"),
        (b'{"job": "a"}', {}, None, "no publish time"),
    ],
)
def test_unreadable_ticks_are_refused_as_poison(data, attributes, publish_time, reason):
    with pytest.raises(UnreadableTick, match=reason) as caught:
        parse_tick(data, attributes, publish_time)
    # Poison: acknowledged, never redelivered
    assert isinstance(caught.value, PoisonMessage)


def test_a_pushed_cloud_scheduler_tick_is_read_from_its_envelope():
    # Given the push Pub/Sub sends for a Cloud Scheduler message (no scheduled time in it)
    message = message_from_cloud_event(
        _pushed(
            {
                "data": base64.b64encode(b'{"job":"weekly-digest"}').decode(),
                "attributes": {"job": "weekly-digest"},
                "messageId": "17",
                "publishTime": "2026-11-30T11:00:02.871Z",
            }
        )
    )
    # When the consumer reads it with the envelope's publish time
    tick = parse_tick(message.data, message.attributes, message.publish_time)
    # Then the run is Monday 08:00 in Sao Paulo, whatever second it was published at
    assert tick == Tick("weekly-digest", datetime(2026, 11, 30, 11, 0, tzinfo=UTC), {})


def _pushed(message: dict[str, Any]) -> CloudEvent:
    """The CloudEvent functions-framework makes of a push to a tick topic."""
    attributes = {
        "type": "google.cloud.pubsub.topic.v1.messagePublished",
        "source": "//pubsub.googleapis.com/projects/p/topics/digest-tick",
        "id": "ce-1",
    }
    return CloudEvent(attributes, {"message": message, "subscription": "digest-tick-push"})


def _tick_message(data: bytes, publish_time: str = "2026-11-30T11:00:02.871Z") -> dict[str, Any]:
    return {"data": base64.b64encode(data).decode(), "attributes": {}, "publishTime": publish_time}


def test_a_function_reads_the_tick_of_its_job_from_the_push():
    # Given the push of a Cloud Scheduler tick (no scheduled time; Pub/Sub's publish time)
    event = _pushed(_tick_message(b'{"job": "weekly-digest", "n": 1}'))
    # When the digest function reads it
    tick = read_tick(event, job="weekly-digest")
    # Then it is the run of that minute, with its body
    assert tick == Tick("weekly-digest", datetime(2026, 11, 30, 11, 0, tzinfo=UTC), {"n": 1})


@pytest.mark.parametrize(
    ("message", "reason"),
    [
        (_tick_message(b'{"job": "charts-refresh"}'), "job 'charts-refresh'"),
        (_tick_message(b"not json"), "not JSON"),
        (_tick_message(b'{"job": "weekly-digest"}', publish_time="soon"), "no publish time"),
        ({"data": "%%%"}, "base64"),
        ("not an object", "no 'message'"),
    ],
)
def test_a_tick_a_function_can_never_handle_is_one_error(message, reason):
    # Given a push holding another job's tick, no tick at all, or no message
    # When the digest function reads it
    # Then it is UnreadableTick, whatever went wrong
    with pytest.raises(UnreadableTick, match=reason):
        read_tick(_pushed(message), job="weekly-digest")


def test_each_function_reading_ticks_names_the_job_pushed_to_it():
    # Given, in stack.json, each job's topic and the function its push subscription calls
    stack = json.loads((ROOT / "infra" / "stack.json").read_text(encoding="utf-8"))
    sources = {f["name"]: f["source"] for f in stack["functions"]}
    pushed = {s["topic"]: s["push_to"] for s in stack["subscriptions"] if "push_to" in s}
    for job in stack["jobs"]:
        # When that function's module is read
        module = importlib.import_module(sources[pushed[job["topic"]]].replace("/", ".") + ".main")
        # Then it reads the ticks of that job, and so refuses none of them
        assert job["name"] == module.JOB, sources[pushed[job["topic"]]]


def test_an_entry_point_hands_its_handler_only_ticks_of_its_job(caplog):
    # Given an entry point of the weekly-digest job around a handler that records its ticks
    handled: list[Tick] = []
    entry_point = tick_handler("weekly-digest", function="digest-send")(handled.append)
    ours = _pushed(_tick_message(b'{"job": "weekly-digest"}'))
    foreign = _pushed(_tick_message(b'{"job": "charts-refresh"}'))

    # When both ticks are delivered
    with caplog.at_level(logging.INFO):
        entry_point(ours)
        entry_point(foreign)

    # Then the handler saw only its job's tick; the other was acknowledged with its reason logged
    assert handled == [Tick("weekly-digest", datetime(2026, 11, 30, 11, 0, tzinfo=UTC), {})]
    [refused] = [r for r in caplog.records if r.getMessage() == "unreadable tick acknowledged"]
    assert "charts-refresh" in refused.reason


def test_what_the_handler_raises_reaches_the_framework_so_pubsub_redelivers():
    def fail(tick: Tick) -> None:
        raise RuntimeError("database down")

    with pytest.raises(RuntimeError, match="database down"):
        tick_handler("weekly-digest", function="digest-send")(fail)(
            _pushed(_tick_message(b'{"job": "weekly-digest"}'))
        )
