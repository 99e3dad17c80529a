"""Backend logic around the language model, with stand-ins for the model client and the embedded
model (the HTTP path itself is covered by tests/integration/test_llm_loopback.py)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from shared.classifier import Classification
from shared.classifier.llm_backend import CascadeClassifier, LlmClassifier, LlmCommentClassifier
from tests.support.llm_stub import NOW, StubClient


class StandInLocal:
    name = "local-stand-in"
    version = "test"

    def __init__(self, confidence: float = 0.95) -> None:
        self.confidence = confidence
        self.calls: list[list[str]] = []

    def classify_batch(self, texts: Sequence[str]) -> list[Classification]:
        self.calls.append(list(texts))
        return [
            Classification("ELOGIO", (), self.confidence, self.name, self.version) for _ in texts
        ]


def answer_all_but(broken: str) -> StubClient:
    """A model that calls every comment DÚVIDA, and breaks unforeseeably on the text `broken`."""

    def answer(request: dict[str, Any]) -> dict[str, Any] | Exception:
        items = json.loads(request["user"])
        if any(item["texto"] == broken for item in items):
            return RuntimeError("something nobody planned for")
        return {
            "resultados": [
                {"i": item["i"], "categoria": "DÚVIDA", "tags": [], "confianca": 0.5}
                for item in items
            ]
        }

    return StubClient(answer)


def test_an_unexpected_error_falls_back_for_its_batch_only() -> None:
    # Given a client that fails unexpectedly on the second of three batches
    client = answer_all_but("b")
    llm = LlmCommentClassifier(client, batch_size=1, deadline_seconds=10)
    local = StandInLocal()
    # When three comments are classified
    results = LlmClassifier(llm, fallback=local).classify_batch(["a", "b", "c"])
    # Then only the broken batch fell back, saying so; the others kept the model's answers
    assert [r.categoria for r in results] == ["DÚVIDA", "ELOGIO", "DÚVIDA"]
    assert [r.fallback_reason for r in results] == [
        None,
        "llm: unexpected error (RuntimeError)",
        None,
    ]
    assert local.calls == [["b"]]
    assert len(client.requests) == 3


def test_empty_batches_call_nothing() -> None:
    # Given both backends / When given no texts / Then no model is asked and nothing comes back
    client = answer_all_but("")
    llm = LlmCommentClassifier(client, batch_size=5, deadline_seconds=10)
    local = StandInLocal(confidence=0.1)
    assert LlmClassifier(llm, fallback=local).classify_batch([]) == []
    assert CascadeClassifier(local, llm, threshold=0.6).classify_batch([]) == []
    assert client.requests == []


def test_every_batch_of_one_call_shares_the_classifier_deadline() -> None:
    # Given a model that answers, one comment per request and a 7-second classifier deadline
    client = answer_all_but("never sent")
    llm = LlmCommentClassifier(client, batch_size=1, deadline_seconds=7)
    # When three comments are classified
    llm.classify(["a", "b", "c"])
    # Then every request had to end by one instant: the call's start plus that deadline
    assert [request["deadline"] for request in client.requests] == [NOW + 7] * 3
