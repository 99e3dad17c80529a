"""Per-user rate limits on the operations that cost the most (insights, sync classify).

Counted in PostgreSQL, one row per (key, fixed window), with one upsert per request, so every
instance of a function enforces the same limit (an in-process bucket would multiply the limit by
the number of instances Cloud Run happens to run). Over the limit: RateLimited, which the entry
point turns into 429 with Retry-After = the seconds left in the window.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.engine import Engine

from shared.errors import RateLimited
from shared.models import rate_limit_windows

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Charge:
    requests: int
    limit: int
    retry_after: int


def window_start(now: datetime, window_seconds: int) -> datetime:
    epoch = int(now.timestamp())
    return datetime.fromtimestamp(epoch - epoch % window_seconds, UTC)


def charge(
    engine: Engine,
    key: str,
    *,
    limit: int,
    window_seconds: int,
    now: datetime | None = None,
) -> Charge:
    """Count one request for `key` in the current window; RateLimited when it is over `limit`.

    Refused requests count too, so a client hammering past the limit does not get a fresh
    allowance any sooner than one that waits.
    """
    moment = now or datetime.now(UTC)
    start = window_start(moment, window_seconds)
    upsert = (
        insert(rate_limit_windows)
        .values(key=key, window_start=start, requests=1)
        .on_conflict_do_update(
            index_elements=[rate_limit_windows.c.key, rate_limit_windows.c.window_start],
            set_={"requests": rate_limit_windows.c.requests + 1},
        )
        .returning(rate_limit_windows.c.requests)
    )
    with engine.begin() as conn:
        requests = int(conn.execute(upsert).scalar_one())
        if requests == 1:
            # First request of a window: this key's earlier windows are over; the primary key
            # makes this delete an index range scan.
            conn.execute(
                sa.delete(rate_limit_windows).where(
                    rate_limit_windows.c.key == key, rate_limit_windows.c.window_start < start
                )
            )
    retry_after = max(
        1, math.ceil((start + timedelta(seconds=window_seconds) - moment).total_seconds())
    )
    if requests > limit:
        log.warning("rate limited", extra={"key": key, "requests": requests, "limit": limit})
        raise RateLimited(
            f"too many requests: at most {limit} every {window_seconds} s; "
            f"try again in {retry_after} s",
            retry_after=retry_after,
        )
    return Charge(requests=requests, limit=limit, retry_after=retry_after)


def charge_user(
    engine: Engine, operation: str, username: str, *, limit: int, window_seconds: int
) -> Charge:
    """One request of `username` against `operation`'s limit."""
    return charge(engine, f"{operation}:{username}", limit=limit, window_seconds=window_seconds)
