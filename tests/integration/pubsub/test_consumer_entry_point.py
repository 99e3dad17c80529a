"""consume_comments through functions-framework's own app, fed recorded Pub/Sub push bodies.

The bodies in tests/fixtures/events/ were recorded from the emulator
(tests/integration/pubsub/record_push_envelopes.py): plain push JSON, which functions-framework
turns into a `google.cloud.pubsub.topic.v1.messagePublished` CloudEvent.
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import functions_framework
import pytest
import sqlalchemy as sa

from shared.bootstrap import App, set_app
from shared.consumer import DEAD_LETTER_REASON_ATTRIBUTE
from tests.integration.pubsub.conftest import PubSubNames, pull_dead_letters, stored_ids
from tests.support.db_fixtures import make_settings
from tests.support.service_fixtures import PubSubEmulator
from tooling.devstack.services import free_port
from tooling.devstack.stack import repo_root
from tooling.devstack.waiting import wait_until

pytestmark = pytest.mark.integration

EVENTS = Path(__file__).resolve().parents[2] / "fixtures" / "events"
PUSH_PATH = "/projects/alumusic-local/topics/comments-submitted"


def recorded(name: str) -> dict[str, Any]:
    return dict(json.loads((EVENTS / f"{name}.json").read_text(encoding="utf-8")))


def consumer_app() -> Any:
    """functions-framework's Flask app for the consumer, as `functions-framework` would serve it."""
    source = str(repo_root() / "functions" / "classify" / "main.py")
    return functions_framework.create_app("consume_comments", source, "cloudevent")  # type: ignore[no-untyped-call]


@pytest.fixture
def consumer_client(pubsub_app: App) -> Any:
    return consumer_app().test_client()


def dead_letters(emulator: PubSubEmulator, names: PubSubNames, expected: int) -> list[Any]:
    pulled: list[Any] = []

    def arrived() -> bool:
        pulled.extend(pull_dead_letters(emulator, names.dead_letter_subscription))
        return len(pulled) >= expected

    assert wait_until(arrived, timeout=20, interval=0.2)
    return pulled


def test_recorded_push_is_classified_and_stored(consumer_client: Any, clean_db: sa.Engine) -> None:
    # Given a recorded push of three comments
    envelope = recorded("comments_submitted_push")

    # When functions-framework receives it
    response = consumer_client.post(PUSH_PATH, json=envelope)

    # Then it acknowledges (2xx) and the three comments are stored from ingest
    assert response.status_code == 200
    with clean_db.connect() as conn:
        rows = conn.execute(
            sa.text("SELECT id, source, categoria FROM comments WHERE id LIKE 'evt-%' ORDER BY id")
        ).all()
    assert [(r.id, r.source) for r in rows] == [
        ("evt-1", "ingest"),
        ("evt-2", "ingest"),
        ("evt-3", "ingest"),
    ]
    assert all(r.categoria for r in rows)


def test_recorded_push_twice_stores_once(consumer_client: Any, clean_db: sa.Engine) -> None:
    # Given a push that was already processed
    envelope = recorded("comments_submitted_push")
    assert consumer_client.post(PUSH_PATH, json=envelope).status_code == 200
    with clean_db.connect() as conn:
        before = conn.execute(sa.text("SELECT * FROM comments ORDER BY id")).all()

    # When the same push is delivered again
    response = consumer_client.post(PUSH_PATH, json=envelope)

    # Then it is acknowledged and no row changes
    assert response.status_code == 200
    with clean_db.connect() as conn:
        after = conn.execute(sa.text("SELECT * FROM comments ORDER BY id")).all()
    assert after == before
    assert len(stored_ids(clean_db, "evt-")) == 3


