"""Pub/Sub: the publisher every function uses, the events the product exchanges, push envelopes.

Publishing goes through the google-cloud-pubsub client with batch settings sized for throughput:
one `publish_many` call hands every message to the client at once and waits for all the ids, so
the client packs them into a few large publish requests instead of one round trip per message.
"""

from __future__ import annotations

import base64
import binascii
import concurrent.futures
import contextlib
import json
import logging
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Final, Protocol

from shared.decoding import decode_json
from shared.errors import InvalidInput, PoisonMessage, TransientFailure

if TYPE_CHECKING:
    from google.cloud import pubsub_v1

    from shared.config import Settings

log = logging.getLogger(__name__)

# Pub/Sub refuses messages over 10 MB and attribute values over 1024 bytes. Messages are kept
# well under the limit so a publish request (and the push body, base64 adds a third) stays small.
MAX_MESSAGE_BYTES: Final = 4 * 1024 * 1024
MAX_ATTRIBUTE_VALUE_BYTES: Final = 1024

# Large batches, a short wait: a burst of messages goes out in a few publish requests of a few MB
# (the service takes up to 10 MB), and a lone message waits at most `max_latency` seconds.
BATCH_MAX_MESSAGES: Final = 1000
BATCH_MAX_BYTES: Final = 3 * 1024 * 1024
BATCH_MAX_LATENCY_SECONDS: Final = 0.005
DEFAULT_PUBLISH_TIMEOUT_SECONDS: Final = 30.0

COMMENTS_SUBMITTED: Final = "CommentsSubmitted"
COMMENTS_SUBMITTED_SCHEMA_VERSION: Final = "1"


class PublishFuture(Protocol):
    """What `publish` returns: the message id once the service has accepted the message."""

    def result(self, timeout: float | None = None) -> str: ...


@dataclass(frozen=True, slots=True)
class OutgoingMessage:
    data: bytes
    attributes: Mapping[str, str] = field(default_factory=dict)


class Publisher(Protocol):
    def publish(self, topic: str, data: bytes, attributes: Mapping[str, str]) -> PublishFuture: ...

    def publish_many(
        self,
        topic: str,
        messages: Sequence[OutgoingMessage],
        *,
        timeout: float = DEFAULT_PUBLISH_TIMEOUT_SECONDS,
    ) -> list[str]: ...

    def close(self) -> None: ...


def wait_for_message_ids(futures: Sequence[Any], *, topic: str, timeout: float) -> list[str]:
    """Wait until every publish future resolved; any failure or timeout is a TransientFailure."""
    _, pending = concurrent.futures.wait(futures, timeout=timeout)
    if pending:
        for future in pending:
            future.cancel()
        raise TransientFailure(
            f"Pub/Sub did not accept {len(pending)} of {len(futures)} messages to {topic!r} "
            f"within {timeout:g} s"
        )
    failures = [f.exception() for f in futures if f.exception() is not None]
    if failures:
        raise TransientFailure(
            f"Pub/Sub refused {len(failures)} of {len(futures)} messages to {topic!r}: {failures[0]}"
        ) from failures[0]
    return [str(f.result()) for f in futures]


def emulator_channel(emulator_host: str | None) -> Any:
    """An insecure gRPC channel to the emulator, or None when no emulator is configured.

    The client library only looks at the PUBSUB_EMULATOR_HOST variable; the settings may carry
    the host without it (tests, the local stack), so the channel is built here.
    """
    if not emulator_host:
        return None
    import grpc

    return grpc.insecure_channel(emulator_host)


