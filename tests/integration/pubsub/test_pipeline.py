"""Publish -> emulator push -> consume_comments under functions-framework -> rows in PostgreSQL."""

from __future__ import annotations

import json
import secrets
import signal

import pytest
import sqlalchemy as sa

from shared.bootstrap import App
from shared.consumer import DEAD_LETTER_REASON_ATTRIBUTE
from shared.events import OutgoingMessage, PubSubPublisher, encode_comments_submitted
from shared.ingest import submit_comments
from tests.integration.pubsub.conftest import (
    MAX_DELIVERY_ATTEMPTS,
    ConsumerFactory,
    PubSubNames,
    PulledMessage,
    comments_for,
    pull_dead_letters,
    stored_ids,
)
from tests.support.service_fixtures import FunctionServer, PubSubEmulator
from tooling.devstack.supervisor import group_alive
from tooling.devstack.waiting import wait_until

pytestmark = pytest.mark.integration


def _records(server: FunctionServer, message: str) -> list[dict[str, object]]:
    return [r for r in server.log_records() if r.get("message") == message]


def _snapshot(engine: sa.Engine, prefix: str) -> list[tuple[object, ...]]:
    with engine.connect() as conn:
        rows = conn.execute(
            sa.text("SELECT * FROM comments WHERE id LIKE :p ORDER BY id"), {"p": prefix + "%"}
        )
        return [tuple(row) for row in rows]


def test_ingested_comments_are_classified_and_stored_once(
    pubsub_app: App, start_consumer: ConsumerFactory, clean_db: sa.Engine
) -> None:
    # Given the consumer behind a push subscription
    start_consumer()
    prefix = f"it-{secrets.token_hex(3)}"
    comments = comments_for(prefix, 1200)

    # When ingest publishes them (several messages of comments_per_message each)
    accepted = submit_comments(pubsub_app, comments, request_id="it-ingest")

    # Then every one is stored exactly once, classified, marked as coming from ingest
    assert accepted == [c.id for c in comments]
    assert wait_until(lambda: len(stored_ids(clean_db, prefix)) >= 1200, timeout=60)
    assert stored_ids(clean_db, prefix) == {c.id for c in comments}
    with clean_db.connect() as conn:
        sources = conn.execute(
            sa.text("SELECT DISTINCT source FROM comments WHERE id LIKE :p"), {"p": prefix + "%"}
        ).scalars()
        assert set(sources) == {"ingest"}
        texts: dict[str, str] = dict(
            conn.execute(
                sa.text("SELECT id, texto FROM comments WHERE id LIKE :p"), {"p": prefix + "%"}
            ).all()
        )
    assert texts == {c.id: c.texto for c in comments}


def test_redelivered_message_changes_nothing(
    start_consumer: ConsumerFactory,
    publisher: PubSubPublisher,
    topics: PubSubNames,
    clean_db: sa.Engine,
) -> None:
    # Given a message that was delivered and stored
    consumer = start_consumer()
    prefix = f"re-{secrets.token_hex(3)}"
    [message] = encode_comments_submitted(
        comments_for(prefix, 50), request_id="re", per_message=500
    )
    publisher.publish_many(topics.topic, [message])
    assert wait_until(lambda: len(_records(consumer, "stored")) == 1, timeout=30)
    before = _snapshot(clean_db, prefix)
    assert len(before) == 50

    # When the very same message arrives again (a duplicate publish, as a redelivery would)
    publisher.publish_many(topics.topic, [message])

    # Then it is processed and acknowledged, storing nothing and changing no row
    assert wait_until(lambda: len(_records(consumer, "stored")) == 2, timeout=30)
    assert [r["stored"] for r in _records(consumer, "stored")] == [50, 0]
    assert _snapshot(clean_db, prefix) == before


