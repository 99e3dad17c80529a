"""DIGEST_WRITER=llm with an endpoint that fails or hangs: the template text, within the deadline.

The deadline is what the settings allow (each attempt's timeout and the backoff between them); the
margin is generous for a loaded machine and far below the hang.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest

from shared.bootstrap import App
from shared.digest import service
from shared.digest.writer import write_template
from shared.timezone import IsoWeek
from tests.support.llm_faults import (
    FAILING,
    HANG_SECONDS,
    HANGING,
    MARGIN_SECONDS,
    MAX_RETRIES,
    TIMEOUT_SECONDS,
    allowed_seconds,
)
from tests.support.openai_loopback import OpenAILoopback, Reply

pytestmark = pytest.mark.integration


@pytest.mark.parametrize(("reply", "reason"), [(HANGING, "timeout"), (FAILING, "server error 500")])
def test_the_template_writes_the_digest_within_the_deadline(
    make_app: Callable[..., App],
    openai_loopback: OpenAILoopback,
    seeded: IsoWeek,
    reply: Reply,
    reason: str,
) -> None:
    # Given a week of comments and a language model that hangs or fails on every request
    openai_loopback.default = lambda body: reply
    app = make_app(
        digest_writer="llm",
        openai_base_url=openai_loopback.url,
        llm_timeout_seconds=TIMEOUT_SECONDS,
        llm_max_retries=MAX_RETRIES,
    )

    # When the week's digest is built
    started = time.monotonic()
    digest, built = service.build_digest(app, seeded)
    elapsed = time.monotonic() - started

    # Then it is the template's text over the same stats, saying why the model did not write it
    assert built
    assert digest.writer == "template"
    assert digest.fallback_reason is not None
    assert reason in digest.fallback_reason
    assert digest.texto == write_template(digest.stats)
    # ...after the attempts allowed, within their deadline (not the server's hang)
    assert len(openai_loopback.completion_requests()) == MAX_RETRIES + 1
    assert elapsed < allowed_seconds() + MARGIN_SECONDS < HANG_SECONDS