@pytest.mark.parametrize(
    ("fixture", "reason_part"),
    [
        ("invalid_comment_push", "item 1"),
        ("not_json_push", "not JSON"),
        ("unknown_event_type_push", "event_type"),
    ],
)
def test_recorded_poison_push_is_acknowledged_and_dead_lettered(
    consumer_client: Any,
    clean_db: sa.Engine,
    pubsub_emulator: PubSubEmulator,
    topics: PubSubNames,
    fixture: str,
    reason_part: str,
) -> None:
    # Given a recorded push that can never be processed
    envelope = recorded(fixture)

    # When it is delivered
    response = consumer_client.post(PUSH_PATH, json=envelope)

    # Then it is acknowledged (no redelivery), copied to the dead-letter topic with its reason,
    # and nothing is stored
    assert response.status_code == 200
    [message] = dead_letters(pubsub_emulator, topics, 1)
    assert message.data == base64.b64decode(envelope["message"]["data"])
    assert reason_part in message.attributes[DEAD_LETTER_REASON_ATTRIBUTE]
    assert stored_ids(clean_db, "evt-") == set()


def test_malformed_envelope_is_dead_lettered(
    consumer_client: Any,
    clean_db: sa.Engine,
    pubsub_emulator: PubSubEmulator,
    topics: PubSubNames,
) -> None:
    # Given a recorded push whose data is not base64 (the envelope itself is broken)
    envelope = recorded("comments_submitted_push")
    envelope["message"]["data"] = "%%% not base64 %%%"

    # When it is delivered
    response = consumer_client.post(PUSH_PATH, json=envelope)

    # Then it is acknowledged and dead-lettered with a reason; nothing is stored
    assert response.status_code == 200
    [message] = dead_letters(pubsub_emulator, topics, 1)
    assert "base64" in message.attributes[DEAD_LETTER_REASON_ATTRIBUTE]
    assert stored_ids(clean_db, "evt-") == set()


def test_database_down_answers_5xx_so_pubsub_redelivers(
    pubsub_app: App, database_url: str, clean_db: sa.Engine
) -> None:
    # Given the consumer's database is unreachable
    down = App(
        settings=make_settings(
            f"postgresql+psycopg://postgres@127.0.0.1:{free_port()}/alumusic",
            pubsub_emulator_host=pubsub_app.settings.pubsub_emulator_host,
            pubsub_project_id=pubsub_app.settings.pubsub_project_id,
        )
    )
    set_app(down)
    client = consumer_app().test_client()

    # When a valid push arrives
    response = client.post(PUSH_PATH, json=recorded("comments_submitted_push"))

    # Then the function fails with a 5xx (the emulator will redeliver) and nothing is stored
    assert response.status_code >= 500
    assert stored_ids(clean_db, "evt-") == set()


# --- comment time and reused ids ----------------------------------------------------------------


def _times(engine: sa.Engine, *ids: str) -> dict[str, datetime]:
    with engine.connect() as conn:
        rows = conn.execute(
            sa.text("SELECT id, created_at FROM comments WHERE id = ANY(:ids)"), {"ids": list(ids)}
        ).all()
    return {row.id: row.created_at for row in rows}


def test_recorded_push_with_comment_times_stores_each_comment_at_its_time(
    consumer_client: Any, clean_db: sa.Engine
) -> None:
    # Given a recorded push whose comments carry their times (one the client's, written on a
    # São Paulo evening that is already the next day in UTC; one the request's arrival)
    envelope = recorded("comments_with_time_push")

    # When functions-framework receives it
    assert consumer_client.post(PUSH_PATH, json=envelope).status_code == 200

    # Then each comment is stored at the time it carried, not when it was consumed
    assert _times(clean_db, "evt-t1", "evt-t2") == {
        "evt-t1": datetime(2026, 11, 21, 1, 30, tzinfo=UTC),
        "evt-t2": datetime(2026, 11, 30, 10, 0, 0, 250000, tzinfo=UTC),
    }
    with clean_db.connect() as conn:
        stored_at = conn.execute(
            sa.text("SELECT min(stored_at) FROM comments WHERE id LIKE 'evt-t%'")
        ).scalar_one()
    assert abs(datetime.now(UTC) - stored_at) < timedelta(minutes=5)