def test_poison_messages_go_to_the_dead_letter_topic_with_a_reason(
    pubsub_emulator: PubSubEmulator,
    start_consumer: ConsumerFactory,
    publisher: PubSubPublisher,
    topics: PubSubNames,
    clean_db: sa.Engine,
) -> None:
    # Given the consumer, and messages that can never succeed
    consumer = start_consumer()
    prefix = f"poison-{secrets.token_hex(3)}"
    not_json = OutgoingMessage(b"\xff\x00 not json", {"event_type": "CommentsSubmitted"})
    bad_comment = OutgoingMessage(
        json.dumps(
            {
                "comments": [
                    {"id": f"{prefix}-ok", "texto": "boa"},
                    {"id": f"{prefix}-x", "texto": ""},
                ]
            }
        ).encode(),
        {"event_type": "CommentsSubmitted", "schema_version": "1"},
    )

    # When they are published
    publisher.publish_many(topics.topic, [not_json, bad_comment])

    # Then both land on the dead-letter subscription, unchanged, each with its reason
    pulled: list[PulledMessage] = []

    def both_dead_lettered() -> bool:
        pulled.extend(pull_dead_letters(pubsub_emulator, topics.dead_letter_subscription))
        return len(pulled) >= 2

    assert wait_until(both_dead_lettered, timeout=30, interval=0.2)
    reasons = {m.data: m.attributes[DEAD_LETTER_REASON_ATTRIBUTE] for m in pulled}
    assert set(reasons) == {not_json.data, bad_comment.data}
    assert "not JSON" in reasons[not_json.data]
    assert "item 1" in reasons[bad_comment.data]
    assert "empty" in reasons[bad_comment.data]
    # ...they were acknowledged at once (one delivery each), and nothing was stored
    assert len(_records(consumer, "message dead-lettered")) == 2
    assert stored_ids(clean_db, prefix) == set()


def test_transient_failure_is_retried_then_dead_lettered(
    pubsub_emulator: PubSubEmulator,
    start_consumer: ConsumerFactory,
    publisher: PubSubPublisher,
    topics: PubSubNames,
    clean_db: sa.Engine,
) -> None:
    # Given a consumer whose database is down (nothing listens on its port), and that does not
    # wait for it to come back (test_database_restart.py covers the wait)
    from tooling.devstack.services import free_port

    consumer = start_consumer(
        DATABASE_URL=f"postgresql+psycopg://postgres@127.0.0.1:{free_port()}/alumusic",
        DB_OUTAGE_WAIT_SECONDS="0",
    )
    prefix = f"down-{secrets.token_hex(3)}"
    messages = encode_comments_submitted(
        comments_for(prefix, 5), request_id="down", per_message=500
    )

    # When a message arrives
    publisher.publish_many(topics.topic, messages)

    # Then each delivery fails with 5xx, Pub/Sub redelivers, and after the maximum attempts
    # the subscription's dead-letter policy moves the message to the dead-letter topic
    pulled: list[PulledMessage] = []

    def dead_lettered() -> bool:
        pulled.extend(pull_dead_letters(pubsub_emulator, topics.dead_letter_subscription))
        return bool(pulled)

    assert wait_until(dead_lettered, timeout=60, interval=0.3)
    assert [m.data for m in pulled] == [messages[0].data]
    assert DEAD_LETTER_REASON_ATTRIBUTE not in pulled[0].attributes
    failures = [r for r in consumer.log_records() if r.get("severity") == "ERROR"]
    assert len(failures) == MAX_DELIVERY_ATTEMPTS
    assert stored_ids(clean_db, prefix) == set()


def test_consumer_killed_mid_batch_loses_nothing(
    start_consumer: ConsumerFactory,
    publisher: PubSubPublisher,
    topics: PubSubNames,
    clean_db: sa.Engine,
    db_engine: sa.Engine,
) -> None:
    # Given a consumer that has classified a batch and is blocked writing it (the table is locked)
    consumer = start_consumer(max_delivery_attempts=100)
    prefix = f"crash-{secrets.token_hex(3)}"
    comments = comments_for(prefix, 500)
    messages = encode_comments_submitted(comments, request_id="crash", per_message=500)
    locker = db_engine.connect()
    transaction = locker.begin()
    locker.execute(sa.text("LOCK TABLE comments IN ACCESS EXCLUSIVE MODE"))
    try:
        publisher.publish_many(topics.topic, messages)

        def insert_waiting() -> bool:
            with db_engine.connect() as conn:
                waiting = conn.execute(
                    sa.text(
                        "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                        "AND query LIKE '%INSERT INTO comments%' AND pid <> pg_backend_pid()"
                    )
                ).scalar_one()
            return int(waiting) > 0

        assert wait_until(insert_waiting, timeout=30, interval=0.1)

        # When the consumer process dies in the middle of that push
        consumer.process.signal_group(signal.SIGKILL)
        assert wait_until(lambda: not group_alive(consumer.process.pgid), timeout=10)
    finally:
        transaction.rollback()
        locker.close()

    # Then, once a consumer is back on the same endpoint, the redelivered message stores every
    # comment exactly once
    restarted = start_consumer(port=consumer.port, max_delivery_attempts=100)
    assert wait_until(lambda: len(stored_ids(clean_db, prefix)) >= 500, timeout=60), (
        restarted.process.log_path.read_text(errors="replace")[-3000:]
    )
    assert stored_ids(clean_db, prefix) == {c.id for c in comments}
