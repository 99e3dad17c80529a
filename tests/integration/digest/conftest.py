"""The digest against the real test database, a loopback SendGrid sink and OpenAI server."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
import sqlalchemy as sa
from pydantic import SecretStr

from shared.bootstrap import App, set_app
from shared.config import Settings
from shared.timezone import IsoWeek
from tests.support.digest_data import seed_history
from tests.support.mail_sink import mail_sink
from tests.support.openai_loopback import openai_loopback
from tooling.devstack.mail_sink import MailSink

__all__ = ["mail_sink", "openai_loopback"]

pytestmark = pytest.mark.integration

WEEK = IsoWeek.parse("2026-W47")
RECIPIENTS = ("ana@alumusic.test", "bruno@alumusic.test", "carla@alumusic.test")


def digest_settings(settings: Settings, sink: MailSink, **overrides: Any) -> Settings:
    return settings.model_copy(
        update={
            "sendgrid_api_host": sink.url,
            "sendgrid_api_key": SecretStr("SG.loopback-key"),
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
        factories = {k: overrides.pop(k) for k in list(overrides) if k.endswith("_factory")}
        application = App(settings=digest_settings(settings, mail_sink, **overrides), **factories)
        set_app(application)
        created.append(application)
        return application

    yield _make
    set_app(None)
    for application in created:
        application.close()


@pytest.fixture
def digest_app(make_app: Callable[..., App]) -> App:
    return make_app()


@pytest.fixture
def recipients(digest_app: App) -> tuple[str, ...]:
    from shared.digest.service import add_recipient

    for email in RECIPIENTS:
        add_recipient(digest_app.engine, email)
    return RECIPIENTS


@pytest.fixture
def seeded(clean_db: sa.Engine) -> IsoWeek:
    """Five ordinary weeks, then WEEK with more criticism and a loading spike."""
    seed_history(clean_db, WEEK)
    return WEEK
