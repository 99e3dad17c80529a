"""consume_comments through functions-framework's own app, fed recorded Pub/Sub push bodies.

The bodies in tests/fixtures/events/ were recorded from the emulator
(tests/integration/pubsub/record_push_envelopes.py): plain push JSON, which functions-framework
turns into a `google.cloud.pubsub.topic.v1.messagePublished` CloudEvent.
"""

from __future__ import annotations

import base64
import json
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
            f"postgresql+pg8000://postgres@127.0.0.1:{free_port()}/alumusic",
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
