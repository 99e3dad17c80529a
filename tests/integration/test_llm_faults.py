"""A language-model endpoint that fails or hangs: the classifier falls back within its deadline.

The classifier is built from settings exactly as a function builds it (`build_classifier`: the
embedded model is the fallback of `llm` and the first stage of `cascade`), pointed at a real
OpenAI-compatible server on 127.0.0.1 that answers 500 or never answers in time (the scenario
and its allowed time: tests/support/llm_faults.py).
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from shared.classifier import Classifier
from shared.classifier.factory import build_classifier
from shared.config import Settings
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


@pytest.fixture
def server() -> Iterator[OpenAILoopback]:
    with OpenAILoopback() as loopback:
        yield loopback


def classifier_for(server: OpenAILoopback, backend: str) -> Classifier:
    settings = Settings(
        classifier=backend,  # type: ignore[arg-type]
        openai_base_url=server.url,
        openai_api_key="test-key",  # type: ignore[arg-type]
        llm_timeout_seconds=TIMEOUT_SECONDS,
        llm_max_retries=MAX_RETRIES,
        # Every comment is unsure, so the cascade asks the model about each one.
        review_threshold=1.0,
    )
    return build_classifier(settings)


@pytest.mark.parametrize(("reply", "reason"), [(HANGING, "timeout"), (FAILING, "server error 500")])
@pytest.mark.parametrize("backend", ["llm", "cascade"])
def test_the_embedded_model_answers_within_the_deadline(
    server: OpenAILoopback, backend: str, reply: Reply, reason: str
) -> None:
    # Given an endpoint that hangs or fails on every request
    server.default = lambda body: reply
    classifier = classifier_for(server, backend)
    texts = ["o app fecha sozinho quando abro a playlist", "amei o show de ontem"]

    # When a batch is classified
    started = time.monotonic()
    results = classifier.classify_batch(texts)
    elapsed = time.monotonic() - started

    # Then every comment has the embedded model's answer, saying why the model did not answer
    assert len(results) == len(texts)
    assert {r.fallback_reason for r in results} == {f"llm: {reason}"}
    assert all(not r.model_name.startswith("llm:") for r in results)
    # ...after exactly the attempts allowed, within their deadline (not the server's hang)
    assert len(server.completion_requests()) == MAX_RETRIES + 1
    assert elapsed < allowed_seconds() + MARGIN_SECONDS < HANG_SECONDS
