"""CommentsSubmitted encoding/decoding, push envelopes, waiting on publish futures."""

from __future__ import annotations

import base64
import concurrent.futures
import json
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from cloudevents.http import CloudEvent

from shared.comments.types import CommentIn
from shared.errors import PoisonMessage, TransientFailure
from shared.events import (
    COMMENTS_SUBMITTED,
    MalformedEnvelope,
    decode_comments_submitted,
    encode_comments_submitted,
    message_from_cloud_event,
    truncate_attribute,
    wait_for_message_ids,
)

EVENTS = Path(__file__).resolve().parents[1] / "fixtures" / "events"


def _comments(count: int, text: str = "ótima faixa") -> list[CommentIn]:
    return [CommentIn(id=f"c-{i}", texto=text) for i in range(count)]


def test_comments_are_split_into_messages_of_at_most_per_message() -> None:
    # Given 1,201 comments and 500 per message
    comments = _comments(1201)

    # When they are encoded
    messages = encode_comments_submitted(comments, request_id="req-1", per_message=500)

    # Then three messages carry them all, in order, with the event's attributes
    decoded = [decode_comments_submitted(m.data, m.attributes) for m in messages]
    assert [len(d.items) for d in decoded] == [500, 500, 201]
    assert [item["id"] for d in decoded for item in d.items] == [c.id for c in comments]
    assert all(d.request_id == "req-1" and d.submitted_at for d in decoded)
    assert messages[0].attributes == {
        "event_type": COMMENTS_SUBMITTED,
        "schema_version": "1",
        "request_id": "req-1",
    }


def test_texts_travel_unescaped_and_intact() -> None:
    # Given texts with accents, emoji and quotes
    comments = [CommentIn(id="a", texto='crítica "séria" 🔥\nlinha 2')]

    # When encoded and decoded
    arrived = datetime(2026, 11, 30, 14, 5, tzinfo=UTC)
    [message] = encode_comments_submitted(
        comments, request_id="r", per_message=10, submitted_at=arrived
    )

    # Then the text is byte-for-byte the same, stored as UTF-8 rather than \\u escapes
    assert "crítica".encode() in message.data
    assert decode_comments_submitted(message.data, message.attributes).items == [
        {"id": "a", "texto": 'crítica "séria" 🔥\nlinha 2', "criado_em": arrived.isoformat()}
    ]


def test_each_comment_carries_its_time_and_the_request_time_stands_in() -> None:
    # Given one comment with the client's time (given with an offset) and one without
    arrived = datetime(2026, 11, 30, 14, 5, 0, 123456, tzinfo=UTC)
    written = datetime(2026, 11, 29, 21, 30, tzinfo=timezone(timedelta(hours=-3)))
    comments = [CommentIn("a", "x", criado_em=written), CommentIn("b", "y")]

    # When encoded
    [message] = encode_comments_submitted(
        comments, request_id="r", per_message=10, submitted_at=arrived
    )

    # Then each item carries an absolute time in UTC: its own, or the request's arrival
    event = decode_comments_submitted(message.data, message.attributes)
    assert [item["criado_em"] for item in event.items] == [
        "2026-11-30T00:30:00+00:00",
        "2026-11-30T14:05:00.123456+00:00",
    ]
    assert event.submitted_at == "2026-11-30T14:05:00.123456+00:00"


def test_a_chunk_over_the_byte_limit_is_halved_until_it_fits() -> None:
    # Given 8 comments of ~1 kB and a 3 kB message limit
    comments = _comments(8, text="x" * 1000)

    # When encoded with room for all 8 by count
    messages = encode_comments_submitted(
        comments, request_id="r", per_message=8, max_message_bytes=3000
    )

    # Then every message fits and none is lost or reordered
    assert all(len(m.data) <= 3000 for m in messages)
    ids = [i["id"] for m in messages for i in decode_comments_submitted(m.data, {}).items]
    assert ids == [c.id for c in comments]
    assert len(messages) == 4


def test_one_comment_larger_than_a_message_is_refused() -> None:
    with pytest.raises(ValueError, match="exceeds"):
        encode_comments_submitted(
            _comments(1, text="x" * 5000), request_id="r", per_message=1, max_message_bytes=1000
        )


@pytest.mark.parametrize(
    ("data", "attributes", "reason"),
    [
        (b'{"comments": []}', {"event_type": "Other"}, "event_type"),
        (b'{"comments": []}', {"schema_version": "9"}, "schema_version"),
        (b"\xff\xfe", {}, "not JSON"),
        (b"{nope", {}, "not JSON"),
        (b"[1, 2]", {}, "JSON object"),
        (b'{"comments": "x"}', {}, "'comments' list"),
        (b"{}", {}, "'comments' list"),
    ],
)
def test_undecodable_messages_are_poison(
    data: bytes, attributes: dict[str, str], reason: str
) -> None:
    with pytest.raises(PoisonMessage, match=reason):
        decode_comments_submitted(data, attributes)


