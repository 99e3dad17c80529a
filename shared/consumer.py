"""The CommentsSubmitted consumer: validate, classify, store in one idempotent statement.

Outcomes map to Pub/Sub delivery at the entry point: returning acks the message; PoisonMessage
sends it to the dead-letter topic (it can never succeed); any other error makes the push fail so
Pub/Sub redelivers it, and after the subscription's max attempts dead-letters it itself.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, TypeVar

from tenacity import RetryCallState, Retrying, retry_if_exception, stop_after_delay, wait_fixed

from shared.errors import InvalidInput, PayloadTooLarge, PoisonMessage
from shared.events import OutgoingMessage, decode_comments_submitted, truncate_attribute

if TYPE_CHECKING:
    from shared.bootstrap import App
    from shared.comments.types import CommentIn

log = logging.getLogger(__name__)

# A delivery waits up to `db_outage_wait_seconds` for a database that went away (a restart, a
# failover) before it fails: Pub/Sub (and the emulator, faster still) retries sooner than a restart
# takes, and each failure spends one of the subscription's few delivery attempts.
DATABASE_RETRY_INTERVAL_SECONDS = 0.5

DEAD_LETTER_REASON_ATTRIBUTE = "dead_letter_reason"
T = TypeVar("T")


def submitted_time(
    submitted_at: str | None, publish_time: datetime | None, *, now: datetime | None = None
) -> datetime:
    """When the ingest request of a message arrived: the message's `submitted_at`, else (a
    foreign publisher's message) Pub/Sub's publish time, else now. Either is fixed per message,
    so every delivery of it stamps the same time. A `submitted_at` that is not a valid comment
    time makes the message poison."""
    from shared.validation import parse_comment_time

    current = now or datetime.now(UTC)
    if submitted_at is not None:
        try:
            return parse_comment_time(submitted_at, now=current, field="submitted_at")
        except InvalidInput as error:
            raise PoisonMessage(f"invalid message: {error.message}") from error
    return publish_time or current


def validate_submitted(
    items: list[Any],
    *,
    max_items: int,
    max_text_chars: int,
    submitted_at: datetime | None = None,
) -> list[CommentIn]:
    """The comments of a message, checked by the same rules as the HTTP path, or PoisonMessage.

    A message is all or nothing: one bad comment dead-letters the whole message untouched, so an
    operator can fix and republish it, rather than storing part of it. Comment times are checked
    against `submitted_at` (the ingest request's arrival) as ingest checked them, so a message
    ingest accepted is accepted however late it is delivered; an item without `criado_em` gets
    `submitted_at`.
    """
    from shared.validation import comments_from_items

    if not items:
        return []
    try:
        return comments_from_items(
            items,
            max_items=max_items,
            max_text_chars=max_text_chars,
            received_at=submitted_at,
        )
    except (InvalidInput, PayloadTooLarge) as error:
        raise PoisonMessage(f"invalid comment in message: {error.message}") from error


def store_submitted_comments(
    app: App,
    data: bytes,
    attributes: Mapping[str, str],
    *,
    message_id: str | None = None,
    publish_time: datetime | None = None,
) -> int:
    """Classify and store the comments of one CommentsSubmitted message; rows newly inserted.

    A redelivered message inserts nothing (the comment id is the key) and stores the same comment
    times (they travel in the message). An id already stored with another text is recorded as a
    conflict, once. Database or classifier errors propagate so the message is redelivered.
    """
    from shared.comments.store import store_classified

    settings = app.settings
    started = time.perf_counter()
    event = decode_comments_submitted(data, attributes)
    comments = validate_submitted(
        event.items,
        max_items=max(settings.comments_per_message, settings.max_ingest_batch),
        max_text_chars=settings.max_text_chars,
        submitted_at=submitted_time(event.submitted_at, publish_time),
    )
    if not comments:
        log.info("message holds no comments", extra={"request_id": event.request_id})
        return 0
    decoded = time.perf_counter()
    results = app.classifier.classify_batch([comment.texto for comment in comments])
    if len(results) != len(comments):
        raise RuntimeError(
            f"classifier returned {len(results)} answers for {len(comments)} comments"
        )
    classified = time.perf_counter()
    stored = _while_database_returns(
        lambda: store_classified(
            app.engine,
            comments,
            results,
            source="ingest",
            review_threshold=settings.review_threshold,
            message_id=message_id,
            request_id=event.request_id,
        ),
        wait_seconds=settings.db_outage_wait_seconds,
        request_id=event.request_id,
    )
    done = time.perf_counter()
    # Where a message's time goes, for the pipeline benchmark and for capacity planning.
    log.info(
        "comments classified and stored",
        extra={
            "comments": len(comments),
            "inserted": stored.inserted,
            "conflicts": stored.conflicts,
            "decode_ms": round((decoded - started) * 1000, 1),
            "classify_ms": round((classified - decoded) * 1000, 1),
            "store_ms": round((done - classified) * 1000, 1),
            "request_id": event.request_id,
        },
    )
    return stored.inserted


def _while_database_returns(
    store: Callable[[], T], *, wait_seconds: float, request_id: str | None
) -> T:
    """`store()`, tried again while the database is unreachable, for up to `wait_seconds`.

    The write is one idempotent statement in one transaction, so a try that failed (or whose
    commit went through unseen) is safe to repeat. Any other error propagates at once."""
    from shared.db import is_unavailable

    def log_wait(state: RetryCallState) -> None:
        outcome = state.outcome
        log.warning(
            "database unavailable; waiting before storing",
            extra={
                "attempt": state.attempt_number,
                "error": repr(outcome.exception()) if outcome is not None else None,
                "request_id": request_id,
            },
        )

    retrying = Retrying(
        retry=retry_if_exception(is_unavailable),
        stop=stop_after_delay(wait_seconds),
        wait=wait_fixed(DATABASE_RETRY_INTERVAL_SECONDS),
        before_sleep=log_wait,
        reraise=True,
    )
    return retrying(store)


def dead_letter(app: App, data: bytes, attributes: Mapping[str, str], reason: str) -> None:
    """Publish the message, unchanged, to the dead-letter topic with the reason as an attribute."""
    settings = app.settings
    log.warning(
        "message dead-lettered",
        extra={
            "reason": reason,
            "topic": settings.comments_dead_letter_topic,
            "data_bytes": len(data),
        },
    )
    message = OutgoingMessage(
        data=data,
        attributes={**attributes, DEAD_LETTER_REASON_ATTRIBUTE: truncate_attribute(reason)},
    )
    app.publisher.publish_many(settings.comments_dead_letter_topic, [message])