class PubSubPublisher:
    """google-cloud-pubsub publisher with throughput batch settings; honours the emulator host."""

    def __init__(
        self,
        settings: Settings,
        *,
        batch_settings: pubsub_v1.types.BatchSettings | None = None,
    ) -> None:
        from google.cloud import pubsub_v1
        from google.pubsub_v1.services.publisher.transports.grpc import PublisherGrpcTransport

        self.project_id = settings.pubsub_project_id
        self.batch_settings = batch_settings or pubsub_v1.types.BatchSettings(
            max_messages=BATCH_MAX_MESSAGES,
            max_bytes=BATCH_MAX_BYTES,
            max_latency=BATCH_MAX_LATENCY_SECONDS,
        )
        kwargs: dict[str, Any] = {}
        channel = emulator_channel(settings.pubsub_emulator_host)
        if channel is not None:
            kwargs["transport"] = PublisherGrpcTransport(channel=channel)
        self._client = pubsub_v1.PublisherClient(batch_settings=self.batch_settings, **kwargs)
        self._closed = False
        self._close_lock = threading.Lock()

    def topic_path(self, topic: str) -> str:
        """Full topic path; a name that already is a path is kept as it is."""
        if topic.startswith("projects/"):
            return topic
        return f"projects/{self.project_id}/topics/{topic}"

    def publish(self, topic: str, data: bytes, attributes: Mapping[str, str]) -> PublishFuture:
        return self._client.publish(self.topic_path(topic), data, **dict(attributes))  # type: ignore[no-any-return]

    def publish_many(
        self,
        topic: str,
        messages: Sequence[OutgoingMessage],
        *,
        timeout: float = DEFAULT_PUBLISH_TIMEOUT_SECONDS,
    ) -> list[str]:
        if not messages:
            return []
        path = self.topic_path(topic)
        try:
            futures = [
                self._client.publish(path, message.data, **dict(message.attributes))
                for message in messages
            ]
        except RuntimeError as error:  # the client was stopped (instance shutting down)
            raise TransientFailure(f"Pub/Sub publish to {topic!r} failed: {error}") from error
        return wait_for_message_ids(futures, topic=topic, timeout=timeout)

    def close(self) -> None:
        """Send what is still batched and release the channel. Safe to call twice."""
        with self._close_lock:
            if self._closed:
                return
            self._closed = True
        try:
            self._client.stop()
        finally:
            self._client.transport.close()


# --- CommentsSubmitted ------------------------------------------------------------------------


class CommentLike(Protocol):
    @property
    def id(self) -> str: ...

    @property
    def texto(self) -> str: ...

    @property
    def criado_em(self) -> datetime | None: ...


@dataclass(frozen=True, slots=True)
class CommentsSubmitted:
    """Comments accepted by ingest, waiting to be classified and stored.

    `items` are the decoded JSON objects as they arrived; the consumer validates each one with the
    same rules as the HTTP path before anything is stored. Each item carries its `criado_em` (the
    client's, or the time the ingest request arrived), so a redelivery stores the same time.
    `submitted_at` is that arrival time; it stands in for items of older messages without one.
    """

    items: list[Any]
    submitted_at: str | None
    request_id: str | None


def comments_submitted_attributes(request_id: str) -> dict[str, str]:
    return {
        "event_type": COMMENTS_SUBMITTED,
        "schema_version": COMMENTS_SUBMITTED_SCHEMA_VERSION,
        "request_id": truncate_attribute(request_id),
    }


def _encode_comments_data(
    comments: Sequence[CommentLike], *, request_id: str, submitted_at: str
) -> bytes:
    # Most comments of a request share its arrival time: format each distinct instant once.
    spelled: dict[datetime, str] = {}
    items = []
    for c in comments:
        instant = c.criado_em
        if instant is None:
            when = submitted_at
        else:
            when = spelled.get(instant) or spelled.setdefault(
                instant, instant.astimezone(UTC).isoformat()
            )
        items.append({"id": c.id, "texto": c.texto, "criado_em": when})
    body = {
        "comments": items,
        "submitted_at": submitted_at,
        "request_id": request_id,
    }
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()


def encode_comments_submitted(
    comments: Sequence[CommentLike],
    *,
    request_id: str,
    per_message: int,
    max_message_bytes: int = MAX_MESSAGE_BYTES,
    submitted_at: datetime | None = None,
) -> list[OutgoingMessage]:
    """CommentsSubmitted messages of at most `per_message` comments and `max_message_bytes` each.

    Long texts can make a chunk too large for one message; such a chunk is halved until it fits.
    `submitted_at` (default: now) is when the request arrived; a comment without its own
    `criado_em` is sent with that time.
    """
    if per_message < 1:
        raise ValueError("per_message must be at least 1")
    when = (submitted_at or datetime.now(UTC)).astimezone(UTC).isoformat()
    attributes = comments_submitted_attributes(request_id)
    messages: list[OutgoingMessage] = []
    pending = [comments[i : i + per_message] for i in range(0, len(comments), per_message)]
    pending.reverse()
    while pending:
        chunk = pending.pop()
        data = _encode_comments_data(chunk, request_id=request_id, submitted_at=when)
        if len(data) > max_message_bytes and len(chunk) > 1:
            half = len(chunk) // 2
            pending.extend([chunk[half:], chunk[:half]])
            continue
        if len(data) > max_message_bytes:
            raise ValueError(
                f"comment {chunk[0].id!r} alone exceeds the {max_message_bytes}-byte message limit"
            )
        messages.append(OutgoingMessage(data=data, attributes=attributes))
    return messages


