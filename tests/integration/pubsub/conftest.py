"""The pipeline on real parts: the Pub/Sub emulator pushing to the consumer under
functions-framework, writing to a real PostgreSQL database.

Each test gets its own topics and subscriptions (unique names on the session's emulator), so
messages of one test never reach another. Retry backoff is short so dead-lettering after the
maximum delivery attempts takes seconds.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import sqlalchemy as sa

from shared.bootstrap import App, set_app
from shared.comments.types import CommentIn
from shared.config import Settings
from shared.events import PubSubPublisher, emulator_channel
from tests.support.db_fixtures import make_settings
from tests.support.service_fixtures import (
    FunctionServer,
    FunctionServerFactory,
    PubSubEmulator,
    service_env,
)
from tooling.devstack.bootstrap import bootstrap_pubsub
from tooling.devstack.services import free_port
from tooling.devstack.stack import StackSpec, function_settings_env, load_stack, parse_stack

pytestmark = pytest.mark.integration

MAX_DELIVERY_ATTEMPTS = 5


@dataclass
class PubSubNames:
    topic: str
    dead_letter_topic: str
    push_subscription: str
    dead_letter_subscription: str


@pytest.fixture
def names() -> PubSubNames:
    suffix = secrets.token_hex(4)
    return PubSubNames(
        topic=f"comments-submitted-{suffix}",
        dead_letter_topic=f"comments-submitted-dead-letter-{suffix}",
        push_subscription=f"comments-submitted-push-{suffix}",
        dead_letter_subscription=f"comments-submitted-dead-letter-pull-{suffix}",
    )


def stack_for(
    emulator: PubSubEmulator,
    names: PubSubNames,
    consumer_port: int | None,
    *,
    max_delivery_attempts: int = MAX_DELIVERY_ATTEMPTS,
) -> StackSpec:
    subscriptions: list[dict[str, Any]] = [
        {
            "name": names.dead_letter_subscription,
            "topic": names.dead_letter_topic,
            "ack_deadline_seconds": 10,
        }
    ]
    functions = []
    if consumer_port is not None:
        functions.append(
            {
                "name": "classify-consumer",
                "source": "functions/classify",
                "target": "consume_comments",
                "signature": "cloudevent",
                "port": consumer_port,
            }
        )
        subscriptions.append(
            {
                "name": names.push_subscription,
                "topic": names.topic,
                "push_to": "classify-consumer",
                "ack_deadline_seconds": 30,
                "min_retry_backoff": "0.1s",
                "max_retry_backoff": "0.5s",
                "dead_letter_topic": names.dead_letter_topic,
                "max_delivery_attempts": max_delivery_attempts,
            }
        )
    return parse_stack(
        {
            "project_id": emulator.project_id,
            "functions": functions,
            "topics": [{"name": names.topic}, {"name": names.dead_letter_topic}],
            "subscriptions": subscriptions,
        }
    )


@pytest.fixture
def pubsub_settings(
    database_url: str, pubsub_emulator: PubSubEmulator, names: PubSubNames
) -> Settings:
    return make_settings(
        database_url,
        pubsub_emulator_host=pubsub_emulator.host,
        pubsub_project_id=pubsub_emulator.project_id,
        comments_topic=names.topic,
        comments_dead_letter_topic=names.dead_letter_topic,
    )


@pytest.fixture
def topics(pubsub_emulator: PubSubEmulator, names: PubSubNames) -> PubSubNames:
    """Topics and the dead-letter pull subscription, without a push subscription yet."""
    bootstrap_pubsub(stack_for(pubsub_emulator, names, None), pubsub_emulator.host)
    return names


@pytest.fixture
def pubsub_app(pubsub_settings: Settings, topics: PubSubNames) -> Iterator[App]:
    """The product wired to the test database and the emulator (real publisher)."""
    application = App(settings=pubsub_settings)
    set_app(application)
    try:
        yield application
    finally:
        set_app(None)
        application.close()


@pytest.fixture
def publisher(pubsub_settings: Settings, topics: PubSubNames) -> Iterator[PubSubPublisher]:
    client = PubSubPublisher(pubsub_settings)
    try:
        yield client
    finally:
        client.close()


ConsumerFactory = Callable[..., FunctionServer]


@pytest.fixture
def start_consumer(
    function_server: FunctionServerFactory,
    pubsub_emulator: PubSubEmulator,
    pubsub_settings: Settings,
    topics: PubSubNames,
) -> ConsumerFactory:
    """Run consume_comments under functions-framework and point the push subscription at it.

    Keyword arguments override environment variables (e.g. DATABASE_URL), or set `port` and the
    subscription's `max_delivery_attempts`.
    """

    def start(
        *,
        port: int | None = None,
        max_delivery_attempts: int = MAX_DELIVERY_ATTEMPTS,
        **env: str,
    ) -> FunctionServer:
        server = function_server(
            "consume_comments",
            signature="cloudevent",
            # As deployed: only the settings groups the consumer declares in stack.json.
            env=function_settings_env(
                load_stack(env={}).function("classify-consumer"),
                service_env(pubsub_settings, **env),
            ),
            port=port or free_port(),
            workers=1,
            threads=2,
            name="classify-consumer",
        )
        bootstrap_pubsub(
            stack_for(
                pubsub_emulator,
                topics,
                server.port,
                max_delivery_attempts=max_delivery_attempts,
            ),
            pubsub_emulator.host,
        )
        return server

    return start


@dataclass
class PulledMessage:
    data: bytes
    attributes: dict[str, str]


def pull_dead_letters(
    emulator: PubSubEmulator, subscription: str, *, max_messages: int = 100
) -> list[PulledMessage]:
    """Messages waiting on the dead-letter pull subscription (acknowledged once read)."""
    from google.cloud import pubsub_v1
    from google.pubsub_v1.services.subscriber.transports.grpc import SubscriberGrpcTransport

    subscriber = pubsub_v1.SubscriberClient(
        transport=SubscriberGrpcTransport(channel=emulator_channel(emulator.host))
    )
    try:
        response = subscriber.pull(
            request={
                "subscription": emulator.subscription_path(subscription),
                "max_messages": max_messages,
            },
            timeout=10,
        )
        received = response.received_messages
        if received:
            subscriber.acknowledge(
                request={
                    "subscription": emulator.subscription_path(subscription),
                    "ack_ids": [m.ack_id for m in received],
                }
            )
        return [
            PulledMessage(data=bytes(m.message.data), attributes=dict(m.message.attributes))
            for m in received
        ]
    finally:
        subscriber.close()


def stored_ids(engine: sa.Engine, prefix: str) -> set[str]:
    """The ids stored under an id prefix (the primary key makes each appear once at most, so
    tests compare this set with the ids they sent: nothing missing, nothing foreign)."""
    with engine.connect() as conn:
        return set(
            conn.execute(
                sa.text("SELECT id FROM comments WHERE id LIKE :p"), {"p": prefix + "%"}
            ).scalars()
        )


def comments_for(prefix: str, count: int) -> list[CommentIn]:
    from tooling.demo import demo_comments

    return [CommentIn(id=c["id"], texto=c["texto"]) for c in demo_comments(count, prefix=prefix)]
