"""Ingest and consumer logic with a recording publisher, classifier and store (no services)."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

import pytest

import shared.comments.store
from shared.bootstrap import App
from shared.classifier import Classification
from shared.comments.store import Stored
from shared.comments.types import CommentIn
from shared.config import Settings
from shared.consumer import DEAD_LETTER_REASON_ATTRIBUTE, dead_letter, store_submitted_comments
from shared.errors import PoisonMessage, TransientFailure
from shared.events import OutgoingMessage, decode_comments_submitted, encode_comments_submitted
from shared.ingest import submit_comments


class RecordingPublisher:
    def __init__(self, fail: bool = False) -> None:
        self.sent: list[tuple[str, list[OutgoingMessage]]] = []
        self.fail = fail

    def publish(self, topic: str, data: bytes, attributes: Mapping[str, str]) -> Any:
        raise NotImplementedError

    def publish_many(
        self, topic: str, messages: Sequence[OutgoingMessage], *, timeout: float = 30.0
    ) -> list[str]:
        if self.fail:
            raise TransientFailure("Pub/Sub did not accept 1 of 1 messages")
        self.sent.append((topic, list(messages)))
        return [str(i) for i in range(len(messages))]

    def close(self) -> None:
        return None


class RecordingClassifier:
    name = "recording"
    version = "1"

    def __init__(self) -> None:
        self.calls: list[list[str]] = []

    def classify_batch(self, texts: Sequence[str]) -> list[Classification]:
        self.calls.append(list(texts))
        return [Classification("ELOGIO", (), 0.9, self.name, self.version) for _ in texts]


@pytest.fixture
def parts() -> tuple[App, RecordingPublisher, RecordingClassifier]:
    publisher = RecordingPublisher()
    classifier = RecordingClassifier()
    app = App(
        settings=Settings(comments_per_message=2, max_text_chars=20),
        publisher_factory=lambda _settings: publisher,
        classifier_factory=lambda _settings: classifier,
        engine_factory=lambda _settings: "engine",  # type: ignore[arg-type,return-value]
    )
    return app, publisher, classifier


@pytest.fixture
def stored(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    calls: list[dict[str, Any]] = []

    def store(
        engine: Any,
        comments: Any,
        results: Any,
        *,
        source: str,
        review_threshold: float,
        message_id: str | None = None,
        request_id: str | None = None,
    ) -> Stored:
        calls.append(
            {
                "comments": list(comments),
                "results": list(results),
                "source": source,
                "engine": engine,
                "message_id": message_id,
                "request_id": request_id,
            }
        )
        return Stored(inserted=len(comments))

    monkeypatch.setattr(shared.comments.store, "store_classified", store)
    return calls


def test_submit_publishes_batches_to_the_comments_topic(parts: Any) -> None:
    # Given 5 comments and 2 comments per message
    app, publisher, _ = parts
    comments = [CommentIn(id=f"id-{i}", texto="boa") for i in range(5)]

    # When submitted
    ids = submit_comments(app, comments, request_id="req-9")

    # Then three messages go to the topic in one call and every id is returned
    [(topic, messages)] = publisher.sent
    assert topic == "comments-submitted"
    assert [len(decode_comments_submitted(m.data, m.attributes).items) for m in messages] == [
        2,
        2,
        1,
    ]
    assert all(m.attributes["request_id"] == "req-9" for m in messages)
    assert ids == [c.id for c in comments]


def test_submit_of_nothing_publishes_nothing(parts: Any) -> None:
    app, publisher, _ = parts
    assert submit_comments(app, [], request_id="r") == []
    assert publisher.sent == []


def test_submit_raises_when_pubsub_does_not_accept(parts: Any) -> None:
    app, publisher, _ = parts
    publisher.fail = True
    with pytest.raises(TransientFailure):
        submit_comments(app, [CommentIn(id="a", texto="b")], request_id="r")


def _message(items: list[Any]) -> OutgoingMessage:
    return OutgoingMessage(
        json.dumps({"comments": items}).encode(),
        {"event_type": "CommentsSubmitted", "schema_version": "1"},
    )


def test_consumer_classifies_and_stores_a_valid_message(parts: Any, stored: list[Any]) -> None:
    # Given a message of two valid comments (one with a numeric id, as the API accepts)
    app, _, classifier = parts
    message = _message([{"id": "a-1", "texto": "adorei"}, {"id": 7, "texto": "ruim"}])

    # When consumed
    count = store_submitted_comments(app, message.data, message.attributes)

    # Then one classifier call and one store call with source ingest
    assert count == 2
    assert classifier.calls == [["adorei", "ruim"]]
    [call] = stored
    assert [c.id for c in call["comments"]] == ["a-1", "7"]
    assert call["source"] == "ingest"
    assert call["engine"] == "engine"


@pytest.mark.parametrize(
    ("items", "reason"),
    [
        ([{"id": "a", "texto": ""}], "empty"),
        ([{"id": "a"}], "'texto' is missing"),
        ([{"id": "bad id!", "texto": "x"}], "not a valid comment id"),
        ([{"id": "a", "texto": "x" * 21}], "limit is 20"),
        ([{"id": "a", "texto": "nul \u0000"}], "NUL"),
        ([{"id": "a", "texto": "x"}, {"id": "a", "texto": "y"}], "more than once"),
        (["just a string"], "JSON object"),
    ],
)
def test_a_message_with_an_invalid_comment_is_poison_and_nothing_is_stored(
    parts: Any, stored: list[Any], items: list[Any], reason: str
) -> None:
    app, _, classifier = parts
    message = _message(items)
    with pytest.raises(PoisonMessage, match=reason):
        store_submitted_comments(app, message.data, message.attributes)
    assert classifier.calls == []
    assert stored == []


def test_an_empty_message_is_acknowledged_without_work(parts: Any, stored: list[Any]) -> None:
    app, _, classifier = parts
    message = _message([])
    assert store_submitted_comments(app, message.data, message.attributes) == 0
    assert classifier.calls == []
    assert stored == []


def test_messages_encoded_by_ingest_are_accepted_by_the_consumer(
    parts: Any, stored: list[Any]
) -> None:
    # Given what ingest publishes
    app, _, _ = parts
    comments = [CommentIn(id=f"x{i}", texto="som alto demais") for i in range(3)]
    messages = encode_comments_submitted(comments, request_id="r", per_message=10)

    # When the consumer receives it
    total = sum(store_submitted_comments(app, m.data, m.attributes) for m in messages)

    # Then every comment is stored
    assert total == 3


def test_dead_letter_publishes_the_message_unchanged_with_its_reason(parts: Any) -> None:
    # Given a poison message
    app, publisher, _ = parts

    # When dead-lettered with a very long reason
    dead_letter(app, b"raw bytes", {"request_id": "r"}, "bad " * 500)

    # Then the dead-letter topic gets the same data, the original attributes and the reason
    [(topic, [message])] = publisher.sent
    assert topic == "comments-submitted-dead-letter"
    assert message.data == b"raw bytes"
    assert message.attributes["request_id"] == "r"
    reason = message.attributes[DEAD_LETTER_REASON_ATTRIBUTE]
    assert reason.startswith("bad bad")
    assert len(reason.encode()) <= 1024


def _timed_message(body: dict[str, Any]) -> OutgoingMessage:
    return OutgoingMessage(
        json.dumps(body).encode(), {"event_type": "CommentsSubmitted", "schema_version": "1"}
    )


def test_consumer_stores_each_comment_at_the_time_its_message_carries(
    parts: Any, stored: list[Any]
) -> None:
    # Given a message with one client time, one item without a time, and the request's arrival
    app, _, _ = parts
    message = _timed_message(
        {
            "comments": [
                {"id": "a", "texto": "x", "criado_em": "2026-11-29T22:00:00-03:00"},
                {"id": "b", "texto": "y"},
            ],
            "submitted_at": "2026-11-30T10:00:00+00:00",
            "request_id": "req-7",
        }
    )

    # When consumed (whenever that is)
    store_submitted_comments(
        app, message.data, message.attributes, message_id="m-1", publish_time=None
    )

    # Then the times are the message's, and the store knows where the comments came from
    [call] = stored
    assert [c.criado_em for c in call["comments"]] == [
        datetime(2026, 11, 30, 1, 0, tzinfo=UTC),
        datetime(2026, 11, 30, 10, 0, tzinfo=UTC),
    ]
    assert (call["message_id"], call["request_id"]) == ("m-1", "req-7")


def test_a_foreign_message_without_times_uses_the_publish_time(
    parts: Any, stored: list[Any]
) -> None:
    app, _, _ = parts
    message = _timed_message({"comments": [{"id": "a", "texto": "x"}]})
    store_submitted_comments(
        app,
        message.data,
        message.attributes,
        publish_time=datetime(2026, 11, 30, 9, 15, 0, 500000, tzinfo=UTC),
    )
    [call] = stored
    assert call["comments"][0].criado_em == datetime(2026, 11, 30, 9, 15, 0, 500000, tzinfo=UTC)


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (
            {"comments": [{"id": "a", "texto": "x"}], "submitted_at": "2026-11-30T10:00:00"},
            "submitted_at '2026-11-30T10:00:00' has no UTC offset",
        ),
        (
            {"comments": [{"id": "a", "texto": "x"}], "submitted_at": "2999-01-01T00:00:00Z"},
            "submitted_at '2999-01-01T00:00:00Z' is in the future",
        ),
        (
            {
                "comments": [{"id": "a", "texto": "x", "criado_em": "2026-11-30T10:06:00Z"}],
                "submitted_at": "2026-11-30T10:00:00Z",
            },
            "item 0: field 'criado_em' '2026-11-30T10:06:00Z' is in the future",
        ),
    ],
)
def test_a_message_with_a_bad_time_is_poison(
    parts: Any, stored: list[Any], body: dict[str, Any], reason: str
) -> None:
    app, _, classifier = parts
    message = _timed_message(body)
    with pytest.raises(PoisonMessage, match=re.escape(reason)):
        store_submitted_comments(app, message.data, message.attributes)
    assert (classifier.calls, stored) == ([], [])
