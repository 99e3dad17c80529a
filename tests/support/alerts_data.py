"""Classified comments for the alerts tests (integration, e2e and browser): crash comments at
given instants, spread over a window, and a quiet baseline in the weeks before."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa

from tests.support.digest_data import TEXTS, insert_comments

CRASH = "fix_travamento"


def comment_rows(
    prefix: str,
    times: Sequence[datetime],
    *,
    categoria: str = "CRÍTICA",
    tags: Sequence[str] = (CRASH,),
) -> list[dict[str, Any]]:
    """Classified comments, one per instant, as the store writes them."""
    texts = TEXTS.get(tags[0], ["o app trava toda hora"]) if tags else ["que música boa"]
    return [
        {
            "id": f"{prefix}-{n}",
            "texto": texts[n % len(texts)],
            "categoria": categoria,
            "tags_funcionalidades": list(tags),
            "confianca": 0.9,
            "needs_review": False,
            "model_name": "seeded",
            "model_version": "1",
            "source": "ingest",
            "created_at": when,
            "categoria_corrigida": None,
            "corrected_by": None,
            "corrected_at": None,
        }
        for n, when in enumerate(times)
    ]


def spread(start: datetime, end: datetime, count: int) -> list[datetime]:
    """`count` instants evenly inside [start, end)."""
    step = (end - start) / count
    return [start + step * n for n in range(count)]


def seed_quiet_baseline(
    engine: sa.Engine, window_start: datetime, window_end: datetime, per_week: int = 2
) -> None:
    """A few crash comments in the same window of each of the previous 4 weeks."""
    for week in range(1, 5):
        shift = timedelta(days=7 * week)
        insert_comments(
            engine,
            comment_rows(f"base{week}", spread(window_start - shift, window_end - shift, per_week)),
        )
