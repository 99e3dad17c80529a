"""Alerts against the real test database and a loopback sink (SendGrid and webhooks)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
import sqlalchemy as sa
from pydantic import SecretStr

from shared.bootstrap import App, set_app
from shared.config import Settings
from tests.support.mail_sink import mail_sink
from tooling.devstack.mail_sink import MailSink

__all__ = ["mail_sink"]

pytestmark = pytest.mark.integration


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
