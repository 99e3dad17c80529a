"""POST /api/comentarios/ingest: parse one, a list or NDJSON, publish to the real Pub/Sub emulator.

A pull subscription on the test's own topic shows exactly what was published.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
import sqlalchemy as sa

from shared.bootstrap import App
from shared.comments.types import CommentIn
from shared.events import CommentsSubmitted, decode_comments_submitted, emulator_channel
from tests.integration.api.conftest import table_snapshot
from tests.support.openapi_schema import assert_conforms
from tests.support.service_fixtures import PubSubEmulator
from tooling.devstack.bootstrap import bootstrap_pubsub
from tooling.devstack.stack import parse_stack

pytestmark = pytest.mark.integration


class Topic:
    """The test's topic and a pull subscription reading everything published to it."""

    def __init__(self, emulator: PubSubEmulator, name: str) -> None:
        from google.cloud import pubsub_v1
        from google.pubsub_v1.services.subscriber.transports.grpc import SubscriberGrpcTransport

        self.emulator = emulator
        self.name = name
        self.subscription = emulator.subscription_path(f"{name}-pull")
        self.subscriber = pubsub_v1.SubscriberClient(
            transport=SubscriberGrpcTransport(channel=emulator_channel(emulator.host))
        )
        # Every event pulled so far, as published (items with their criado_em).
        self.events: list[CommentsSubmitted] = []

    def pull(
        self, *, until_ids: set[str], attempts: int = 50
    ) -> list[tuple[list[CommentIn], dict[str, str]]]:
        """Messages, decoded, until every id of `until_ids` has been seen."""
        messages: list[tuple[list[CommentIn], dict[str, str]]] = []
        seen: set[str] = set()
        for _ in range(attempts):
            if until_ids <= seen:
                return messages
            response = self.subscriber.pull(
                request={"subscription": self.subscription, "max_messages": 100}, timeout=10
            )
            if response.received_messages:
                self.subscriber.acknowledge(
                    request={
                        "subscription": self.subscription,
                        "ack_ids": [m.ack_id for m in response.received_messages],
                    }
                )
            for received in response.received_messages:
                attributes = dict(received.message.attributes)
                event = decode_comments_submitted(bytes(received.message.data), attributes)
                self.events.append(event)
                comments = [CommentIn(item["id"], item["texto"]) for item in event.items]
                seen.update(c.id for c in comments)
                messages.append((comments, attributes))
        raise AssertionError(f"never received {sorted(until_ids - seen)[:5]}...")


@pytest.fixture
def topic(pubsub_emulator: PubSubEmulator) -> Iterator[Topic]:
    name = f"comments-submitted-{secrets.token_hex(4)}"
    spec = parse_stack(
        {
            "project_id": pubsub_emulator.project_id,
            "functions": [],
            "topics": [{"name": name}, {"name": f"{name}-dead-letter"}],
            "subscriptions": [{"name": f"{name}-pull", "topic": name, "ack_deadline_seconds": 10}],
        }
    )
    bootstrap_pubsub(spec, pubsub_emulator.host)
    handle = Topic(pubsub_emulator, name)
    try:
        yield handle
    finally:
        handle.subscriber.close()


@pytest.fixture
def ingest_app(
    app_with: Callable[..., App], pubsub_emulator: PubSubEmulator, topic: Topic
) -> Callable[..., App]:
    """Install an App publishing to the test's topic on the emulator (settings overridable)."""

    def install(**overrides: Any) -> App:
        return app_with(
            pubsub_emulator_host=pubsub_emulator.host,
            pubsub_project_id=pubsub_emulator.project_id,
            comments_topic=topic.name,
            comments_dead_letter_topic=f"{topic.name}-dead-letter",
            **overrides,
        )

    install()
    return install


def test_one_comment_is_accepted_and_published(admin, ingest_app, topic, clean_db):
    # Given one comment
    # When it is ingested with a request id
    response = admin.post(
        "/api/comentarios/ingest",
        json={"id": "a1", "texto": "ótima faixa"},
        headers={"X-Request-Id": "ingest-test-0001"},
    )
    # Then 202 names it, and exactly it is published as CommentsSubmitted with that request id
    assert response.status_code == 202
    assert_conforms(response, "POST /api/comentarios/ingest")
    assert response.get_json() == {"accepted": 1, "ids": ["a1"]}
    ((comments, attributes),) = topic.pull(until_ids={"a1"})
    assert comments == [CommentIn("a1", "ótima faixa")]
    assert attributes["event_type"] == "CommentsSubmitted"
    assert attributes["request_id"] == "ingest-test-0001"
    # And nothing is stored by ingest itself (the consumer does that)
    assert table_snapshot(clean_db) == []


