"""Ingest: accepted comments go to Pub/Sub in batches; classification happens in the consumer."""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from shared.events import encode_comments_submitted

if TYPE_CHECKING:
    from shared.bootstrap import App
    from shared.comments.types import CommentIn

log = logging.getLogger(__name__)


def submit_comments(
    app: App,
    comments: Sequence[CommentIn],
    *,
    request_id: str,
    received_at: datetime | None = None,
) -> list[str]:
    """Publish `comments` as CommentsSubmitted messages and return their ids once all are accepted.

    Every message carries `received_at` (when the request arrived) and each comment its
    `criado_em`, so the consumer stores the same times however often a message is delivered.

    Raises TransientFailure when Pub/Sub did not accept every message in time; the client then
    retries the whole request, which is harmless because the comment id is the storage key.
    """
    if not comments:
        return []
    settings = app.settings
    started = time.perf_counter()
    messages = encode_comments_submitted(
        comments,
        request_id=request_id,
        per_message=settings.comments_per_message,
        submitted_at=received_at,
    )
    encoded = time.perf_counter()
    app.publisher.publish_many(settings.comments_topic, messages)
    log.info(
        "comments submitted",
        extra={
            "comments": len(comments),
            "messages": len(messages),
            "topic": settings.comments_topic,
            "encode_ms": round((encoded - started) * 1000, 1),
            "publish_ms": round((time.perf_counter() - encoded) * 1000, 1),
        },
    )
    return [comment.id for comment in comments]