def test_attribute_values_are_cut_on_a_character_boundary() -> None:
    # Given a value of 2-byte characters longer than the limit
    value = "é" * 600  # 1,200 bytes

    # When truncated to 1,024 bytes
    cut = truncate_attribute(value)

    # Then it fits and is still valid text made of whole characters
    assert len(cut.encode()) <= 1024
    assert cut == "é" * 512
    assert truncate_attribute("short") == "short"


def _pushed(payload: object) -> CloudEvent:
    """The CloudEvent functions-framework makes of a push whose JSON body is `payload`."""
    attributes = {
        "type": "google.cloud.pubsub.topic.v1.messagePublished",
        "source": "//pubsub.googleapis.com/projects/alumusic-local/topics/comments-submitted",
        "id": "ce-1",
    }
    return CloudEvent(attributes, payload)


def test_recorded_push_body_decodes() -> None:
    # Given the event of a push body recorded from the emulator
    event = _pushed(json.loads((EVENTS / "comments_submitted_push.json").read_bytes()))

    # When decoded
    message = message_from_cloud_event(event)

    # Then data, attributes, id and subscription come out
    assert message.message_id == "1"
    assert message.attributes["event_type"] == COMMENTS_SUBMITTED
    assert message.subscription is not None
    assert message.subscription.endswith("/subscriptions/comments-submitted-push")
    event = decode_comments_submitted(message.data, message.attributes)
    assert [c["id"] for c in event.items] == ["evt-1", "evt-2", "evt-3"]


def test_cloud_event_built_by_functions_framework_decodes() -> None:
    # Given the CloudEvent functions-framework makes of a push (data.message with base64 data)
    envelope = json.loads((EVENTS / "comments_submitted_push.json").read_text())
    event = _pushed({"message": {"data": envelope["message"]["data"], "attributes": {"a": "b"}}})

    # When decoded
    message = message_from_cloud_event(event)

    # Then the payload comes out and the event id stands in for the missing message id
    assert message.data == base64.b64decode(envelope["message"]["data"])
    assert message.attributes == {"a": "b"}
    assert message.message_id == "ce-1"


@pytest.mark.parametrize(
    ("publish_time", "expected"),
    [
        # Pub/Sub's own form: UTC, `Z`, up to nanoseconds (Python keeps microseconds)
        ("2026-11-30T11:32:41.123456789Z", datetime(2026, 11, 30, 11, 32, 41, 123456, tzinfo=UTC)),
        ("2026-11-30T08:32:41-03:00", datetime(2026, 11, 30, 11, 32, 41, tzinfo=UTC)),
        ("2026-11-30T11:32:41", datetime(2026, 11, 30, 11, 32, 41, tzinfo=UTC)),
        ("soon", None),
        (1764502361, None),
        (None, None),
    ],
)
def test_the_publish_time_is_read_once_as_an_aware_utc_time(
    publish_time: object, expected: datetime | None
) -> None:
    # Given a push whose message carries that publish time
    message = {"data": "", "messageId": "1", "publishTime": publish_time}

    # When decoded
    decoded = message_from_cloud_event(_pushed({"message": message}))

    # Then every reader gets the same aware UTC time, or None when there is none to read
    assert decoded.publish_time == expected
    assert decoded.publish_time is None or decoded.publish_time.tzinfo is UTC


@pytest.mark.parametrize(
    ("payload", "reason"),
    [
        ([], "not an object"),
        ({"subscription": "s"}, "no 'message'"),
        ({"message": {"data": "%%%"}}, "base64"),
        ({"message": {"data": 5}}, "base64 string"),
        ({"message": {"data": "", "attributes": {"a": 1}}}, "attributes"),
    ],
)
def test_malformed_pushes_keep_what_arrived(payload: object, reason: str) -> None:
    with pytest.raises(MalformedEnvelope, match=reason) as caught:
        message_from_cloud_event(_pushed(payload))
    assert json.loads(caught.value.raw) == payload


def _future(
    result: str | None = None, error: Exception | None = None
) -> concurrent.futures.Future[str]:
    future: concurrent.futures.Future[str] = concurrent.futures.Future()
    if error is not None:
        future.set_exception(error)
    elif result is not None:
        future.set_result(result)
    return future


def test_waiting_returns_every_message_id_in_order() -> None:
    assert wait_for_message_ids([_future("1"), _future("2")], topic="t", timeout=1) == ["1", "2"]


def test_a_refused_message_is_a_transient_failure() -> None:
    with pytest.raises(TransientFailure, match="refused 1 of 2"):
        wait_for_message_ids(
            [_future("1"), _future(error=RuntimeError("deadline exceeded"))], topic="t", timeout=1
        )


def test_a_message_not_accepted_in_time_is_a_transient_failure() -> None:
    with pytest.raises(TransientFailure, match="did not accept 1 of 2"):
        wait_for_message_ids([_future("1"), _future()], topic="t", timeout=0.05)