def test_a_list_is_published_in_batches_each_comment_once(admin, ingest_app, topic):
    ingest_app(comments_per_message=500)
    batch = [{"id": f"b{i}", "texto": f"comentário {i}"} for i in range(1200)]
    response = admin.post("/api/comentarios/ingest", json=batch)
    assert response.status_code == 202
    body = response.get_json()
    assert body["accepted"] == 1200
    assert body["ids"] == [c["id"] for c in batch]
    messages = topic.pull(until_ids=set(body["ids"]))
    assert sorted(len(comments) for comments, _ in messages) == [200, 500, 500]
    published = [c.id for comments, _ in messages for c in comments]
    assert sorted(published) == sorted(body["ids"])


@pytest.mark.parametrize("content_type", ["application/x-ndjson", "application/json"])
def test_ndjson_is_accepted(admin, ingest_app, topic, content_type):
    lines = "\n".join(json.dumps({"id": f"n{i}", "texto": f"linha {i}"}) for i in range(3)) + "\n"
    response = admin.post("/api/comentarios/ingest", data=lines.encode(), content_type=content_type)
    assert response.status_code == 202
    assert_conforms(response, "POST /api/comentarios/ingest")
    assert response.get_json()["ids"] == ["n0", "n1", "n2"]
    topic.pull(until_ids={"n0", "n1", "n2"})


def test_ndjson_texts_may_hold_the_unicode_line_separators(admin, ingest_app, topic):
    # Given comments whose texts hold U+2028 and U+0085, written raw in their NDJSON lines
    texts = ["trava\u2028toda hora", "sem som\u0085no app"]
    lines = "".join(
        json.dumps({"id": f"u{i}", "texto": t}, ensure_ascii=False) + "\n"
        for i, t in enumerate(texts)
    )
    # When they are ingested
    response = admin.post(
        "/api/comentarios/ingest", data=lines.encode(), content_type="application/x-ndjson"
    )
    # Then both are accepted and published with their texts intact
    assert response.status_code == 202, response.get_json()
    messages = topic.pull(until_ids={"u0", "u1"})
    assert sorted(c.texto for comments, _ in messages for c in comments) == sorted(texts)


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b"{}\n" * 5_000_000, "application/x-ndjson"),
        (b"[" + b"{}," * 5_000_000 + b"{}]", "application/json"),
    ],
)
def test_millions_of_empty_objects_are_refused_at_the_item_limit(
    admin, ingest_app, topic, body, content_type
):
    # Given the default item limit (10,000) and a 15 MB body of five million empty objects
    ingest_app()
    # When it is ingested
    response = admin.post("/api/comentarios/ingest", data=body, content_type=content_type)
    # Then it is 413 once the limit is passed, without decoding (or validating) the rest
    assert response.status_code == 413
    assert response.get_json()["error"]["message"] == (
        "more than 10000 comments in one request; the limit is 10000"
    )


BAD = [
    ("malformed", b'[{"id": "x1", "texto": "a"}, ', "application/json", 400),
    ("missing texto", b'[{"id": "x1", "texto": "a"}, {"id": "x2"}]', "application/json", 400),
    ("NUL", b'{"id": "x1", "texto": "a\\u0000"}', "application/json", 400),
    ("bad NDJSON line", b'{"id": "x1", "texto": "a"}\n{"id": ', "application/x-ndjson", 400),
    (
        "duplicate ids",
        b'{"id": "x1", "texto": "a"}\n{"id": "x1", "texto": "b"}',
        "application/x-ndjson",
        400,
    ),
    (
        "too many",
        json.dumps([{"id": f"x{i}", "texto": "a"} for i in range(11)]).encode(),
        "application/json",
        413,
    ),
    ("too big", json.dumps({"id": "x1", "texto": "a" * 3000}).encode(), "application/json", 413),
    ("form", b"id=x1&texto=a", "application/x-www-form-urlencoded", 415),
]


