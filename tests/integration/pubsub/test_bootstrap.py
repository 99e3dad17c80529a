"""Emulator bootstrap from infra/stack.json against the real Pub/Sub emulator and moto S3."""

from __future__ import annotations

import secrets
from datetime import timedelta

import pytest

from shared.events import emulator_channel
from tests.support.service_fixtures import PubSubEmulator
from tooling.devstack.bootstrap import bootstrap, s3_client
from tooling.devstack.stack import load_stack, parse_duration

pytestmark = pytest.mark.integration


def _subscription(emulator: PubSubEmulator, path: str) -> object:
    from google.cloud import pubsub_v1
    from google.pubsub_v1.services.subscriber.transports.grpc import SubscriberGrpcTransport

    subscriber = pubsub_v1.SubscriberClient(
        transport=SubscriberGrpcTransport(channel=emulator_channel(emulator.host))
    )
    try:
        return subscriber.get_subscription(subscription=path)
    finally:
        subscriber.close()


def test_bootstrap_creates_everything_once_and_a_rerun_is_harmless(
    pubsub_emulator: PubSubEmulator, s3_emulator: str
) -> None:
    # Given the repository's stack description in a project of its own
    spec = load_stack(env={}, project_id=f"boot-{secrets.token_hex(3)}")

    # When bootstrapped twice
    first = bootstrap(spec, emulator_host=pubsub_emulator.host, s3_endpoint_url=s3_emulator)
    second = bootstrap(spec, emulator_host=pubsub_emulator.host, s3_endpoint_url=s3_emulator)

    # Then the first run creates every topic, subscription and bucket, the second changes nothing
    expected = {f"projects/{spec.project_id}/topics/{t}" for t in spec.topics}
    expected |= {f"projects/{spec.project_id}/subscriptions/{s.name}" for s in spec.subscriptions}
    expected |= {f"s3://{b}" for b in spec.buckets}
    assert set(first.created) == expected
    assert second.created == []
    assert second.updated == []
    assert set(second.unchanged) == expected

    # ...with each push subscription's endpoint, retry policy and dead-letter policy in place
    pushes = [s for s in spec.subscriptions if s.push_to]
    assert "classify-consumer" in {s.push_to for s in pushes}
    for push in pushes:
        created = _subscription(
            pubsub_emulator, f"projects/{spec.project_id}/subscriptions/{push.name}"
        )
        minimum = timedelta(seconds=parse_duration(push.min_retry_backoff or "10s"))
        assert created.push_config.push_endpoint == spec.push_endpoint(push)  # type: ignore[attr-defined]
        assert created.retry_policy.minimum_backoff == minimum  # type: ignore[attr-defined]
        assert created.dead_letter_policy.max_delivery_attempts == push.max_delivery_attempts  # type: ignore[attr-defined]
    buckets = {b["Name"] for b in s3_client(s3_emulator, "us-east-1").list_buckets()["Buckets"]}
    assert set(spec.buckets) <= buckets


def test_a_moved_function_updates_its_push_subscription(pubsub_emulator: PubSubEmulator) -> None:
    # Given a bootstrapped stack
    project = f"move-{secrets.token_hex(3)}"
    spec = load_stack(env={}, project_id=project)
    bootstrap(spec, emulator_host=pubsub_emulator.host, s3_endpoint_url=None)

    # When the consumer moves to another port and the bootstrap runs again
    moved = load_stack(env={"CLASSIFY_CONSUMER_PORT": "18999"}, project_id=project)
    report = bootstrap(moved, emulator_host=pubsub_emulator.host, s3_endpoint_url=None)

    # Then only the push subscription is updated, to the new endpoint
    push = next(s for s in moved.subscriptions if s.push_to == "classify-consumer")
    path = f"projects/{project}/subscriptions/{push.name}"
    assert report.updated == [path]
    assert report.created == []
    subscription = _subscription(pubsub_emulator, path)
    assert subscription.push_config.push_endpoint.startswith("http://127.0.0.1:18999/")  # type: ignore[attr-defined]
