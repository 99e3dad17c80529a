"""The loopback SendGrid-compatible sink as a pytest fixture (list this module in pytest_plugins)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tooling.devstack.mail_sink import MailSink


@pytest.fixture
def mail_sink() -> Iterator[MailSink]:
    with MailSink() as sink:
        yield sink