@pytest.mark.parametrize(("case", "body", "content_type", "status"), BAD, ids=[b[0] for b in BAD])
def test_bad_input_is_refused_and_nothing_is_published(
    admin, ingest_app, topic, case, body, content_type, status
):
    # Given tight limits
    ingest_app(max_ingest_batch=10, max_body_bytes=2048)
    # When a bad request is sent, then a good one
    refused = admin.post("/api/comentarios/ingest", data=body, content_type=content_type)
    accepted = admin.post("/api/comentarios/ingest", json={"id": "marker", "texto": "ok"})
    # Then the bad one got its 4xx JSON, and the topic holds only the good one
    assert refused.status_code == status
    assert_conforms(refused, "POST /api/comentarios/ingest")
    assert set(refused.get_json()["error"]) >= {"code", "message"}
    assert accepted.status_code == 202
    published = [c.id for comments, _ in topic.pull(until_ids={"marker"}) for c in comments]
    assert published == ["marker"]


def test_nothing_is_stored_by_a_refused_ingest(admin, ingest_app, clean_db):
    before = table_snapshot(clean_db)
    assert admin.post("/api/comentarios/ingest", json=[]).status_code == 400
    assert table_snapshot(clean_db) == before
    with clean_db.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM comments")).scalar() == 0


def test_generated_request_id_is_the_one_published_and_answered(admin, ingest_app, topic):
    response = admin.post("/api/comentarios/ingest", json={"id": "r1", "texto": "oi"})
    assert response.status_code == 202
    ((_, attributes),) = topic.pull(until_ids={"r1"})
    assert attributes["request_id"] == response.headers["X-Request-Id"]


def test_comments_of_one_request_carry_its_arrival_time_unless_they_bring_their_own(
    admin, ingest_app, topic
):
    # Given 1,200 comments in one request (three messages), one with the client's own time
    ingest_app(comments_per_message=500)
    batch: list[dict[str, str]] = [{"id": f"t{i}", "texto": f"comentário {i}"} for i in range(1200)]
    batch[700]["criado_em"] = "2026-11-20T22:30:00-03:00"

    # When ingested
    before = datetime.now(UTC)
    response = admin.post("/api/comentarios/ingest", json=batch)
    after = datetime.now(UTC)
    assert response.status_code == 202

    # Then every published comment carries a time: the client's for t700, and for all the others
    # one and the same instant, the request's arrival, which is also each message's submitted_at
    topic.pull(until_ids={c["id"] for c in batch})
    times = {item["id"]: item["criado_em"] for e in topic.events for item in e.items}
    assert len(times) == 1200
    assert times.pop("t700") == "2026-11-21T01:30:00+00:00"
    [arrival] = set(times.values())
    assert {e.submitted_at for e in topic.events} == {arrival}
    assert before <= datetime.fromisoformat(arrival) <= after


@pytest.mark.parametrize(
    ("criado_em", "message"),
    [
        (
            "2026-11-20T22:30:00",
            "item 1: field 'criado_em' '2026-11-20T22:30:00' has no UTC offset",
        ),
        (
            "2999-01-01T00:00:00Z",
            "item 1: field 'criado_em' '2999-01-01T00:00:00Z' is in the future",
        ),
        ("1999-12-31T23:00:00Z", "is before 2000-01-01"),
        ("ontem", "is not an ISO 8601 date-time"),
    ],
)
def test_a_bad_comment_time_is_400_naming_the_item_and_nothing_is_published(
    admin, ingest_app, topic, criado_em, message
):
    refused = admin.post(
        "/api/comentarios/ingest",
        json=[{"id": "ok", "texto": "boa"}, {"id": "bad", "texto": "boa", "criado_em": criado_em}],
    )
    assert refused.status_code == 400
    assert refused.get_json()["error"]["code"] == "invalid_input"
    assert message in refused.get_json()["error"]["message"]
    assert (
        admin.post("/api/comentarios/ingest", json={"id": "marker", "texto": "x"}).status_code
        == 202
    )
    published = [c.id for comments, _ in topic.pull(until_ids={"marker"}) for c in comments]
    assert published == ["marker"]
