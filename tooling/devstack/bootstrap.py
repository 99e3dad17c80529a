"""Emulator bootstrap from infra/stack.json: topics, subscriptions, buckets.

Idempotent: what exists and matches the description is left alone, a subscription whose settings
differ is updated in place (recreated only when its topic changed), so running it again is
harmless. `alumusic dev bootstrap` runs it against running emulators; `alumusic dev up` runs it
after starting them.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from shared.events import emulator_channel
from tooling.devstack.stack import StackSpec, SubscriptionSpec, parse_duration

log = logging.getLogger(__name__)


@dataclass
class BootstrapReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, list[str]]:
        return {"created": self.created, "updated": self.updated, "unchanged": self.unchanged}


def _admin_clients(emulator_host: str) -> tuple[Any, Any]:
    from google.cloud import pubsub_v1
    from google.pubsub_v1.services.publisher.transports.grpc import PublisherGrpcTransport
    from google.pubsub_v1.services.subscriber.transports.grpc import SubscriberGrpcTransport

    publisher = pubsub_v1.PublisherClient(
        transport=PublisherGrpcTransport(channel=emulator_channel(emulator_host))
    )
    subscriber = pubsub_v1.SubscriberClient(
        transport=SubscriberGrpcTransport(channel=emulator_channel(emulator_host))
    )
    return publisher, subscriber


def desired_subscription(spec: StackSpec, subscription: SubscriptionSpec) -> Any:
    """The google.pubsub_v1 Subscription the description asks for."""
    from google.pubsub_v1 import types

    project = spec.project_id
    fields: dict[str, Any] = {
        "name": f"projects/{project}/subscriptions/{subscription.name}",
        "topic": f"projects/{project}/topics/{subscription.topic}",
        "ack_deadline_seconds": subscription.ack_deadline_seconds,
    }
    endpoint = spec.push_endpoint(subscription)
    if endpoint:
        fields["push_config"] = types.PushConfig(push_endpoint=endpoint)
    if subscription.min_retry_backoff or subscription.max_retry_backoff:
        fields["retry_policy"] = types.RetryPolicy(
            minimum_backoff=timedelta(
                seconds=parse_duration(subscription.min_retry_backoff or "10s")
            ),
            maximum_backoff=timedelta(
                seconds=parse_duration(subscription.max_retry_backoff or "600s")
            ),
        )
    if subscription.dead_letter_topic:
        fields["dead_letter_policy"] = types.DeadLetterPolicy(
            dead_letter_topic=f"projects/{project}/topics/{subscription.dead_letter_topic}",
            max_delivery_attempts=subscription.max_delivery_attempts or 5,
        )
    return types.Subscription(**fields)


_COMPARED = ("ack_deadline_seconds", "push_config", "retry_policy", "dead_letter_policy")


def _differences(current: Any, wanted: Any) -> list[str]:
    return [name for name in _COMPARED if getattr(current, name) != getattr(wanted, name)]


def bootstrap_pubsub(spec: StackSpec, emulator_host: str) -> BootstrapReport:
    """Create the description's topics and subscriptions on the emulator at `emulator_host`."""
    from google.api_core import exceptions

    report = BootstrapReport()
    publisher, subscriber = _admin_clients(emulator_host)
    try:
        for topic in spec.topics:
            path = publisher.topic_path(spec.project_id, topic)
            try:
                publisher.create_topic(name=path)
                report.created.append(path)
            except exceptions.AlreadyExists:
                report.unchanged.append(path)
        for subscription in spec.subscriptions:
            wanted = desired_subscription(spec, subscription)
            try:
                current = subscriber.get_subscription(subscription=wanted.name)
            except exceptions.NotFound:
                subscriber.create_subscription(request=wanted)
                report.created.append(wanted.name)
                continue
            if current.topic != wanted.topic:
                # A subscription cannot move to another topic; replace it.
                subscriber.delete_subscription(subscription=wanted.name)
                subscriber.create_subscription(request=wanted)
                report.updated.append(wanted.name)
                continue
            changed = _differences(current, wanted)
            if not changed:
                report.unchanged.append(wanted.name)
                continue
            subscriber.update_subscription(
                request={"subscription": wanted, "update_mask": {"paths": changed}}
            )
            report.updated.append(wanted.name)
    finally:
        publisher.transport.close()
        subscriber.close()
    log.info("pubsub bootstrapped", extra={"bootstrap": report.as_dict()})
    return report


def s3_client(endpoint_url: str | None, region: str, *, timeout: float = 10.0) -> Any:
    """A boto3 S3 client for the emulator; emulators accept any key, so one is supplied if unset."""
    import boto3
    from botocore.config import Config

    return boto3.client(
        "s3",
        endpoint_url=endpoint_url,
        region_name=region,
        aws_access_key_id=os.environ.get("AWS_ACCESS_KEY_ID", "test"),
        aws_secret_access_key=os.environ.get("AWS_SECRET_ACCESS_KEY", "test"),
        config=Config(connect_timeout=timeout, read_timeout=timeout, retries={"max_attempts": 1}),
    )


def bootstrap_buckets(spec: StackSpec, endpoint_url: str, region: str) -> BootstrapReport:
    from botocore.exceptions import ClientError

    report = BootstrapReport()
    client = s3_client(endpoint_url, region)
    for bucket in spec.buckets:
        # us-east-1 answers 200 to re-creating one's own bucket, so ask first.
        try:
            client.head_bucket(Bucket=bucket)
            report.unchanged.append(f"s3://{bucket}")
            continue
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") not in ("404", "NoSuchBucket"):
                raise
        try:
            if region == "us-east-1":
                client.create_bucket(Bucket=bucket)
            else:
                client.create_bucket(
                    Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": region}
                )
            report.created.append(f"s3://{bucket}")
        except ClientError as error:
            code = error.response.get("Error", {}).get("Code")
            if code not in ("BucketAlreadyOwnedByYou", "BucketAlreadyExists"):
                raise
            report.unchanged.append(f"s3://{bucket}")
    log.info("buckets bootstrapped", extra={"bootstrap": report.as_dict()})
    return report


def bootstrap(
    spec: StackSpec,
    *,
    emulator_host: str,
    s3_endpoint_url: str | None,
    region: str = "us-east-1",
) -> BootstrapReport:
    """Topics, subscriptions and buckets of `spec`; buckets are skipped without an endpoint."""
    report = bootstrap_pubsub(spec, emulator_host)
    if s3_endpoint_url:
        buckets = bootstrap_buckets(spec, s3_endpoint_url, region)
        report.created += buckets.created
        report.unchanged += buckets.unchanged
    return report
