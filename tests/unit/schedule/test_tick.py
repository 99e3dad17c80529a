"""The tick contract (shared/schedule.py): what a scheduled message carries and how it is read."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta, timezone

import pytest

from shared.errors import PoisonMessage
from shared.events import message_from_push_body
from shared.schedule import Tick, encode_tick, parse_tick

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
    published = datetime(2026, 11, 30, 11, 32, 41, 123456, tzinfo=UTC)
    # When it is parsed with its publish time (a datetime, or the push envelope's string)
    from_datetime = parse_tick(data, {"job": "charts-refresh"}, published)
    from_string = parse_tick(data, {}, "2026-11-30T11:32:41.123456789Z")
    # Then the run is dated to its minute, the same for both deliveries
    assert from_datetime == from_string == Tick("charts-refresh", SCHEDULED, {"kind": "all"})


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
        (b'{"job": "a"}', {}, "soon", "not a time"),
    ],
)
def test_unreadable_ticks_are_poison(data, attributes, publish_time, reason):
    with pytest.raises(PoisonMessage, match=reason):
        parse_tick(data, attributes, publish_time)


def test_a_pushed_cloud_scheduler_tick_is_read_from_its_envelope():
    # Given the push body Pub/Sub sends for a Cloud Scheduler message (no scheduled time in it)
    envelope = {
        "message": {
            "data": base64.b64encode(b'{"job":"weekly-digest"}').decode(),
            "attributes": {"job": "weekly-digest"},
            "messageId": "17",
            "publishTime": "2026-11-30T11:00:02.871Z",
        },
        "subscription": "projects/p/subscriptions/digest-tick-push",
    }
    message = message_from_push_body(json.dumps(envelope).encode())
    # When the consumer reads it with the envelope's publish time
    tick = parse_tick(message.data, message.attributes, message.publish_time)
    # Then the run is Monday 08:00 in Sao Paulo, whatever second it was published at
    assert tick == Tick("weekly-digest", datetime(2026, 11, 30, 11, 0, tzinfo=UTC), {})