def test_a_redelivery_after_a_failed_attempt_lands_in_the_same_hour_day_and_week(
    pubsub_app: App, consumer_client: Any, clean_db: sa.Engine
) -> None:
    # Given a first delivery that failed (database down: 5xx, so Pub/Sub redelivers later)
    envelope = recorded("comments_with_time_push")
    down = App(
        settings=make_settings(
            f"postgresql+psycopg://postgres@127.0.0.1:{free_port()}/alumusic",
            pubsub_emulator_host=pubsub_app.settings.pubsub_emulator_host,
            pubsub_project_id=pubsub_app.settings.pubsub_project_id,
        )
    )
    set_app(down)
    try:
        assert consumer_app().test_client().post(PUSH_PATH, json=envelope).status_code >= 500
    finally:
        set_app(pubsub_app)
        down.close()

    # When the message is redelivered, and then delivered once more
    assert consumer_client.post(PUSH_PATH, json=envelope).status_code == 200
    first = _times(clean_db, "evt-t1", "evt-t2")
    assert consumer_client.post(PUSH_PATH, json=envelope).status_code == 200

    # Then the stored times are the message's, identical after every delivery
    assert first == _times(clean_db, "evt-t1", "evt-t2")
    assert first["evt-t1"] == datetime(2026, 11, 21, 1, 30, tzinfo=UTC)


def test_an_older_message_without_comment_times_uses_its_submitted_at(
    consumer_client: Any, clean_db: sa.Engine
) -> None:
    # Given a push recorded before comments carried their own time (submitted_at only)
    envelope = recorded("comments_submitted_push")
    # When it is delivered / Then every comment gets the request's arrival time
    assert consumer_client.post(PUSH_PATH, json=envelope).status_code == 200
    assert set(_times(clean_db, "evt-1", "evt-2", "evt-3").values()) == {
        datetime(2024, 5, 31, 12, 0, tzinfo=UTC)
    }


def _conflicts(engine: sa.Engine) -> list[Any]:
    with engine.connect() as conn:
        return list(
            conn.execute(
                sa.text(
                    "SELECT comment_id, stored_text_sha256, incoming_text_sha256, source, "
                    "message_id, request_id, detected_at FROM comment_id_conflicts"
                )
            )
        )


def _consumer_lines(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.getMessage() == "comments classified and stored"]


def test_an_id_reused_with_another_text_is_recorded_once_and_counted(
    consumer_client: Any, clean_db: sa.Engine, caplog: pytest.LogCaptureFixture
) -> None:
    # Given evt-1 stored from an earlier message
    assert consumer_client.post(PUSH_PATH, json=recorded("comments_submitted_push")).status_code
    caplog.clear()
    caplog.set_level(logging.INFO)

    # When a message brings evt-1 with another text (and a new evt-4), and is redelivered
    envelope = recorded("conflicting_id_push")
    assert consumer_client.post(PUSH_PATH, json=envelope).status_code == 200
    assert consumer_client.post(PUSH_PATH, json=envelope).status_code == 200

    # Then the first text stays, evt-4 is stored, and the clash is recorded once with both
    # texts' hashes and where it came from
    with clean_db.connect() as conn:
        texts = dict(
            conn.execute(
                sa.text("SELECT id, texto FROM comments WHERE id IN ('evt-1', 'evt-4')")
            ).all()
        )
    assert texts == {
        "evt-1": "essa música é perfeita, ouço todo dia",
        "evt-4": "faixa nova muito boa",
    }
    [conflict] = _conflicts(clean_db)
    assert conflict.comment_id == "evt-1"
    assert conflict.stored_text_sha256 == sha256_hex("essa música é perfeita, ouço todo dia")
    assert conflict.incoming_text_sha256 == sha256_hex("outro texto reutilizando o mesmo id")
    assert (conflict.source, conflict.request_id) == ("ingest", "recorded-request-5")
    assert conflict.message_id == envelope["message"]["messageId"]
    # And each delivery's log line counts the clash it found
    lines = _consumer_lines(caplog)
    assert [(r.inserted, r.conflicts) for r in lines] == [(1, 1), (0, 1)]  # type: ignore[attr-defined]


def test_an_exact_replay_is_not_a_conflict(
    consumer_client: Any, clean_db: sa.Engine, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    envelope = recorded("comments_submitted_push")
    assert consumer_client.post(PUSH_PATH, json=envelope).status_code == 200
    assert consumer_client.post(PUSH_PATH, json=envelope).status_code == 200
    assert _conflicts(clean_db) == []
    assert [r.conflicts for r in _consumer_lines(caplog)] == [0, 0]  # type: ignore[attr-defined]


def sha256_hex(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
