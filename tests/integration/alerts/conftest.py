"""Alerts against the real test database and a loopback sink (SendGrid and webhooks)."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from datetime import datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from pydantic import SecretStr

from shared.bootstrap import App, set_app
from shared.config import Settings
from tests.support.digest_data import TEXTS, insert_comments
from tests.support.mail_sink import mail_sink
from tooling.devstack.mail_sink import MailSink

__all__ = ["mail_sink"]

pytestmark = pytest.mark.integration

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


def alert_settings(settings: Settings, sink: MailSink, **overrides: Any) -> Settings:
    return settings.model_copy(
        update={
            "sendgrid_api_host": sink.url,
            "sendgrid_api_key": SecretStr("SG.loopback-key"),
            "alerts_webhook_urls": SecretStr(""),
            "alerts_emails": "",
            **overrides,
        }
    )


@pytest.fixture
def make_app(
    settings: Settings, mail_sink: MailSink, clean_db: sa.Engine
) -> Iterator[Callable[..., App]]:
    """A factory of Apps wired to the test database and the sink; the last one is installed."""
    created: list[App] = []

    def _make(**overrides: Any) -> App:
        application = App(settings=alert_settings(settings, mail_sink, **overrides))
        set_app(application)
        created.append(application)
        return application

    yield _make
    set_app(None)
    for application in created:
        application.close()