def decode_comments_submitted(data: bytes, attributes: Mapping[str, str]) -> CommentsSubmitted:
    """The event in a message, or PoisonMessage saying why the message can never be processed."""
    event_type = attributes.get("event_type", COMMENTS_SUBMITTED)
    if event_type != COMMENTS_SUBMITTED:
        raise PoisonMessage(f"unexpected event_type {event_type!r}, expected {COMMENTS_SUBMITTED}")
    version = attributes.get("schema_version", COMMENTS_SUBMITTED_SCHEMA_VERSION)
    if version != COMMENTS_SUBMITTED_SCHEMA_VERSION:
        raise PoisonMessage(f"unsupported schema_version {version!r}")
    try:
        body = decode_json(data, what="data")
    except InvalidInput as error:
        raise PoisonMessage(f"message data is not JSON the consumer accepts: {error}") from error
    if not isinstance(body, dict):
        raise PoisonMessage("message data must be a JSON object with a 'comments' list")
    items = body.get("comments")
    if not isinstance(items, list):
        raise PoisonMessage("message data has no 'comments' list")
    submitted_at = body.get("submitted_at")
    request_id = body.get("request_id")
    return CommentsSubmitted(
        items=items,
        submitted_at=submitted_at if isinstance(submitted_at, str) else None,
        request_id=request_id if isinstance(request_id, str) else None,
    )


def truncate_attribute(value: str, limit: int = MAX_ATTRIBUTE_VALUE_BYTES) -> str:
    """The value cut to fit Pub/Sub's attribute limit without splitting a UTF-8 character."""
    encoded = value.encode()
    if len(encoded) <= limit:
        return value
    return encoded[:limit].decode(errors="ignore")


# --- push envelopes ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ReceivedMessage:
    """A Pub/Sub message as delivered to a push endpoint, decoded."""

    message_id: str
    data: bytes
    attributes: dict[str, str]
    publish_time: datetime | None = None  # aware, UTC
    subscription: str | None = None


class MalformedEnvelope(PoisonMessage):
    """The delivery itself is unreadable (no message, bad base64); `raw` keeps what arrived."""

    def __init__(self, message: str, *, raw: bytes) -> None:
        super().__init__(message)
        self.raw = raw


def _read_publish_time(value: object) -> datetime | None:
    """When Pub/Sub accepted a message (`publishTime`, RFC 3339 in UTC, up to nanoseconds), as
    an aware UTC datetime; None when there is none or it is not a time, so each reader falls back
    as it would without one (Pub/Sub always sends one)."""
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    # Pub/Sub writes its times in UTC: one without an offset can only be UTC.
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def _decode_message(message: Any, raw: bytes, *, subscription: Any = None) -> ReceivedMessage:
    if not isinstance(message, Mapping):
        raise MalformedEnvelope("envelope has no 'message' object", raw=raw)
    encoded = message.get("data", "")
    if not isinstance(encoded, str):
        raise MalformedEnvelope("message 'data' is not a base64 string", raw=raw)
    try:
        data = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError) as error:
        raise MalformedEnvelope(f"message 'data' is not valid base64: {error}", raw=raw) from error
    attributes = message.get("attributes") or {}
    if not isinstance(attributes, Mapping) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in attributes.items()
    ):
        raise MalformedEnvelope("message 'attributes' must map strings to strings", raw=raw)
    message_id = message.get("messageId") or message.get("message_id") or ""
    return ReceivedMessage(
        message_id=str(message_id),
        data=data,
        attributes=dict(attributes),
        publish_time=_read_publish_time(message.get("publishTime") or message.get("publish_time")),
        subscription=subscription if isinstance(subscription, str) else None,
    )


def message_from_cloud_event(event: Any) -> ReceivedMessage:
    """The message inside a `google.cloud.pubsub.topic.v1.messagePublished` CloudEvent.

    functions-framework builds that event from the plain push JSON the subscription sends.
    """
    payload = getattr(event, "data", None)
    raw = json.dumps(payload, default=str).encode() if payload is not None else b""
    if not isinstance(payload, Mapping):
        raise MalformedEnvelope("event data is not an object", raw=raw)
    message = payload.get("message")
    if isinstance(message, Mapping) and not message.get("messageId"):
        with contextlib.suppress(KeyError, TypeError):
            message = {**message, "messageId": event["id"]}
    return _decode_message(message, raw, subscription=payload.get("subscription"))
