"""INSIGHTS_ANSWERER=llm with an endpoint that fails or hangs: the offline answer, in time.

The deadline is what the settings allow (each attempt's timeout and the backoff between them); the
margin is generous for a loaded machine and far below the hang.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator

import pytest

from shared.bootstrap import App
from tests.integration.insights.conftest import Caller
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

QUESTION = "Quais foram as principais críticas da 2026-W47?"


@pytest.fixture
def server() -> Iterator[OpenAILoopback]:
    with OpenAILoopback() as loopback:
        yield loopback


@pytest.mark.parametrize(("reply", "reason"), [(HANGING, "timeout"), (FAILING, "server error 500")])
def test_the_offline_answer_comes_within_the_deadline(
    analyst: Caller,
    install_app: Callable[..., App],
    server: OpenAILoopback,
    store_digests,
    eval_digest_rows,
    reply: Reply,
    reason: str,
) -> None:
    # Given stored digests and a language model that hangs or fails on every request
    store_digests(eval_digest_rows)
    install_app(
        insights_answerer="llm",
        openai_base_url=server.url,
        llm_model="insights-model",
        llm_timeout_seconds=TIMEOUT_SECONDS,
        llm_max_retries=MAX_RETRIES,
    )
    server.default = lambda body: reply

    # When a question is asked
    started = time.monotonic()
    response = analyst.ask({"pergunta": QUESTION})
    elapsed = time.monotonic() - started

    # Then the grounded offline answer comes back, saying why the model did not answer
    assert response.status_code == 200
    body = response.get_json()
    assert body["respondido_por"] == "offline"
    assert body["fallback_reason"] == f"llm: {reason}"
    assert body["suportada"] is True
    assert body["fontes"]
    # ...after the attempts allowed, within their deadline (not the server's hang)
    assert len(server.completion_requests()) == MAX_RETRIES + 1
    assert elapsed < allowed_seconds() + MARGIN_SECONDS < HANG_SECONDS
